// Specification: Start opens a VM window that runs the real guest on its own
// thread: Debian's OpenSBI + U-Boot (packages opensbi, u-boot-qemu) print to
// the serial console, keys typed into the console reach U-Boot's shell, and
// closing the window while the VM runs asks (Keep Running hides it, Open Window
// brings it back), and Power Off stops the VM and the library shows it stopped again.

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QMessageBox>
#include <QTabWidget>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QtTest>

#include "core/vm/vm_bundle.h"
#include "core/vm/vm_machine_config.h"
#include "ui/main_window.h"
#include "ui/vm_library_model.h"
#include "ui/vm_window.h"

using namespace tessera;

namespace {
const QString kUboot = QStringLiteral("/usr/lib/u-boot/qemu-riscv64_smode/uboot.elf");
}

class VmWindowTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (!QFile::exists(kUboot) || !QFile::exists(QLatin1String(vm::kDefaultRiscvFirmware)))
            QSKIP("opensbi and u-boot-qemu are needed (scripts/setup.sh installs them)");
    }

    void bootsUbootAndTypingReachesTheGuest() {
        QTemporaryDir root;
        vm::VmConfig config;
        config.name = QStringLiteral("U-Boot");
        config.memoryBytes = uint64_t(256) << 20;
        config.boot.kernel = kUboot;
        config.display.type = QStringLiteral("none");
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
