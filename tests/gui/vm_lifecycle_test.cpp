// Specification (issue 16, items 1 and 7): a VM that has stopped holds
// nothing, and its window says so. The demo VM (the Linux guest fixture, the
// demo's qcow2 disk, an ISO in the CD-ROM drive) is started from the library,
// writes to its disk, and Shut Down presses its power button: the guest powers
// off cleanly. Then, in the same Tessera process:
// - the window says the VM stopped and why, offers Start, has let go of the
//   keyboard, and shows no network, no power-button message and no guest screen;
// - Tessera has neither the disk nor the ISO open (read back from /proc/self/fd),
//   and what the guest wrote is in the image;
// - with the window closed, Shrink Disk, Clone, `tessera-cli img compact` and
//   `tessera-cli run --vm` all get the disk;
// - Start reads config.json again (memory changed meanwhile) and builds a fresh
//   machine the guest sees; Power Off releases that one too, the window's own
//   Start boots again, and a VM moved to the Trash leaves no file open.

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

#include "core/block/host_file.h"
#include "core/vm/demo_vm.h"
#include "core/vm/vm_library.h"
#include "core/vm/vm_machine_config.h"
#include "linux_guest_fixture.h"
#include "support/guest_disk.h"
#include "support/guest_shell.h"
#include "support/open_files.h"
#include "ui/framebuffer_view.h"
#include "ui/main_window.h"
#include "ui/shrink_disk_dialog.h"
#include "ui/vm_library_model.h"
#include "ui/vm_stopped_banner.h"
#include "ui/vm_window.h"

using namespace tessera;

namespace {

const QStringList kVmFiles{QStringLiteral("disk.qcow2"), QStringLiteral("disc.iso")};

QString tool(const char* name) {
    return QStandardPaths::findExecutable(QLatin1String(name));
}

// Runs a program to the end; its exit code, and everything it printed in `output`.
int run(const QString& program, const QStringList& args, QString* output = nullptr) {
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, args);
    if (!process.waitForFinished(120000)) return -1;
    if (output) *output = QString::fromLocal8Bit(process.readAll());
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

// Runs `interact` on the modal dialog the next action opens.
template <typename Dialog>
void onNextDialog(const std::function<void(Dialog*)>& interact) {
    QTimer::singleShot(0, [interact] {
        auto* dialog = qobject_cast<Dialog*>(QApplication::activeModalWidget());
        QVERIFY(dialog);
        interact(dialog);
    });
}

}  // namespace

class VmLifecycleTest : public QObject {
    Q_OBJECT

    QTemporaryDir home_;  // the library and the Trash (XDG_DATA_HOME)
    std::unique_ptr<ui::MainWindow> library_;
    QString bundle_, disk_, iso_, guestSha_;
    ui::VmWindow* window_ = nullptr;

    QAction* libraryAction(const char* name) const {
        return library_->findChild<QAction*>(QLatin1String(name));
    }
    QAction* windowAction(const char* name) const {
        return window_->findChild<QAction*>(QLatin1String(name));
    }
    QString label(const char* name) const { return window_->findChild<QLabel*>(QLatin1String(name))->text(); }
    int runState() const {
        return library_->libraryModel()->indexForBundle(bundle_).data(ui::VmLibraryModel::StateRole).toInt();
    }

private slots:
    void initTestCase() {
        QString error;
        const auto fx = testing::guestFixtures(&error);
        if (fx.isEmpty())
            QSKIP(qPrintable(QStringLiteral("the Linux guest fixture could not be built: ") + error));
        if (tool("xorriso").isEmpty() || tool("qemu-img").isEmpty())
            QSKIP("xorriso and qemu-img are needed (scripts/setup.sh installs them)");
        if (!QFile::exists(QLatin1String(vm::kDefaultRiscvFirmware))) QSKIP("opensbi is needed");
        qputenv("XDG_DATA_HOME", QFile::encodeName(home_.path()));  // Move to Trash stays in here

        // The demo VM a first start offers, with a disc in its drive.
        const QString root = home_.filePath(QStringLiteral("VMs"));
        const auto demo = vm::offerDemoVm(
            root, {fx.value(QStringLiteral("LINUX_IMAGE")), fx.value(QStringLiteral("INITRAMFS"))});
        QVERIFY2(demo.ok() && demo->has_value(), demo.ok() ? "" : demo.message().c_str());
        const vm::VmBundle bundle = **demo;
        bundle_ = bundle.directory();
        disk_ = bundle.resolve(QStringLiteral("disk.qcow2"));
        const QString discTree = home_.filePath(QStringLiteral("disc"));
        QDir().mkpath(discTree);
        QFile readme(discTree + QStringLiteral("/README"));
        QVERIFY(readme.open(QIODevice::WriteOnly));
        readme.write("on the disc\n");
        readme.close();
        iso_ = bundle.resolve(QStringLiteral("disc.iso"));
        QCOMPARE(run(tool("xorriso"), {QStringLiteral("-as"), QStringLiteral("mkisofs"),
                                       QStringLiteral("-quiet"), QStringLiteral("-o"), iso_, discTree}),
                 0);
        vm::VmConfig config = *bundle.load();
        config.cdrom = QStringLiteral("disc.iso");
        QVERIFY(bundle.save(config).ok());

        library_ = std::make_unique<ui::MainWindow>(root);
        library_->show();
        library_->selectBundle(bundle_);
        libraryAction("actionStart")->trigger();
        window_ = library_->windowFor(bundle_);
        QVERIFY(window_ && window_->isVisible());
        QVERIFY(testing::typeAndWait(*window_, QString(), testing::kGuestShellReady, 240000).hasMatch());
        // The test can see what it checks for later: the running VM has both files open.
        QCOMPARE(testing::openFilesNamed(kVmFiles).size(), 2);
    }

