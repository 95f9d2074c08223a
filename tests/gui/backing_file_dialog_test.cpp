// Specification: before a disk may read a backing file outside its VM folder,
// the app asks in a dialog that names the disk and the file (and the name the
// image gave it); Cancel is the default and starts nothing; an allowed file is
// written to config.json, so the next start does not ask again; a chain is
// asked about file by file. Images are made by the real qemu-img.

#include "ui/backing_file_dialog.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QListView>
#include <QProcess>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "ui/main_window.h"
#include "ui/vm_window.h"

using namespace tessera;

namespace {

const QString kUboot = QStringLiteral("/usr/lib/u-boot/qemu-riscv64_smode/uboot.elf");

struct Library {
    QTemporaryDir root;
    vm::VmBundle bundle{QString()};
    QString secret;

    // A VM whose disk.qcow2 builds on outside/secret.img, named "../outside/secret.img" in the image.
    Library() {
        QDir(root.path()).mkpath(QStringLiteral("outside"));
        secret = root.filePath(QStringLiteral("outside/secret.img"));
        QFile file(secret);
        if (file.open(QIODevice::WriteOnly)) file.write(QByteArray(1 << 20, 's'));
        file.close();
        vm::VmConfig config;
        config.name = QStringLiteral("Downloaded");
        config.memoryBytes = uint64_t(128) << 20;
        config.boot.kernel = kUboot;
        config.display.type = QStringLiteral("none");
        config.disks = {{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false}};
        bundle = *vm::VmBundle::create(root.path(), config);
        QProcess::execute(QStringLiteral("qemu-img"),
                          {"create", "-q", "-f", "qcow2", "-b", "../outside/secret.img", "-F", "raw",
                           bundle.resolve(QStringLiteral("disk.qcow2"))});
    }
    QString canonicalSecret() const { return QFileInfo(secret).canonicalFilePath(); }
    vm::VmConfig config() const { return *bundle.load(); }
};

// Answers the next backing-file dialogs in order ("allow" or "cancel"),
// recording the file each one named.
struct Answers {
    QStringList named;
    void answer(const QStringList& buttons) {
        if (buttons.isEmpty()) return;
        QTimer::singleShot(0, [this, buttons] {
            auto* dialog = qobject_cast<ui::BackingFileDialog*>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            named << dialog->findChild<QLabel*>(QStringLiteral("backingFile"))->text();
            auto* button = dialog->findChild<QPushButton*>(buttons.first());
            QVERIFY(button);
            answer(buttons.mid(1));
            button->click();
        });
    }
};

}  // namespace

class BackingFileDialogTest : public QObject {
    Q_OBJECT
private slots:
    void theDialogNamesTheDiskTheFileAndHowTheImageNamedIt() {
        Library lib;
        const QList<vm::OutsideBacking> refused = vm::outsideBackingFiles(lib.config(), lib.bundle);
        QCOMPARE(refused.size(), 1);
        ui::BackingFileDialog dialog(lib.config(), refused[0]);
        QStringList texts;
        for (const QLabel* label : dialog.findChildren<QLabel*>())
            if (label->isVisibleTo(&dialog)) texts << label->text();
        const QString all = texts.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(QStringLiteral("<b>disk.qcow2</b>")), qPrintable(all));
        QVERIFY2(all.contains(lib.canonicalSecret()), qPrintable(all));
        QVERIFY2(all.contains(QStringLiteral("../outside/secret.img")), qPrintable(all));
        QVERIFY(all.contains(QStringLiteral("outside the VM's folder")));
        // Enter must not give the file away.
        QVERIFY(dialog.findChild<QPushButton*>(QStringLiteral("cancel"))->isDefault());
        QVERIFY(!dialog.findChild<QPushButton*>(QStringLiteral("allow"))->isDefault());
    }

    void allowingRecordsTheFileSoTheNextStartDoesNotAsk() {
        Library lib;
        vm::VmConfig config = lib.config();
        Answers answers;
        answers.answer({QStringLiteral("allow")});
        QVERIFY(ui::confirmOutsideBacking(nullptr, lib.bundle, config));
        QCOMPARE(answers.named.size(), 1);
        QVERIFY(answers.named[0].contains(lib.canonicalSecret()));
        QCOMPARE(lib.config().disks[0].acceptedBacking, QStringList{lib.canonicalSecret()});
        QCOMPARE(config, lib.config());
        // No dialog this time (one would block this call).
        QVERIFY(ui::confirmOutsideBacking(nullptr, lib.bundle, config));
    }

    void cancellingChangesNothing() {
        Library lib;
        const QByteArray before = [&] {
            QFile f(lib.bundle.configPath());
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }();
        vm::VmConfig config = lib.config();
        Answers answers;
        answers.answer({QStringLiteral("cancel")});
        QString error;
        QVERIFY(!ui::confirmOutsideBacking(nullptr, lib.bundle, config, &error));
        QVERIFY(error.isEmpty());  // the user's no is not an error
        QFile f(lib.bundle.configPath());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
    }

    void aChainIsAskedAboutFileByFile() {
        QTemporaryDir scratch;
        const QString middle = scratch.filePath(QStringLiteral("middle.qcow2"));
        Library lib;
        QCOMPARE(QProcess::execute(QStringLiteral("qemu-img"),
                                   {"create", "-q", "-f", "qcow2", "-b", lib.secret, "-F", "raw", middle}),
                 0);
        QCOMPARE(QProcess::execute(
                     QStringLiteral("qemu-img"),  // the bundle's disk now builds on middle.qcow2
                     {"rebase", "-u", "-b", middle, "-F", "qcow2", lib.bundle.resolve("disk.qcow2")}),
                 0);
        vm::VmConfig config = lib.config();
        Answers answers;
        answers.answer({QStringLiteral("allow"), QStringLiteral("allow")});
        QVERIFY(ui::confirmOutsideBacking(nullptr, lib.bundle, config));
        QCOMPARE(answers.named.size(), 2);
        QVERIFY(answers.named[0].contains(QFileInfo(middle).canonicalFilePath()));
        QVERIFY(answers.named[1].contains(lib.canonicalSecret()));
        QCOMPARE(lib.config().disks[0].acceptedBacking,
                 (QStringList{QFileInfo(middle).canonicalFilePath(), lib.canonicalSecret()}));
    }

    void startInTheLibraryAsksFirst() {
        Library lib;
        ui::MainWindow window(lib.root.path());
        window.show();
        auto* view = window.findChild<QListView*>(QStringLiteral("libraryView"));
        view->setCurrentIndex(view->model()->index(0, 0));
        auto* start = window.findChild<QAction*>(QStringLiteral("actionStart"));
        QVERIFY(start->isEnabled());

        Answers answers;
        answers.answer({QStringLiteral("cancel")});
        start->trigger();
        QCOMPARE(answers.named.size(), 1);
        QVERIFY(window.findChildren<ui::VmWindow*>().isEmpty());  // nothing started
        QVERIFY(lib.config().disks[0].acceptedBacking.isEmpty());

        answers.answer({QStringLiteral("allow")});
        start->trigger();
        QCOMPARE(answers.named.size(), 2);
        QCOMPARE(window.findChildren<ui::VmWindow*>().size(), 1);  // the VM runs
        QCOMPARE(lib.config().disks[0].acceptedBacking, QStringList{lib.canonicalSecret()});
    }
};

QTEST_MAIN(BackingFileDialogTest)
#include "backing_file_dialog_test.moc"
