// Specification (issue 16, item 2): quitting Tessera with VMs running never
// ends a guest silently. Quit (and the library window's close button) asks
// once, for every running VM — also one whose window was closed with Keep
// Running — in the quit dialog, not in one question per window:
// - Cancel: nothing stops and Tessera stays open;
// - Shut Down and Quit presses every guest's power button and waits, with
//   progress: the guests shut down, and what each had written only into its
//   page cache when Quit was chosen is on its disk; then every window closes;
// - a guest that ignores the power button is named once the (bounded) wait is
//   over; Power Off and Quit then stops it, and Tessera still writes out its own
//   image caches: the disk checks clean with `qemu-img check` and holds what the
//   guest wrote (O_DIRECT, no flush) just before.
// The guests are the Linux fixture (BusyBox acpid powers off on the power button).

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "core/vm/vm_library.h"
#include "linux_guest_fixture.h"
#include "support/guest_disk.h"
#include "support/guest_shell.h"
#include "ui/main_window.h"
#include "ui/quit_dialog.h"
#include "ui/vm_window.h"

using namespace tessera;

namespace {

// The Linux guest with a 64 MiB qcow2 disk, in `root`.
QString addLinuxVm(const QString& root, const QMap<QString, QString>& fixtures, const QString& name) {
    vm::VmConfig config = testing::linuxGuestConfig(fixtures);
    config.name = name;
    const auto bundle = vm::VmBundle::create(root, config);
    if (!bundle) return {};
    const QString disk = bundle->resolve(QStringLiteral("disk.qcow2"));
    if (QProcess::execute(testing::qemuImg(),
                          {QStringLiteral("create"), QStringLiteral("-q"), QStringLiteral("-f"),
                           QStringLiteral("qcow2"), disk, QStringLiteral("64M")}) != 0)
        return {};
    config.disks = {{QStringLiteral("disk.qcow2"), QStringLiteral("qcow2"), false}};
    return bundle->save(config) ? bundle->directory() : QString();
}

ui::VmWindow* startVm(ui::MainWindow& library, const QString& bundle) {
    library.selectBundle(bundle);
    library.findChild<QAction*>(QStringLiteral("actionStart"))->trigger();
    return library.windowFor(bundle);
}

bool shellReady(const ui::VmWindow* window) {
    return window->console()->text().contains(QRegularExpression(testing::kGuestShellReady));
}

// Runs `interact` on the quit dialog the next action opens.
void onQuitDialog(const std::function<void(ui::QuitDialog*)>& interact) {
    QTimer::singleShot(0, [interact] {
        auto* dialog = qobject_cast<ui::QuitDialog*>(QApplication::activeModalWidget());
        QVERIFY2(dialog, "quitting did not open the quit dialog");
        interact(dialog);
    });
}

}  // namespace

class QuitWithRunningVmsTest : public QObject {
    Q_OBJECT
    QMap<QString, QString> fixtures_;

private slots:
    void initTestCase() {
        QString error;
        fixtures_ = testing::guestFixtures(&error);
        if (fixtures_.isEmpty())
            QSKIP(qPrintable(QStringLiteral("the Linux guest fixture could not be built: ") + error));
        if (testing::qemuImg().isEmpty()) QSKIP("qemu-img is needed (scripts/setup.sh installs it)");
    }

