// Specification (issue 15, "GUI"): the classic QEMU tutorial's PowerPC journey
// by clicks. In the library, New VM… → the PowerPC installer disc (fixture
// ppc-installer-disc, a Tessera install disc by its volume label) → the wizard
// detects "PowerPC 32-bit (Power Mac, mac99)" and offers the express install
// (user, host name, an SSH public key made here) → Finish starts the VM from
// the disc. The installer reads the answer disk (the second disk of the first
// ATA bus, /dev/sdb), installs to the first (/dev/sda) with its [n/6] progress
// on the VM's screen, says "tessera-install: Installation complete" and powers
// off; the window ejects the disc, drops the answer disk and starts the VM from
// its disk with OpenBIOS, saying so. The library card shows the SSH port and
// Copy SSH Command copies `ssh -p N tess@127.0.0.1`, which logs in with the key
// and runs `uname -m` = ppc. Shut down, Shrink Disk makes the disk file
// smaller, `qemu-img check` finds it clean, and the VM starts again from it.
// Screenshots for the README go to <build>/screenshots/ (ppc-wizard-detected,
// ppc-install-progress, ppc-library-ssh, ppc-shrink-disk).

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <memory>

#include "core/vm/install_answers.h"
#include "core/vm/vm_library.h"
#include "linux_guest_fixture.h"
#include "vm_window_watch.h"
#include "ui/framebuffer_view.h"
#include "ui/main_window.h"
#include "ui/new_vm_wizard.h"
#include "ui/port_forward_editor.h"
#include "ui/serial_console.h"
#include "ui/shrink_disk_dialog.h"
#include "ui/vm_library_model.h"
#include "ui/vm_window.h"
#include "ui/wizard_pages.h"

using namespace tessera;
using ui::NewVmWizard;

namespace {

const QString kUser = QStringLiteral("tess");
const QString kHostname = QStringLiteral("tessera-ppc");
constexpr int kHostPortColumn = 2;  // the port forward table's "Host port"
// Install ~20 s and boot ~18 s on the JIT alone; a shared CI machine is slower.
constexpr int kStepTimeoutMs = 400 * 1000;
const bool kLongTestFunctions = qputenv("QTEST_FUNCTION_TIMEOUT", QByteArray::number(3 * kStepTimeoutMs));

}  // namespace

class PpcTutorialInstallTest : public QObject {
    Q_OBJECT
    QTemporaryDir root_, keys_;
    QString iso_;
    QString key_;  // private key file; the wizard gets key_ + ".pub"
    uint16_t sshPort_ = 0;
    std::unique_ptr<ui::MainWindow> library_;
    QString bundle_;
    ui::VmWindow* window_ = nullptr;
    testing::VmWindowWatch watch_;

    QString console() const { return watch_.console(); }

    // `ssh` with the test's key and ARGS (the copied command's words, then the
    // remote command); retried while the guest's Dropbear comes up.
    QString ssh(QStringList args) {
        const QString program = args.takeFirst();
        args = QStringList{QStringLiteral("-i"), key_,
                           QStringLiteral("-o"), QStringLiteral("BatchMode=yes"),
                           QStringLiteral("-o"), QStringLiteral("ConnectTimeout=20"),
                           QStringLiteral("-o"), QStringLiteral("StrictHostKeyChecking=no"),
                           QStringLiteral("-o"), QStringLiteral("UserKnownHostsFile=/dev/null"),
                           QStringLiteral("-o"), QStringLiteral("LogLevel=ERROR")} +
               args;
        QString out, err;
        QElapsedTimer waited;
        waited.start();
        do {
            QProcess process;
            process.start(program, args);
            process.waitForStarted();
            while (process.state() != QProcess::NotRunning) QTest::qWait(100);  // the VM runs on
            out = QString::fromUtf8(process.readAllStandardOutput()).trimmed();
            err = QString::fromUtf8(process.readAllStandardError());
            if (process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0) return out;
            QTest::qWait(2000);
        } while (waited.elapsed() < 120000);
        qWarning().noquote() << "ssh failed:" << err;
        return QStringLiteral("(ssh failed) ") + out;
    }

