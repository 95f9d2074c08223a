// Specification: a KeyLargo ATA bus as OpenBIOS and Linux's pata_macio use it.
// After reset the task file holds the drive's signature (disk 01/01/00/00,
// ATAPI 14h/EBh); an absent slave reads status 0, a slave disk answers for
// itself when the device register selects it; IDENTIFY describes the
// image; PIO reads hand out one block per interrupt and reading the status
// register acknowledges it; writes reach the image; bad LBAs, a read-only
// disk and unknown commands abort. The ATAPI CD-ROM runs its packets on
// ScsiCdrom (PIO in byte-count chunks, or DMA) and reports a media change as
// UNIT ATTENTION with the sense key in the error register and REQUEST SENSE.

#include <QtTest>

#include "ata_test_rig.h"
#include "test_images.h"

using namespace tessera;
using namespace tessera::devices;
using namespace tessera::testing;

namespace {
constexpr uint8_t kDrdy = KeyLargoAta::kDrdy, kDrq = KeyLargoAta::kDrq, kErr = KeyLargoAta::kErr;

std::vector<uint8_t> sectorBytes(size_t n, uint8_t seed) {
    std::vector<uint8_t> bytes(n);
    for (size_t i = 0; i < n; ++i) bytes[i] = uint8_t(i * 13 + seed + i / 512);
    return bytes;
}
uint16_t word(const std::vector<uint8_t>& id, unsigned w) {
    return uint16_t(id[2 * w] | id[2 * w + 1] << 8);
}
std::string ataString(const std::vector<uint8_t>& id, unsigned w, unsigned words) {
    std::string s;
    for (unsigned i = 0; i < words; ++i) {
        s += char(id[2 * (w + i) + 1]);
        s += char(id[2 * (w + i)]);
    }
    return s;
}

// A 12-byte packet through the data port, with the PIO byte count limit.
void sendPacket(AtaRig& rig, std::vector<uint8_t> cdb, uint16_t byteCount = 0xfffe, bool dma = false) {
    cdb.resize(12, 0);
    rig.set(1, dma ? 1 : 0);
    rig.set(4, uint8_t(byteCount));
    rig.set(5, uint8_t(byteCount >> 8));
    rig.command(0xa0);
    QCOMPARE(rig.altStatus() & kDrq, kDrq);
    QCOMPARE(rig.get(2), uint8_t(1));  // interrupt reason: command out
    rig.pioWrite(cdb);
}

struct CdRig {
    TestImages images;
    ScsiCdrom cdrom;
    AtaRig rig;
    std::string iso;
    bool inserted = false;
    CdRig() {
        iso = images.iso("disc.iso", {{"hello.txt", std::string(5000, 'x')}});
        inserted = bool(cdrom.insertMediaFile(iso));
        rig.ata.attachCdrom(&cdrom);
    }
    // The disc inserted at start is a unit attention: the first command takes it.
    void takeAttention() {
        sendPacket(rig, {0x00});
        rig.status();
    }
};
}  // namespace

