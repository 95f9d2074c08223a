// Specification: a stopped VM's Settings can rename it and add or remove disks.
// - Renaming moves the VM's folder to "<new name>.tessera" with everything in
//   it, and the library lists it under the new name; an unusable or taken name,
//   a running VM and a VM whose disk a linked clone reads are refused in the
//   dialog, with nothing moved.
// - Add New Disk creates an empty qcow2 in the VM's folder when the settings
//   are saved (never on Cancel); Attach Image adds an existing qcow2 or raw file
//   with its format pinned; Remove asks whether to delete the file too.
// - Disk changes are refused while the VM runs.

#include "ui/vm_settings_dialog.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

#include "core/vm/disk_image_factory.h"
#include "core/vm/vm_bundle.h"
#include "core/vm/vm_bundle_ops.h"
#include "core/vm/vm_library.h"
#include "core/vm/vm_machine_config.h"
#include "core/vm/vm_runner.h"
#include "ui/disk_list_editor.h"
#include "ui/main_window.h"
#include "ui/vm_library_model.h"

using namespace tessera;

namespace {

// `qemu-img info` of an image, as JSON.
QJsonObject qemuImgInfo(const QString& path) {
    QProcess qemuImg;
    qemuImg.start(QStringLiteral("qemu-img"), {"info", "--output=json", path});
    qemuImg.waitForFinished(30000);
    return QJsonDocument::fromJson(qemuImg.readAllStandardOutput()).object();
}

QString problemOf(const ui::VmSettingsDialog& dialog) {
    return dialog.findChild<QLabel*>(QStringLiteral("problem"))->text();
}

void setName(ui::VmSettingsDialog& dialog, const QString& name) {
    dialog.findChild<QLineEdit*>(QStringLiteral("name"))->setText(name);
}

// Answers the next "Remove disk?" question with the button `objectName`.
void answerRemoveQuestion(const QString& objectName) {
    QTimer::singleShot(0, [objectName] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        QVERIFY(box);
        QCOMPARE(box->objectName(), QStringLiteral("removeDiskQuestion"));
        box->findChild<QPushButton*>(objectName)->click();
    });
}

}  // namespace

class VmSettingsDialogTest : public QObject {
    Q_OBJECT
    QTemporaryDir root_;

    vm::VmBundle newVm(const QString& name, bool withDisk = true) {
        vm::VmConfig config;
        config.name = name;
        config.display.type = QStringLiteral("none");
        auto bundle = vm::VmBundle::create(root_.path(), config);
        if (withDisk) {
            QFile disk(bundle->resolve(QStringLiteral("disk.img")));
            disk.open(QIODevice::WriteOnly);
            disk.resize(1 << 20);
            config.disks = {vm::Disk(QStringLiteral("disk.img"), QStringLiteral("raw"), false)};
            (void)bundle->save(config);
        }
        return *bundle;
    }

private slots:
    void renamingMovesTheFolderAndTheLibraryFollows() {
        const vm::VmBundle bundle = newVm(QStringLiteral("Old Name"));
        ui::MainWindow library(root_.path());
        library.selectBundle(bundle.directory());
        QTimer::singleShot(0, [] {
            auto* dialog = qobject_cast<ui::VmSettingsDialog*>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            setName(*dialog, QStringLiteral("New Name"));
            dialog->accept();
        });
        library.editSelected();
        const vm::VmBundle renamed = vm::VmBundle::forName(root_.path(), QStringLiteral("New Name"));
        QVERIFY(!QFileInfo::exists(bundle.directory()));
        QCOMPARE(renamed.load()->name, QStringLiteral("New Name"));
        QVERIFY(QFileInfo(renamed.resolve(QStringLiteral("disk.img"))).isFile());  // the disk went along
        QVERIFY(QFileInfo(renamed.logsPath()).isDir());
        QCOMPARE(library.selectedRow(), library.libraryModel()->indexForBundle(renamed.directory()).row());
        QCOMPARE(library.libraryModel()->entry(library.selectedRow()).displayName(),
                 QStringLiteral("New Name"));
        QVERIFY(vm::deleteBundle(renamed, vm::DeleteKind::DeleteForever).ok());
    }

