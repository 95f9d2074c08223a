// Specification: the virtio-mmio transport (virtio 1.2 §4.2.2) — registers,
// feature negotiation, reset, interrupts — and its defence against hostile
// descriptor chains (§2.7): a guest that breaks the rules gets
// DEVICE_NEEDS_RESET and a config-change interrupt, never a host crash or hang.

#include <QtTest>

#include "core/devices/virtio_blk.h"
#include "core/devices/virtio_rng.h"
#include "test_images.h"
#include "virtio_test_driver.h"

using namespace tessera;
using namespace tessera::devices;
using namespace tessera::testing;

namespace {

std::vector<uint8_t> blkHeader(uint32_t type, uint64_t sector) {
    std::vector<uint8_t> header(16, 0);
    std::memcpy(header.data(), &type, 4);
    std::memcpy(header.data() + 8, &sector, 8);
    return header;
}

constexpr uint64_t kAllFeatures = ~0ull;

}  // namespace

class VirtioMmioTest : public QObject {
    Q_OBJECT
private slots:
    void emptySlotAnswersLikeQemu() {
        VirtioTestDriver driver;
        VirtioMmio slot(driver.bus, nullptr);
        driver.attach(&slot);
        QCOMPARE(driver.reg(virtio_mmio_reg::kMagic), 0x74726976u);
        QCOMPARE(driver.reg(virtio_mmio_reg::kVersion), 2u);
        QCOMPARE(driver.reg(virtio_mmio_reg::kDeviceId), 0u);
        QCOMPARE(driver.reg(virtio_mmio_reg::kQueueNumMax), 0u);
        driver.setReg(virtio_mmio_reg::kStatus, kVirtioStatusAcknowledge);  // ignored, no crash
        QCOMPARE(driver.reg(0x100), 0u);
    }

    void sharedMemoryRegionsReadAsAbsent() {
        VirtioTestDriver driver;
        VirtioRng rng;
        VirtioMmio mmio(driver.bus, &rng);
        driver.attach(&mmio);
        driver.setReg(virtio_mmio_reg::kShmSel, 0);
        QCOMPARE(driver.reg(virtio_mmio_reg::kShmLenLow), 0xffffffffu);
        QCOMPARE(driver.reg(virtio_mmio_reg::kShmLenHigh), 0xffffffffu);
    }

    void offersModernFeaturesAndRejectsLegacyDrivers() {
        VirtioTestDriver driver;
        VirtioRng rng;
        VirtioMmio mmio(driver.bus, &rng);
        driver.attach(&mmio);
        QCOMPARE(driver.reg(virtio_mmio_reg::kDeviceId), 4u);
        const uint64_t offered = driver.deviceFeatures();
        QVERIFY(offered & kVirtioFVersion1);
        QVERIFY(offered & kVirtioFRingIndirectDesc);
        QVERIFY(offered & kVirtioFRingEventIdx);
        // A driver without VERSION_1 is a legacy driver: FEATURES_OK must not stick.
        QVERIFY(!driver.initialise(kAllFeatures & ~kVirtioFVersion1, 1));
        // Asking for a feature that was not offered fails the same way.
        driver.setReg(virtio_mmio_reg::kStatus, 0);
        driver.setReg(virtio_mmio_reg::kStatus, kVirtioStatusAcknowledge | kVirtioStatusDriver);
        driver.setReg(virtio_mmio_reg::kDriverFeaturesSel, 1);
        driver.setReg(virtio_mmio_reg::kDriverFeatures, 1 | (1u << 20));
        driver.setReg(virtio_mmio_reg::kStatus, kVirtioStatusAcknowledge | kVirtioStatusDriver |
                                                    kVirtioStatusFeaturesOk);
        QVERIFY(!(driver.reg(virtio_mmio_reg::kStatus) & kVirtioStatusFeaturesOk));
        QVERIFY(driver.initialise(kAllFeatures, 1));
    }