    void shutDownAndQuitLetsEveryGuestSaveItsWork() {
        QTemporaryDir root;
        const QString alpha = addLinuxVm(root.path(), fixtures_, QStringLiteral("Alpha"));
        const QString beta = addLinuxVm(root.path(), fixtures_, QStringLiteral("Beta"));
        QVERIFY(!alpha.isEmpty() && !beta.isEmpty());
        ui::MainWindow library(root.path());
        library.show();
        QAction* quit = library.findChild<QAction*>(QStringLiteral("actionQuit"));
        const QList<ui::VmWindow*> windows{startVm(library, alpha), startVm(library, beta)};
        QMap<ui::VmWindow*, QString> written;  // SHA-256 of the guest's first MiB
        for (ui::VmWindow* window : windows) {
            QVERIFY(window);
            QTRY_VERIFY_WITH_TIMEOUT(shellReady(window), 240000);
            // Written without sync: only in the guest's page cache for now.
            const auto sum = testing::typeAndWait(
                *window,
                QStringLiteral("dd if=/dev/urandom of=/dev/vda bs=64k count=16 2>/dev/null; "
                               "echo SHA-$(dd if=/dev/vda bs=64k count=16 2>/dev/null | sha256sum)"),
                QStringLiteral("SHA-([0-9a-f]{64})"));
            QVERIFY(sum.hasMatch());
            written[window] = sum.captured(1);
        }
        // Alpha's window goes away, its VM keeps running.
        QTimer::singleShot(0, [] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box);
            for (QAbstractButton* button : box->buttons())
                if (button->text() == QLatin1String("Keep Running")) button->click();
        });
        QVERIFY(windows[0]->close());

        // Cancel: nothing happens.
        onQuitDialog([](ui::QuitDialog* dialog) {
            QStringList shown;
            for (const QLabel* label : dialog->findChildren<QLabel*>()) shown << label->text();
            QVERIFY2(shown.contains(QStringLiteral("Alpha:")) && shown.contains(QStringLiteral("Beta:")),
                     qPrintable(shown.join(QLatin1Char('|'))));
            QVERIFY(shown.contains(QStringLiteral("2 virtual machine(s) still running")));
            dialog->findChild<QPushButton*>(QStringLiteral("cancelQuit"))->click();
        });
        quit->trigger();
        QVERIFY(library.isVisible());
        for (ui::VmWindow* window : windows)
            QCOMPARE(window->runner()->state(), vm::VmRunner::State::Running);

        // Shut Down and Quit: the guests power off on their own, then Tessera closes.
        QString progress;
        onQuitDialog([&](ui::QuitDialog* dialog) {
            QVERIFY(dialog->shutDownButton()->isDefault());
            dialog->shutDownButton()->click();
            progress = dialog->message()->text();
        });
        quit->trigger();
        QVERIFY2(progress.contains(QStringLiteral("Waiting for the guests to shut down")),
                 qPrintable(progress));
        QVERIFY(!library.isVisible());
        for (ui::VmWindow* window : windows) {
            QVERIFY(!window->isVisible());
            QCOMPARE(window->runner()->state(), vm::VmRunner::State::Stopped);
            QVERIFY(window->console()->text().contains(QStringLiteral("TESSERA-GUEST-POWER-BUTTON")));
            const QString disk = window->runner()->entry().bundle.resolve(QStringLiteral("disk.qcow2"));
            QVERIFY(testing::imageChecksClean(disk));
            QCOMPARE(testing::guestDataSha256(disk, 1 << 20), written[window]);
        }
    }

    void aGuestThatIgnoresThePowerButtonIsPoweredOffAfterTheWait() {
        QTemporaryDir root;
        const QString bundle = addLinuxVm(root.path(), fixtures_, QStringLiteral("Stubborn"));
        QVERIFY(!bundle.isEmpty());
        ui::MainWindow library(root.path());
        library.show();
        ui::VmWindow* window = startVm(library, bundle);
        QVERIFY(window);
        QTRY_VERIFY_WITH_TIMEOUT(shellReady(window), 240000);
        // No acpid: the power button does nothing. The write bypasses the guest's cache and
        // is never flushed: only Tessera's image caches hold where it went.
        const auto sum = testing::typeAndWait(
            *window,
            QStringLiteral("killall acpid; dd if=/dev/urandom of=/tmp/data bs=64k count=16 2>/dev/null; "
                           "dd if=/tmp/data of=/dev/vda bs=64k count=16 oflag=direct 2>/dev/null; "
                           "echo SHA-$(sha256sum < /tmp/data)"),
            QStringLiteral("SHA-([0-9a-f]{64})"));
        QVERIFY(sum.hasMatch());

        QString afterTheWait;
        bool couldShutDownAgain = false;
        onQuitDialog([&](ui::QuitDialog* dialog) {
            dialog->setShutDownTimeout(3);
            dialog->shutDownButton()->click();
            QTRY_VERIFY_WITH_TIMEOUT(
                dialog->message()->text().contains(QStringLiteral("Still running: Stubborn")), 20000);
            afterTheWait = dialog->message()->text();
            couldShutDownAgain = dialog->shutDownButton()->isEnabled();
            QCOMPARE(window->runner()->state(), vm::VmRunner::State::Running);
            dialog->powerOffButton()->click();
        });
        QVERIFY(library.close());  // the close button quits too
        QVERIFY2(afterTheWait.contains(QStringLiteral("Power Off")), qPrintable(afterTheWait));
        QVERIFY(couldShutDownAgain);
        QVERIFY(!library.isVisible());
        QVERIFY(!window->isVisible());
        QCOMPARE(window->runner()->state(), vm::VmRunner::State::Stopped);
        QVERIFY(!window->console()->text().contains(QStringLiteral("TESSERA-GUEST-POWER-BUTTON")));
        const QString disk = window->runner()->entry().bundle.resolve(QStringLiteral("disk.qcow2"));
        QVERIFY(testing::imageChecksClean(disk));
        QCOMPARE(testing::guestDataSha256(disk, 1 << 20), sum.captured(1));
    }
};

QTEST_MAIN(QuitWithRunningVmsTest)
#include "quit_with_running_vms_test.moc"
