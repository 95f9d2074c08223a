// Specification: the one-click shrink on a real qcow2 image (data written by
// the real qemu-io) gives space back and keeps every byte the guest sees;
// Cancel leaves the original byte-identical; a running VM's disk is refused; a
// disk that is a symlink stays one, and each disk is handled in its own format.

#include <QCheckBox>
#include <QCryptographicHash>
#include <QLabel>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "core/vm/disk_usage.h"
#include "core/vm/vm_library.h"
#include "ui/shrink_disk_dialog.h"

using namespace tessera;

namespace {

QString tool(const char* name) { return QStandardPaths::findExecutable(QLatin1String(name)); }

bool run(const QString& program, const QStringList& args) { return QProcess::execute(program, args) == 0; }

QByteArray sha256(const QString& path) {
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(&f);
    return hash.result();
}

// A VM whose disk holds `dataMiB` of real data followed by `zeroMiB` of written zeros,
// like a guest that filled its disk and then zeroed the free space.
vm::VmEntry makeVm(const QTemporaryDir& root, int dataMiB, int zeroMiB) {
    vm::VmConfig config;
    config.name = QStringLiteral("Shrinkable");
    config.disks = {{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false}};
    const auto bundle = vm::VmBundle::create(root.path(), config);
    const QString disk = bundle->resolve(QStringLiteral("disk.qcow2"));
    run(tool("qemu-img"), {QStringLiteral("create"), QStringLiteral("-q"), QStringLiteral("-f"), QStringLiteral("qcow2"), disk, QStringLiteral("1G")});
    run(tool("qemu-io"), {QStringLiteral("-c"), QStringLiteral("write -P 0xab 0 %1M").arg(dataMiB), QStringLiteral("-c"),
                          QStringLiteral("write -P 0 %1M %2M").arg(dataMiB).arg(zeroMiB), disk});
    return vm::VmLibrary::loadEntry(bundle->directory());
}

}  // namespace

class ShrinkDiskDialogTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (tool("qemu-img").isEmpty() || tool("qemu-io").isEmpty()) QSKIP("qemu-utils (qemu-img, qemu-io) is needed");
    }

    void shrinksARealImageAndShowsBeforeAndAfter() {
        QTemporaryDir root;
        const vm::VmEntry entry = makeVm(root, 8, 40);
        const QString disk = entry.bundle.resolve(QStringLiteral("disk.qcow2"));
        const QString reference = root.filePath(QStringLiteral("reference.raw"));
        QVERIFY(run(tool("qemu-img"), {QStringLiteral("convert"), QStringLiteral("-O"), QStringLiteral("raw"), disk, reference}));
        const uint64_t before = vm::allocatedBytes(disk);
        QVERIFY(before > (uint64_t(40) << 20));

        ui::ShrinkDiskDialog dialog(entry, /*vmRunning=*/false);
        dialog.show();
        QVERIFY(dialog.sizesLabel()->text().contains(QStringLiteral("1 GiB")));  // size for the guest
        // An upper bound from the image's metadata: zeros written as data are only found while copying.
        QVERIFY2(dialog.sizesLabel()->text().contains(QStringLiteral("Estimated size after shrinking: <b>at most")),
                 qPrintable(dialog.sizesLabel()->text()));
        QVERIFY(dialog.shrinkButton()->isEnabled());
        QSignalSpy finished(&dialog, &ui::ShrinkDiskDialog::finished);
        dialog.shrinkButton()->click();
        QVERIFY(dialog.isRunning());
        QVERIFY(finished.wait(120000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(dialog.resultLabel()->text()));
        QVERIFY2(dialog.resultLabel()->text().startsWith(QStringLiteral("Done. Before: ")), qPrintable(dialog.resultLabel()->text()));
        QCOMPARE(dialog.progressBar()->value(), dialog.progressBar()->maximum());

        const uint64_t after = vm::allocatedBytes(disk);
        QVERIFY2(after < (uint64_t(16) << 20), qPrintable(QString::number(after)));
        QVERIFY(run(tool("qemu-img"), {QStringLiteral("check"), QStringLiteral("-q"), disk}));
        QVERIFY(run(tool("qemu-img"), {QStringLiteral("compare"), QStringLiteral("-q"), QStringLiteral("-f"), QStringLiteral("qcow2"),
                                       QStringLiteral("-F"), QStringLiteral("raw"), disk, reference}));
    }

    void cancelKeepsTheOriginalByteIdentical() {
        QTemporaryDir root;
        const vm::VmEntry entry = makeVm(root, 192, 64);
        const QString disk = entry.bundle.resolve(QStringLiteral("disk.qcow2"));
        const QByteArray original = sha256(disk);
        ui::ShrinkDiskDialog dialog(entry, false);
        dialog.compressBox()->setChecked(true);  // slower, so Cancel surely lands mid-job
        QSignalSpy finished(&dialog, &ui::ShrinkDiskDialog::finished);
        dialog.shrinkButton()->click();
        dialog.cancelButton()->click();
        QVERIFY(finished.wait(120000));
        QVERIFY(!finished.first().at(0).toBool());
        QCOMPARE(dialog.resultLabel()->text(), QStringLiteral("Cancelled. The disk was not changed."));
        QCOMPARE(sha256(disk), original);
        QStringList leftovers = QDir(entry.bundle.directory()).entryList(QDir::Files);
        leftovers.removeAll(QStringLiteral("disk.qcow2"));
        leftovers.removeAll(QStringLiteral("config.json"));
        QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(QLatin1Char(' '))));  // no temporary copy left behind
        QVERIFY(dialog.shrinkButton()->isEnabled());
    }

    void aSymlinkedDiskStaysASymlinkAndKeepsItsFormat() {
        QTemporaryDir root;
        QDir(root.path()).mkpath(QStringLiteral("images"));
        const QString target = root.filePath(QStringLiteral("images/disk.qcow2"));
        QVERIFY(run(tool("qemu-img"), {QStringLiteral("create"), QStringLiteral("-q"), QStringLiteral("-f"),
                                       QStringLiteral("qcow2"), target, QStringLiteral("1G")}));
        QVERIFY(run(tool("qemu-io"), {QStringLiteral("-c"), QStringLiteral("write -P 0xab 0 4M"),
                                      QStringLiteral("-c"), QStringLiteral("write -P 0 4M 32M"), target}));
        vm::VmConfig config;
        config.name = QStringLiteral("Linked Disk");
        // A read-only raw disk first: the combo box lists only the writable one.
        config.disks = {{QStringLiteral("seed.img"), QStringLiteral("raw"), true},
                        {QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false}};
        const auto bundle = vm::VmBundle::create(root.path(), config);
        QVERIFY(bundle.ok());
        QFile seed(bundle->resolve(QStringLiteral("seed.img")));
        QVERIFY(seed.open(QIODevice::WriteOnly));
        seed.write(QByteArray(4096, 'x'));
        seed.close();
        const QString link = bundle->resolve(QStringLiteral("disk.qcow2"));
        QVERIFY(QFile::link(QStringLiteral("../images/disk.qcow2"), link));

        ui::ShrinkDiskDialog dialog(vm::VmLibrary::loadEntry(bundle->directory()), false);
        QVERIFY2(dialog.sizesLabel()->text().contains(QStringLiteral("<b>1 GiB</b>")),
                 qPrintable(dialog.sizesLabel()->text()));
        QSignalSpy finished(&dialog, &ui::ShrinkDiskDialog::finished);
        dialog.shrinkButton()->click();
        QVERIFY(finished.wait(120000));
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(dialog.resultLabel()->text()));
        QCOMPARE(QFileInfo(link).symLinkTarget(), target);
        QVERIFY(vm::allocatedBytes(target) < (uint64_t(16) << 20));
        QVERIFY(run(tool("qemu-img"), {QStringLiteral("check"), QStringLiteral("-q"), target}));
    }

    void aRunningVmsDiskIsNotShrunk() {
        QTemporaryDir root;
        const vm::VmEntry entry = makeVm(root, 1, 1);
        ui::ShrinkDiskDialog dialog(entry, /*vmRunning=*/true);
        QVERIFY(!dialog.shrinkButton()->isEnabled());
        QVERIFY(dialog.resultLabel()->text().contains(QStringLiteral("Shut down the VM")));
    }
};

QTEST_MAIN(ShrinkDiskDialogTest)
#include "shrink_disk_dialog_test.moc"