class KeyLargoAtaTest : public QObject {
    Q_OBJECT
private slots:
    void resetLeavesTheDiskSignatureAndAReadyDrive() {
        TestImages images;
        AtaRig rig;
        rig.ata.attachDisk(images.raw("d.img", sectorBytes(4096, 0), false), false);
        QCOMPARE(rig.get(2), uint8_t(1));
        QCOMPARE(rig.get(3), uint8_t(1));
        QCOMPARE(rig.get(4), uint8_t(0));
        QCOMPARE(rig.get(5), uint8_t(0));
        QCOMPARE(rig.status(), uint8_t(kDrdy | KeyLargoAta::kDsc));
        // Software reset through device control restores it after the registers changed.
        rig.lba28(0x123456, 9);
        rig.ata.write(KeyLargoAta::kControlOffset, 1, 0x04);
        rig.ata.write(KeyLargoAta::kControlOffset, 1, 0x00);
        QCOMPARE(rig.get(2), uint8_t(1));
        QCOMPARE(rig.get(4), uint8_t(0));
    }
    void theAbsentSlaveReadsStatusZeroAndIgnoresCommands() {
        TestImages images;
        AtaRig rig;
        rig.ata.attachDisk(images.raw("d.img", sectorBytes(4096, 0), false), false);
        rig.set(6, 0x10);  // select the slave
        QCOMPARE(rig.status(), uint8_t(0));
        rig.command(0xec);
        QVERIFY(!rig.irq);
        QCOMPARE(rig.altStatus(), uint8_t(0));
    }
    void aSlaveDiskAnswersWhenSelectedAndTheMasterWhenNot() {
        TestImages images;
        const std::vector<uint8_t> master = sectorBytes(8 * 512, 1), slave = sectorBytes(4 * 512, 7);
        AtaRig rig;
        rig.ata.attachDisk(images.raw("master.img", master, false), false);
        rig.ata.attachSlaveDisk(images.raw("slave.img", slave, true), true);
        rig.set(6, 0x10);  // select the slave: present, ready, a disk's signature
        QCOMPARE(rig.status(), uint8_t(kDrdy | KeyLargoAta::kDsc));
        QCOMPARE(rig.get(2), uint8_t(1));
        QCOMPARE(rig.get(4), uint8_t(0));
        rig.command(0xec);
        const std::vector<uint8_t> id = rig.pioRead(512);
        QCOMPARE(uint32_t(word(id, 60) | word(id, 61) << 16), uint32_t(4));  // the slave's size
        rig.lba28(2, 1);
        rig.set(6, 0x50);  // LBA, slave
        rig.command(0x20);
        QCOMPARE(rig.pioRead(512), std::vector<uint8_t>(slave.begin() + 2 * 512, slave.begin() + 3 * 512));
        rig.lba28(2, 1);  // LBA, master
        rig.command(0x20);
        QCOMPARE(rig.pioRead(512), std::vector<uint8_t>(master.begin() + 2 * 512, master.begin() + 3 * 512));
        rig.lba28(0, 1);
        rig.set(6, 0x50);
        rig.command(0x30);  // WRITE SECTORS to the read-only slave
        QCOMPARE(rig.status() & kErr, kErr);
    }
    void anEmptyBusReadsZeroSoProbesFindNothing() {
        AtaRig rig;  // OpenBIOS's probe: write 55h/AAh, read them back
        rig.set(2, 0x55);
        rig.set(3, 0xaa);
        QCOMPARE(rig.get(2), uint8_t(0));
        QCOMPARE(rig.get(3), uint8_t(0));
        QCOMPARE(rig.status(), uint8_t(0));
    }
    void deviceControlIsAlsoOpenBiosPortEight() {
        TestImages images;
        AtaRig rig;
        rig.ata.attachDisk(images.raw("d.img", sectorBytes(4096, 0), false), false);
        rig.lba28(0x123456, 9);
        rig.ata.write(KeyLargoAta::kLegacyControlOffset, 1, 0x06);  // nIEN | SRST
        rig.ata.write(KeyLargoAta::kLegacyControlOffset, 1, 0x02);
        QCOMPARE(rig.get(2), uint8_t(1));  // the signature again
        QCOMPARE(rig.ata.read(KeyLargoAta::kLegacyControlOffset, 1), uint64_t(kDrdy | KeyLargoAta::kDsc));
        rig.command(0xec);
        QVERIFY(!rig.irq);  // nIEN
    }
    void identifyDescribesTheImage() {
        TestImages images;
        AtaRig rig;
        const uint64_t sectors = 3 * 1024 * 1024 / 512;
        rig.ata.attachDisk(images.qcow2("d.qcow2", sectors * 512), false);
        rig.command(0xec);
        QVERIFY(rig.irq);
        QCOMPARE(rig.status(), uint8_t(kDrdy | KeyLargoAta::kDsc | kDrq));
        QVERIFY(!rig.irq);
        const std::vector<uint8_t> id = rig.pioRead(512);
        QCOMPARE(ataString(id, 27, 8), std::string("TESSERA HARDDISK"));
        QCOMPARE(uint32_t(word(id, 60) | word(id, 61) << 16), uint32_t(sectors));
        QCOMPARE(uint64_t(word(id, 100)) | uint64_t(word(id, 101)) << 16, sectors);
        QVERIFY(word(id, 49) & 0x0200);       // LBA
        QVERIFY(word(id, 83) & 0x0400);       // LBA48
        QCOMPARE(rig.altStatus() & kDrq, 0);  // all taken
        QVERIFY(!rig.irq);                    // no interrupt after the last PIO-in block
    }
    void pioReadsHandOutOneSectorPerInterrupt() {
        TestImages images;
        const std::vector<uint8_t> disk = sectorBytes(16 * 512, 5);
        AtaRig rig;
        rig.ata.attachDisk(images.raw("d.img", disk, true), true);
        rig.lba28(3, 2);
        rig.command(0x20);
        QVERIFY(rig.irq);
        QCOMPARE(rig.status() & kDrq, kDrq);
        QCOMPARE(rig.pioRead(512), std::vector<uint8_t>(disk.begin() + 3 * 512, disk.begin() + 4 * 512));
        QVERIFY(rig.irq);  // the second block
        QCOMPARE(rig.status() & kDrq, kDrq);
        QCOMPARE(rig.pioRead(512), std::vector<uint8_t>(disk.begin() + 4 * 512, disk.begin() + 5 * 512));
        QCOMPARE(rig.status(), uint8_t(kDrdy | KeyLargoAta::kDsc));
    }
    void lba48ReadsTheHighOrderBytesAndReadsThemBackWithHob() {
        TestImages images;
        const std::vector<uint8_t> disk = sectorBytes(600 * 512, 2);
        AtaRig rig;
        rig.ata.attachDisk(images.raw("d.img", disk, false), false);
        // LBA 0x000000000102 = 258, count 0x0001: high bytes first, as libata writes them.
        rig.set(2, 0);
        rig.set(3, 0);
        rig.set(4, 0);
        rig.set(5, 0);
        rig.set(2, 1);
        rig.set(3, 0x02);
        rig.set(4, 0x01);
        rig.set(5, 0);
        rig.set(6, 0x40);
        rig.ata.write(KeyLargoAta::kControlOffset, 1, 0x80);  // HOB
        QCOMPARE(rig.get(2), uint8_t(0));
        rig.ata.write(KeyLargoAta::kControlOffset, 1, 0x00);
        QCOMPARE(rig.get(3), uint8_t(0x02));
        rig.command(0x24);
        QCOMPARE(rig.pioRead(512), std::vector<uint8_t>(disk.begin() + 258 * 512, disk.begin() + 259 * 512));
    }
    void pioWritesReachTheImageAndFlushSucceeds() {
        TestImages images;
        const std::vector<uint8_t> data = sectorBytes(1024, 77);
        {
            AtaRig rig;
            rig.ata.attachDisk(images.qcow2("d.qcow2", 1 << 20), false);
            rig.lba28(10, 2);
            rig.command(0x30);
            QVERIFY(!rig.irq);  // the first block is asked for without an interrupt
            QCOMPARE(rig.altStatus() & kDrq, kDrq);
            rig.pioWrite(std::vector<uint8_t>(data.begin(), data.begin() + 512));
            QVERIFY(rig.irq);
            QCOMPARE(rig.status() & kDrq, kDrq);
            rig.pioWrite(std::vector<uint8_t>(data.begin() + 512, data.end()));
            QVERIFY(rig.irq);
            QCOMPARE(rig.status(), uint8_t(kDrdy | KeyLargoAta::kDsc));
            rig.command(0xe7);  // FLUSH CACHE
            QCOMPARE(rig.status() & kErr, 0);
        }
        auto image = images.open("d.qcow2", true);
        std::vector<uint8_t> back(1024);
        QVERIFY(bool(image->read(10 * 512, back)));
        QCOMPARE(back, data);
        image.reset();
        QCOMPARE(images.qemuImgCheck("d.qcow2"), 0);
    }
    void badRangesReadOnlyDisksAndUnknownCommandsAbort() {
        TestImages images;
        AtaRig rig;
        rig.ata.attachDisk(images.raw("d.img", sectorBytes(8 * 512, 0), true), true);
        rig.lba28(7, 2);  // runs past the end
        rig.command(0x20);
        QVERIFY(rig.irq);
        QCOMPARE(rig.status() & kErr, kErr);
        QCOMPARE(rig.get(1), uint8_t(KeyLargoAta::kIdnf | KeyLargoAta::kAbrt));
        rig.lba28(0, 1);
        rig.command(0x30);  // read-only
        QCOMPARE(rig.status() & kErr, kErr);
        QCOMPARE(rig.get(1), uint8_t(KeyLargoAta::kAbrt));
        rig.command(0xa0);  // PACKET is for ATAPI
        QCOMPARE(rig.status() & kErr, kErr);
        rig.set(6, 0x00);  // CHS addressing is not offered
        rig.command(0x20);
        QCOMPARE(rig.status() & kErr, kErr);
        // Data port accesses outside a transfer do nothing.
        QCOMPARE(rig.ata.read(0, 2), uint64_t(0));
        rig.ata.write(0, 2, 0xffff);
        QCOMPARE(rig.ata.read(0x999, 1), uint64_t(0));
    }
    void nIenMasksTheInterrupt() {
        TestImages images;
        AtaRig rig;
        rig.ata.attachDisk(images.raw("d.img", sectorBytes(8 * 512, 0), false), false);
        rig.ata.write(KeyLargoAta::kControlOffset, 1, 0x02);
        rig.command(0xec);
        QVERIFY(!rig.irq);
        rig.ata.write(KeyLargoAta::kControlOffset, 1, 0x00);
        QVERIFY(rig.irq);  // still pending until the status is read
    }
    void theCdromHasTheAtapiSignatureAndIdentifiesAsAPacketDevice() {
        CdRig cd;
        QVERIFY(cd.inserted);
        QCOMPARE(cd.rig.get(4), uint8_t(0x14));
        QCOMPARE(cd.rig.get(5), uint8_t(0xeb));
        cd.rig.command(0xec);  // IDENTIFY DEVICE: aborted, signature kept
        QCOMPARE(cd.rig.status() & kErr, kErr);
        QCOMPARE(cd.rig.get(4), uint8_t(0x14));
        cd.rig.command(0xa1);
        const std::vector<uint8_t> id = cd.rig.pioRead(512);
        QCOMPARE(word(id, 0), uint16_t(0x85c0));
        QCOMPARE(ataString(id, 27, 7), std::string("TESSERA CD-ROM"));
    }
    void packetInquiryComesInByteCountChunks() {
        CdRig cd;
        QVERIFY(cd.inserted);
        sendPacket(cd.rig, {0x12, 0, 0, 0, 36, 0}, 16);
        QVERIFY(cd.rig.irq);
        std::vector<uint8_t> data;
        for (unsigned chunk : {16u, 16u, 4u}) {
            QCOMPARE(cd.rig.status() & kDrq, kDrq);
            QCOMPARE(cd.rig.get(2), uint8_t(2));  // data in
            QCOMPARE(unsigned(cd.rig.get(4) | cd.rig.get(5) << 8), chunk);
            const std::vector<uint8_t> part = cd.rig.pioRead(chunk);
            data.insert(data.end(), part.begin(), part.end());
            QVERIFY(cd.rig.irq);
        }
        QCOMPARE(cd.rig.status(), uint8_t(kDrdy | KeyLargoAta::kDsc));
        QCOMPARE(cd.rig.get(2), uint8_t(3));  // status phase
        QCOMPARE(data[0], uint8_t(0x05));     // CD/DVD device
        QCOMPARE(std::string(data.begin() + 8, data.begin() + 15), std::string("TESSERA"));
    }
    void packetReadByDmaMatchesTheIso() {
        CdRig cd;
        QVERIFY(cd.inserted);
        cd.takeAttention();
        std::ifstream file(cd.iso, std::ios::binary);
        std::vector<uint8_t> iso((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
        cd.rig.descriptor(0x1000, kInputLast, 4096, 0x20000);
        cd.rig.descriptor(0x1010, kStop, 0, 0);
        sendPacket(cd.rig, {0x28, 0, 0, 0, 0, 16, 0, 0, 2, 0}, 0, true);  // READ(10) LBA 16, 2 blocks
        cd.rig.startDma(0x1000);
        QVERIFY(cd.rig.irq);
        QCOMPARE(cd.rig.status(), uint8_t(kDrdy | KeyLargoAta::kDsc));
        QCOMPARE(cd.rig.ram(0x20000, 4096),
                 std::vector<uint8_t>(iso.begin() + 16 * 2048, iso.begin() + 18 * 2048));
        QCOMPARE(cd.rig.ram(0x20001, 5), (std::vector<uint8_t>{'C', 'D', '0', '0', '1'}));
    }
    void aMediaChangeIsAUnitAttentionAndEjectIsNotReady() {
        CdRig cd;
        QVERIFY(cd.inserted);
        QVERIFY(bool(cd.cdrom.insertMediaFile(cd.iso)));  // the monitor's "change"
        sendPacket(cd.rig, {0x00});                       // TEST UNIT READY
        QVERIFY(cd.rig.irq);
        QCOMPARE(cd.rig.status() & kErr, kErr);
        QCOMPARE(cd.rig.get(1) >> 4, int(scsi::kSenseUnitAttention));
        sendPacket(cd.rig, {0x03, 0, 0, 0, 18, 0});  // REQUEST SENSE: the reason
        const std::vector<uint8_t> sense = cd.rig.pioRead(18);
        QCOMPARE(sense[2] & 0x0f, int(scsi::kSenseUnitAttention));
        QCOMPARE(sense[12], uint8_t(0x28));  // not ready to ready change, medium may have changed
        sendPacket(cd.rig, {0x00});
        QCOMPARE(cd.rig.status() & kErr, 0);
        cd.cdrom.ejectMedia();
        sendPacket(cd.rig, {0x00});
        QCOMPARE(cd.rig.status() & kErr, kErr);
        QCOMPARE(cd.rig.get(1) >> 4, int(scsi::kSenseNotReady));
    }
    void hostilePacketsAbortCleanly() {
        CdRig cd;
        QVERIFY(cd.inserted);
        cd.takeAttention();
        sendPacket(cd.rig, {0xff});  // unknown opcode
        QCOMPARE(cd.rig.status() & kErr, kErr);
        QCOMPARE(cd.rig.get(1) >> 4, int(scsi::kSenseIllegalRequest));
        sendPacket(cd.rig, {0x28, 0, 0xff, 0xff, 0xff, 0xf0, 0, 0xff, 0xff, 0});  // READ far past the end
        QCOMPARE(cd.rig.status() & kErr, kErr);
        sendPacket(cd.rig, {0x12, 0, 0, 0, 5, 0}, 1);  // a byte count limit of 1: chunks of 2
        QCOMPARE(unsigned(cd.rig.get(4) | cd.rig.get(5) << 8), 2u);
        cd.rig.pioRead(2);
        cd.rig.pioRead(2);
        QCOMPARE(unsigned(cd.rig.get(4) | cd.rig.get(5) << 8), 1u);
        cd.rig.pioRead(2);
        QCOMPARE(cd.rig.status(), uint8_t(kDrdy | KeyLargoAta::kDsc));
        cd.rig.command(0x20);  // a disk command on the CD-ROM
        QCOMPARE(cd.rig.status() & kErr, kErr);
    }
};

QTEST_APPLESS_MAIN(KeyLargoAtaTest)
#include "keylargo_ata_test.moc"
