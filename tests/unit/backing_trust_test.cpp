// Specification: a disk image that comes from outside cannot reach host files.
// A backing file is used only if it lies inside the VM's bundle (symlinks
// followed) or the disk's acceptedBacking lists it; the rule holds along the
// whole chain, a refused file is never opened, Tessera's own linked clones
// stay trusted, and a raw disk whose format was probed refuses a guest write
// that would make sector 0 probe as another format. Images are made by the
// real `qemu-img create -b`, as a downloaded image would have been.

#include "core/vm/backing_trust.h"

#include <sys/stat.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>
#include <cstring>

#include "block_test_support.h"
#include "core/block/open_image.h"
#include "core/vm/vm_bundle_ops.h"
#include "core/vm/vm_machine_config.h"

using namespace tessera;
using namespace tessera::vm;

namespace {

const QByteArray kSecret = "TOP-SECRET host file\n";

// A library with one bundle "VM" and a folder "outside" holding a host file
// the guest must not see.
struct Library {
    QTemporaryDir root;
    VmBundle bundle{QString()};
    QString secret;

    Library() {
        QDir(root.path()).mkpath(QStringLiteral("outside"));
        secret = root.filePath(QStringLiteral("outside/secret.img"));
        QFile file(secret);
        if (file.open(QIODevice::WriteOnly)) file.write(kSecret.leftJustified(1 << 20, '\0'));
        VmConfig config;
        config.name = QStringLiteral("VM");
        config.disks = {{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false}};
        bundle = *VmBundle::create(root.path(), config);
    }
    QString inBundle(const QString& name) const { return bundle.resolve(name); }
    VmConfig config() const { return *bundle.load(); }
};

// qemu-img create -f qcow2 [-u] -b BACKING -F FORMAT IMAGE [SIZE]
void overlay(const QString& image, const QString& backing, const QString& backingFormat,
             bool unsafe = false) {
    QStringList args{QStringLiteral("create"), QStringLiteral("-q"), QStringLiteral("-f"),
                     QStringLiteral("qcow2")};
    if (unsafe) args << QStringLiteral("-u");
    args << QStringLiteral("-b") << backing << QStringLiteral("-F") << backingFormat << image;
    if (unsafe) args << QStringLiteral("1M");
    const blocktest::Run result = blocktest::qemuImg(args);
    QVERIFY2(result.exitCode == 0, result.err.constData());
}

QString canonical(const QString& path) {
    return QFileInfo(path).canonicalFilePath();
}

QString startError(const Library& lib) {
    const auto board = boardConfigFor(lib.config(), lib.bundle);
    return board ? QStringLiteral("<started>") : QString::fromStdString(board.message());
}

std::vector<uint8_t> qcow2HeaderNaming(const QString& dir, const QString& backing) {
    const QString crafted = QDir(dir).filePath(QStringLiteral("crafted.qcow2"));
    overlay(crafted, backing, QStringLiteral("raw"), /*unsafe=*/true);
    std::vector<uint8_t> header = blocktest::readFile(crafted.toStdString());
    header.resize(512);
    return header;
}

std::unique_ptr<block::BlockBackend> openForGuest(const QString& path,
                                                  std::optional<block::ImageFormat> format) {
    block::OpenOptions options;
    options.readOnly = false;
    options.format = format;
    auto image = block::openImage(path.toStdString(), options);
    return image ? std::move(*image) : nullptr;
}

}  // namespace

