// Specification: when an express install (the Tessera install disc with an
// answer disk, core/vm/install_answers.h) powers the VM off after its
// installer said "tessera-install: Installation complete", the VM window
// ejects the disc, drops the answer disk, switches the boot order to the disk
// and starts the VM again, saying so; a guest that powers off without that
// line (a failed install) stays stopped with its disc. The guest is the BusyBox
// Linux fixture standing in for the installer: it prints the line and powers off.

#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

#include "core/vm/install_answers.h"
#include "core/vm/vm_bundle.h"
#include "core/vm/vm_library.h"
#include "linux_guest_fixture.h"
#include "ui/vm_window.h"

using namespace tessera;

class ExpressInstallRestartTest : public QObject {
    Q_OBJECT
    QTemporaryDir root_;
    QMap<QString, QString> fixtures_;
    QString iso_;

    // A VM like the wizard makes for an express install, booting the fixture.
    vm::VmBundle makeVm(const QString& name) {
        vm::VmConfig config = testing::linuxGuestConfig(fixtures_);
        config.name = name;
        config.cdrom = iso_;
        config.boot.order = {QStringLiteral("cdrom"), QStringLiteral("disk")};
        config.disks << vm::Disk{QLatin1String(vm::kAnswersDiskFile), QStringLiteral("raw"), true};
        const auto bundle = vm::VmBundle::create(root_.path(), config);
        vm::InstallAnswers answers;
        answers.user = QStringLiteral("alice");
        answers.sshKey = QStringLiteral("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH2Jm1s4tN0 alice@host");
        [&] {
            QVERIFY(bundle.ok() &&
                    vm::writeAnswersDisk(bundle->resolve(QLatin1String(vm::kAnswersDiskFile)), answers).ok());
        }();
        return *bundle;
    }

    static bool waitFor(ui::VmWindow& window, const QString& pattern, int timeoutMs) {
        const QRegularExpression regex(pattern);
        QElapsedTimer waited;
        waited.start();
        while (!regex.match(window.console()->text()).hasMatch()) {
            if (waited.elapsed() > timeoutMs) {
                qWarning().noquote() << "console so far:\n" << window.console()->text().right(2000);
                return false;
            }
            QTest::qWait(50);
        }
        return true;
    }

    // Boots the VM's window to the guest's shell and types `command` there.
    std::unique_ptr<ui::VmWindow> bootAndType(const vm::VmBundle& bundle, const QString& command) {
        auto window = std::make_unique<ui::VmWindow>(vm::VmLibrary::loadEntry(bundle.directory()));
        window->show();
        const Status started = window->start();
        if (!started.ok()) qWarning() << started.message().c_str();
        if (started.ok() && waitFor(*window, QStringLiteral("tessera:/# "), 240000))
            window->runner()->sendSerialInput((command + QLatin1Char('\n')).toUtf8());
        return window;
    }

private slots:
    void initTestCase() {
        QString error;
        fixtures_ = testing::guestFixtures(&error);
        if (fixtures_.isEmpty())
            QSKIP(qPrintable(QStringLiteral("the Linux guest fixture could not be built: ") + error));
        QDir(root_.path()).mkpath(QStringLiteral("disc"));
        iso_ = root_.filePath(QStringLiteral("tessera-install.iso"));
        QCOMPARE(
            QProcess::execute(QStringLiteral("xorriso"),
                              {QStringLiteral("-as"), QStringLiteral("mkisofs"), QStringLiteral("-quiet"),
                               QStringLiteral("-V"), QStringLiteral("TESSERA_INSTALL_TEST"),
                               QStringLiteral("-o"), iso_, root_.filePath(QStringLiteral("disc"))}),
            0);
    }

    void aFinishedInstallRestartsFromTheDisk() {
        const vm::VmBundle bundle = makeVm(QStringLiteral("Installed"));
        // printf keeps the typed command itself from showing the line.
        auto window = bootAndType(
            bundle, QStringLiteral("printf 'tessera-install: Installation %s\\n' complete; poweroff -f"));
        QVERIFY(waitFor(*window, QStringLiteral("\\[Tessera\\] The installation has finished"), 240000));
        QTRY_COMPARE_WITH_TIMEOUT(window->runner()->state(), vm::VmRunner::State::Running, 30000);
        QVERIFY(window->statusBar()->currentMessage().contains(QStringLiteral("ejected the installer disc")));
        const vm::VmEntry entry = vm::VmLibrary::loadEntry(bundle.directory());
        QVERIFY(entry.config);
        QVERIFY(entry.config->cdrom.isEmpty());
        QCOMPARE(entry.config->boot.order.value(0), QStringLiteral("disk"));
        QVERIFY(entry.config->disks.isEmpty());  // the answer disk is gone, file and all
        QVERIFY(!QFile::exists(bundle.resolve(QLatin1String(vm::kAnswersDiskFile))));
        QVERIFY(waitFor(*window, QStringLiteral("TESSERA-GUEST-READY[\\s\\S]*TESSERA-GUEST-READY"),
                        240000));  // booted again
        window->runner()->powerOff();
        QTRY_COMPARE_WITH_TIMEOUT(window->runner()->state(), vm::VmRunner::State::Stopped, 30000);
    }

    void aFailedInstallStaysStoppedWithItsDisc() {
        const vm::VmBundle bundle = makeVm(QStringLiteral("Failed"));
        auto window = bootAndType(
            bundle, QStringLiteral("echo 'tessera-install: ERROR: debootstrap failed'; poweroff -f"));
        QTRY_COMPARE_WITH_TIMEOUT(window->runner()->state(), vm::VmRunner::State::Stopped, 240000);
        QTest::qWait(500);
        QCOMPARE(window->runner()->state(), vm::VmRunner::State::Stopped);
        const vm::VmEntry entry = vm::VmLibrary::loadEntry(bundle.directory());
        QCOMPARE(entry.config->cdrom, iso_);
        QCOMPARE(entry.config->disks.size(), 1);
        QVERIFY(!window->console()->text().contains(QStringLiteral("The installation has finished")));
    }
};

QTEST_MAIN(ExpressInstallRestartTest)
#include "express_install_restart_test.moc"