    void resetClearsQueuesStatusAndInterrupts() {
        VirtioTestDriver driver;
        VirtioRng rng;
        VirtioMmio mmio(driver.bus, &rng);
        driver.attach(&mmio);
        QVERIFY(driver.initialise(kAllFeatures, 1));
        std::vector<TestBuffer> buffers{TestBuffer::out(16)};
        driver.submit(0, buffers);
        QVERIFY(driver.interruptLevel);
        driver.setReg(virtio_mmio_reg::kStatus, 0);
        QCOMPARE(driver.reg(virtio_mmio_reg::kStatus), 0u);
        QCOMPARE(driver.reg(virtio_mmio_reg::kInterruptStatus), 0u);
        QVERIFY(!driver.interruptLevel);
        driver.setReg(virtio_mmio_reg::kQueueSel, 0);
        QCOMPARE(driver.reg(virtio_mmio_reg::kQueueReady), 0u);
        QCOMPARE(driver.reg(virtio_mmio_reg::kQueueNumMax), 256u);
    }

    void queueSizeStartsAtTheMaximumAndZeroKeepsIt() {
        // QEMU's virtio_queue_set_num: QueueNum starts at QueueNumMax and a
        // write of 0 is ignored. EDK2's virtio-gpu driver never writes
        // QueueNum on the modern transport and still expects a working queue.
        VirtioTestDriver driver;
        VirtioRng rng;
        VirtioMmio mmio(driver.bus, &rng);
        driver.attach(&mmio);
        driver.setReg(virtio_mmio_reg::kQueueSel, 0);
        QCOMPARE(driver.reg(virtio_mmio_reg::kQueueNum), 256u);
        driver.setReg(virtio_mmio_reg::kQueueNum, 0);
        QCOMPARE(driver.reg(virtio_mmio_reg::kQueueNum), 256u);
        driver.setReg(virtio_mmio_reg::kQueueNum, 64);
        QCOMPARE(driver.reg(virtio_mmio_reg::kQueueNum), 64u);
        driver.setReg(virtio_mmio_reg::kStatus, 0);  // a reset brings the maximum back
        QCOMPARE(driver.reg(virtio_mmio_reg::kQueueNum), 256u);
    }

    void usedBufferInterruptIsALevelUntilAcknowledged() {
        VirtioTestDriver driver;
        VirtioRng rng;
        VirtioMmio mmio(driver.bus, &rng);
        driver.attach(&mmio);
        QVERIFY(driver.initialise(kAllFeatures & ~kVirtioFRingEventIdx, 1));
        std::vector<TestBuffer> buffers{TestBuffer::out(32)};
        driver.submit(0, buffers);
        QCOMPARE(driver.reg(virtio_mmio_reg::kInterruptStatus), kVirtioInterruptUsedBuffer);
        QVERIFY(driver.interruptLevel);
        driver.acknowledgeInterrupts();
        QVERIFY(!driver.interruptLevel);
        // VIRTQ_AVAIL_F_NO_INTERRUPT suppresses the next one (§2.7.7).
        driver.pokeValue<uint16_t>(driver.availAddress(0), kVirtqAvailNoInterrupt);
        driver.submit(0, buffers);
        QVERIFY(!driver.interruptLevel);
        QCOMPARE(driver.takeUsed(0).size(), size_t{2});
    }

    void eventIndexDelaysInterruptsUntilTheRequestedEntry() {
        VirtioTestDriver driver;
        VirtioRng rng;
        VirtioMmio mmio(driver.bus, &rng);
        driver.attach(&mmio);
        QVERIFY(driver.initialise(kAllFeatures, 1));
        QVERIFY(driver.features & kVirtioFRingEventIdx);
        const uint64_t usedEvent = driver.availAddress(0) + 4 + 2ull * driver.queueSize(0);
        driver.pokeValue<uint16_t>(usedEvent, 1);  // "interrupt me when used idx passes 1"
        std::vector<TestBuffer> buffers{TestBuffer::out(8)};
        driver.submit(0, buffers);  // used idx 0 -> 1: not yet
        QVERIFY(!driver.interruptLevel);
        driver.submit(0, buffers);  // used idx 1 -> 2: crosses the event
        QVERIFY(driver.interruptLevel);
        // The device publishes avail_event so the driver knows when to notify.
        const uint64_t availEvent = driver.usedAddress(0) + 4 + 8ull * driver.queueSize(0);
        QCOMPARE(driver.peekValue<uint16_t>(availEvent), uint16_t{2});
    }

