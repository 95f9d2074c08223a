// Specification: virtio-scsi (virtio 1.2 §5.6) with an MMC CD-ROM answers
// the commands Linux's sr driver and udev send with the data and sense codes
// SPC-4/MMC-6 prescribe, reports media changes as UNIT ATTENTION and media
// events, signals the UI, and never writes the disc.

#include <QSignalSpy>
#include <QtTest>

#include "core/devices/virtio_scsi.h"
#include "test_images.h"
#include "virtio_test_driver.h"

using namespace tessera;
using namespace tessera::devices;
using namespace tessera::testing;

namespace {

struct Reply {
    uint8_t response = 0xff;  // virtio-scsi response code
    uint8_t status = 0xff;    // SCSI status
    SenseCode sense;
    uint32_t residual = 0;
    std::vector<uint8_t> data;
};

struct ScsiRig {
    ScsiRig() : scsi(cdrom), mmio(driver.bus, &scsi) {
        driver.attach(&mmio);
        initialised = driver.initialise(~0ull, 3, 64);
    }

    Reply command(std::vector<uint8_t> cdb, uint32_t dataIn = 0, uint8_t target = 0, uint16_t lun = 0) {
        std::vector<uint8_t> request(19 + 32, 0);
        request[0] = 1;
        request[1] = target;
        request[2] = static_cast<uint8_t>(0x40 | (lun >> 8));
        request[3] = static_cast<uint8_t>(lun);
        std::copy(cdb.begin(), cdb.end(), request.begin() + 19);
        std::vector<TestBuffer> buffers{TestBuffer::in(request), TestBuffer::out(12 + 96)};
        if (dataIn) buffers.push_back(TestBuffer::out(dataIn));
        driver.submit(VirtioScsi::kRequestQueue, buffers);
        Reply reply;
        const auto used = driver.takeUsed(VirtioScsi::kRequestQueue);
        if (used.size() != 1) return reply;
        const auto header = driver.peek(buffers[1].address, 12 + 96);
        const uint32_t senseLength = header[0];
        std::memcpy(&reply.residual, &header[4], 4);
        reply.status = header[10];
        reply.response = header[11];
        if (senseLength >= 14) reply.sense = {static_cast<uint8_t>(header[12 + 2] & 0xf), header[12 + 12], header[12 + 13]};
        if (dataIn) reply.data = driver.peek(buffers[2].address, dataIn - reply.residual);
        return reply;
    }

    TestImages images;
    ScsiCdrom cdrom;
    VirtioScsi scsi;
    VirtioTestDriver driver;
    VirtioMmio mmio;
    bool initialised = false;
};

// A disc image file with a recognisable pattern, opened read-only like an ISO.
struct Disc {
    std::vector<uint8_t> bytes;
    std::shared_ptr<block::BlockBackend> image;
};
Disc makeDisc(TestImages& images, uint32_t blocks) {
    static int counter = 0;
    Disc disc;
    disc.bytes.resize(uint64_t{blocks} * 2048);
    for (size_t i = 0; i < disc.bytes.size(); ++i) disc.bytes[i] = static_cast<uint8_t>(i / 2048 + i % 251);
    disc.image = images.raw("disc" + std::to_string(++counter) + ".iso", disc.bytes, /*readOnly=*/true);
    return disc;
}

// Inserts a disc and consumes the unit attention it causes.
void insertAndSettle(ScsiRig& rig, const Disc& disc) {
    QVERIFY(rig.cdrom.insertMedia(disc.image));
    rig.command({0x00, 0, 0, 0, 0, 0});
}

constexpr SenseCode kNoMediumTrayClosed{0x2, 0x3a, 0x01};
constexpr SenseCode kNoMediumTrayOpen{0x2, 0x3a, 0x02};

uint32_t be32(const std::vector<uint8_t>& d, size_t at) {
    return uint32_t{d[at]} << 24 | uint32_t{d[at + 1]} << 16 | uint32_t{d[at + 2]} << 8 | d[at + 3];
}
uint16_t be16(const std::vector<uint8_t>& d, size_t at) { return static_cast<uint16_t>(d[at] << 8 | d[at + 1]); }

}  // namespace