    void shutDownPowersTheGuestOffAndTheWindowSaysSo() {
        // 4 MiB of data, then 16 MiB of zeros for Shrink Disk to give back; only in the
        // guest's page cache until its shutdown writes them out.
        const auto written = testing::typeAndWait(
            *window_,
            QStringLiteral("dd if=/dev/urandom of=/dev/vda bs=1M count=4 2>/dev/null; "
                           "dd if=/dev/zero of=/dev/vda bs=1M seek=4 count=16 2>/dev/null; "
                           "echo SHA-$(dd if=/dev/vda bs=1M count=4 2>/dev/null | sha256sum)"),
            QStringLiteral("SHA-([0-9a-f]{64})"));
        QVERIFY(written.hasMatch());
        guestSha_ = written.captured(1);

        // What is stale afterwards: the keyboard grab, the network, the power-button message.
        QTest::mouseClick(window_->screen(), Qt::LeftButton, {}, window_->screen()->rect().center());
        QVERIFY(window_->screen()->keyboardGrabbed());
        QVERIFY(label("grabLabel").contains(QStringLiteral("Ctrl+Alt+G")));
        QCOMPARE(label("networkLabel"), QStringLiteral("Network: connected"));
        QVERIFY(!window_->stoppedBanner()->isVisible());

        QSignalSpy finished(window_->runner(), &vm::VmRunner::finished);
        windowAction("actionShutDown")->trigger();
        QVERIFY(window_->statusBar()->currentMessage().contains(QStringLiteral("power button")));
        QVERIFY(finished.wait(60000));
        QVERIFY(window_->console()->text().contains(QStringLiteral("TESSERA-GUEST-POWER-BUTTON")));

        // Why it stopped, and the way to start it again.
        QVERIFY(window_->stoppedBanner()->isVisible());
        QVERIFY2(
            window_->stoppedBanner()->text().contains(QStringLiteral("The guest powered off (exit code 0)")),
            qPrintable(window_->stoppedBanner()->text()));
        QVERIFY(window_->stoppedBanner()->startButton()->isEnabled());
        QVERIFY(windowAction("actionStartVm")->isEnabled());
        for (const char* action :
             {"actionPause", "actionReset", "actionShutDown", "actionPowerOff", "actionChangeCd"})
            QVERIFY2(!windowAction(action)->isEnabled(), action);
        // Nothing that speaks of a running machine.
        QCOMPARE(label("stateLabel"), QStringLiteral("Stopped"));
        QVERIFY(!window_->screen()->keyboardGrabbed());
        QCOMPARE(label("grabLabel"), QString());
        QCOMPARE(label("networkLabel"), QStringLiteral("Network: off"));
        QCOMPARE(window_->statusBar()->currentMessage(), QString());
        QVERIFY(window_->screen()->image().isNull());
        QCOMPARE(window_->screen()->placeholderText(), QStringLiteral("The VM is not running."));
        QCOMPARE(runState(), int(ui::VmRunState::Stopped));
    }

    void aStoppedVmHoldsNoFileAndItsWritesAreInTheImage() {
        QCOMPARE(testing::openFilesNamed(kVmFiles), QStringList());
        auto exclusive =
            block::HostFile::open(QFile::encodeName(disk_).toStdString(), true, block::LockMode::Exclusive);
        QVERIFY2(exclusive.ok(), exclusive.ok() ? "" : exclusive.error().message.c_str());
        exclusive = block::HostFile();
        QVERIFY(testing::imageChecksClean(disk_));
        QCOMPARE(testing::guestDataSha256(disk_, 4 << 20), guestSha_);
    }