class BackingTrustTest : public QObject {
    Q_OBJECT
private slots:
    void anAbsoluteBackingFileOutsideTheBundleIsRefused() {
        Library lib;
        overlay(lib.inBundle(QStringLiteral("disk.qcow2")), lib.secret, QStringLiteral("raw"));
        const QList<OutsideBacking> refused = outsideBackingFiles(lib.config(), lib.bundle);
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused[0].disk, 0);
        QCOMPARE(refused[0].depth, 0);
        QCOMPARE(refused[0].named, lib.secret);
        QCOMPARE(refused[0].file, canonical(lib.secret));
        const QString error = startError(lib);
        QVERIFY2(
            error.contains(canonical(lib.secret)) && error.contains(QStringLiteral("outside the VM folder")),
            qPrintable(error));
    }

    void aDotDotEscapeIsRefusedAndNamedBothWays() {
        Library lib;
        overlay(lib.inBundle(QStringLiteral("disk.qcow2")), QStringLiteral("../outside/secret.img"),
                QStringLiteral("raw"));
        const QList<OutsideBacking> refused = outsideBackingFiles(lib.config(), lib.bundle);
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused[0].named, QStringLiteral("../outside/secret.img"));
        QCOMPARE(refused[0].file, canonical(lib.secret));
        const QString error = startError(lib);
        QVERIFY2(
            error.contains(QStringLiteral("../outside/secret.img")) && error.contains(canonical(lib.secret)),
            qPrintable(error));
    }

    void aSymlinkInsideTheBundleThatLeadsOutIsRefused() {
        Library lib;
        QVERIFY(QFile::link(lib.secret, lib.inBundle(QStringLiteral("base.img"))));
        overlay(lib.inBundle(QStringLiteral("disk.qcow2")), QStringLiteral("base.img"),
                QStringLiteral("raw"));
        const QList<OutsideBacking> refused = outsideBackingFiles(lib.config(), lib.bundle);
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused[0].named, QStringLiteral("base.img"));
        QCOMPARE(refused[0].file, canonical(lib.secret));
    }

    void backingFilesInsideTheBundleNeedNoQuestion() {
        Library lib;
        const QString base = lib.inBundle(QStringLiteral("base.qcow2"));
        QCOMPARE(blocktest::qemuImg({"create", "-q", "-f", "qcow2", base, "1M"}).exitCode, 0);
        overlay(lib.inBundle(QStringLiteral("disk.qcow2")), QStringLiteral("base.qcow2"),
                QStringLiteral("qcow2"));
        QVERIFY(outsideBackingFiles(lib.config(), lib.bundle).isEmpty());
        QCOMPARE(startError(lib), QStringLiteral("<started>"));
    }

    void theRuleHoldsAlongTheWholeChain() {
        // disk.qcow2 -> mid.qcow2 (inside) -> ../outside/secret.img: refused one level down.
        Library lib;
        const QString mid = lib.inBundle(QStringLiteral("mid.qcow2"));
        overlay(mid, QStringLiteral("../outside/secret.img"), QStringLiteral("raw"));
        overlay(lib.inBundle(QStringLiteral("disk.qcow2")), QStringLiteral("mid.qcow2"),
                QStringLiteral("qcow2"));
        QList<OutsideBacking> refused = outsideBackingFiles(lib.config(), lib.bundle);
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused[0].depth, 1);
        QCOMPARE(refused[0].image, mid);
        QCOMPARE(refused[0].file, canonical(lib.secret));
        QVERIFY(startError(lib).contains(QStringLiteral("through its backing file")));

        // An accepted file outside does not vouch for its own backing file.
        Library second;
        const QString outsideMid = second.root.filePath(QStringLiteral("outside/mid.qcow2"));
        overlay(outsideMid, QStringLiteral("secret.img"), QStringLiteral("raw"));
        overlay(second.inBundle(QStringLiteral("disk.qcow2")), outsideMid, QStringLiteral("qcow2"));
        VmConfig config = second.config();
        refused = outsideBackingFiles(config, second.bundle);
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused[0].file, canonical(outsideMid));
        acceptBacking(config, refused[0]);
        refused = outsideBackingFiles(config, second.bundle);
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused[0].file, canonical(second.secret));
        QCOMPARE(refused[0].depth, 1);
        acceptBacking(config, refused[0]);
        QVERIFY(outsideBackingFiles(config, second.bundle).isEmpty());
    }

    void aRefusedFileIsNeverOpened() {
        // A FIFO blocks whoever opens it: if the check read the refused file's
        // header, this test would hang instead of finishing.
        Library lib;
        const QString fifo = lib.root.filePath(QStringLiteral("outside/fifo"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        overlay(lib.inBundle(QStringLiteral("disk.qcow2")), fifo, QStringLiteral("raw"), /*unsafe=*/true);
        const QList<OutsideBacking> refused = outsideBackingFiles(lib.config(), lib.bundle);
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused[0].file, canonical(fifo));
    }

    void anAcceptedFileIsRememberedInConfigJson() {
        Library lib;
        overlay(lib.inBundle(QStringLiteral("disk.qcow2")), QStringLiteral("../outside/secret.img"),
                QStringLiteral("raw"));
        VmConfig config = lib.config();
        const QList<OutsideBacking> refused = outsideBackingFiles(config, lib.bundle);
        QCOMPARE(refused.size(), 1);
        acceptBacking(config, refused[0]);
        acceptBacking(config, refused[0]);  // once is enough
        QCOMPARE(config.disks[0].acceptedBacking, QStringList{canonical(lib.secret)});
        QVERIFY(lib.bundle.save(config).ok());
        QCOMPARE(lib.config().disks[0].acceptedBacking, QStringList{canonical(lib.secret)});
        QVERIFY(outsideBackingFiles(lib.config(), lib.bundle).isEmpty());
        QCOMPARE(startError(lib), QStringLiteral("<started>"));

        // Accepting one file is not accepting another.
        const QString other = lib.root.filePath(QStringLiteral("outside/other.img"));
        QVERIFY(QFile::copy(lib.secret, other));
        QVERIFY(QFile::remove(lib.inBundle(QStringLiteral("disk.qcow2"))));
        overlay(lib.inBundle(QStringLiteral("disk.qcow2")), other, QStringLiteral("raw"));
        QCOMPARE(outsideBackingFiles(lib.config(), lib.bundle).size(), 1);
    }

    void tesserasOwnLinkedClonesStayTrusted() {
        Library lib;
        const QString original = lib.inBundle(QStringLiteral("disk.qcow2"));
        QCOMPARE(blocktest::qemuImg({"create", "-q", "-f", "qcow2", original, "1M"}).exitCode, 0);
        const auto clone =
            cloneBundle(lib.bundle, lib.root.path(), QStringLiteral("Clone"), CloneKind::Linked);
        QVERIFY2(clone.ok(), clone.ok() ? "" : clone.message().c_str());
        const VmConfig config = *clone->load();
        // The clone's disk builds on the original's, outside the clone's folder: recorded, so trusted.
        QCOMPARE(config.disks[0].acceptedBacking, QStringList{canonical(original)});
        QVERIFY(outsideBackingFiles(config, *clone).isEmpty());
        // And a clone of the clone trusts the whole chain.
        const auto second =
            cloneBundle(*clone, lib.root.path(), QStringLiteral("Clone 2"), CloneKind::Linked);
        QVERIFY(second.ok());
        QVERIFY(outsideBackingFiles(*second->load(), *second).isEmpty());
        QCOMPARE(second->load()->disks[0].acceptedBacking.size(), 2);
    }

    void cloningDoesNotLaunderARefusedFile() {
        Library lib;
        overlay(lib.inBundle(QStringLiteral("disk.qcow2")), lib.secret, QStringLiteral("raw"));
        const auto clone =
            cloneBundle(lib.bundle, lib.root.path(), QStringLiteral("Clone"), CloneKind::Linked);
        QVERIFY(clone.ok());
        const QList<OutsideBacking> refused = outsideBackingFiles(*clone->load(), *clone);
        QCOMPARE(refused.size(), 1);
        QCOMPARE(refused[0].file, canonical(lib.secret));
        QCOMPARE(refused[0].depth, 1);
        const auto copy =
            cloneBundle(lib.bundle, lib.root.path(), QStringLiteral("Copy"), CloneKind::FullCopy);
        QVERIFY(copy.ok());
        QCOMPARE(outsideBackingFiles(*copy->load(), *copy).size(), 1);
    }

    void aProbedRawImageRefusesAQcow2HeaderInSector0() {
        QTemporaryDir dir;
        const QString disk = dir.filePath(QStringLiteral("disk.img"));
        blocktest::writeFile(disk.toStdString(), std::vector<uint8_t>(1 << 20, 0));
        // The header a guest would write: a qcow2 image whose backing file is a host secret.
        const std::vector<uint8_t> header = qcow2HeaderNaming(dir.path(), QStringLiteral("/etc/shadow"));

        auto probed = openForGuest(disk, std::nullopt);
        QVERIFY(probed);
        QCOMPARE(probed->formatName(), std::string("raw"));
        const Status refused = probed->write(0, header);
        QVERIFY(!refused.ok());
        QVERIFY2(QString::fromStdString(refused.message()).contains(QStringLiteral("qcow2")),
                 refused.message().c_str());
        // Assembled from pieces, the magic is refused too: "QFI" is fine alone, "\xfb" completes it.
        QVERIFY(probed->write(0, std::vector<uint8_t>{'Q', 'F', 'I'}).ok());
        QVERIFY(!probed->write(3, std::vector<uint8_t>{0xfb}).ok());
        // Other formats QEMU would probe, and a write that spans sector 0 and more.
        std::vector<uint8_t> vmdk(4096, 0);
        std::memcpy(vmdk.data(), "KDMV", 4);
        QVERIFY(!probed->write(0, vmdk).ok());
        // Ordinary sector-0 writes (a partition table, zeros) and writes elsewhere go through.
        std::vector<uint8_t> mbr(512, 0);
        mbr[510] = 0x55;
        mbr[511] = 0xaa;
        QVERIFY(probed->write(0, mbr).ok());
        QVERIFY(probed->write(4096, header).ok());
        QVERIFY(probed->writeZeroes(0, 512, false).ok());
        probed.reset();
        QCOMPARE(*block::probeImageFormat(disk.toStdString()), block::ImageFormat::Raw);

        // With the format pinned, as config.json always does, the guest owns sector 0 (as in QEMU).
        auto pinned = openForGuest(disk, block::ImageFormat::Raw);
        QVERIFY(pinned);
        QVERIFY(pinned->write(0, header).ok());
    }
};

QTEST_GUILESS_MAIN(BackingTrustTest)
#include "backing_trust_test.moc"
