// Specification: virtio-blk (virtio 1.2 §5.2) reads, writes, flushes,
// discards and zeroes a real disk backend on behalf of a driver, answers
// errors with VIRTIO_BLK_S_IOERR / S_UNSUPP, and honours read-only mode.

#include <QtTest>

#include "core/devices/virtio_blk.h"
#include "core/devices/virtio_rng.h"
#include "memory_block_backend.h"
#include "virtio_test_driver.h"

using namespace tessera;
using namespace tessera::devices;
using namespace tessera::testing;

namespace {

std::vector<uint8_t> header(uint32_t type, uint64_t sector) {
    std::vector<uint8_t> bytes(16, 0);
    std::memcpy(bytes.data(), &type, 4);
    std::memcpy(bytes.data() + 8, &sector, 8);
    return bytes;
}

std::vector<uint8_t> rangeSegment(uint64_t sector, uint32_t count, uint32_t flags) {
    std::vector<uint8_t> bytes(16, 0);
    std::memcpy(bytes.data(), &sector, 8);
    std::memcpy(bytes.data() + 8, &count, 4);
    std::memcpy(bytes.data() + 12, &flags, 4);
    return bytes;
}

std::vector<uint8_t> pattern(size_t length, uint8_t seed) {
    std::vector<uint8_t> bytes(length);
    for (size_t i = 0; i < length; ++i) bytes[i] = static_cast<uint8_t>(seed + i * 7 + (i >> 9));
    return bytes;
}

// One virtio-blk device on a test driver, with helpers that issue requests.
struct BlkRig {
    explicit BlkRig(std::shared_ptr<block::BlockBackend> backend, bool readOnly = false,
                    uint64_t features = ~0ull)
        : blk(backend, "tessera-disk-0", readOnly), mmio(driver.bus, &blk) {
        driver.attach(&mmio);
        initialised = driver.initialise(features, 1, 64);
    }

    // Returns (status byte, used length) and leaves data in `buffers`.
    std::pair<uint8_t, uint32_t> run(std::vector<TestBuffer>& buffers, bool indirect = false) {
        buffers.push_back(TestBuffer::out(1));
        driver.submit(0, buffers, indirect);
        const std::vector<UsedElement> used = driver.takeUsed(0);
        if (used.size() != 1) return {0xff, 0};
        const uint8_t status = driver.peekValue<uint8_t>(buffers.back().address);
        buffers.pop_back();
        return {status, used[0].length};
    }
    std::pair<uint8_t, uint32_t> simple(uint32_t type, uint64_t sector, std::vector<TestBuffer> data = {}) {
        std::vector<TestBuffer> buffers{TestBuffer::in(header(type, sector))};
        for (auto& b : data) buffers.push_back(std::move(b));
        lastBuffers = buffers;
        auto result = run(lastBuffers);
        return result;
    }

    VirtioTestDriver driver;
    VirtioBlk blk;
    VirtioMmio mmio;
    bool initialised = false;
    std::vector<TestBuffer> lastBuffers;
};

}  // namespace

class VirtioBlkTest : public QObject {
    Q_OBJECT
private slots:
    void configReportsCapacitySegMaxAndLimits() {
        auto disk = std::make_shared<MemoryBlockBackend>(8 << 20);
        BlkRig rig(disk);
        QVERIFY(rig.initialised);
        QCOMPARE(rig.mmio.read(0x100, 8), uint64_t{(8 << 20) / 512});
        QCOMPARE(rig.mmio.read(0x100 + 12, 4), uint64_t{VirtioBlk::kSegMax});
        QVERIFY(rig.driver.features & kVirtioBlkFDiscard);
        QVERIFY(rig.driver.features & kVirtioBlkFWriteZeroes);
        QVERIFY(rig.driver.features & kVirtioBlkFFlush);
        QVERIFY(!(rig.driver.features & kVirtioBlkFRo));
        QCOMPARE(rig.mmio.read(0x100 + 36, 4), uint64_t{VirtioBlk::kMaxDiscardSectors});
        QCOMPARE(rig.mmio.read(0x100 + 56, 1), uint64_t{1});
    }