class VirtioScsiTest : public QObject {
    Q_OBJECT
private slots:
    void inquiryDescribesARemovableCdRom() {
        ScsiRig rig;
        QVERIFY(rig.initialised);
        QCOMPARE(rig.driver.reg(virtio_mmio_reg::kDeviceId), 8u);
        const Reply reply = rig.command({0x12, 0, 0, 0, 96, 0}, 96);
        QCOMPARE(reply.response, virtio_scsi::kResponseOk);
        QCOMPARE(reply.status, scsi::kStatusGood);
        QCOMPARE(reply.data.size(), size_t{36});
        QCOMPARE(reply.data[0], uint8_t{0x05});  // CD/DVD device
        QCOMPARE(reply.data[1], uint8_t{0x80});  // removable
        QCOMPARE(std::string(reply.data.begin() + 8, reply.data.begin() + 15), std::string("TESSERA"));
        // VPD page list.
        const Reply pages = rig.command({0x12, 1, 0x00, 0, 32, 0}, 32);
        QCOMPARE(pages.data, (std::vector<uint8_t>{0x05, 0x00, 0x00, 0x03, 0x00, 0x80, 0x83}));
        QCOMPARE(rig.command({0x12, 1, 0x99, 0, 32, 0}, 32).sense, (SenseCode{0x5, 0x24, 0x00}));
    }

