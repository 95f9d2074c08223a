// Specification: a person makes a PowerPC VM in the app and runs it without a
// terminal (issues 13 and 14, "the wizard and library know the architecture";
// "a GUI test starts a PowerPC VM in its window"):
// - the New-VM wizard, given the linux-ppc32 kernel (a 32-bit PowerPC ELF) and
//   the initramfs-ppc32 BusyBox, detects PowerPC and proposes "PowerPC 32-bit
//   (Power Mac, mac99)", offers one CPU and at most 2047 MiB (the Power Mac's
//   limits) and creates a mac99 VM;
// - the library card shows the architecture;
// - started in its window the VM runs OpenBIOS and Linux on the PowerPC JIT; the
//   Serial Console shows the guest reach its ready marker and shell, answers
//   typed commands; the VM's screen is the board's VGA (with the ADB keyboard
//   and mouse) and its network card the e1000 the guest finds as eth0;
// - its empty CD-ROM drive takes a disc (Change Disc) and has none to eject;
// - Pause holds the guest (typed input waits) until it is resumed;
// - Power Off stops it and releases the machine;
// - `tessera-cli run --vm` runs the same bundle to its shell.

#include <QAbstractButton>
#include <QAction>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

#include "core/vm/vm_library.h"
#include "core/vm/vm_runner.h"
#include "linux_guest_fixture.h"
#include "ui/new_vm_wizard.h"
#include "ui/serial_console.h"
#include "ui/vm_library_model.h"
#include "ui/vm_window.h"
#include "ui/wizard_pages.h"

using namespace tessera;

class VmWindowPowerPcTest : public QObject {
    Q_OBJECT

    QTemporaryDir root_, files_;
    QMap<QString, QString> fixtures_;
    QString bundle_;
    std::unique_ptr<ui::VmWindow> window_;
    QStringList notices_;

    QString console() const { return window_->console()->text(); }

    // Types a command into the serial shell (none if null) and waits for
    // `expect` in what the guest prints afterwards.
    bool serial(const QString& command, const QString& expect, int timeoutMs = 60000) {
        const qsizetype from = console().size();
        if (!command.isNull()) window_->runner()->sendSerialInput((command + QLatin1Char('\n')).toUtf8());
        const QRegularExpression pattern(expect);
        QElapsedTimer waited;
        waited.start();
        while (!pattern.match(console(), from).hasMatch() && waited.elapsed() < timeoutMs) QTest::qWait(50);
        if (pattern.match(console(), from).hasMatch()) return true;
        qWarning().noquote() << "console so far:\n" << console().right(3000);
        return false;
    }

private slots:
    void initTestCase() {
        QString error;
        fixtures_ = testing::guestFixtures(&error);
        if (fixtures_.value(QStringLiteral("PPC_LINUX_VMLINUX")).isEmpty())
            QSKIP(qPrintable(QStringLiteral("the PowerPC guest fixture could not be built: ") + error));
    }