    void writeThenReadRoundTripsThroughTheDisk() {
        auto disk = std::make_shared<MemoryBlockBackend>(1 << 20);
        BlkRig rig(disk);
        const std::vector<uint8_t> data = pattern(3 * 512, 5);
        // Write split over two descriptors, like a scatter list.
        auto [writeStatus, writeUsed] = rig.simple(
            kVirtioBlkTOut, 10,
            {TestBuffer::in({data.begin(), data.begin() + 1024}), TestBuffer::in({data.begin() + 1024, data.end()})});
        QCOMPARE(writeStatus, kVirtioBlkSOk);
        QCOMPARE(writeUsed, 1u);  // only the status byte was written
        QVERIFY(std::equal(data.begin(), data.end(), disk->bytes.begin() + 10 * 512));

        auto [readStatus, readUsed] = rig.simple(kVirtioBlkTIn, 10, {TestBuffer::out(512), TestBuffer::out(1024)});
        QCOMPARE(readStatus, kVirtioBlkSOk);
        QCOMPARE(readUsed, 3u * 512 + 1);
        std::vector<uint8_t> back = rig.driver.peek(rig.lastBuffers[1].address, 512);
        const std::vector<uint8_t> second = rig.driver.peek(rig.lastBuffers[2].address, 1024);
        back.insert(back.end(), second.begin(), second.end());
        QCOMPARE(back, data);
        // The DMA into guest RAM was reported for code-cache invalidation.
        QVERIFY(!rig.driver.invalidated.empty());
    }

    void indirectDescriptorsWorkLikeDirectOnes() {
        auto disk = std::make_shared<MemoryBlockBackend>(1 << 20);
        std::fill(disk->bytes.begin(), disk->bytes.end(), 0x5a);
        BlkRig rig(disk);
        std::vector<TestBuffer> buffers{TestBuffer::in(header(kVirtioBlkTIn, 0)), TestBuffer::out(4096)};
        auto [status, used] = rig.run(buffers, /*indirect=*/true);
        QCOMPARE(status, kVirtioBlkSOk);
        QCOMPARE(used, 4097u);
        QCOMPARE(rig.driver.peek(buffers[1].address, 4096), std::vector<uint8_t>(4096, 0x5a));
    }

    void flushReachesTheBackend() {
        auto disk = std::make_shared<MemoryBlockBackend>(1 << 20);
        BlkRig rig(disk);
        QCOMPARE(rig.simple(kVirtioBlkTFlush, 0).first, kVirtioBlkSOk);
        QCOMPARE(disk->flushes, 1);
    }

    void getIdReturnsTheSerial() {
        auto disk = std::make_shared<MemoryBlockBackend>(1 << 20);
        BlkRig rig(disk);
        auto [status, used] = rig.simple(kVirtioBlkTGetId, 0, {TestBuffer::out(20)});
        QCOMPARE(status, kVirtioBlkSOk);
        QCOMPARE(used, 21u);
        const auto id = rig.driver.peek(rig.lastBuffers[1].address, 20);
        QCOMPARE(std::string(reinterpret_cast<const char*>(id.data())), std::string("tessera-disk-0"));
    }

    void discardAndWriteZeroesReachTheBackend() {
        auto disk = std::make_shared<MemoryBlockBackend>(1 << 20);
        std::fill(disk->bytes.begin(), disk->bytes.end(), 0x11);
        BlkRig rig(disk);
        QCOMPARE(rig.simple(kVirtioBlkTDiscard, 0, {TestBuffer::in(rangeSegment(8, 8, 0))}).first, kVirtioBlkSOk);
        QCOMPARE(disk->discarded, uint64_t{8 * 512});
        QCOMPARE(rig.simple(kVirtioBlkTWriteZeroes, 0, {TestBuffer::in(rangeSegment(100, 2, 1))}).first,
                 kVirtioBlkSOk);
        QVERIFY(std::all_of(disk->bytes.begin() + 100 * 512, disk->bytes.begin() + 102 * 512,
                            [](uint8_t b) { return b == 0; }));
        QCOMPARE(disk->bytes[102 * 512], uint8_t{0x11});
        // §5.2.6.2: the UNMAP flag is not allowed on a discard.
        QCOMPARE(rig.simple(kVirtioBlkTDiscard, 0, {TestBuffer::in(rangeSegment(8, 8, 1))}).first,
                 kVirtioBlkSUnsupp);
        // Ranges past the end are I/O errors.
        QCOMPARE(rig.simple(kVirtioBlkTDiscard, 0, {TestBuffer::in(rangeSegment(2047, 2, 0))}).first,
                 kVirtioBlkSIoErr);
    }

