// Specification: the SSH command of a VM (core/vm/ssh_command.h) follows its
// port forwards: the TCP forward to guest port 22 on a plugged-in NAT
// interface, reached on loopback when it listens everywhere, with the express
// install's user. config.json keeps that user, and refuses one that is not a
// plain user name (it ends up in a command pasted into a shell).

#include "core/vm/ssh_command.h"

#include <QtTest>

#include "core/vm/vm_config_json.h"

using namespace tessera::vm;

namespace {

VmConfig withForward(const QString& protocol, const QString& hostAddress, uint16_t hostPort,
                     uint16_t guestPort) {
    VmConfig config;
    config.name = QStringLiteral("ssh");
    NetworkInterface nic;
    nic.forwards << PortForward(protocol, hostAddress, hostPort, {}, guestPort);
    config.nics << nic;
    return config;
}

}  // namespace

class SshCommandTest : public QObject {
    Q_OBJECT
private slots:
    void theForwardToPort22GivesTheCommand() {
        VmConfig config = withForward(QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), 2222, 22);
        QCOMPARE(sshCommand(config), QStringLiteral("ssh -p 2222 127.0.0.1"));  // user unknown: ssh's default
        config.guestUser = QStringLiteral("tess");
        QCOMPARE(sshCommand(config), QStringLiteral("ssh -p 2222 tess@127.0.0.1"));
        QCOMPARE(sshHostPort(config), uint16_t(2222));
    }
    void aForwardOnEveryAddressIsReachedOnLoopback() {
        QCOMPARE(sshCommand(withForward(QStringLiteral("tcp"), QStringLiteral("0.0.0.0"), 2200, 22)),
                 QStringLiteral("ssh -p 2200 127.0.0.1"));
        QCOMPARE(sshCommand(withForward(QStringLiteral("tcp"), QStringLiteral("::"), 2200, 22)),
                 QStringLiteral("ssh -p 2200 ::1"));
        QCOMPARE(sshCommand(withForward(QStringLiteral("tcp"), QStringLiteral("192.168.1.5"), 2200, 22)),
                 QStringLiteral("ssh -p 2200 192.168.1.5"));
    }
    void otherForwardsGiveNone() {
        QVERIFY(
            sshCommand(withForward(QStringLiteral("udp"), QStringLiteral("127.0.0.1"), 2222, 22)).isEmpty());
        QVERIFY(
            sshCommand(withForward(QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), 8080, 80)).isEmpty());
        VmConfig unplugged = withForward(QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), 2222, 22);
        unplugged.nics[0].nat = false;
        QVERIFY(sshCommand(unplugged).isEmpty());
        QCOMPARE(sshHostPort(unplugged), uint16_t(0));
        QVERIFY(sshCommand(VmConfig{}).isEmpty());
    }
    void configJsonKeepsTheGuestUserAndRefusesAShellCommand() {
        VmConfig config = withForward(QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), 2222, 22);
        config.guestUser = QStringLiteral("tess");
        auto read = fromJsonText(toJsonText(config));
        QVERIFY2(read.ok(), read.ok() ? "" : read.message().c_str());
        QCOMPARE(read->guestUser, QStringLiteral("tess"));
        config.guestUser = QStringLiteral("x; rm -rf ~");
        read = fromJsonText(toJsonText(config));
        QVERIFY(!read.ok());
        QVERIFY2(QString::fromStdString(read.message()).contains(QStringLiteral("guestUser")),
                 read.message().c_str());
    }
};

QTEST_GUILESS_MAIN(SshCommandTest)
#include "ssh_command_test.moc"
