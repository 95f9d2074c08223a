// Specification: virtio-blk (virtio 1.2 §5.2) reads, writes, flushes,
// discards and zeroes real qcow2/raw images on behalf of a driver, answers
// errors with VIRTIO_BLK_S_IOERR / S_UNSUPP, and honours read-only mode.
// Images are checked afterwards with a second reader and with qemu-img.

#include <QtTest>

#include "core/devices/virtio_blk.h"
#include "core/devices/virtio_rng.h"
#include "test_images.h"
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

// One virtio-blk device on a test driver, with helpers that issue requests.
struct BlkRig {
    explicit BlkRig(std::shared_ptr<block::BlockBackend> backend, bool readOnly = false,
                    uint64_t features = ~0ull, uint16_t queueSize = 64)
        : blk(backend, "tessera-disk-0", readOnly), mmio(driver.bus, &blk) {
        driver.attach(&mmio);
        initialised = driver.initialise(features, 1, queueSize);
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
        TestImages images;
        BlkRig rig(images.qcow2("disk.qcow2", 8 << 20));
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

    void writeThenReadRoundTripsThroughAQcow2Image() {
        TestImages images;
        BlkRig rig(images.qcow2("disk.qcow2", 1 << 20));
        const std::vector<uint8_t> data = pattern(3 * 512, 5);
        // Write split over two descriptors, like a scatter list.
        auto [writeStatus, writeUsed] = rig.simple(
            kVirtioBlkTOut, 10,
            {TestBuffer::in({data.begin(), data.begin() + 1024}), TestBuffer::in({data.begin() + 1024, data.end()})});
        QCOMPARE(writeStatus, kVirtioBlkSOk);
        QCOMPARE(writeUsed, 1u);  // only the status byte was written

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

    void flushMakesWritesDurableInTheImageFile() {
        TestImages images;
        auto rig = std::make_unique<BlkRig>(images.qcow2("disk.qcow2", 4 << 20));
        const std::vector<uint8_t> data = pattern(64 * 1024, 9);
        QCOMPARE(rig->simple(kVirtioBlkTOut, 2048, {TestBuffer::in(data)}).first, kVirtioBlkSOk);
        QCOMPARE(rig->simple(kVirtioBlkTFlush, 0).first, kVirtioBlkSOk);
        // A second, independent reader of the file sees the data after FLUSH
        // (the lock is skipped: the VM still holds the image).
        auto reader = images.open("disk.qcow2", true, /*lock=*/false);
        QVERIFY(reader);
        std::vector<uint8_t> onDisk(data.size());
        QVERIFY(reader->read(2048 * 512, onDisk));
        QCOMPARE(onDisk, data);
        reader.reset();
        rig.reset();  // the VM exits: qemu-img may lock the image now
        QCOMPARE(images.qemuImgCheck("disk.qcow2"), 0);
    }

    void indirectDescriptorsWorkLikeDirectOnes() {
        TestImages images;
        BlkRig rig(images.raw("disk.raw", std::vector<uint8_t>(1 << 20, 0x5a), false));
        std::vector<TestBuffer> buffers{TestBuffer::in(header(kVirtioBlkTIn, 0)), TestBuffer::out(4096)};
        auto [status, used] = rig.run(buffers, /*indirect=*/true);
        QCOMPARE(status, kVirtioBlkSOk);
        QCOMPARE(used, 4097u);
        QCOMPARE(rig.driver.peek(buffers[1].address, 4096), std::vector<uint8_t>(4096, 0x5a));
    }

    void requestWithSegMaxSegmentsInOneIndirectTableIsServed() {
        // Linux's O_DIRECT 1 MiB writes: header + seg_max data segments +
        // status = 256 descriptors (the queue size) in one indirect table,
        // behind a single INDIRECT descriptor in the ring (§2.7.5.3).
        TestImages images;
        BlkRig rig(images.qcow2("disk.qcow2", 1 << 20), false, ~0ull, VirtioBlk::kQueueSize);
        QCOMPARE(rig.driver.queueSize(0), VirtioBlk::kQueueSize);
        std::vector<TestBuffer> buffers{TestBuffer::in(header(kVirtioBlkTOut, 8))};
        std::vector<uint8_t> data;
        for (uint32_t i = 0; i < VirtioBlk::kSegMax; ++i) {
            buffers.push_back(TestBuffer::in(pattern(512, static_cast<uint8_t>(i))));
            data.insert(data.end(), buffers.back().readable.begin(), buffers.back().readable.end());
        }
        auto [status, used] = rig.run(buffers, /*indirect=*/true);
        QVERIFY2(!rig.driver.needsReset(), rig.mmio.brokenReason().c_str());
        QCOMPARE(status, kVirtioBlkSOk);
        QCOMPARE(used, 1u);
        std::vector<uint8_t> onDisk(data.size());
        QVERIFY(rig.blk.backend().read(8 * 512, onDisk));
        QCOMPARE(onDisk, data);
    }

    void getIdReturnsTheSerial() {
        TestImages images;
        BlkRig rig(images.qcow2("disk.qcow2", 1 << 20));
        auto [status, used] = rig.simple(kVirtioBlkTGetId, 0, {TestBuffer::out(20)});
        QCOMPARE(status, kVirtioBlkSOk);
        QCOMPARE(used, 21u);
        const auto id = rig.driver.peek(rig.lastBuffers[1].address, 20);
        QCOMPARE(std::string(reinterpret_cast<const char*>(id.data())), std::string("tessera-disk-0"));
    }

    void discardFreesQcow2ClustersAndWriteZeroesReadsZero() {
        TestImages images;
        auto disk = images.qcow2("disk.qcow2", 4 << 20);
        BlkRig rig(disk);
        // 1 MiB of data from sector 0, then discard the second half (whole 64 KiB clusters).
        QCOMPARE(rig.simple(kVirtioBlkTOut, 0, {TestBuffer::in(pattern(1 << 20, 3))}).first, kVirtioBlkSOk);
        auto before = disk->blockStatus(512 * 1024, 512 * 1024);
        QVERIFY(before && before->allocated && before->data);
        QCOMPARE(rig.simple(kVirtioBlkTDiscard, 0, {TestBuffer::in(rangeSegment(1024, 1024, 0))}).first,
                 kVirtioBlkSOk);
        auto after = disk->blockStatus(512 * 1024, 512 * 1024);
        QVERIFY(after);
        QVERIFY(!after->data);  // the clusters no longer hold host data
        // WRITE ZEROES (with UNMAP allowed) reads back as zeros.
        QCOMPARE(rig.simple(kVirtioBlkTWriteZeroes, 0, {TestBuffer::in(rangeSegment(100, 2, 1))}).first,
                 kVirtioBlkSOk);
        std::vector<uint8_t> zeros(1024);
        QVERIFY(disk->read(100 * 512, zeros));
        QCOMPARE(zeros, std::vector<uint8_t>(1024, 0));
        std::vector<uint8_t> neighbour(512);
        QVERIFY(disk->read(102 * 512, neighbour));
        const std::vector<uint8_t> written = pattern(1 << 20, 3);
        QCOMPARE(neighbour, std::vector<uint8_t>(written.begin() + 102 * 512, written.begin() + 103 * 512));
        // §5.2.6.2: the UNMAP flag is not allowed on a discard; ranges past the end are I/O errors.
        QCOMPARE(rig.simple(kVirtioBlkTDiscard, 0, {TestBuffer::in(rangeSegment(8, 8, 1))}).first,
                 kVirtioBlkSUnsupp);
        QCOMPARE(rig.simple(kVirtioBlkTDiscard, 0, {TestBuffer::in(rangeSegment(8191, 2, 0))}).first,
                 kVirtioBlkSIoErr);
        QCOMPARE(rig.simple(kVirtioBlkTFlush, 0).first, kVirtioBlkSOk);
    }

    void aProbedRawDiskAnswersAQcow2HeaderInSector0WithAnIoError() {
        // The disk was opened without a format (TestImages probes), as `run --disk x.img` does:
        // the guest must not turn it into a qcow2 image that names a host file as backing.
        TestImages images;
        auto disk = images.raw("disk.img", std::vector<uint8_t>(1 << 20, 0), /*readOnly=*/false);
        QVERIFY(disk);
        BlkRig rig(disk);
        std::vector<uint8_t> header(4096, 0);
        std::memcpy(header.data(), "QFI\xfb\0\0\0\3", 8);
        QCOMPARE(rig.simple(kVirtioBlkTOut, 0, {TestBuffer::in(header)}).first, kVirtioBlkSIoErr);
        std::vector<uint8_t> sector0(512);
        QVERIFY(disk->read(0, sector0));
        QCOMPARE(sector0, std::vector<uint8_t>(512, 0));
        // The device goes on working: the same bytes elsewhere, and a normal sector 0.
        QCOMPARE(rig.simple(kVirtioBlkTOut, 8, {TestBuffer::in(header)}).first, kVirtioBlkSOk);
        QCOMPARE(rig.simple(kVirtioBlkTOut, 0, {TestBuffer::in(pattern(4096, 1))}).first, kVirtioBlkSOk);
    }

    void imageIsCleanForQemuImgAfterDiscards() {
        TestImages images;
        {
            BlkRig rig(images.qcow2("disk.qcow2", 4 << 20));
            QCOMPARE(rig.simple(kVirtioBlkTOut, 0, {TestBuffer::in(pattern(1 << 20, 3))}).first, kVirtioBlkSOk);
            QCOMPARE(rig.simple(kVirtioBlkTDiscard, 0, {TestBuffer::in(rangeSegment(256, 1024, 0))}).first,
                     kVirtioBlkSOk);
            QCOMPARE(rig.simple(kVirtioBlkTWriteZeroes, 0, {TestBuffer::in(rangeSegment(1500, 300, 1))}).first,
                     kVirtioBlkSOk);
            QCOMPARE(rig.simple(kVirtioBlkTFlush, 0).first, kVirtioBlkSOk);
        }
        QCOMPARE(images.qemuImgCheck("disk.qcow2"), 0);
    }

    void outOfRangeAndMalformedRequestsAreIoErrors() {
        TestImages images;
        BlkRig rig(images.qcow2("disk.qcow2", 1 << 20));
        QCOMPARE(rig.simple(kVirtioBlkTIn, 2048, {TestBuffer::out(512)}).first, kVirtioBlkSIoErr);
        QCOMPARE(rig.simple(kVirtioBlkTIn, 2047, {TestBuffer::out(1024)}).first, kVirtioBlkSIoErr);
        QCOMPARE(rig.simple(kVirtioBlkTIn, ~0ull / 256, {TestBuffer::out(512)}).first, kVirtioBlkSIoErr);
        QCOMPARE(rig.simple(kVirtioBlkTOut, 0, {TestBuffer::in(std::vector<uint8_t>(100, 1))}).first,
                 kVirtioBlkSIoErr);  // not a whole sector
        QCOMPARE(rig.simple(kVirtioBlkTIn, 2047, {TestBuffer::out(512)}).first, kVirtioBlkSOk);
        QVERIFY(!rig.driver.needsReset());
    }

    void unknownRequestTypeIsUnsupported() {
        TestImages images;
        BlkRig rig(images.qcow2("disk.qcow2", 1 << 20));
        QCOMPARE(rig.simple(99, 0).first, kVirtioBlkSUnsupp);
        QCOMPARE(rig.simple(7, 0).first, kVirtioBlkSUnsupp);
    }

    void requestWithoutStatusByteBreaksTheDevice() {
        TestImages images;
        BlkRig rig(images.qcow2("disk.qcow2", 1 << 20));
        std::vector<TestBuffer> buffers{TestBuffer::in(header(kVirtioBlkTIn, 0))};
        rig.driver.submit(0, buffers);
        QVERIFY(rig.driver.needsReset());
    }

    void readOnlyDiskRefusesWritesAndOffersRo() {
        TestImages images;
        auto disk = images.raw("disk.raw", std::vector<uint8_t>(1 << 20, 0), /*readOnly=*/false);
        BlkRig rig(disk, /*readOnly=*/true);
        QVERIFY(rig.driver.features & kVirtioBlkFRo);
        QVERIFY(!(rig.driver.features & kVirtioBlkFDiscard));
        QCOMPARE(rig.simple(kVirtioBlkTOut, 0, {TestBuffer::in(std::vector<uint8_t>(512, 9))}).first,
                 kVirtioBlkSIoErr);
        QCOMPARE(rig.simple(kVirtioBlkTDiscard, 0, {TestBuffer::in(rangeSegment(0, 1, 0))}).first,
                 kVirtioBlkSUnsupp);
        QCOMPARE(rig.simple(kVirtioBlkTIn, 0, {TestBuffer::out(512)}).first, kVirtioBlkSOk);
        std::vector<uint8_t> first(512);
        QVERIFY(disk->read(0, first));
        QCOMPARE(first, std::vector<uint8_t>(512, 0));
    }

    void deviceFollowsAReadOnlyImage() {
        TestImages images;
        auto disk = images.raw("disk.raw", std::vector<uint8_t>(1 << 20, 0), /*readOnly=*/true);
        QVERIFY(disk);
        VirtioBlk blk(disk, "s");
        QVERIFY(blk.readOnly());
        QVERIFY(blk.deviceFeatures() & kVirtioBlkFRo);
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
