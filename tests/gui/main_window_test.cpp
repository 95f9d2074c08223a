// Specification: tessera opens on the VM library. It shows every bundle in
// the library folder as a card (broken ones as broken), filters by the search
// box (a search that matches nothing says so, never a blank grid), and Clone /
// Delete act on the files behind the selected card.

#include "ui/main_window.h"

#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "core/vm/vm_bundle.h"
#include "ui/vm_library_model.h"
#include "ui/vm_window.h"

using namespace tessera;

namespace {

void addVm(const QString& root, const QString& name, const QString& arch = QStringLiteral("riscv64")) {
    vm::VmConfig config;
    config.name = name;
    config.arch = arch;
    config.board = vm::defaultBoardFor(arch);
    QVERIFY(vm::VmBundle::create(root, config).ok());
}

// Presses a button of the next modal message box (QMessageBox::exec blocks the test).
void pressInNextMessageBox(const QString& buttonObjectName) {
    QTimer::singleShot(0, [buttonObjectName] {
        auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
        QVERIFY(box);
        auto* button = box->findChild<QPushButton*>(buttonObjectName);
        QVERIFY(button);
        button->click();
    });
}

}  // namespace

class MainWindowTest : public QObject {
    Q_OBJECT
private slots:
    void opensWithAnEmptyLibraryView() {
        QTemporaryDir root;
        ui::MainWindow window(root.path());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* view = window.findChild<QListView*>(QStringLiteral("libraryView"));
        QVERIFY(view != nullptr);
        QCOMPARE(view->model()->rowCount(), 0);
        QCOMPARE(window.windowTitle(), QStringLiteral("Tessera"));
        // An empty library invites to create the first VM instead of showing a blank grid.
        auto* stack = qobject_cast<QStackedWidget*>(window.centralWidget());
        QCOMPARE(stack->currentWidget()->objectName(), QStringLiteral("emptyLibrary"));
    }

    void theLibraryRootComesFromTheEnvironment() {
        QTemporaryDir root;
        addVm(root.path(), QStringLiteral("From env"));
        qputenv("TESSERA_VM_DIR", root.path().toLocal8Bit());
        ui::MainWindow window;
        qunsetenv("TESSERA_VM_DIR");
        QCOMPARE(window.libraryView()->model()->rowCount(), 1);
    }

    void showsBundlesAndFiltersThem() {
        QTemporaryDir root;
        addVm(root.path(), QStringLiteral("Debian RISC-V"));
        addVm(root.path(), QStringLiteral("Fedora ARM"), QStringLiteral("aarch64"));
        addVm(root.path(), QStringLiteral("Mac OS 9"), QStringLiteral("ppc"));
        ui::MainWindow window(root.path());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* stack = qobject_cast<QStackedWidget*>(window.centralWidget());
        QCOMPARE(stack->currentWidget(), window.libraryView());
        QCOMPARE(window.libraryView()->model()->rowCount(), 3);
        QTest::keyClicks(window.searchField(), QStringLiteral("arm"));
        QCOMPARE(window.libraryView()->model()->rowCount(), 1);
        QCOMPARE(window.libraryView()->model()->index(0, 0).data().toString(), QStringLiteral("Fedora ARM"));
        window.searchField()->clear();
        QTest::keyClicks(window.searchField(), QStringLiteral("powerpc"));  // by architecture label
        QCOMPARE(window.libraryView()->model()->index(0, 0).data().toString(), QStringLiteral("Mac OS 9"));
        window.searchField()->clear();
        QCOMPARE(window.libraryView()->model()->rowCount(), 3);
    }

