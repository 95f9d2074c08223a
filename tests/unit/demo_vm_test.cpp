// Specification: a new library gets the demo VM once — the Linux guest's
// files copied into a bundle with an empty qcow2 disk — and never again, even
// after the user deletes it; a failure leaves no half-made VM behind.

#include "core/vm/demo_vm.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "core/vm/vm_library.h"
#include "support/scratch_files.h"

using namespace tessera::vm;

class DemoVmTest : public QObject {
    Q_OBJECT
    QTemporaryDir files_;
    DemoGuest guest_;

    QString write(const QString& name, const QByteArray& bytes) {
        return tessera::testing::writeScratchFile(files_, name, bytes);
    }

private slots:
    void initTestCase() {
        guest_ = {write(QStringLiteral("Image"), QByteArray(4096, 'k')),
                  write(QStringLiteral("initrd"), QByteArray(8192, 'i'))};
    }

    void aNewLibraryGetsTheDemoWithItsOwnCopies() {
        QTemporaryDir root;
        const auto offered = offerDemoVm(root.path(), guest_);
        QVERIFY2(offered.ok(), offered.ok() ? "" : offered.message().c_str());
        QVERIFY(offered->has_value());
        const VmEntry entry = VmLibrary::loadEntry((*offered)->directory());
        QVERIFY(!entry.broken());
        const VmConfig& config = *entry.config;
        QCOMPARE(config.name, QString::fromLatin1(kDemoVmName));
        QCOMPARE(config.arch, QStringLiteral("riscv64"));
        QVERIFY(config.boot.append.endsWith(
            QStringLiteral("console=ttyS0")));  // the serial tab gets /dev/console
        QCOMPARE(config.display.type, QStringLiteral("framebuffer"));
        QCOMPARE(config.nics.size(), 1);
        QFile kernel(entry.bundle.resolve(config.boot.kernel));
        QVERIFY(kernel.open(QIODevice::ReadOnly));
        QCOMPARE(kernel.readAll(), QByteArray(4096, 'k'));
        QVERIFY(entry.bundle.resolve(config.boot.kernel).startsWith(entry.bundle.directory()));

        QProcess qemuImg;
        qemuImg.start(QStringLiteral("qemu-img"),
                      {QStringLiteral("check"), entry.bundle.resolve(config.disks.first().file)});
        QVERIFY(qemuImg.waitForFinished());
        QCOMPARE(qemuImg.exitCode(), 0);
        qemuImg.start(QStringLiteral("qemu-img"),
                      {QStringLiteral("info"), entry.bundle.resolve(config.disks.first().file)});
        QVERIFY(qemuImg.waitForFinished());
        QVERIFY(qemuImg.readAllStandardOutput().contains("virtual size: 2 GiB"));
    }

    void theDemoIsOfferedOnlyOnce() {
        QTemporaryDir root;
        const auto first = offerDemoVm(root.path(), guest_);
        QVERIFY(first.ok() && first->has_value());
        QVERIFY(QDir((*first)->directory()).removeRecursively());  // the user deleted it
        const auto second = offerDemoVm(root.path(), guest_);
        QVERIFY(second.ok());
        QVERIFY(!second->has_value());
        QVERIFY(VmLibrary(root.path()).scan().isEmpty());
    }

    void aMissingGuestFileLeavesNoHalfMadeVm() {
        QTemporaryDir root;
        const auto offered =
            offerDemoVm(root.path(), {guest_.kernel, files_.filePath(QStringLiteral("gone"))});
        QVERIFY(!offered.ok());
        QVERIFY(VmLibrary(root.path()).scan().isEmpty());
        QVERIFY(offerDemoVm(root.path(), guest_).ok());  // and it is offered again once the files are there
        QCOMPARE(VmLibrary(root.path()).scan().size(), 1);
    }

    void theGuestComesFromTheEnvironmentOrTheInstallation() {
        qputenv("TESSERA_DEMO_KERNEL", guest_.kernel.toUtf8());
        qputenv("TESSERA_DEMO_INITRD", guest_.initrd.toUtf8());
        auto found = findDemoGuest(QStringLiteral("/nonexistent/bin"));
        QVERIFY(found);
        QCOMPARE(found->kernel, guest_.kernel);
        qunsetenv("TESSERA_DEMO_KERNEL");
        QVERIFY(!findDemoGuest(QStringLiteral("/nonexistent/bin")));

        QTemporaryDir prefix;
        QDir(prefix.path()).mkpath(QStringLiteral("bin"));
        QDir(prefix.path()).mkpath(QStringLiteral("share/tessera/demo"));
        QFile::copy(guest_.kernel, prefix.filePath(QStringLiteral("share/tessera/demo/Image")));
        QFile::copy(guest_.initrd, prefix.filePath(QStringLiteral("share/tessera/demo/initramfs.cpio.gz")));
        found = findDemoGuest(prefix.filePath(QStringLiteral("bin")));
        QVERIFY(found);
        QVERIFY(found->kernel.endsWith(QStringLiteral("share/tessera/demo/Image")));
        qunsetenv("TESSERA_DEMO_INITRD");
    }
};

QTEST_GUILESS_MAIN(DemoVmTest)
#include "demo_vm_test.moc"
