// Specification: a VM whose forwarded host port is taken does not start
// silently without it. Before it starts, Tessera tries the port as the VM
// would listen (real sockets on 127.0.0.1) and says who holds it: the running
// VM of the library that forwards it, or "another program" (also when a
// stopped VM forwards the same port), and the next free port. UDP counts too
// (libslirp would share a UDP port without a word). `tessera-cli run --vm`
// refuses to start and prints that; VmRunner::start() refuses the same way,
// and a forward added to a running VM that cannot listen names the holder.

#include "core/vm/port_conflicts.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "core/vm/vm_bundle.h"
#include "core/vm/vm_library.h"
#include "core/vm/vm_machine_config.h"
#include "core/vm/vm_runner.h"
#include "support/listening_sockets.h"

using namespace tessera;

namespace {

vm::VmConfig forwardingVm(const QString& name, const QString& protocol, uint16_t hostPort) {
    vm::VmConfig config;
    config.name = name;
    config.memoryBytes = uint64_t(128) << 20;
    config.display.type = QStringLiteral("none");
    vm::NetworkInterface nic;
    nic.forwards = {vm::PortForward(protocol, QStringLiteral("127.0.0.1"), hostPort, QString(), 22)};
    config.nics = {nic};
    return config;
}

// Another program's socket on 127.0.0.1 (a port the kernel picks), with
// SO_REUSEADDR as libslirp sets it.
struct OtherProgram {
    int fd;
    explicit OtherProgram(bool udp) : fd(::socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0)) {
        const int one = 1;
        ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
        if (!udp) ::listen(fd, 1);
    }
    ~OtherProgram() { ::close(fd); }
    uint16_t port() const {
        sockaddr_in address{};
        socklen_t length = sizeof address;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
        return ntohs(address.sin_port);
    }
};

}  // namespace

class PortConflictsTest : public QObject {
    Q_OBJECT
    QTemporaryDir library_;

    vm::VmBundle add(const vm::VmConfig& config) { return *vm::VmBundle::create(library_.path(), config); }

private slots:
    void aFreePortIsNoConflict() {
        const quint16 port = testing::freePort();
        const vm::VmBundle vm = add(forwardingVm(QStringLiteral("Free"), QStringLiteral("tcp"), port));
        QVERIFY(vm::findPortConflicts(*vm.load(), vm).isEmpty());
    }

    void aPortAnotherProgramListensOnIsNamedWithTheNextFreePort() {
        const OtherProgram other(false);
        // A stopped VM forwarding the same port is not the holder.
        add(forwardingVm(QStringLiteral("Stopped Twin"), QStringLiteral("tcp"), other.port()));
        const vm::VmBundle vm =
            add(forwardingVm(QStringLiteral("Blocked"), QStringLiteral("tcp"), other.port()));
        const QList<vm::PortConflict> conflicts = vm::findPortConflicts(*vm.load(), vm);
        QCOMPARE(conflicts.size(), 1);
        QCOMPARE(conflicts.first().index, 0);
        QVERIFY(conflicts.first().holder.isEmpty());
        const uint16_t free = conflicts.first().freePort;
        QVERIFY(free > other.port());
        QVERIFY(vm::hostPortFree(QStringLiteral("tcp"), QStringLiteral("127.0.0.1"), free));
        QCOMPARE(
            vm::describePortConflict(conflicts.first()),
            QStringLiteral("host port %1 (tcp on 127.0.0.1) is in use by another program; port %2 is free")
                .arg(other.port())
                .arg(free));
        QCOMPARE(vm::withFreePorts(*vm.load(), conflicts).nics.first().forwards.first().hostPort, free);
    }

    void aUdpPortIsCheckedToo() {
        const OtherProgram other(true);
        const vm::VmBundle vm = add(forwardingVm(QStringLiteral("Udp"), QStringLiteral("udp"), other.port()));
        const QList<vm::PortConflict> conflicts = vm::findPortConflicts(*vm.load(), vm);
        QCOMPARE(conflicts.size(), 1);
        QVERIFY(conflicts.first().freePort != 0);
    }

    void aRunningVmHoldingThePortIsNamedAndStartIsRefused() {
        if (!QFile::exists(QLatin1String(vm::kDefaultRiscvFirmware))) QSKIP("opensbi is needed");
        const quint16 port = testing::freePort();
        const vm::VmBundle holder =
            add(forwardingVm(QStringLiteral("SSH Server"), QStringLiteral("tcp"), port));
        const vm::VmBundle second = add(forwardingVm(QStringLiteral("Second"), QStringLiteral("tcp"), port));
        vm::VmRunner running(vm::VmLibrary::loadEntry(holder.directory()));
        QVERIFY(running.start().ok());
        QCOMPARE(testing::describe(testing::listeningAddresses(port)), std::string("127.0.0.1"));

        const QList<vm::PortConflict> conflicts = vm::findPortConflicts(*second.load(), second);
        QCOMPARE(conflicts.size(), 1);
        QCOMPARE(conflicts.first().holder, QStringLiteral("SSH Server"));
        vm::VmRunner blocked(vm::VmLibrary::loadEntry(second.directory()));
        const Status started = blocked.start();
        QVERIFY(!started.ok());
        QVERIFY2(QString::fromStdString(started.message())
                     .contains(QStringLiteral("in use by the VM \"SSH Server\"; port %1 is free")
                                   .arg(conflicts.first().freePort)),
                 started.message().c_str());

        // The CLI refuses before anything runs, and says the same.
        QProcess cli;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("TESSERA_VM_DIR"), library_.path());
        cli.setProcessEnvironment(environment);
        cli.start(qEnvironmentVariable("TESSERA_CLI"), {"run", "--vm", "Second", "--timeout", "5"});
        QVERIFY(cli.waitForFinished(30000));
        QCOMPARE(cli.exitCode(), 2);
        const QString said = QString::fromUtf8(cli.readAllStandardError());
        QVERIFY2(said.contains(
                     QStringLiteral("host port %1 (tcp on 127.0.0.1) is in use by the VM \"SSH Server\"; "
                                    "port %2 is free (nics[0].forwards[0].hostPort in config.json)")
                         .arg(port)
                         .arg(conflicts.first().freePort)),
                 qPrintable(said));

        // A forward added to a running VM names the holder too.
        const vm::VmBundle third =
            add(forwardingVm(QStringLiteral("Third"), QStringLiteral("tcp"), testing::freePort()));
        vm::VmRunner live(vm::VmLibrary::loadEntry(third.directory()));
        QVERIFY(live.start().ok());
        const Status added = live.setPortForwards(second.load()->nics.first().forwards);
        QVERIFY(!added.ok());
        QVERIFY2(QString::fromStdString(added.message())
                     .contains(QStringLiteral("(the VM \"SSH Server\" forwards it and is running)")),
                 added.message().c_str());
        QSignalSpy liveFinished(&live, &vm::VmRunner::finished);
        live.powerOff();
        QVERIFY(liveFinished.wait(30000));

        // Once the holder stops, the port is the second VM's.
        QSignalSpy finished(&running, &vm::VmRunner::finished);
        running.powerOff();
        QVERIFY(finished.wait(30000));
        QVERIFY(vm::findPortConflicts(*second.load(), second).isEmpty());
    }
};

QTEST_GUILESS_MAIN(PortConflictsTest)
#include "port_conflicts_test.moc"
