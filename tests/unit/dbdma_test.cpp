// Specification: a DBDMA channel of the KeyLargo macio moves the data of an
// ATA DMA command between guest RAM and the drive along the descriptor list
// the guest wrote (as Linux's pata_macio builds it: INPUT/OUTPUT_MORE ...,
// INPUT/OUTPUT_LAST, STOP), writes back res_count and xfer_status, and stops
// ACTIVE at the STOP. The descriptors are guest data: addresses outside RAM,
// undefined commands and branch loops set DEAD or cost bounded time, and
// never crash or hang the host.

#include <QtTest>
#include <numeric>

#include "ata_test_rig.h"
#include "test_images.h"

using namespace tessera;
using namespace tessera::devices;
using namespace tessera::testing;

namespace {
constexpr uint32_t kTable = 0x1000, kData = 0x10000;
constexpr uint8_t kReadDma = 0xc8, kWriteDma = 0xca;

std::vector<uint8_t> sectorBytes(size_t n, uint8_t seed) {
    std::vector<uint8_t> bytes(n);
    for (size_t i = 0; i < n; ++i) bytes[i] = uint8_t(i * 7 + seed + i / 512);
    return bytes;
}
}  // namespace

class DbdmaTest : public QObject {
    Q_OBJECT
private slots:
    void aReadDmaFillsEveryDescriptorAndStopsInactive() {
        TestImages images;
        const std::vector<uint8_t> disk = sectorBytes(64 * 512, 3);
        AtaRig rig;
        rig.ata.attachDisk(images.raw("d.img", disk, false), false);
        // Two sectors from LBA 4, split 300 + 724 bytes over two buffers.
        rig.descriptor(kTable, kInputMore, 300, kData);
        rig.descriptor(kTable + 16, kInputLast, 724, kData + 0x4000);
        rig.descriptor(kTable + 32, kStop, 0, 0);
        rig.lba28(4, 2);
        rig.ata.dma().write(0x0c, 4, kTable);
        rig.command(kReadDma);
        QVERIFY(!rig.irq);  // nothing moves before RUN
        rig.startDma(kTable);
        QVERIFY(rig.irq);
        QCOMPARE(rig.ram(kData, 300), std::vector<uint8_t>(disk.begin() + 2048, disk.begin() + 2048 + 300));
        QCOMPARE(rig.ram(kData + 0x4000, 724),
                 std::vector<uint8_t>(disk.begin() + 2048 + 300, disk.begin() + 3072));
        QCOMPARE(rig.residual(kTable), uint16_t(0));
        QCOMPARE(rig.xferStatus(kTable + 16) & (DbdmaChannel::kRun | DbdmaChannel::kActive),
                 int(DbdmaChannel::kRun | DbdmaChannel::kActive));
        // pata_macio's bmdma_status: RUN without DEAD, ACTIVE clear at the STOP.
        QCOMPARE(rig.dmaStatus() & (DbdmaChannel::kRun | DbdmaChannel::kDead | DbdmaChannel::kActive),
                 DbdmaChannel::kRun);
        QCOMPARE(rig.ata.dma().commandPointer(), kTable + 32);
        QCOMPARE(rig.status(), uint8_t(KeyLargoAta::kDrdy | KeyLargoAta::kDsc));
        QVERIFY(!rig.irq);  // the status read acknowledged it
    }
    void aWriteDmaTakesTheDescriptorsDataToTheImage() {
        TestImages images;
        const std::vector<uint8_t> data = sectorBytes(1024, 9);
        {
            AtaRig rig;
            rig.ata.attachDisk(images.qcow2("d.qcow2", 1 << 20), false);
            rig.bus.writeBlock(kData, std::span<const uint8_t>(data.data(), 512));
            rig.bus.writeBlock(kData + 0x8000, std::span<const uint8_t>(data.data() + 512, 512));
            rig.descriptor(kTable, kOutputMore, 512, kData);
            rig.descriptor(kTable + 16, kOutputLast, 512, kData + 0x8000);
            rig.descriptor(kTable + 32, kStop, 0, 0);
            rig.lba28(100, 2);
            rig.command(kWriteDma);
            rig.startDma(kTable);
            QVERIFY(rig.irq);
            QCOMPARE(rig.status() & KeyLargoAta::kErr, 0);
        }  // closes the image
        auto again = images.open("d.qcow2", true);
        std::vector<uint8_t> back(1024);
        QVERIFY(bool(again->read(100 * 512, back)));
        QCOMPARE(back, data);
        again.reset();
        QCOMPARE(images.qemuImgCheck("d.qcow2"), 0);
    }
    void moreDescriptorRoomThanDataWaitsUntilFlushReportsTheResidual() {
        TestImages images;
        AtaRig rig;
        rig.ata.attachDisk(images.raw("d.img", sectorBytes(8 * 512, 1), false), false);
        rig.descriptor(kTable, kInputLast, 4096, kData);  // room for 8 sectors, the command reads 1
        rig.descriptor(kTable + 16, kStop, 0, 0);
        rig.lba28(0, 1);
        rig.command(kReadDma);
        rig.startDma(kTable);
        QVERIFY(rig.irq);                                  // the drive is done
        QVERIFY(rig.dmaStatus() & DbdmaChannel::kActive);  // the channel still waits for data
        rig.ata.dma().write(0, 4, uint64_t(DbdmaChannel::kFlush) << 16 | DbdmaChannel::kFlush);
        QVERIFY(!(rig.dmaStatus() & DbdmaChannel::kFlush));
        QCOMPARE(rig.residual(kTable), uint16_t(4096 - 512));
        // bmdma_stop: RUN, WAKE and DEAD cleared; the channel goes idle.
        rig.ata.dma().write(0, 4,
                            uint64_t(DbdmaChannel::kRun | DbdmaChannel::kWake | DbdmaChannel::kDead) << 16);
        QCOMPARE(rig.dmaStatus() & (DbdmaChannel::kRun | DbdmaChannel::kActive), 0u);
    }
    void aDescriptorListOutsideRamKillsTheChannel() {
        TestImages images;
        AtaRig rig;
        rig.ata.attachDisk(images.raw("d.img", sectorBytes(8 * 512, 1), false), false);
        rig.lba28(0, 1);
        rig.command(kReadDma);
        rig.startDma(0xfffffff0);  // no RAM there
        QVERIFY(rig.dmaStatus() & DbdmaChannel::kDead);
        QVERIFY(!(rig.dmaStatus() & DbdmaChannel::kActive));
        QVERIFY(!rig.irq);  // the drive never got its data taken
    }
    void dataAddressesOutsideRamKillTheChannel() {
        TestImages images;
        for (uint32_t address : {uint32_t(AtaRig::kRam - 100), 0xfffffe00u, 0x7fffffffu}) {
            AtaRig rig;
            rig.ata.attachDisk(images.raw("d.img", sectorBytes(8 * 512, 1), false), false);
            rig.descriptor(kTable, kInputLast, 512, address);
            rig.descriptor(kTable + 16, kStop, 0, 0);
            rig.lba28(0, 1);
            rig.command(kReadDma);
            rig.startDma(kTable);
            QVERIFY(rig.dmaStatus() & DbdmaChannel::kDead);
        }
    }
    void aBranchLoopCostsBoundedTimeAndKeepsTheChannelActive() {
        AtaRig rig;                                                  // no drive needed: NOPs move no data
        rig.descriptor(kTable, kNop | kBranchAlways, 0, 0, kTable);  // branches to itself forever
        QElapsedTimer timer;
        timer.start();
        rig.startDma(kTable);
        QVERIFY(timer.elapsed() < 2000);
        QCOMPARE(rig.dmaStatus() & (DbdmaChannel::kActive | DbdmaChannel::kBranchTaken),
                 DbdmaChannel::kActive | DbdmaChannel::kBranchTaken);
        // Software can still stop it.
        rig.ata.dma().write(0, 4, uint64_t(DbdmaChannel::kRun) << 16);
        QCOMPARE(rig.dmaStatus() & DbdmaChannel::kActive, 0u);
    }
    void undefinedCommandsAndBadStoreAddressesKillTheChannel() {
        {
            AtaRig rig;
            rig.descriptor(kTable, 0xf000, 0, 0);
            rig.startDma(kTable);
            QVERIFY(rig.dmaStatus() & DbdmaChannel::kDead);
        }
        {
            AtaRig rig;
            rig.descriptor(kTable, kStoreWord, 4, 0xfffffffc, 0x12345678);
            rig.startDma(kTable);
            QVERIFY(rig.dmaStatus() & DbdmaChannel::kDead);
        }
    }
    void storeAndLoadWordMoveCmdDep() {
        AtaRig rig;
        rig.descriptor(kTable, kStoreWord, 4, 0x3000, 0xcafef00d);
        rig.bus.writeBlock(0x3100, std::vector<uint8_t>{0x11, 0x22, 0x33, 0x44});
        rig.descriptor(kTable + 16, kLoadWord, 4, 0x3100);
        rig.descriptor(kTable + 32, kStop, 0, 0);
        rig.startDma(kTable);
        QCOMPARE(rig.ram(0x3000, 4), (std::vector<uint8_t>{0x0d, 0xf0, 0xfe, 0xca}));
        QCOMPARE(rig.ram(kTable + 16 + 8, 4), (std::vector<uint8_t>{0x11, 0x22, 0x33, 0x44}));
        QCOMPARE(rig.dmaStatus() & (DbdmaChannel::kActive | DbdmaChannel::kDead), 0u);
    }
    void theCommandPointerIsFixedWhileTheChannelRuns() {
        AtaRig rig;
        rig.descriptor(kTable, kInputLast, 512, kData);  // waits: no command issued
        rig.startDma(kTable);
        rig.ata.dma().write(0x0c, 4, 0x2000);
        QCOMPARE(rig.ata.dma().commandPointer(), kTable);
    }
};

QTEST_APPLESS_MAIN(DbdmaTest)
#include "dbdma_test.moc"