    void aSearchWithNoMatchSaysSoAndCanBeCleared() {
        QTemporaryDir root;
        addVm(root.path(), QStringLiteral("Debian RISC-V"));
        ui::MainWindow window(root.path());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* stack = qobject_cast<QStackedWidget*>(window.centralWidget());
        QTest::keyClicks(window.searchField(), QStringLiteral("windows"));
        QCOMPARE(window.libraryView()->model()->rowCount(), 0);
        QCOMPARE(stack->currentWidget()->objectName(), QStringLiteral("noSearchMatch"));
        const QString said =
            stack->currentWidget()->findChild<QLabel*>(QStringLiteral("noMatchText"))->text();
        QVERIFY2(said.contains(QStringLiteral("No virtual machine matches")) &&
                     said.contains(QStringLiteral("windows")),
                 qPrintable(said));
        // Typing on to a match brings the cards back; so does Clear Search.
        window.searchField()->setText(QStringLiteral("debian"));
        QCOMPARE(stack->currentWidget(), window.libraryView());
        window.searchField()->setText(QStringLiteral("debian 11"));
        QCOMPARE(stack->currentWidget()->objectName(), QStringLiteral("noSearchMatch"));
        stack->currentWidget()->findChild<QPushButton*>(QStringLiteral("clearSearch"))->click();
        QVERIFY(window.searchField()->text().isEmpty());
        QCOMPARE(stack->currentWidget(), window.libraryView());
        QCOMPARE(window.libraryView()->model()->rowCount(), 1);
    }

    void actionsFollowTheSelection() {
        QTemporaryDir root;
        addVm(root.path(), QStringLiteral("Good"));
        QDir(root.path()).mkpath(QStringLiteral("Broken.tessera"));
        ui::MainWindow window(root.path());
        auto* clone = window.findChild<QAction*>(QStringLiteral("actionClone"));
        auto* remove = window.findChild<QAction*>(QStringLiteral("actionDelete"));
        auto* settings = window.findChild<QAction*>(QStringLiteral("actionSettings"));
        auto* start = window.findChild<QAction*>(QStringLiteral("actionStart"));
        QVERIFY(!clone->isEnabled() && !remove->isEnabled());
        window.selectBundle(QDir(root.path()).filePath(QStringLiteral("Good.tessera")));
        QVERIFY(clone->isEnabled() && remove->isEnabled() && settings->isEnabled());
        QVERIFY(start->isEnabled());  // the built-in runner
        window.selectBundle(QDir(root.path()).filePath(QStringLiteral("Broken.tessera")));
        QVERIFY(!clone->isEnabled() && !settings->isEnabled());
        QVERIFY(remove->isEnabled());  // a broken VM can still be deleted
        QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("config.json is missing")));

        // Start runs the selected VM in its window (no kernel configured: OpenSBI hands over to U-Boot).
        window.selectBundle(QDir(root.path()).filePath(QStringLiteral("Good.tessera")));
        QVERIFY(start->isEnabled());
        start->trigger();
        auto* running = window.findChild<ui::VmWindow*>();
        QVERIFY(running);
        QCOMPARE(running->runner()->entry().displayName(), QStringLiteral("Good"));
        QCOMPARE(running->runner()->state(), vm::VmRunner::State::Running);
        QSignalSpy finished(running->runner(), &vm::VmRunner::finished);
        running->runner()->powerOff();
        QVERIFY(finished.wait(30000));
    }

    void deleteAsksAndThenRemovesTheBundle() {
        QTemporaryDir root;
        addVm(root.path(), QStringLiteral("Doomed"));
        addVm(root.path(), QStringLiteral("Kept"));
        ui::MainWindow window(root.path());
        window.show();
        const QString doomed = QDir(root.path()).filePath(QStringLiteral("Doomed.tessera"));
        window.selectBundle(doomed);
        pressInNextMessageBox(QStringLiteral("deleteForever"));
        window.deleteSelected();
        QVERIFY(!QFileInfo::exists(doomed));
        QCOMPARE(window.libraryView()->model()->rowCount(), 1);

        // Cancel keeps everything.
        window.selectBundle(QDir(root.path()).filePath(QStringLiteral("Kept.tessera")));
        QTimer::singleShot(0, [] { qobject_cast<QMessageBox*>(QApplication::activeModalWidget())->reject(); });
        window.deleteSelected();
        QVERIFY(QFileInfo::exists(QDir(root.path()).filePath(QStringLiteral("Kept.tessera/config.json"))));
    }
};

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