    void outOfRangeAndMalformedRequestsAreIoErrors() {
        auto disk = std::make_shared<MemoryBlockBackend>(1 << 20);
        BlkRig rig(disk);
        QCOMPARE(rig.simple(kVirtioBlkTIn, 2048, {TestBuffer::out(512)}).first, kVirtioBlkSIoErr);
        QCOMPARE(rig.simple(kVirtioBlkTIn, 2047, {TestBuffer::out(1024)}).first, kVirtioBlkSIoErr);
        QCOMPARE(rig.simple(kVirtioBlkTIn, ~0ull / 256, {TestBuffer::out(512)}).first, kVirtioBlkSIoErr);
        QCOMPARE(rig.simple(kVirtioBlkTOut, 0, {TestBuffer::in(std::vector<uint8_t>(100, 1))}).first,
                 kVirtioBlkSIoErr);  // not a whole sector
        QCOMPARE(rig.simple(kVirtioBlkTIn, 2047, {TestBuffer::out(512)}).first, kVirtioBlkSOk);
        QVERIFY(!rig.driver.needsReset());
    }

    void unknownRequestTypeIsUnsupported() {
        auto disk = std::make_shared<MemoryBlockBackend>(1 << 20);
        BlkRig rig(disk);
        QCOMPARE(rig.simple(99, 0).first, kVirtioBlkSUnsupp);
        QCOMPARE(rig.simple(7, 0).first, kVirtioBlkSUnsupp);
    }

    void requestWithoutStatusByteBreaksTheDevice() {
        auto disk = std::make_shared<MemoryBlockBackend>(1 << 20);
        BlkRig rig(disk);
        std::vector<TestBuffer> buffers{TestBuffer::in(header(kVirtioBlkTIn, 0))};
        rig.driver.submit(0, buffers);
        QVERIFY(rig.driver.needsReset());
    }

    void readOnlyDiskRefusesWritesAndOffersRo() {
        auto disk = std::make_shared<MemoryBlockBackend>(1 << 20);
        BlkRig rig(disk, /*readOnly=*/true);
        QVERIFY(rig.driver.features & kVirtioBlkFRo);
        QVERIFY(!(rig.driver.features & kVirtioBlkFDiscard));
        QCOMPARE(rig.simple(kVirtioBlkTOut, 0, {TestBuffer::in(std::vector<uint8_t>(512, 9))}).first,
                 kVirtioBlkSIoErr);
        QCOMPARE(rig.simple(kVirtioBlkTDiscard, 0, {TestBuffer::in(rangeSegment(0, 1, 0))}).first,
                 kVirtioBlkSUnsupp);
        QCOMPARE(disk->bytes[0], uint8_t{0});
        QCOMPARE(rig.simple(kVirtioBlkTIn, 0, {TestBuffer::out(512)}).first, kVirtioBlkSOk);
    }

    void backendErrorsBecomeIoErr() {
        // A backend that is read-only underneath (e.g. an image opened read-only)
        // but a device told to be writable still answers IOERR, not a crash.
        auto disk = std::make_shared<MemoryBlockBackend>(1 << 20, /*readOnly=*/true);
        VirtioTestDriver driver;
        VirtioBlk blk(disk, "s");
        QVERIFY(blk.readOnly());  // the device follows the backend
    }

    void rngFillsTheBufferWithEntropy() {
        VirtioTestDriver driver;
        VirtioRng rng;
        VirtioMmio mmio(driver.bus, &rng);
        driver.attach(&mmio);
        QVERIFY(driver.initialise(~0ull, 1));
        std::vector<TestBuffer> buffers{TestBuffer::out(256)};
        driver.submit(0, buffers);
        const auto used = driver.takeUsed(0);
        QCOMPARE(used.size(), size_t{1});
        QCOMPARE(used[0].length, 256u);
        const auto bytes = driver.peek(buffers[0].address, 256);
        QVERIFY(std::count(bytes.begin(), bytes.end(), 0) < 16);  // not left zeroed
    }
};

QTEST_APPLESS_MAIN(VirtioBlkTest)
#include "virtio_blk_test.moc"