    void configGenerationAndConfigSpaceReads() {
        VirtioTestDriver driver;
        TestImages images;
        VirtioBlk blk(images.qcow2("disk.qcow2", 1 << 20), "serial");
        VirtioMmio mmio(driver.bus, &blk);
        driver.attach(&mmio);
        QVERIFY(driver.initialise(kAllFeatures, 1));
        const uint32_t generation = driver.reg(virtio_mmio_reg::kConfigGeneration);
        QCOMPARE(mmio.read(0x100, 8), uint64_t{2048});  // capacity in 512-byte sectors
        QCOMPARE(mmio.read(0x100, 4), uint64_t{2048});
        QCOMPARE(mmio.read(0x104, 4), uint64_t{0});
        QCOMPARE(mmio.read(0x100 + 20, 4), uint64_t{512});  // blk_size
        QCOMPARE(mmio.read(0xff8, 8), uint64_t{0});          // beyond the config: zero
        mmio.configChanged();
        QCOMPARE(driver.reg(virtio_mmio_reg::kConfigGeneration), generation + 1);
        QCOMPARE(driver.reg(virtio_mmio_reg::kInterruptStatus), kVirtioInterruptConfigChange);
    }

    void queueRegistersAreFrozenWhileReady() {
        VirtioTestDriver driver;
        VirtioRng rng;
        VirtioMmio mmio(driver.bus, &rng);
        driver.attach(&mmio);
        QVERIFY(driver.initialise(kAllFeatures, 1));
        driver.setReg(virtio_mmio_reg::kQueueSel, 0);
        const uint32_t desc = driver.reg(virtio_mmio_reg::kQueueDescLow);
        driver.setReg(virtio_mmio_reg::kQueueDescLow, 0x1000);
        QCOMPARE(driver.reg(virtio_mmio_reg::kQueueDescLow), desc);
    }

    // ---- hostile guests -------------------------------------------------

    void queueOutsideRamMarksTheDeviceBroken() {
        VirtioTestDriver driver;
        VirtioRng rng;
        VirtioMmio mmio(driver.bus, &rng);
        driver.attach(&mmio);
        QVERIFY(driver.initialise(kAllFeatures, 0));
        driver.setReg(virtio_mmio_reg::kQueueSel, 0);
        driver.setReg(virtio_mmio_reg::kQueueNum, 64);
        driver.setReg(virtio_mmio_reg::kQueueDescLow, 0x1000);  // no RAM there
        driver.setReg(virtio_mmio_reg::kQueueDriverLow, 0x80100000);
        driver.setReg(virtio_mmio_reg::kQueueDriverHigh, 0);
        driver.setReg(virtio_mmio_reg::kQueueDeviceLow, 0x80200000);
        driver.setReg(virtio_mmio_reg::kQueueReady, 1);
        QCOMPARE(driver.reg(virtio_mmio_reg::kQueueReady), 0u);
        QVERIFY(driver.needsReset());
        QVERIFY(driver.reg(virtio_mmio_reg::kInterruptStatus) & kVirtioInterruptConfigChange);
        QVERIFY(driver.interruptLevel);
        // Only a reset clears it.
        driver.setReg(virtio_mmio_reg::kStatus, 0);
        QVERIFY(!driver.needsReset());
    }

    void nonPowerOfTwoQueueSizeIsRejected() {
        VirtioTestDriver driver;
        VirtioRng rng;
        VirtioMmio mmio(driver.bus, &rng);
        driver.attach(&mmio);
        QVERIFY(driver.initialise(kAllFeatures, 1, 48));
        QVERIFY(driver.needsReset());
    }

