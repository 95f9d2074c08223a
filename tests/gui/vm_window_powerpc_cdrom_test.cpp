// Specification: a person makes a PowerPC VM from a Power Mac boot CD in the
// app and it boots from the disc (issue 14, "the New-VM wizard detects PowerPC
// from such a disc and creates a mac99 VM that runs"; "CD change and eject"):
// - the New-VM wizard, given the ppc-boot-media fixture's HFS+-blessed CD,
//   detects PowerPC and creates a mac99 VM with the disc in its drive, a new
//   qcow2 disk and the disc first in the boot order;
// - started in its window (no kernel of its own) OpenBIOS boots the disc: its
//   CHRP script starts the zImage, and Linux runs the disc's /init to its
//   ready marker and powers off;
// - Eject, offered while the disc is in the drive, empties the drive: the
//   window says there is no disc, config.json forgets it, and Eject is no
//   longer offered while Change Disc still is.

#include <QAbstractButton>
#include <QAction>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLineEdit>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

#include "core/devices/scsi_cdrom.h"
#include "core/vm/vm_library.h"
#include "core/vm/vm_machine_config.h"
#include "core/vm/vm_runner.h"
#include "linux_guest_fixture.h"
#include "ui/new_vm_wizard.h"
#include "ui/serial_console.h"
#include "ui/vm_window.h"
#include "ui/wizard_pages.h"

using namespace tessera;

class VmWindowPowerPcCdromTest : public QObject {
    Q_OBJECT

    QTemporaryDir root_;
    QString iso_, bundle_;
    std::unique_ptr<ui::VmWindow> window_;

    QString console() const { return window_->console()->text(); }

    bool waitForConsole(const QString& expect, int timeoutMs) {
        const QRegularExpression pattern(expect);
        QElapsedTimer waited;
        waited.start();
        while (!pattern.match(console()).hasMatch() && waited.elapsed() < timeoutMs) QTest::qWait(50);
        if (pattern.match(console()).hasMatch()) return true;
        qWarning().noquote() << "console so far:\n" << console().right(3000);
        return false;
    }

private slots:
    void initTestCase() {
        QString error;
        iso_ = testing::guestFixtures(&error).value(QStringLiteral("PPC_BOOT_ISO"));
        if (iso_.isEmpty())
            QSKIP(qPrintable(QStringLiteral("the ppc-boot-media fixture could not be built: ") + error));
    }

    void theWizardMakesAPowerMacThatBootsFromTheDisc() {
        ui::NewVmWizard wizard(root_.path());
        wizard.setCanStart(true);
        wizard.show();
        wizard.sourcePage()->setKind(ui::SourceKind::Iso);
        wizard.sourcePage()->isoEdit()->setText(iso_);
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ui::NewVmWizard::HardwarePageId));
        ui::HardwarePage* hardware = wizard.hardwarePage();
        QCOMPARE(hardware->arch(), QStringLiteral("ppc"));
        hardware->memorySpin()->setValue(512);
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ui::NewVmWizard::DiskPageId));
        QVERIFY(wizard.diskPage()->newDiskButton()->isChecked());  // an installer disc installs onto a disk
        wizard.diskPage()->sizeSpin()->setValue(1);
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ui::NewVmWizard::NetworkPageId));
        wizard.next();
        QCOMPARE(wizard.currentId(), int(ui::NewVmWizard::SummaryPageId));
        wizard.summaryPage()->nameEdit()->setText(QStringLiteral("Power Mac CD"));
        wizard.button(QWizard::FinishButton)->click();
        QCOMPARE(wizard.result(), int(QDialog::Accepted));

        bundle_ = wizard.createdBundle();
        QVERIFY(testing::moveForwardsToFreePorts(bundle_));
        const vm::VmEntry entry = vm::VmLibrary::loadEntry(bundle_);
        QVERIFY2(!entry.broken(), qPrintable(entry.error));
        const vm::VmConfig& c = *entry.config;
        QCOMPARE(c.arch, QStringLiteral("ppc"));
        QCOMPARE(c.board, QStringLiteral("mac99"));
        QCOMPARE(c.cdrom, QFileInfo(iso_).absoluteFilePath());
        QCOMPARE(c.disks.size(), 1);
        QCOMPARE(c.disks.first().format, QStringLiteral("qcow2"));
        QVERIFY(c.boot.kernel.isEmpty());
        QCOMPARE(c.boot.order.value(0), QStringLiteral("cdrom"));
        QVERIFY2(vm::whyEmulatorCannotRun(c).isEmpty(), qPrintable(vm::whyEmulatorCannotRun(c)));
    }

    void itBootsFromTheDiscInItsWindowAndEjectEmptiesTheDrive() {
        QVERIFY(!bundle_.isEmpty());
        window_ = std::make_unique<ui::VmWindow>(vm::VmLibrary::loadEntry(bundle_));
        window_->show();
        auto* eject = window_->findChild<QAction*>(QStringLiteral("actionEjectCd"));
        auto* change = window_->findChild<QAction*>(QStringLiteral("actionChangeCd"));
        auto* discName = window_->findChild<QAction*>(QStringLiteral("actionDiscName"));
        QSignalSpy finished(window_->runner(), &vm::VmRunner::finished);
        const Status started = window_->start();
        QVERIFY2(started.ok(), started.ok() ? "" : started.message().c_str());
        QVERIFY(window_->runner()->cdrom());
        QVERIFY(window_->runner()->cdrom()->hasMedia());
        QVERIFY(change->isEnabled());
        QVERIFY(eject->isEnabled());
        QVERIFY2(discName->text().contains(QFileInfo(iso_).fileName()), qPrintable(discName->text()));

        // OpenBIOS reads the disc's CHRP script and loads its zImage (kernel and
        // initramfs in one) into memory: once Linux runs (on the serial console;
        // OpenBIOS and the zImage wrapper write to the VM's screen) the disc may go.
        QVERIFY(window_->runner()->display());
        QVERIFY(waitForConsole(QStringLiteral("Run /init as init process"), 600000));
        eject->trigger();
        QVERIFY(!window_->runner()->cdrom()->hasMedia());
        QVERIFY(!eject->isEnabled());
        QVERIFY(change->isEnabled());
        QCOMPARE(discName->text(), QStringLiteral("No disc in the drive"));
        QVERIFY(vm::VmLibrary::loadEntry(bundle_).config->cdrom.isEmpty());

        QVERIFY(waitForConsole(QStringLiteral("TESSERA-GUEST-READY Linux 6\\.1\\S* ppc"), 300000));
        QVERIFY(waitForConsole(QStringLiteral("TESSERA-GUEST-POWEROFF"), 300000));
        // The guest's poweroff stops the machine (perhaps already, while the marker was read).
        QTRY_COMPARE_WITH_TIMEOUT(window_->runner()->state(), vm::VmRunner::State::Stopped, 120000);
        QCOMPARE(finished.count(), 1);
        QVERIFY(!eject->isEnabled());
    }

    void cleanupTestCase() { window_.reset(); }
};

QTEST_MAIN(VmWindowPowerPcCdromTest)
#include "vm_window_powerpc_cdrom_test.moc"
