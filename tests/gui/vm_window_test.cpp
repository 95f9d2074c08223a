// Specification: Start opens a VM window that runs the real guest on its own
// thread: Debian's OpenSBI + U-Boot (packages opensbi, u-boot-qemu) print to
// the serial console, keys typed into the console reach U-Boot's shell, and
// closing the window while the VM runs asks (Keep Running hides it, Open Window
// brings it back), and Power Off stops the VM and the library shows it stopped again.
// Port Forwards… applies forwards to the running VM where the user said, read back
// from the kernel: "localhost" listens on 127.0.0.1 only, 0.0.0.0 on every interface
// after the user confirms it, and "::1" is refused by row and column with nothing listening.
// Eject is offered only while there is a disc in the drive, whatever the VM's state.
// Every toolbar item has an icon even where the desktop has no icon theme.
// Screenshot… opens in the Pictures folder, even on an account that has none yet.
// A run's serial output and Tessera's notes are in the library's Show Logs.
// Starting a VM whose forwarded host port a running VM holds names that VM and
// offers the next free port, which the VM then listens on.

#include "ui/vm_window.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QToolBar>
#include <QToolButton>
#include <QWidgetAction>
#include <QtTest>

#include "core/vm/vm_bundle.h"
#include "core/vm/vm_machine_config.h"
#include "support/exposure_question.h"
#include "support/listening_sockets.h"
#include "support/port_forwards.h"
#include "ui/main_window.h"
#include "ui/port_forward_editor.h"
#include "ui/port_forwards_dialog.h"
#include "ui/run_logs_dialog.h"
#include "ui/vm_library_model.h"

using namespace tessera;

namespace {
const QString kUboot = QStringLiteral("/usr/lib/u-boot/qemu-riscv64_smode/uboot.elf");

// A VM that runs U-Boot directly, with the serial console as its screen.
vm::VmConfig ubootVm(const QString& name) {
    vm::VmConfig config;
    config.name = name;
    config.memoryBytes = uint64_t(256) << 20;
    config.boot.kernel = kUboot;
    config.display.type = QStringLiteral("none");
    return config;
}

std::string listening(quint16 port) {
    return testing::describe(testing::listeningAddresses(port));
}

// Opens Port Forwards… and runs `interact` on the open dialog; a dialog still open afterwards is cancelled.
void withPortForwardsDialog(ui::VmWindow& window,
                            const std::function<void(ui::PortForwardsDialog*)>& interact) {
    bool ran = false;
    QTimer::singleShot(0, &window, [&] {
        auto* dialog = window.findChild<ui::PortForwardsDialog*>();
        QVERIFY(dialog);
        ran = true;
        interact(dialog);
        if (dialog->isVisible()) dialog->reject();
    });
    window.findChild<QAction*>(QStringLiteral("actionPortForwards"))->trigger();
    QVERIFY(ran);
}

}  // namespace

class VmWindowTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (!QFile::exists(kUboot) || !QFile::exists(QLatin1String(vm::kDefaultRiscvFirmware)))
            QSKIP("opensbi and u-boot-qemu are needed (scripts/setup.sh installs them)");
    }

    void bootsUbootAndTypingReachesTheGuest() {
        QTemporaryDir root;
        const vm::VmConfig config = ubootVm(QStringLiteral("U-Boot"));
        const auto bundle = vm::VmBundle::create(root.path(), config);
        QVERIFY(bundle.ok());

        ui::MainWindow library(root.path());
        library.show();
        library.selectBundle(bundle->directory());
        library.findChild<QAction*>(QStringLiteral("actionStart"))->trigger();
        auto* window = library.findChild<ui::VmWindow*>();
        QVERIFY(window);
        const QModelIndex row = library.libraryModel()->indexForBundle(bundle->directory());
        QCOMPARE(row.data(ui::VmLibraryModel::StateRole).toInt(), int(ui::VmRunState::Running));

        QTRY_VERIFY_WITH_TIMEOUT(window->console()->text().contains(QStringLiteral("OpenSBI")), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(window->console()->text().contains(QStringLiteral("=>")), 120000);
        // Interrupt autoboot if it is counting down, then type a command.
        auto* view = window->console()->findChild<QPlainTextEdit*>(QStringLiteral("serialConsole"));
        QTest::keyClick(view, Qt::Key_Return);
        QTest::keyClicks(view, QStringLiteral("echo typed-into-tessera"));
        QTest::keyClick(view, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(window->console()->text().count(QStringLiteral("typed-into-tessera")) >= 2, 60000);

        QVERIFY(!window->screen());  // no display: the serial console is the whole window
        QCOMPARE(window->tabs()->count(), 1);

        // Closing a running VM's window asks; "Keep Running" hides the window and the VM
        // goes on; Open Window in the library brings the same window back.
        QTimer::singleShot(0, this, [] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box);
            for (QAbstractButton* button : box->buttons())
                if (button->text() == QLatin1String("Keep Running")) button->click();
        });
        QVERIFY(window->close());
        QVERIFY(!window->isVisible());
        QCOMPARE(window->runner()->state(), vm::VmRunner::State::Running);
        library.findChild<QAction*>(QStringLiteral("actionOpenWindow"))->trigger();
        QCOMPARE(library.findChildren<ui::VmWindow*>().size(), 1);
        QVERIFY(window->isVisible());

        QSignalSpy finished(window->runner(), &vm::VmRunner::finished);
        window->runner()->powerOff();
        QVERIFY(finished.wait(30000));
        QTRY_COMPARE(library.libraryModel()->indexForBundle(bundle->directory()).data(ui::VmLibraryModel::StateRole).toInt(),
                     int(ui::VmRunState::Stopped));
        QTRY_VERIFY(library.libraryModel()->indexForBundle(bundle->directory()).data(ui::VmLibraryModel::LastRunRole).toDateTime().isValid());
    }

    void portForwardsListenWhereTheUserSaid() {
        QTemporaryDir root;
        vm::VmConfig config = ubootVm(QStringLiteral("Forwards"));
        config.nics = {vm::NetworkInterface{}};
        const auto bundle = vm::VmBundle::create(root.path(), config);
        QVERIFY(bundle.ok());
        ui::VmWindow window(vm::VmLibrary::loadEntry(bundle->directory()));
        QVERIFY(window.start().ok());
        window.show();
        const quint16 ipv6 = testing::freePort(), localhost = testing::freePort(),
                      everywhere = testing::freePort();
        bool asked = false;

        // "::1": the row is refused where it is, nothing is applied and nothing listens.
        withPortForwardsDialog(window, [&](ui::PortForwardsDialog* dialog) {
            dialog->editor()->addRow(testing::portForward(QStringLiteral("::1"), ipv6));
            dialog->accept();
            QVERIFY(dialog->isVisible());
            const QString problem = dialog->findChild<QLabel*>(QStringLiteral("problem"))->text();
            QVERIFY2(problem.contains(QStringLiteral("Row 1, Listen on: \"::1\" is not an IPv4 address")),
                     qPrintable(problem));
        });
        QVERIFY2(testing::listeningAddresses(ipv6).empty(), listening(ipv6).c_str());
        QVERIFY(window.runner()->entry().config->nics.first().forwards.isEmpty());

        // "localhost": this computer only, applied without a question.
        withPortForwardsDialog(window, [&](ui::PortForwardsDialog* dialog) {
            dialog->editor()->addRow(testing::portForward(QStringLiteral("localhost"), localhost));
            testing::answerExposureQuestion(dialog, testing::kCancel, asked);
            dialog->accept();
            QVERIFY(!dialog->isVisible());
        });
        QVERIFY(!asked);
        QCOMPARE(listening(localhost), std::string("127.0.0.1"));
        if (const auto lan = testing::nonLoopbackAddress()) QVERIFY(!testing::acceptsTcp(*lan, localhost));

        // 0.0.0.0: asked first; Cancel keeps the dialog open and applies nothing ...
        withPortForwardsDialog(window, [&](ui::PortForwardsDialog* dialog) {
            dialog->editor()->addRow(testing::portForward(QStringLiteral("0.0.0.0"), everywhere));
            testing::answerExposureQuestion(dialog, testing::kCancel, asked);
            dialog->accept();
            QVERIFY(asked);
            QVERIFY(dialog->isVisible());
            QVERIFY2(testing::listeningAddresses(everywhere).empty(), listening(everywhere).c_str());
            // ... allowing it applies it.
            testing::answerExposureQuestion(dialog, testing::kAllowOtherComputers, asked);
            dialog->accept();
            QVERIFY(asked);
            QVERIFY(!dialog->isVisible());
        });
        QCOMPARE(listening(everywhere), std::string("0.0.0.0"));
        if (const auto lan = testing::nonLoopbackAddress()) QVERIFY(testing::acceptsTcp(*lan, everywhere));
        QCOMPARE(vm::VmBundle(bundle->directory()).load()->nics.first().forwards,
                 (QList<vm::PortForward>{testing::portForward(QStringLiteral("localhost"), localhost),
                                         testing::portForward(QStringLiteral("0.0.0.0"), everywhere)}));

        // Applying the same list again does not ask again.
        withPortForwardsDialog(window, [&](ui::PortForwardsDialog* dialog) {
            testing::answerExposureQuestion(dialog, testing::kCancel, asked);
            dialog->accept();
            QVERIFY(!dialog->isVisible());
        });
        QVERIFY(!asked);
        QCOMPARE(listening(everywhere), std::string("0.0.0.0"));
    }

    void ejectIsOfferedOnlyWithADiscInTheDrive() {
        QTemporaryDir root;
        const auto bundle = vm::VmBundle::create(root.path(), ubootVm(QStringLiteral("Drive")));
        QVERIFY(bundle.ok());
        QFile disc(root.filePath(QStringLiteral("disc.iso")));
        QVERIFY(disc.open(QIODevice::WriteOnly) && disc.resize(64 * 2048));
        disc.close();
        ui::VmWindow window(vm::VmLibrary::loadEntry(bundle->directory()));
        auto* eject = window.findChild<QAction*>(QStringLiteral("actionEjectCd"));
        auto* pause = window.findChild<QAction*>(QStringLiteral("actionPause"));
        QVERIFY(window.start().ok());
        QVERIFY(!eject->isEnabled());
        pause->trigger();  // pausing and resuming does not put a disc in
        QVERIFY(!eject->isEnabled());
        pause->trigger();
        QVERIFY(!eject->isEnabled());

        QVERIFY(window.changeCd(disc.fileName()).ok());
        QVERIFY(eject->isEnabled());
        pause->trigger();
        QVERIFY(eject->isEnabled());
        pause->trigger();
        QVERIFY(window.ejectCd().ok());
        QVERIFY(!eject->isEnabled());

        QSignalSpy finished(window.runner(), &vm::VmRunner::finished);
        window.runner()->powerOff();
        QVERIFY(finished.wait(30000));
        QVERIFY(!eject->isEnabled());
    }

    void theScreenshotDialogOpensInThePicturesFolder() {
        QTemporaryDir home;  // a new account: no Pictures folder yet
        const QByteArray realHome = qgetenv("HOME");
        qputenv("HOME", home.path().toLocal8Bit());
        const QString pictures = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
        QCOMPARE(pictures, home.filePath(QStringLiteral("Pictures")));
        QTemporaryDir root;
        const auto bundle = vm::VmBundle::create(root.path(), ubootVm(QStringLiteral("Camera")));
        ui::VmWindow window(vm::VmLibrary::loadEntry(bundle->directory()));
        window.show();
        QString openedIn, proposed;
        QTimer::singleShot(0, &window, [&] {
            auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            openedIn = dialog->directory().absolutePath();
            proposed = dialog->selectedFiles().value(0);
            dialog->reject();
        });
        window.findChild<QAction*>(QStringLiteral("actionScreenshot"))->trigger();
        qputenv("HOME", realHome);
        QCOMPARE(openedIn, pictures);
        QVERIFY2(
            QFileInfo(proposed).fileName().startsWith(QStringLiteral("Camera ")) && proposed.endsWith(".png"),
            qPrintable(proposed));
    }

    void everyToolbarItemHasAnIconWithoutAnIconTheme() {
        QIcon::setThemeName(QStringLiteral("no-such-theme"));  // a bare system
        QIcon::setFallbackThemeName(QStringLiteral("no-such-theme"));
        vm::VmConfig config = ubootVm(QStringLiteral("Icons"));
        config.display.type = QStringLiteral("framebuffer");  // with the display-only items
        QTemporaryDir root;
        const auto bundle = vm::VmBundle::create(root.path(), config);
        ui::VmWindow window(vm::VmLibrary::loadEntry(bundle->directory()));
        auto* toolbar = window.findChild<QToolBar*>(QStringLiteral("machineToolbar"));
        int items = 0;
        for (QAction* action : toolbar->actions()) {
            if (action->isSeparator()) continue;
            auto* widgetAction = qobject_cast<QWidgetAction*>(action);
            auto* button = widgetAction ? qobject_cast<QToolButton*>(widgetAction->defaultWidget())
                                        : qobject_cast<QToolButton*>(toolbar->widgetForAction(action));
            QVERIFY(button);
            QVERIFY2(!button->icon().pixmap(16, 16).isNull(), qPrintable(button->text()));
            ++items;
        }
        QVERIFY(items >= 10);
        QVERIFY(!window.findChild<QAction*>(QStringLiteral("actionPause"))->icon().pixmap(16, 16).isNull());
    }

    void theLibraryShowsTheLogsOfTheLastRun() {
        QTemporaryDir root;
        const auto bundle = vm::VmBundle::create(root.path(), ubootVm(QStringLiteral("Logged")));
        QVERIFY(bundle.ok());
        ui::MainWindow library(root.path());
        library.selectBundle(bundle->directory());
        library.findChild<QAction*>(QStringLiteral("actionStart"))->trigger();
        auto* window = library.findChild<ui::VmWindow*>();
        QVERIFY(window);
        QTRY_VERIFY_WITH_TIMEOUT(window->console()->text().contains(QStringLiteral("OpenSBI")), 60000);
        QSignalSpy finished(window->runner(), &vm::VmRunner::finished);
        window->findChild<QAction*>(QStringLiteral("actionPause"))->trigger();
        window->findChild<QAction*>(QStringLiteral("actionPause"))->trigger();
        window->runner()->powerOff();
        QVERIFY(finished.wait(30000));

        bool shown = false;
        QTimer::singleShot(0, &library, [&] {
            auto* dialog = library.findChild<ui::RunLogsDialog*>();
            QVERIFY(dialog);
            shown = true;
            QCOMPARE(dialog->runs()->count(), 1);
            QVERIFY(dialog->serialText().contains(QStringLiteral("OpenSBI")));
            const QString notes = dialog->tesseraText();
            for (const char* line : {"Tessera", "\"Logged\"", "qemu-system-riscv64", "paused", "resumed",
                                     "powered off by the user", "The VM was powered off."})
                QVERIFY2(notes.contains(QLatin1String(line)),
                         qPrintable(line + QStringLiteral(" in:\n") + notes));
            dialog->reject();
        });
        library.findChild<QAction*>(QStringLiteral("actionShowLogs"))->trigger();
        QVERIFY(shown);
    }

    void aHostPortHeldByAnotherVmIsNamedAndTheNextFreePortOffered() {
        QTemporaryDir root;
        const quint16 port = testing::freePort();
        vm::VmConfig first = ubootVm(QStringLiteral("First"));
        first.nics = {vm::NetworkInterface{}};
        first.nics.first().forwards = {testing::portForward(QStringLiteral("localhost"), port)};
        vm::VmConfig second = first;
        second.name = QStringLiteral("Second");
        const auto holder = vm::VmBundle::create(root.path(), first);
        const auto blocked = vm::VmBundle::create(root.path(), second);
        ui::MainWindow library(root.path());
        library.selectBundle(holder->directory());
        library.startSelected();
        QCOMPARE(library.findChildren<ui::VmWindow*>().size(), 1);

        QString asked;
        quint16 offered = 0;
        QTimer::singleShot(0, &library, [&] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            QVERIFY(box);
            QCOMPARE(box->objectName(), QStringLiteral("portConflict"));
            asked = box->text();
            auto* use = box->findChild<QPushButton*>(QStringLiteral("useFreePort"));
            QVERIFY(use);
            offered = use->text().section(QLatin1Char(' '), -1).toUShort();
            use->click();
        });
        library.selectBundle(blocked->directory());
        library.startSelected();
        QVERIFY2(asked.contains(QStringLiteral("Host port %1 is already used by the VM “First”").arg(port)),
                 qPrintable(asked));
        QVERIFY(offered > port);
        QVERIFY(asked.contains(QStringLiteral("Port %1 is free.").arg(offered)));
        QCOMPARE(library.findChildren<ui::VmWindow*>().size(), 2);
        QCOMPARE(vm::VmBundle(blocked->directory()).load()->nics.first().forwards.first().hostPort, offered);
        QCOMPARE(listening(offered), std::string("127.0.0.1"));
        for (ui::VmWindow* window : library.findChildren<ui::VmWindow*>()) {
            QSignalSpy finished(window->runner(), &vm::VmRunner::finished);
            window->runner()->powerOff();
            QVERIFY(finished.wait(30000));
        }
    }

    void aVmTheEmulatorCannotRunSaysWhy() {
        QTemporaryDir root;
        vm::VmConfig config;
        config.name = QStringLiteral("PowerPC");
        config.arch = QStringLiteral("ppc");
        config.board = QStringLiteral("g3beige");
        const auto bundle = vm::VmBundle::create(root.path(), config);
        vm::VmRunner runner(vm::VmLibrary::loadEntry(bundle->directory()));
        const Status started = runner.start();
        QVERIFY(!started.ok());
        QVERIFY(QString::fromStdString(started.message()).contains(QStringLiteral("Show QEMU Command")));
    }
};

QTEST_MAIN(VmWindowTest)
#include "vm_window_test.moc"