    void withTheWindowClosedShrinkCloneAndTheCommandLineGetTheDisk() {
        QVERIFY(window_->close());  // a stopped VM's window closes without asking
        QVERIFY(!window_->isVisible());
        QVERIFY(libraryAction("actionShrink")->isEnabled());

        bool shrunk = false;
        QString shrinkResult;
        onNextDialog<ui::ShrinkDiskDialog>([&](ui::ShrinkDiskDialog* dialog) {
            QSignalSpy done(dialog, &ui::ShrinkDiskDialog::finished);
            dialog->shrinkButton()->click();
            shrunk = done.wait(120000) && done.first().at(0).toBool();
            shrinkResult = dialog->resultLabel()->text();
            dialog->accept();
        });
        libraryAction("actionShrink")->trigger();
        QVERIFY2(shrunk, qPrintable(shrinkResult));
        QCOMPARE(testing::guestDataSha256(disk_, 4 << 20), guestSha_);

        // A full copy, named "… (copy)": a linked clone would keep the demo from starting
        // again below while the clone builds on its disk (linked_clone_base_test).
        onNextDialog<QDialog>([](QDialog* dialog) {
            dialog->findChild<QRadioButton*>(QStringLiteral("fullCopy"))->setChecked(true);
            dialog->accept();
        });
        libraryAction("actionClone")->trigger();
        const vm::VmLibrary library(library_->libraryModel()->root());
        const auto clone = library.find(QStringLiteral("RISC-V Linux demo (copy)"));
        QVERIFY2(clone.ok(), clone.ok() ? "" : clone.error().message.c_str());
        QCOMPARE(clone->config->disks.size(), 1);

        const QString cli = qEnvironmentVariable("TESSERA_CLI");
        QString output;
        QCOMPARE(run(cli, {QStringLiteral("img"), QStringLiteral("compact"), disk_}, &output), 0);
        // The VM boots from the command line until its time is up (exit status 124).
        QCOMPARE(run(cli,
                     {QStringLiteral("run"), QStringLiteral("--vm"), bundle_, QStringLiteral("--timeout"),
                      QStringLiteral("2")},
                     &output),
                 124);
        QVERIFY2(!output.contains(QStringLiteral("in use")), qPrintable(output));
    }

    void startBuildsAFreshMachineFromConfigJson() {
        // Settings changed while the VM was off.
        library_->selectBundle(bundle_);
        QVERIFY(libraryAction("actionSettings")->isEnabled());
        const vm::VmBundle bundle(bundle_);
        vm::VmConfig config = *bundle.load();
        config.memoryBytes = uint64_t(384) << 20;
        QVERIFY(bundle.save(config).ok());

        libraryAction("actionStart")->trigger();
        QCOMPARE(library_->windowFor(bundle_), window_);  // the same window, shown again
        QVERIFY(window_->isVisible());
        QVERIFY(!window_->stoppedBanner()->isVisible());
        QVERIFY(testing::typeAndWait(*window_, QString(), testing::kGuestShellReady, 240000).hasMatch());
        const auto memory = testing::typeAndWait(*window_, QStringLiteral("grep MemTotal /proc/meminfo"),
                                                 QStringLiteral("MemTotal:\\s+(\\d+) kB"));
        QVERIFY(memory.hasMatch());
        const int kib = memory.captured(1).toInt();
        QVERIFY2(kib > 300 * 1024 && kib <= 384 * 1024, qPrintable(memory.captured(0)));
        QCOMPARE(label("networkLabel"), QStringLiteral("Network: connected"));
        QCOMPARE(testing::openFilesNamed(kVmFiles).size(), 2);
    }

    void powerOffReleasesTheMachineAndTheWindowStartsItAgain() {
        QSignalSpy finished(window_->runner(), &vm::VmRunner::finished);
        window_->runner()->powerOff();
        QVERIFY(finished.wait(30000));
        QVERIFY2(window_->stoppedBanner()->text().contains(QStringLiteral("The VM was powered off.")),
                 qPrintable(window_->stoppedBanner()->text()));
        QCOMPARE(testing::openFilesNamed(kVmFiles), QStringList());
        QVERIFY(testing::imageChecksClean(disk_));

        window_->stoppedBanner()->startButton()->click();
        QVERIFY(testing::typeAndWait(*window_, QString(), testing::kGuestShellReady, 240000).hasMatch());
        QCOMPARE(window_->runner()->state(), vm::VmRunner::State::Running);
        window_->runner()->powerOff();
        QVERIFY(finished.wait(30000));
    }

    void aVmMovedToTheTrashLeavesNoFileOpen() {
        library_->selectBundle(bundle_);
        QTimer::singleShot(0, [] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box);
            box->findChild<QPushButton*>(QStringLiteral("moveToTrash"))->click();
        });
        library_->deleteSelected();
        QVERIFY(!QFileInfo::exists(bundle_));
        QVERIFY(!library_->windowFor(bundle_));  // its window went with it
        QCOMPARE(testing::openFilesNamed(kVmFiles), QStringList());
    }

    void cleanupTestCase() { library_.reset(); }
};

QTEST_MAIN(VmLifecycleTest)
#include "vm_lifecycle_test.moc"