    void unusableOrTakenNamesAreRefusedAndNothingMoves() {
        const vm::VmBundle bundle = newVm(QStringLiteral("Keeper"));
        const vm::VmBundle other = newVm(QStringLiteral("Taken"), false);
        ui::VmSettingsDialog dialog(bundle, *bundle.load());
        dialog.show();
        const QList<QPair<QString, QString>> refused = {
            {QStringLiteral("../escape"), QStringLiteral("slash")},
            {QStringLiteral(""), QStringLiteral("empty")},
            {QStringLiteral(".hidden"), QStringLiteral("dot")},
            {QStringLiteral("Taken"), QStringLiteral("already exists")},
        };
        for (const auto& [name, why] : refused) {
            setName(dialog, name);
            dialog.accept();
            QVERIFY2(dialog.isVisible(), qPrintable(name));
            QVERIFY2(problemOf(dialog).contains(why), qPrintable(problemOf(dialog)));
            QCOMPARE(bundle.load()->name, QStringLiteral("Keeper"));
        }
        QCOMPARE(QDir(root_.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 2);
        QVERIFY(vm::deleteBundle(bundle, vm::DeleteKind::DeleteForever).ok());
        QVERIFY(vm::deleteBundle(other, vm::DeleteKind::DeleteForever).ok());
    }

    void aRunningVmIsNotRenamedAndKeepsItsDisks() {
        if (!QFile::exists(QLatin1String(vm::kDefaultRiscvFirmware))) QSKIP("opensbi is needed");
        const vm::VmBundle bundle = newVm(QStringLiteral("Busy"));
        vm::VmRunner runner(vm::VmLibrary::loadEntry(bundle.directory()));
        QVERIFY(runner.start().ok());
        ui::VmSettingsDialog dialog(bundle, *bundle.load());
        dialog.show();
        setName(dialog, QStringLiteral("Moved"));
        dialog.accept();
        QVERIFY(dialog.isVisible());
        QVERIFY2(problemOf(dialog).contains(QStringLiteral("running")), qPrintable(problemOf(dialog)));
        setName(dialog, QStringLiteral("Busy"));
        answerRemoveQuestion(QStringLiteral("deleteFile"));
        dialog.disks()->list()->setCurrentRow(0);
        dialog.disks()->findChild<QPushButton*>(QStringLiteral("removeDisk"))->click();
        dialog.accept();
        QVERIFY(dialog.isVisible());
        QVERIFY2(problemOf(dialog).contains(QStringLiteral("shut it down")), qPrintable(problemOf(dialog)));
        QVERIFY(QFileInfo::exists(bundle.resolve(QStringLiteral("disk.img"))));
        QCOMPARE(bundle.load()->disks.size(), 1);
        QSignalSpy finished(&runner, &vm::VmRunner::finished);
        runner.powerOff();
        QVERIFY(finished.wait(30000));
    }

    void theOriginalOfALinkedCloneIsNotRenamed() {
        vm::VmBundle original = newVm(QStringLiteral("Base"), false);
        vm::VmConfig config = *original.load();
        QVERIFY(vm::createDiskImage({original.resolve(QStringLiteral("disk.qcow2")), QStringLiteral("qcow2"),
                                     1 << 20, QString(), QString()})
                    .ok());
        config.disks = {vm::Disk(QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false)};
        QVERIFY(original.save(config).ok());
        auto clone = vm::cloneBundle(original, root_.path(), QStringLiteral("Clone"), vm::CloneKind::Linked);
        QVERIFY(clone.ok());
        ui::VmSettingsDialog dialog(original, *original.load());
        dialog.show();
        setName(dialog, QStringLiteral("Renamed Base"));
        dialog.accept();
        QVERIFY(dialog.isVisible());
        QVERIFY2(problemOf(dialog).contains(QStringLiteral("linked clone \"Clone\"")),
                 qPrintable(problemOf(dialog)));
        QVERIFY(QFileInfo(original.directory()).isDir());
    }

    void addNewDiskCreatesAQcow2OnlyWhenSaved() {
        const vm::VmBundle bundle = newVm(QStringLiteral("Growing"));
        {
            ui::VmSettingsDialog cancelled(bundle, *bundle.load());
            cancelled.disks()->addNewDisk(uint64_t(2) << 30);
            cancelled.reject();
        }
        QVERIFY(!QFileInfo::exists(bundle.resolve(QStringLiteral("disk.qcow2"))));
        ui::VmSettingsDialog dialog(bundle, *bundle.load());
        dialog.show();
        dialog.disks()->addNewDisk(uint64_t(2) << 30);
        QCOMPARE(dialog.disks()->list()->count(), 2);
        dialog.accept();
        QVERIFY2(!dialog.isVisible(), qPrintable(problemOf(dialog)));
        const vm::VmConfig saved = *bundle.load();
        QCOMPARE(saved.disks.size(), 2);
        QCOMPARE(saved.disks[1], vm::Disk(QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false));
        const QJsonObject info = qemuImgInfo(bundle.resolve(QStringLiteral("disk.qcow2")));
        QCOMPARE(info.value(QStringLiteral("format")).toString(), QStringLiteral("qcow2"));
        QCOMPARE(info.value(QStringLiteral("virtual-size")).toInteger(), qint64(2) << 30);
    }

    void attachImagePinsTheFormatAndRefusesOthers() {
        const vm::VmBundle bundle = newVm(QStringLiteral("Attaching"), false);
        QTemporaryDir elsewhere;
        const QString qcow2 = elsewhere.filePath(QStringLiteral("data.qcow2"));
        QVERIFY(vm::createDiskImage({qcow2, QStringLiteral("qcow2"), 1 << 20, QString(), QString()}).ok());
        const QString vmdk = elsewhere.filePath(QStringLiteral("old.vmdk"));
        QProcess::execute(QStringLiteral("qemu-img"), {"create", "-q", "-f", "vmdk", vmdk, "1M"});

        ui::VmSettingsDialog dialog(bundle, *bundle.load());
        dialog.show();
        QVERIFY(dialog.disks()->attachImage(qcow2).ok());
        QVERIFY(!dialog.disks()->attachImage(qcow2).ok());  // not twice
        const Status refused = dialog.disks()->attachImage(vmdk);
        QVERIFY(!refused.ok());
        QVERIFY2(QString::fromStdString(refused.message()).contains(QStringLiteral("vmdk image")),
                 refused.message().c_str());
        dialog.accept();
        QVERIFY(!dialog.isVisible());
        QCOMPARE(bundle.load()->disks, (QList<vm::Disk>{vm::Disk(qcow2, QStringLiteral("qcow2"), false)}));
    }

    void removeAsksWhetherToDeleteTheFile() {
        const vm::VmBundle bundle = newVm(QStringLiteral("Shrinking"));
        const QString disk = bundle.resolve(QStringLiteral("disk.img"));
        {
            // Keep the File: the disk leaves the VM, the file stays.
            ui::VmSettingsDialog dialog(bundle, *bundle.load());
            dialog.show();
            dialog.disks()->list()->setCurrentRow(0);
            answerRemoveQuestion(QStringLiteral("keepFile"));
            dialog.disks()->findChild<QPushButton*>(QStringLiteral("removeDisk"))->click();
            QVERIFY(QFileInfo::exists(disk));  // nothing happens before Save
            dialog.accept();
            QVERIFY(bundle.load()->disks.isEmpty());
            QVERIFY(QFileInfo::exists(disk));
        }
        vm::VmConfig config = *bundle.load();
        config.disks = {vm::Disk(QStringLiteral("disk.img"), QStringLiteral("raw"), false)};
        QVERIFY(bundle.save(config).ok());
        {
            // Delete the File: gone once the settings are saved.
            ui::VmSettingsDialog dialog(bundle, *bundle.load());
            dialog.show();
            dialog.disks()->list()->setCurrentRow(0);
            answerRemoveQuestion(QStringLiteral("deleteFile"));
            dialog.disks()->findChild<QPushButton*>(QStringLiteral("removeDisk"))->click();
            QVERIFY(QFileInfo::exists(disk));
            dialog.accept();
            QVERIFY(bundle.load()->disks.isEmpty());
            QVERIFY(!QFileInfo::exists(disk));
        }
    }
};

QTEST_MAIN(VmSettingsDialogTest)
#include "vm_settings_dialog_test.moc"
