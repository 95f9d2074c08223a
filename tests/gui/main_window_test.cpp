// Specification: the tessera main window opens with the VM library view.

#include <QListView>
#include <QtTest>

#include "ui/main_window.h"

class MainWindowTest : public QObject {
    Q_OBJECT
private slots:
    void opensWithAnEmptyLibraryView() {
        tessera::ui::MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* view = window.findChild<QListView*>(QStringLiteral("libraryView"));
        QVERIFY(view != nullptr);
        QCOMPARE(view->model()->rowCount(), 0);
        QCOMPARE(window.windowTitle(), QStringLiteral("Tessera"));
    }
};

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