    // The wizard as MainWindow::newVm runs it (modal), filled in like a person would.
    void fillInWizard(NewVmWizard* wizard) {
        QVERIFY(wizard);
        ui::SourcePage* source = wizard->sourcePage();
        source->setKind(ui::SourceKind::Iso);
        source->isoEdit()->setText(iso_);
        QTRY_VERIFY(source->expressGroup()->isVisible());  // a Tessera install disc
        QVERIFY(source->expressGroup()->isChecked());
        QVERIFY(source->restartAfterInstallBox()->isChecked());
        source->hostnameEdit()->setText(kHostname);
        source->userEdit()->setText(kUser);
        QFile publicKey(key_ + QStringLiteral(".pub"));
        QVERIFY(publicKey.open(QIODevice::ReadOnly));
        source->sshKeyEdit()->setText(QString::fromUtf8(publicKey.readAll()).trimmed());
        wizard->next();
        QCOMPARE(wizard->currentId(), int(NewVmWizard::HardwarePageId));
        ui::HardwarePage* hardware = wizard->hardwarePage();
        QCOMPARE(hardware->arch(), QStringLiteral("ppc"));  // detected from the disc
        QCOMPARE(hardware->archCombo()->currentText(), QStringLiteral("PowerPC 32-bit (Power Mac, mac99)"));
        hardware->memorySpin()->setValue(512);  // the tutorial's -m 512
        QVERIFY(testing::saveScreenshot(wizard, QStringLiteral("ppc-wizard-detected")));
        wizard->next();
        QCOMPARE(wizard->currentId(), int(NewVmWizard::DiskPageId));
        QVERIFY(wizard->diskPage()->newDiskButton()->isChecked());
        wizard->diskPage()->sizeSpin()->setValue(15);  // qemu-img create -f qcow2 debian-ppc.qcow2 15G
        wizard->next();
        QCOMPARE(wizard->currentId(), int(NewVmWizard::NetworkPageId));
        auto* hostPort = qobject_cast<QSpinBox*>(
            wizard->networkPage()->forwardEditor()->table()->cellWidget(0, kHostPortColumn));
        QVERIFY(hostPort);
        QCOMPARE(hostPort->value(), 2222);  // the tutorial's -redir tcp:2222::22
        hostPort->setValue(sshPort_);       // a free one, so runs cannot collide
        wizard->next();
        QCOMPARE(wizard->currentId(), int(NewVmWizard::SummaryPageId));
        wizard->summaryPage()->nameEdit()->setText(QStringLiteral("Debian PPC"));
        QVERIFY(wizard->startAfterCreation());
        wizard->button(QWizard::FinishButton)->click();
        QVERIFY2(wizard->result() == QDialog::Accepted,
                 qPrintable(wizard->summaryPage()->problemLabel()->text()));
    }

    vm::VmConfig config() const {
        const vm::VmEntry entry = vm::VmLibrary::loadEntry(bundle_);
        return entry.config ? *entry.config : vm::VmConfig{};
    }
    QString diskPath() const { return vm::VmBundle(bundle_).resolve(config().disks.value(0).file); }

private slots:
    void initTestCase() {
        QString error;
        iso_ = testing::guestFixtures(&error).value(QStringLiteral("PPC_INSTALLER_ISO"));
        QVERIFY2(!iso_.isEmpty(),
                 qPrintable(QStringLiteral("the ppc-installer-disc fixture could not be built: ") + error));
        key_ = keys_.filePath(QStringLiteral("id_ed25519"));
        QCOMPARE(QProcess::execute(QStringLiteral("ssh-keygen"),
                                   {QStringLiteral("-q"), QStringLiteral("-t"), QStringLiteral("ed25519"),
                                    QStringLiteral("-N"), QString(), QStringLiteral("-f"), key_}),
                 0);
        sshPort_ = testing::freePort();
    }