    void emptyDriveIsNotReadyWithMediumNotPresent() {
        ScsiRig rig;
        Reply reply = rig.command({0x00, 0, 0, 0, 0, 0});
        QCOMPARE(reply.status, scsi::kStatusCheckCondition);
        QCOMPARE(reply.sense, kNoMediumTrayClosed);
        QCOMPARE(rig.command({0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 8).sense, kNoMediumTrayClosed);
        QCOMPARE(rig.command({0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0}, 2048).sense, kNoMediumTrayClosed);
        // REQUEST SENSE succeeds and carries the not-ready sense as data.
        const Reply sense = rig.command({0x03, 0, 0, 0, 18, 0}, 18);
        QCOMPARE(sense.status, scsi::kStatusGood);
        QCOMPARE(sense.data.size(), size_t{18});
        QCOMPARE(sense.data[0], uint8_t{0x70});
        QCOMPARE(sense.data[2], uint8_t{0x02});
        QCOMPARE(sense.data[12], uint8_t{0x3a});
    }

    void insertedMediaRaisesUnitAttentionOnceThenReads() {
        ScsiRig rig;
        QSignalSpy changed(&rig.cdrom, &ScsiCdrom::mediaChanged);
        auto disc = makeDisc(rig.images, 100);
        QVERIFY(rig.cdrom.insertMedia(disc.image));
        QCOMPARE(changed.count(), 1);
        QVERIFY(changed.at(0).at(0).toString().endsWith(".iso"));
        QCOMPARE(rig.command({0x00, 0, 0, 0, 0, 0}).sense, (SenseCode{0x6, 0x28, 0x00}));
        QCOMPARE(rig.command({0x00, 0, 0, 0, 0, 0}).status, scsi::kStatusGood);

        const Reply capacity = rig.command({0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 8);
        QCOMPARE(be32(capacity.data, 0), 99u);
        QCOMPARE(be32(capacity.data, 4), 2048u);

        // READ(10) of blocks 5..7 into a buffer split over two descriptors.
        std::vector<uint8_t> request(19 + 32, 0);
        request[0] = 1;
        request[2] = 0x40;
        const std::vector<uint8_t> cdb{0x28, 0, 0, 0, 0, 5, 0, 0, 3, 0};
        std::copy(cdb.begin(), cdb.end(), request.begin() + 19);
        std::vector<TestBuffer> buffers{TestBuffer::in(request), TestBuffer::out(108), TestBuffer::out(1000),
                                        TestBuffer::out(3 * 2048 - 1000)};
        rig.driver.submit(VirtioScsi::kRequestQueue, buffers);
        const auto used = rig.driver.takeUsed(VirtioScsi::kRequestQueue);
        QCOMPARE(used.size(), size_t{1});
        QCOMPARE(used[0].length, 108u + 3 * 2048);
        std::vector<uint8_t> data = rig.driver.peek(buffers[2].address, 1000);
        const auto rest = rig.driver.peek(buffers[3].address, 3 * 2048 - 1000);
        data.insert(data.end(), rest.begin(), rest.end());
        QVERIFY(std::equal(data.begin(), data.end(), disc.bytes.begin() + 5 * 2048));

        // READ(12) of the last block; one past the end is LBA OUT OF RANGE.
        const Reply last = rig.command({0xa8, 0, 0, 0, 0, 99, 0, 0, 0, 1, 0, 0}, 2048);
        QCOMPARE(last.status, scsi::kStatusGood);
        QVERIFY(std::equal(last.data.begin(), last.data.end(), disc.bytes.begin() + 99 * 2048));
        QCOMPARE(rig.command({0xa8, 0, 0, 0, 0, 99, 0, 0, 0, 2, 0, 0}, 4096).sense, (SenseCode{0x5, 0x21, 0x00}));
        QCOMPARE(rig.command({0x28, 0, 0xff, 0xff, 0xff, 0xff, 0, 0xff, 0xff, 0}, 2048).sense,
                 (SenseCode{0x5, 0x21, 0x00}));
        // A data-in area smaller than the request is an overrun, not a host overflow.
        const Reply overrun = rig.command({0x28, 0, 0, 0, 0, 0, 0, 0, 4, 0}, 2048);
        QCOMPARE(overrun.response, virtio_scsi::kResponseOverrun);
    }

    void readTocInLbaAndMsfForm() {
        ScsiRig rig;
        insertAndSettle(rig, makeDisc(rig.images, 1000));
        const Reply toc = rig.command({0x43, 0, 0, 0, 0, 0, 0, 0, 100, 0}, 100);
        QCOMPARE(toc.status, scsi::kStatusGood);
        QCOMPARE(be16(toc.data, 0), uint16_t{2 + 16});
        QCOMPARE(toc.data[2], uint8_t{1});
        QCOMPARE(toc.data[3], uint8_t{1});
        QCOMPARE(toc.data[4 + 1], uint8_t{0x14});  // data track
        QCOMPARE(toc.data[4 + 2], uint8_t{1});
        QCOMPARE(be32(toc.data, 8), 0u);
        QCOMPARE(toc.data[12 + 2], uint8_t{0xaa});  // lead-out
        QCOMPARE(be32(toc.data, 16), 1000u);
        const Reply msf = rig.command({0x43, 0x02, 0, 0, 0, 0, 0xaa, 0, 100, 0}, 100);
        QCOMPARE(msf.data.size(), size_t{12});
        // 1000 + 150 frames = 0 min 15 s 25 f.
        QCOMPARE((std::vector<uint8_t>(msf.data.begin() + 8, msf.data.end())), (std::vector<uint8_t>{0, 0, 15, 25}));
        const Reply session = rig.command({0x43, 0, 1, 0, 0, 0, 0, 0, 12, 0}, 12);
        QCOMPARE(session.data.size(), size_t{12});
        QCOMPARE(rig.command({0x43, 0, 5, 0, 0, 0, 0, 0, 12, 0}, 12).sense, (SenseCode{0x5, 0x24, 0x00}));
        QCOMPARE(rig.command({0x43, 0, 0, 0, 0, 0, 7, 0, 12, 0}, 12).sense, (SenseCode{0x5, 0x24, 0x00}));
    }

    void modeSenseReturnsCapabilitiesPage() {
        ScsiRig rig;
        const Reply six = rig.command({0x1a, 0x08, 0x2a, 0, 64, 0}, 64);
        QCOMPARE(six.status, scsi::kStatusGood);
        QCOMPARE(six.data.size(), size_t{4 + 22});
        QCOMPARE(six.data[0], uint8_t{4 + 22 - 1});
        QCOMPARE(six.data[4], uint8_t{0x2a});
        QCOMPARE(six.data[5], uint8_t{0x14});
        const Reply ten = rig.command({0x5a, 0x08, 0x3f, 0, 0, 0, 0, 0, 255, 0}, 255);
        QCOMPARE(ten.data.size(), size_t{8 + 12 + 22});
        QCOMPARE(be16(ten.data, 0), uint16_t{8 + 12 + 22 - 2});
        QCOMPARE(rig.command({0x1a, 0x08, 0x05, 0, 64, 0}, 64).sense, (SenseCode{0x5, 0x24, 0x00}));
        // Allocation length truncates.
        QCOMPARE(rig.command({0x1a, 0x08, 0x2a, 0, 8, 0}, 64).data.size(), size_t{8});
    }

    void getConfigurationReportsTheCdRomProfile() {
        ScsiRig rig;
        const Reply empty = rig.command({0x46, 0, 0, 0, 0, 0, 0, 0, 8, 0}, 8);
        QCOMPARE(be16(empty.data, 6), uint16_t{0x0000});  // no current profile without a disc
        insertAndSettle(rig, makeDisc(rig.images, 10));
        const Reply all = rig.command({0x46, 0, 0, 0, 0, 0, 0, 1, 0, 0}, 256);
        QCOMPARE(all.status, scsi::kStatusGood);
        QCOMPARE(be16(all.data, 6), uint16_t{0x0008});
        QCOMPARE(be32(all.data, 0) + 4, uint32_t(all.data.size()));
        QCOMPARE(be16(all.data, 8), uint16_t{0x0000});   // Profile List first
        QCOMPARE(be16(all.data, 12), uint16_t{0x0008});  // ... listing CD-ROM
        const Reply one = rig.command({0x46, 2, 0, 3, 0, 0, 0, 0, 64, 0}, 64);
        QCOMPARE(one.data.size(), size_t{8 + 8});
        QCOMPARE(be16(one.data, 8), uint16_t{0x0003});  // Removable Medium only
    }

    void eventStatusReportsNewMediaAndRemoval() {
        ScsiRig rig;
        const std::vector<uint8_t> gesn{0x4a, 1, 0, 0, 0x10, 0, 0, 0, 8, 0};
        QVERIFY(rig.cdrom.insertMedia(makeDisc(rig.images, 10).image));
        const Reply first = rig.command(gesn, 8);
        QCOMPARE(first.status, scsi::kStatusGood);  // GESN is not blocked by the unit attention
        QCOMPARE(first.data[2], uint8_t{0x04});     // media class
        QCOMPARE(first.data[4], uint8_t{2});        // NewMedia
        QCOMPARE(first.data[5], uint8_t{0x02});     // present, tray closed
        QCOMPARE(rig.command(gesn, 8).data[4], uint8_t{0});  // reported once
        rig.cdrom.ejectMedia();
        const Reply removed = rig.command(gesn, 8);
        QCOMPARE(removed.data[4], uint8_t{3});     // MediaRemoval
        QCOMPARE(removed.data[5], uint8_t{0x01});  // no disc, tray open
        QCOMPARE(rig.command({0x4a, 0, 0, 0, 0x10, 0, 0, 0, 8, 0}, 8).sense, (SenseCode{0x5, 0x24, 0x00}));
        const Reply otherClass = rig.command({0x4a, 1, 0, 0, 0x02, 0, 0, 0, 8, 0}, 8);
        QCOMPARE(otherClass.data[2], uint8_t{0x80});  // NEA
    }

    void preventedRemovalBlocksGuestEjectButNotTheHost() {
        ScsiRig rig;
        QSignalSpy ejected(&rig.cdrom, &ScsiCdrom::mediaEjected);
        insertAndSettle(rig, makeDisc(rig.images, 10));
        QCOMPARE(rig.command({0x1e, 0, 0, 0, 1, 0}).status, scsi::kStatusGood);
        QVERIFY(rig.cdrom.removalPrevented());
        QCOMPARE(rig.command({0x1b, 0, 0, 0, 0x02, 0}).sense, (SenseCode{0x5, 0x53, 0x02}));
        QVERIFY(rig.cdrom.hasMedia());
        QCOMPARE(rig.command({0x1e, 0, 0, 0, 0, 0}).status, scsi::kStatusGood);
        QCOMPARE(rig.command({0x1b, 0, 0, 0, 0x02, 0}).status, scsi::kStatusGood);
        QCOMPARE(ejected.count(), 1);
        QVERIFY(!rig.cdrom.hasMedia());
        QCOMPARE(rig.command({0x00, 0, 0, 0, 0, 0}).sense, kNoMediumTrayOpen);

        insertAndSettle(rig, makeDisc(rig.images, 10));
        QCOMPARE(rig.command({0x1e, 0, 0, 0, 1, 0}).status, scsi::kStatusGood);
        rig.cdrom.ejectMedia();  // the user's explicit eject wins
        QCOMPARE(ejected.count(), 2);
        QVERIFY(!rig.cdrom.hasMedia());
    }

    void theDiscIsNeverWritten() {
        ScsiRig rig;
        auto disc = makeDisc(rig.images, 10);
        insertAndSettle(rig, disc);
        QCOMPARE(rig.command({0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0}).sense, (SenseCode{0x7, 0x27, 0x00}));
        QCOMPARE(rig.command({0xaa, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}).sense, (SenseCode{0x7, 0x27, 0x00}));
        QFile file(QString::fromStdString(disc.image->fileName()));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray onDisk = file.readAll();
        QVERIFY(std::equal(disc.bytes.begin(), disc.bytes.end(), reinterpret_cast<const uint8_t*>(onDisk.constData())));
        auto writable = rig.images.raw("writable.img", std::vector<uint8_t>(2048, 0), /*readOnly=*/false);
        QVERIFY(!rig.cdrom.insertMedia(writable));  // a writable image is refused
    }

    void aRealIsoReadsItsVolumeDescriptor() {
        ScsiRig rig;
        const std::string iso = rig.images.iso("real.iso", {{"hello.txt", "hello from the disc\n"}});
        QVERIFY2(!iso.empty(), "xorriso failed");
        auto image = rig.images.open("real.iso", /*readOnly=*/true);
        QVERIFY(image);
        QVERIFY(rig.cdrom.insertMedia(image));
        rig.command({0x00, 0, 0, 0, 0, 0});  // unit attention
        const Reply capacity = rig.command({0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 8);
        QCOMPARE(uint64_t{be32(capacity.data, 0)} + 1, image->size() / 2048);
        // ISO 9660 §8.4: the primary volume descriptor at sector 16 starts "\x01CD001".
        const Reply pvd = rig.command({0x28, 0, 0, 0, 0, 16, 0, 0, 1, 0}, 2048);
        QCOMPARE(pvd.status, scsi::kStatusGood);
        QCOMPARE(std::string(pvd.data.begin(), pvd.data.begin() + 6), std::string("\x01" "CD001"));
        QCOMPARE(std::string(pvd.data.begin() + 40, pvd.data.begin() + 47), std::string("TESSERA"));
        // The whole disc reads back identical to the file, and it still is afterwards.
        QFile file(QString::fromStdString(iso));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        const uint32_t blocks = static_cast<uint32_t>(bytes.size() / 2048);
        const Reply all = rig.command({0x28, 0, 0, 0, 0, 0, 0, static_cast<uint8_t>(blocks >> 8),
                                       static_cast<uint8_t>(blocks), 0}, blocks * 2048);
        QCOMPARE(all.status, scsi::kStatusGood);
        QVERIFY(std::equal(all.data.begin(), all.data.end(), reinterpret_cast<const uint8_t*>(bytes.constData())));
    }

    void wrongTargetLunAndOpcodeAreRejected() {
        ScsiRig rig;
        QCOMPARE(rig.command({0x00, 0, 0, 0, 0, 0}, 0, /*target=*/3).response, virtio_scsi::kResponseBadTarget);
        QCOMPARE(rig.command({0x00, 0, 0, 0, 0, 0}, 0, 0, /*lun=*/2).response, virtio_scsi::kResponseBadTarget);
        QCOMPARE(rig.command({0xee, 0, 0, 0, 0, 0}).sense, (SenseCode{0x5, 0x20, 0x00}));
        const Reply luns = rig.command({0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0}, 64);
        QCOMPARE(be32(luns.data, 0), 8u);
        QVERIFY(!rig.driver.needsReset());
    }

    void truncatedRequestBreaksTheDevice() {
        ScsiRig rig;
        std::vector<TestBuffer> buffers{TestBuffer::in(std::vector<uint8_t>(10, 0)), TestBuffer::out(108)};
        rig.driver.submit(VirtioScsi::kRequestQueue, buffers);
        QVERIFY(rig.driver.needsReset());
    }

    void taskManagementCompletes() {
        ScsiRig rig;
        std::vector<uint8_t> tmf(4 + 4 + 8 + 8, 0);  // type 0 (TMF), subtype 0 (abort task)
        std::vector<TestBuffer> buffers{TestBuffer::in(tmf), TestBuffer::out(1)};
        rig.driver.submit(VirtioScsi::kControlQueue, buffers);
        const auto used = rig.driver.takeUsed(VirtioScsi::kControlQueue);
        QCOMPARE(used.size(), size_t{1});
        QCOMPARE(rig.driver.peekValue<uint8_t>(buffers[1].address), uint8_t{0});
    }
};

QTEST_APPLESS_MAIN(VirtioScsiTest)
#include "virtio_scsi_test.moc"