    void descriptorLoopIsBoundedByTheTableSize() {
        VirtioTestDriver driver;
        VirtioRng rng;
        VirtioMmio mmio(driver.bus, &rng);
        driver.attach(&mmio);
        QVERIFY(driver.initialise(kAllFeatures, 1, 8));
        const uint64_t buffer = driver.allocate(64);
        driver.writeDescriptor(0, 0, buffer, 64, kVirtqDescWrite | kVirtqDescNext, 1);
        driver.writeDescriptor(0, 1, buffer, 64, kVirtqDescWrite | kVirtqDescNext, 0);  // back to 0
        driver.publish(0, 0);
        QVERIFY(driver.needsReset());
        QVERIFY(mmio.brokenReason().find("longer than its table") != std::string::npos);
        QVERIFY(driver.takeUsed(0).empty());
        // A notify on a broken device does nothing.
        driver.setReg(virtio_mmio_reg::kQueueNotify, 0);
        QVERIFY(driver.takeUsed(0).empty());
    }

    void bufferOutsideRamIsRefusedBeforeAnyAccess() {
        VirtioTestDriver driver;
        VirtioRng rng;
        VirtioMmio mmio(driver.bus, &rng);
        driver.attach(&mmio);
        QVERIFY(driver.initialise(kAllFeatures, 1, 8));
        // Starts in RAM, ends past its end: must not be written partially.
        const uint64_t last = VirtioTestDriver::kRamBase + VirtioTestDriver::kRamSize - 16;
        driver.poke(last, std::vector<uint8_t>(16, 0xab));
        driver.writeDescriptor(0, 0, last, 4096, kVirtqDescWrite, 0);
        driver.publish(0, 0);
        QVERIFY(driver.needsReset());
        QCOMPARE(driver.peek(last, 16), std::vector<uint8_t>(16, 0xab));
    }

    void descriptorAddressWrapAroundIsRefused() {
        VirtioTestDriver driver;
        VirtioRng rng;
        VirtioMmio mmio(driver.bus, &rng);
        driver.attach(&mmio);
        QVERIFY(driver.initialise(kAllFeatures, 1, 8));
        driver.writeDescriptor(0, 0, ~0ull - 8, 0xffffffff, kVirtqDescWrite, 0);
        driver.publish(0, 0);
        QVERIFY(driver.needsReset());
    }

    void zeroLengthDescriptorIsRefused() {
        VirtioTestDriver driver;
        VirtioRng rng;
        VirtioMmio mmio(driver.bus, &rng);
        driver.attach(&mmio);
        QVERIFY(driver.initialise(kAllFeatures, 1, 8));
        driver.writeDescriptor(0, 0, driver.allocate(16), 0, kVirtqDescWrite, 0);
        driver.publish(0, 0);
        QVERIFY(driver.needsReset());
    }

    void headOrNextIndexOutOfRangeIsRefused() {
        VirtioTestDriver driver;
        VirtioRng rng;
        VirtioMmio mmio(driver.bus, &rng);
        driver.attach(&mmio);
        QVERIFY(driver.initialise(kAllFeatures, 1, 8));
        driver.publish(0, 9);
        QVERIFY(driver.needsReset());

        driver.initialise(kAllFeatures, 1, 8);
        QVERIFY(!driver.needsReset());
        driver.writeDescriptor(0, 0, driver.allocate(16), 16, kVirtqDescWrite | kVirtqDescNext, 500);
        driver.publish(0, 0);
        QVERIFY(driver.needsReset());
    }

    void availIndexJumpingPastQueueSizeIsRefused() {
        VirtioTestDriver driver;
        VirtioRng rng;
        VirtioMmio mmio(driver.bus, &rng);
        driver.attach(&mmio);
        QVERIFY(driver.initialise(kAllFeatures, 1, 8));
        driver.pokeValue<uint16_t>(driver.availAddress(0) + 2, 1000);
        driver.setReg(virtio_mmio_reg::kQueueNotify, 0);
        QVERIFY(driver.needsReset());
    }

    void nestedIndirectTableIsRefused() {
        VirtioTestDriver driver;
        VirtioRng rng;
        VirtioMmio mmio(driver.bus, &rng);
        driver.attach(&mmio);
        QVERIFY(driver.initialise(kAllFeatures, 1, 8));
        const uint64_t inner = driver.allocate(16);
        driver.writeDescriptorAt(inner, driver.allocate(16), 16, kVirtqDescWrite, 0);
        const uint64_t outer = driver.allocate(16);
        driver.writeDescriptorAt(outer, inner, 16, kVirtqDescIndirect, 0);
        driver.writeDescriptor(0, 0, outer, 16, kVirtqDescIndirect, 0);
        driver.publish(0, 0);
        QVERIFY(driver.needsReset());
        QVERIFY(mmio.brokenReason().find("indirect") != std::string::npos);
    }