    void theWizardDetectsPowerPcAndStartsTheExpressInstall() {
        library_ = std::make_unique<ui::MainWindow>(root_.path());
        library_->show();
        QTimer::singleShot(0, this, [this] {
            auto* wizard = qobject_cast<NewVmWizard*>(QApplication::activeModalWidget());
            fillInWizard(wizard);
            if (wizard && wizard->isVisible()) wizard->reject();  // a failed check must not leave it open
        });
        library_->findChild<QAction*>(QStringLiteral("actionNewVm"))->trigger();
        QVERIFY(!QTest::currentTestFailed());
        const QList<vm::VmEntry> vms = vm::VmLibrary(root_.path()).scan();
        QCOMPARE(vms.size(), 1);
        bundle_ = vms[0].bundle.directory();
        const vm::VmConfig c = config();
        QCOMPARE(c.board, QStringLiteral("mac99"));
        QCOMPARE(c.disks.size(), 2);  // the new disk (/dev/sda) and the answer disk (/dev/sdb)
        QCOMPARE(c.disks[1].file, QLatin1String(vm::kAnswersDiskFile));
        window_ = library_->windowFor(bundle_);
        watch_.setWindow(window_);
        QVERIFY(window_);
        QCOMPARE(window_->runner()->state(), vm::VmRunner::State::Running);
        watch_.watchErrorBoxes();
    }

    void theInstallerReadsTheAnswersAndShowsItsProgress() {
        QVERIFY(watch_.waitForConsole(QStringLiteral("\\[1/6\\] Partitioning /dev/sda"), kStepTimeoutMs));
        // mke2fs on the 15 GiB disk takes seconds: its line stays the screen's last one meanwhile.
        QVERIFY(watch_.waitForConsole(QStringLiteral("\\[3/6\\] Making an ext2 file system"), kStepTimeoutMs));
        QCOMPARE(window_->tabs()->currentWidget(), window_->screen());
        QVERIFY(testing::saveScreenshot(window_, QStringLiteral("ppc-install-progress"), 300));
        if (console().contains(QStringLiteral("[6/6]")))
            qWarning("the install was faster than the screenshot: ppc-install-progress.png shows its end");
        QVERIFY(watch_.waitForConsole(QStringLiteral("answers from /dev/sdb: host name ") + kHostname +
                                   QStringLiteral(", user ") + kUser +
                                   QStringLiteral(", ssh key for root and ") + kUser,
                               kStepTimeoutMs));
    }

    void theFinishedInstallRestartsFromTheDiskWithOpenBios() {
        QVERIFY(watch_.waitForConsole(QStringLiteral("tessera-install: Installation complete"), kStepTimeoutMs));
        const qsizetype finished = console().indexOf(QStringLiteral("Installation complete"));
        QVERIFY(watch_.waitForConsole(QStringLiteral("The installation has finished"), 60000, finished));
        QTRY_COMPARE_WITH_TIMEOUT(window_->runner()->state(), vm::VmRunner::State::Running, 30000);
        QVERIFY(
            window_->statusBar()->currentMessage().contains(QStringLiteral("ejected the installer disc")));
        const vm::VmConfig c = config();
        QVERIFY(c.cdrom.isEmpty());
        QCOMPARE(c.boot.order.value(0), QStringLiteral("disk"));
        QCOMPARE(c.boot.firmware, QString());  // OpenBIOS boots the disk's HFS+ partition
        QCOMPARE(c.disks.size(), 1);           // the answer disk is gone
        QVERIFY(watch_.waitForConsole(QStringLiteral("TESSERA-INSTALLED-READY Linux 6\\.1\\S* ppc"), kStepTimeoutMs,
                               finished));
    }