    void theWizardMakesAPowerMacFromAPowerPcKernel() {
        ui::NewVmWizard wizard(root_.path());
        wizard.setCanStart(true);
        wizard.show();
        wizard.sourcePage()->setKind(ui::SourceKind::Kernel);
        wizard.sourcePage()->kernelEdit()->setText(fixtures_.value(QStringLiteral("PPC_LINUX_VMLINUX")));
        wizard.sourcePage()->initrdEdit()->setText(fixtures_.value(QStringLiteral("PPC_INITRAMFS")));
        wizard.sourcePage()->appendEdit()->setText(QStringLiteral("console=ttyPZ0 tessera.shell"));
        wizard.next();

        ui::HardwarePage* hardware = wizard.hardwarePage();
        QCOMPARE(hardware->arch(), QStringLiteral("ppc"));
        QCOMPARE(hardware->archCombo()->currentText(), QStringLiteral("PowerPC 32-bit (Power Mac, mac99)"));
        QVERIFY2(hardware->detectionLabel()->text().contains(QStringLiteral("ELF")),
                 qPrintable(hardware->detectionLabel()->text()));
        QCOMPARE(hardware->cpuSpin()->maximum(), 1);  // one CPU on a Power Mac
        QVERIFY(hardware->memorySpin()->maximum() <= 2047);
        hardware->memorySpin()->setValue(4096);
        QVERIFY(hardware->memorySpin()->value() <= 2047);
        hardware->memorySpin()->setValue(256);
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ui::NewVmWizard::DiskPageId));
        QVERIFY(wizard.diskPage()->noDiskButton()->isChecked());  // a kernel + initrd runs from memory
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ui::NewVmWizard::NetworkPageId));
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ui::NewVmWizard::SummaryPageId));
        wizard.summaryPage()->nameEdit()->setText(QStringLiteral("Power Mac"));
        wizard.button(QWizard::FinishButton)->click();
        QCOMPARE(wizard.result(), int(QDialog::Accepted));

        bundle_ = wizard.createdBundle();
        QVERIFY(testing::moveForwardsToFreePorts(bundle_));
        const vm::VmEntry entry = vm::VmLibrary::loadEntry(bundle_);
        QVERIFY2(!entry.broken(), qPrintable(entry.error));
        QCOMPARE(entry.config->arch, QStringLiteral("ppc"));
        QCOMPARE(entry.config->board, QStringLiteral("mac99"));
        QCOMPARE(entry.config->cpus, 1);
        QCOMPARE(entry.config->memoryBytes, uint64_t(256) << 20);
        QVERIFY(entry.config->disks.isEmpty());
    }

    void theLibraryCardShowsTheArchitecture() {
        QVERIFY(!bundle_.isEmpty());
        ui::VmLibraryModel model(root_.path());
        QTRY_COMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0).data(ui::VmLibraryModel::ArchLabelRole).toString(),
                 QStringLiteral("PowerPC 32-bit"));
    }

    void theVmStartsInItsWindowAndReachesTheShell() {
        QVERIFY(!bundle_.isEmpty());
        const vm::VmEntry entry = vm::VmLibrary::loadEntry(bundle_);
        QVERIFY(entry.config);
        const bool hasScreen = entry.config->display.type != QLatin1String("none");
        const bool hasNic = !entry.config->nics.isEmpty();
        window_ = std::make_unique<ui::VmWindow>(entry);
        connect(window_->runner(), &vm::VmRunner::notice, this,
                [this](const QString& text) { notices_ << text; });
        window_->show();
        const Status started = window_->start();
        QVERIFY2(started.ok(), started.ok() ? "" : started.message().c_str());
        QVERIFY(serial(QString(), QStringLiteral("OpenBIOS 1\\.1"), 120000));
        QVERIFY(serial(QString(), QStringLiteral("TESSERA-GUEST-READY Linux 6\\.1\\S* ppc"), 600000));
        QVERIFY(serial(QStringLiteral("echo answer-$((6 * 7))"), QStringLiteral("answer-42")));
        QVERIFY(serial(QStringLiteral("uname -m"), QStringLiteral("\\nppc\\r?\\n")));
        // The VM's screen, keyboard and network card are the Power Mac's VGA, ADB and e1000.
        QCOMPARE(window_->runner()->display() != nullptr, hasScreen);
        QVERIFY(window_->runner()->keyboard());
        if (hasNic)
            QVERIFY(serial(QStringLiteral("cat /sys/class/net/eth0/device/vendor /sys/class/net/eth0/device/device"),
                           QStringLiteral("0x8086\\s+0x100e")));
        // The CD-ROM drive is there, empty: a disc can go in, none can come out.
        QVERIFY(window_->runner()->cdrom());
        QVERIFY(window_->findChild<QAction*>(QStringLiteral("actionChangeCd"))->isEnabled());
        QVERIFY(!window_->findChild<QAction*>(QStringLiteral("actionEjectCd"))->isEnabled());
        QVERIFY(window_->findChild<QAction*>(QStringLiteral("actionPowerOff"))->isEnabled());
    }

    void pauseHoldsTheGuestUntilResumed() {
        QVERIFY(window_);
        window_->runner()->setPaused(true);
        QCOMPARE(window_->runner()->state(), vm::VmRunner::State::Paused);
        QVERIFY(!serial(QStringLiteral("echo held-$((3 * 5))"), QStringLiteral("held-15"), 3000));
        window_->runner()->setPaused(false);
        QVERIFY(serial(QString(), QStringLiteral("held-15")));
    }

    void powerOffStopsIt() {
        QVERIFY(window_);
        QSignalSpy finished(window_->runner(), &vm::VmRunner::finished);
        window_->runner()->powerOff();  // what Power Off does once confirmed
        QVERIFY(finished.wait(60000));
        QCOMPARE(window_->runner()->state(), vm::VmRunner::State::Stopped);
    }

    // The same bundle from the command line: `tessera-cli run --vm` builds the
    // same Power Mac (on the JIT) and its shell answers on stdio.
    void theCliRunsTheSameBundle() {
        QVERIFY(!bundle_.isEmpty());
        QProcess cli;
        cli.setProcessChannelMode(QProcess::MergedChannels);
        cli.start(qEnvironmentVariable("TESSERA_CLI"),
                  {QStringLiteral("run"), QStringLiteral("--vm"), bundle_, QStringLiteral("--timeout"),
                   QStringLiteral("300")});
        QVERIFY(cli.waitForStarted());
        QByteArray output;
        auto waitFor = [&](const QByteArray& text) {
            QElapsedTimer waited;
            waited.start();
            while (!output.contains(text) && waited.elapsed() < 300000 &&
                   cli.state() != QProcess::NotRunning) {
                cli.waitForReadyRead(200);
                output += cli.readAll();
            }
            return output.contains(text);
        };
        QVERIFY2(waitFor("TESSERA-GUEST-READY Linux"), output.right(3000).constData());
        QVERIFY2(waitFor("/ # "), output.right(3000).constData());
        cli.write("poweroff -f\n");
        QVERIFY(cli.waitForFinished(120000));
        QCOMPARE(cli.exitCode(), 0);
    }

    void cleanupTestCase() { window_.reset(); }
};

QTEST_MAIN(VmWindowPowerPcTest)
#include "vm_window_powerpc_test.moc"