    void hugeIndirectTableIsRefused() {
        VirtioTestDriver driver;
        VirtioRng rng;
        VirtioMmio mmio(driver.bus, &rng);
        driver.attach(&mmio);
        QVERIFY(driver.initialise(kAllFeatures, 1, 8));
        // 0xfffffff0 bytes = 268 million entries; must not be walked or mapped.
        driver.writeDescriptor(0, 0, driver.allocate(16), 0xfffffff0, kVirtqDescIndirect, 0);
        driver.publish(0, 0);
        QVERIFY(driver.needsReset());
    }

    void indirectLoopIsBounded() {
        VirtioTestDriver driver;
        VirtioRng rng;
        VirtioMmio mmio(driver.bus, &rng);
        driver.attach(&mmio);
        QVERIFY(driver.initialise(kAllFeatures, 1, 8));
        const uint64_t table = driver.allocate(32);
        const uint64_t buffer = driver.allocate(8);
        driver.writeDescriptorAt(table, buffer, 8, kVirtqDescWrite | kVirtqDescNext, 1);
        driver.writeDescriptorAt(table + 16, buffer, 8, kVirtqDescWrite | kVirtqDescNext, 0);
        driver.writeDescriptor(0, 0, table, 32, kVirtqDescIndirect, 0);
        driver.publish(0, 0);
        QVERIFY(driver.needsReset());
    }

    void indirectWithoutNegotiationIsRefused() {
        VirtioTestDriver driver;
        VirtioRng rng;
        VirtioMmio mmio(driver.bus, &rng);
        driver.attach(&mmio);
        QVERIFY(driver.initialise(kAllFeatures & ~kVirtioFRingIndirectDesc, 1, 8));
        std::vector<TestBuffer> buffers{TestBuffer::out(8)};
        driver.submit(0, buffers, /*indirect=*/true);
        QVERIFY(driver.needsReset());
    }

    void readableAfterWritableIsRefused() {
        VirtioTestDriver driver;
        TestImages images;
        VirtioBlk blk(images.qcow2("disk.qcow2", 1 << 20), "s");
        VirtioMmio mmio(driver.bus, &blk);
        driver.attach(&mmio);
        QVERIFY(driver.initialise(kAllFeatures, 1, 8));
        std::vector<TestBuffer> buffers{TestBuffer::out(1), TestBuffer::in(blkHeader(kVirtioBlkTIn, 0))};
        driver.submit(0, buffers);
        QVERIFY(driver.needsReset());
    }

    void randomDescriptorGarbageNeverCrashes() {
        // A small in-test fuzz: random rings against blk; each round either
        // completes requests or breaks the device, and nothing outside RAM is touched.
        TestImages images;
        auto disk = images.qcow2("disk.qcow2", 1 << 20);
        QRandomGenerator random(1234);
        for (int round = 0; round < 300; ++round) {
            VirtioTestDriver driver;
            VirtioBlk blk(disk, "s");
            VirtioMmio mmio(driver.bus, &blk);
            driver.attach(&mmio);
            QVERIFY(driver.initialise(kAllFeatures, 1, 16));
            for (uint16_t i = 0; i < 16; ++i) {
                const uint64_t address = random.bounded(4) == 0
                                             ? random.generate64()
                                             : VirtioTestDriver::kRamBase + random.bounded(0x100000u);
                driver.writeDescriptor(0, i, address, random.bounded(3) ? random.bounded(4096u) : random.generate(),
                                       static_cast<uint16_t>(random.bounded(8u)),
                                       static_cast<uint16_t>(random.bounded(20u)));
            }
            for (int j = 0; j < 4; ++j) driver.publish(0, static_cast<uint16_t>(random.bounded(18u)));
            QVERIFY(driver.takeUsed(0).size() <= 4);
        }
    }
};

QTEST_APPLESS_MAIN(VirtioMmioTest)
#include "virtio_mmio_test.moc"