    void copySshCommandLogsInWithTheKey() {
        library_->selectBundle(bundle_);
        const QModelIndex card = library_->libraryView()->currentIndex();
        QCOMPARE(card.data(ui::VmLibraryModel::SshPortRole).toInt(), int(sshPort_));
        QGuiApplication::clipboard()->clear();
        library_->findChild<QAction*>(QStringLiteral("actionCopySshCommand"))->trigger();
        const QString command = QStringLiteral("ssh -p %1 %2@127.0.0.1").arg(sshPort_).arg(kUser);
        QCOMPARE(QGuiApplication::clipboard()->text(), command);
        QVERIFY(testing::saveScreenshot(library_.get(), QStringLiteral("ppc-library-ssh")));
        QCOMPARE(ssh(command.split(QLatin1Char(' ')) << QStringLiteral("uname -m; hostname")),
                 QStringLiteral("ppc\n") + kHostname);
    }

    void shutDownShrinkTheDiskAndStartAgain() {
        // Root has the key too: a clean shutdown from inside, as a person would.
        ssh({QStringLiteral("ssh"), QStringLiteral("-p"), QString::number(sshPort_),
             QStringLiteral("root@127.0.0.1"), QStringLiteral("poweroff")});
        QTRY_COMPARE_WITH_TIMEOUT(window_->runner()->state(), vm::VmRunner::State::Stopped, 120000);
        const QString disk = diskPath();
        const qint64 before = QFileInfo(disk).size();

        library_->selectBundle(bundle_);
        auto* shrink = library_->findChild<QAction*>(QStringLiteral("actionShrink"));
        QTRY_VERIFY(shrink->isEnabled());
        bool shrunk = false;
        QTimer::singleShot(0, this, [this, &shrunk] {
            auto* dialog = qobject_cast<ui::ShrinkDiskDialog*>(QApplication::activeModalWidget());
            [&] {
                QVERIFY(dialog);
                dialog->compressBox()->setChecked(true);  // img convert -c, as the tutorial
                QSignalSpy finished(dialog, &ui::ShrinkDiskDialog::finished);
                dialog->shrinkButton()->click();
                QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 300000);
                shrunk = finished.at(0).at(0).toBool();
                QVERIFY2(shrunk, qPrintable(dialog->resultLabel()->text()));
                QVERIFY(testing::saveScreenshot(dialog, QStringLiteral("ppc-shrink-disk")));  // "Done. Before: …, after: …"
            }();
            if (dialog) dialog->accept();
        });
        shrink->trigger();
        QVERIFY(shrunk);
        const qint64 after = QFileInfo(disk).size();
        qInfo() << "disk file before" << before << "after" << after;
        QVERIFY2(after < before, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
        QProcess check;
        check.start(QStringLiteral("qemu-img"), {QStringLiteral("check"), disk});
        QVERIFY(check.waitForFinished(120000));
        QVERIFY2(check.exitCode() == 0,
                 qPrintable(check.readAllStandardOutput() + check.readAllStandardError()));

        const qsizetype restarted = console().size();
        window_->findChild<QAction*>(QStringLiteral("actionStartVm"))->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(window_->runner()->state(), vm::VmRunner::State::Running, 30000);
        QVERIFY(watch_.waitForConsole(QStringLiteral("TESSERA-INSTALLED-READY Linux 6\\.1\\S* ppc"), kStepTimeoutMs,
                               restarted));
    }

    void cleanupTestCase() {
        if (window_ && window_->runner()->state() != vm::VmRunner::State::Stopped) {
            window_->runner()->powerOff();
            QTRY_COMPARE_WITH_TIMEOUT(window_->runner()->state(), vm::VmRunner::State::Stopped, 60000);
        }
        library_.reset();
    }
};

QTEST_MAIN(PpcTutorialInstallTest)
#include "ppc_tutorial_install_test.moc"
