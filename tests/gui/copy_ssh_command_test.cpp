// Specification: a VM whose host port is forwarded to its SSH port 22 (the
// wizard's default, 2222) offers "Copy SSH Command" on its library card and
// in its window's Machine menu: the clipboard gets `ssh -p 2222 USER@127.0.0.1`
// with the user its express install created; the card shows the port. A VM
// without such a forward has the action off in the library, and its window
// says how to add one.

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QListView>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include "core/vm/vm_bundle.h"
#include "core/vm/vm_library.h"
#include "ui/main_window.h"
#include "ui/vm_library_model.h"
#include "ui/vm_window.h"

using namespace tessera;

namespace {

QString addVm(const QString& root, const QString& name, uint16_t sshHostPort, const QString& user) {
    vm::VmConfig config;
    config.name = name;
    config.guestUser = user;
    vm::NetworkInterface nic;
    if (sshHostPort)
        nic.forwards << vm::PortForward(QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), sshHostPort, {},
                                        22);
    nic.forwards << vm::PortForward(QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), 8080, {}, 80);
    config.nics << nic;
    auto bundle = vm::VmBundle::create(root, config);
    return bundle ? bundle->directory() : QString();
}

}  // namespace

class CopySshCommandTest : public QObject {
    Q_OBJECT
    QTemporaryDir root_;
    QString installed_, noSsh_;

private slots:
    void initTestCase() {
        installed_ = addVm(root_.path(), QStringLiteral("Debian"), 2222, QStringLiteral("tess"));
        noSsh_ = addVm(root_.path(), QStringLiteral("Web only"), 0, {});
        QVERIFY(!installed_.isEmpty() && !noSsh_.isEmpty());
    }
    void theLibraryCardCopiesTheSshCommand() {
        ui::MainWindow window(root_.path());
        window.show();
        auto* copy = window.findChild<QAction*>(QStringLiteral("actionCopySshCommand"));
        QVERIFY(copy);
        QGuiApplication::clipboard()->clear();
        window.selectBundle(installed_);
        QVERIFY(copy->isEnabled());
        copy->trigger();
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("ssh -p 2222 tess@127.0.0.1"));
        QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("ssh -p 2222 tess@127.0.0.1")),
                 qPrintable(window.statusBar()->currentMessage()));
        // The card itself shows where SSH answers.
        const QModelIndex card = window.libraryView()->currentIndex();
        QCOMPARE(card.data(ui::VmLibraryModel::SshPortRole).toInt(), 2222);

        window.selectBundle(noSsh_);
        QVERIFY(!copy->isEnabled());
        QCOMPARE(window.libraryView()->currentIndex().data(ui::VmLibraryModel::SshPortRole).toInt(), 0);
    }
    void theVmWindowCopiesItToo() {
        ui::VmWindow window(vm::VmLibrary::loadEntry(installed_));
        window.show();
        auto* copy = window.findChild<QAction*>(QStringLiteral("actionCopySshCommand"));
        QVERIFY(copy && copy->isEnabled());
        QGuiApplication::clipboard()->clear();
        copy->trigger();
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("ssh -p 2222 tess@127.0.0.1"));
    }
    void aVmWithoutAnSshForwardSaysHowToGetOne() {
        ui::VmWindow window(vm::VmLibrary::loadEntry(noSsh_));
        window.show();
        QGuiApplication::clipboard()->setText(QStringLiteral("untouched"));
        window.findChild<QAction*>(QStringLiteral("actionCopySshCommand"))->trigger();
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("untouched"));
        QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("guest port 22")),
                 qPrintable(window.statusBar()->currentMessage()));
    }
};

QTEST_MAIN(CopySshCommandTest)
#include "copy_ssh_command_test.moc"
