// Specification: whichever way a port forward is configured — `tessera-cli run
// --nic user,hostfwd=…`, config.json (`run --vm` and the GUI's VmRunner), a
// running VM's forward list, an imported QEMU command, the monitor's hostfwd_add,
// or the network layer itself — what listens on the host is:
//   no address (the default) or "localhost"  -> 127.0.0.1 only
//   0.0.0.0, written explicitly               -> every interface
//   "::1", a host name, junk                  -> refused, naming the field, and nothing listens.
// Each case reads the listening socket back from the kernel (/proc/net/tcp[6],
// udp[6]) and, where this machine has a non-loopback address (eth0's), connects
// to it the way another machine would. The configuration is never the evidence.
// The GUI's port-forward dialogs are specified in tests/gui/vm_window_test.cpp.

#include <sys/un.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "core/devices/virtio_net.h"
#include "core/vm/qemu_import.h"
#include "core/vm/vm_bundle.h"
#include "core/vm/vm_library.h"
#include "core/vm/vm_machine_config.h"
#include "core/vm/vm_runner.h"
#include "support/listening_sockets.h"
#include "support/port_forwards.h"

using namespace tessera;
using namespace tessera::testing;

namespace {

const QString kFwJump = QString::fromLatin1(vm::kDefaultRiscvFirmware);

// Waits (bounded, not a timing assertion) until the kernel shows something on the port.
std::vector<std::string> waitForListener(uint16_t port, bool udp = false) {
    for (int round = 0; round < 600 && listeningAddresses(port, udp).empty(); ++round) QTest::qWait(50);
    return listeningAddresses(port, udp);
}

// Only this computer can connect: one socket, on 127.0.0.1, and eth0's address is refused.
void expectLoopbackOnly(uint16_t port) {
    const std::vector<std::string> listening = listeningAddresses(port);
    QVERIFY2(listening == std::vector<std::string>{"127.0.0.1"},
             ("port " + std::to_string(port) + " listens on " + describe(listening)).c_str());
    QVERIFY(acceptsTcp("127.0.0.1", port));
    if (const auto lan = nonLoopbackAddress())
        QVERIFY2(!acceptsTcp(*lan, port), ("another machine can connect to " + *lan).c_str());
}

// Other machines can connect: the socket is on 0.0.0.0, and eth0's address accepts.
void expectEveryInterface(uint16_t port) {
    const std::vector<std::string> listening = listeningAddresses(port);
    QVERIFY2(listening == std::vector<std::string>{"0.0.0.0"},
             ("port " + std::to_string(port) + " listens on " + describe(listening)).c_str());
    if (const auto lan = nonLoopbackAddress()) QVERIFY(acceptsTcp(*lan, port));
}

void expectNothingListens(uint16_t port) {
    const std::vector<std::string> listening = listeningAddresses(port);
    QVERIFY2(listening.empty(),
             ("port " + std::to_string(port) + " listens on " + describe(listening)).c_str());
}

// `tessera-cli run ARGS`, killed when the test is done with it.
struct CliRun {
    explicit CliRun(const QStringList& args) {
        process.start(qEnvironmentVariable("TESSERA_CLI"), QStringList{QStringLiteral("run")} + args);
        process.waitForStarted();
        process.closeWriteChannel();
    }
    ~CliRun() {
        process.kill();
        process.waitForFinished();
    }
    // For a run that must be refused: its exit status and what it said.
    std::pair<int, QString> finish() {
        if (!process.waitForFinished(60000)) process.kill();
        return {process.exitCode(), QString::fromUtf8(process.readAllStandardError())};
    }
    QProcess process;
};

QString hostfwd(const char* address, uint16_t hostPort, const char* protocol = "tcp") {
    return QStringLiteral("hostfwd=%1:%2:%3-:22")
        .arg(QLatin1String(protocol), QLatin1String(address))
        .arg(hostPort);
}

// A forward in config.json; `address` null = no hostAddress key (the default).
QJsonObject forwardJson(const char* address, uint16_t hostPort) {
    QJsonObject f{{QStringLiteral("protocol"), QStringLiteral("tcp")},
                  {QStringLiteral("hostPort"), int(hostPort)},
                  {QStringLiteral("guestPort"), 22}};
    if (address) f[QStringLiteral("hostAddress")] = QLatin1String(address);
    return f;
}

// A bundle whose config.json is edited by hand to hold `forwards`, as a user would.
QString bundleWithForwards(const QString& root, const QString& name, const QJsonArray& forwards) {
    vm::VmConfig config;
    config.name = name;
    config.memoryBytes = uint64_t(256) << 20;
    config.display.type = QStringLiteral("none");
    config.nics = {vm::NetworkInterface{}};
    const auto bundle = vm::VmBundle::create(root, config);
    if (!bundle) qFatal("%s", bundle.message().c_str());
    QFile file(bundle->configPath());
    file.open(QIODevice::ReadOnly);
    QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
    file.close();
    QJsonArray nics = json[QStringLiteral("nics")].toArray();
    QJsonObject nic = nics[0].toObject();
    nic[QStringLiteral("forwards")] = forwards;
    nics[0] = nic;
    json[QStringLiteral("nics")] = nics;
    file.open(QIODevice::WriteOnly | QIODevice::Truncate);
    file.write(QJsonDocument(json).toJson());
    return bundle->directory();
}

vm::PortForward forward(const QString& address, uint16_t hostPort) {
    return portForward(address, hostPort);
}

// The monitor's Unix socket: one line out, one line back.
struct MonitorConnection {
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    ~MonitorConnection() { close(fd); }
    bool connectTo(const QString& path) {
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        const QByteArray name = QFile::encodeName(path);
        std::memcpy(address.sun_path, name.constData(),
                    std::min<size_t>(name.size(), sizeof address.sun_path - 1));
        const timeval timeout{10, 0};  // a bound on a lost reply, not a timing assertion
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        return ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    }
    QString ask(const QString& line) {
        const QByteArray bytes = (line + QLatin1Char('\n')).toUtf8();
        if (::send(fd, bytes.constData(), bytes.size(), MSG_NOSIGNAL) != bytes.size()) return {};
        QByteArray reply;
        char c = 0;
        while (!reply.endsWith('\n') && ::recv(fd, &c, 1, 0) == 1) reply += c;
        return QString::fromUtf8(reply).trimmed();
    }
};

}  // namespace

class ForwardExposureTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void initTestCase() {
        if (!QFile::exists(kFwJump) || !QFile::exists(QLatin1String(vm::kDefaultRiscvBootLoader)))
            QSKIP("opensbi and u-boot-qemu are needed (scripts/setup.sh installs them)");
    }

    void commandLineNicForwards() {
        const uint16_t byDefault = freePort(), localhost = freePort(), everywhere = freePort(),
                       udp = freePort(true);
        CliRun run(
            {QStringLiteral("--bios"), kFwJump, QStringLiteral("--serial"), QStringLiteral("none"),
             QStringLiteral("--timeout"), QStringLiteral("120"), QStringLiteral("--nic"),
             QStringLiteral("user,%1,%2,%3,%4")
                 .arg(QStringLiteral("hostfwd=tcp::%1-:22").arg(byDefault), hostfwd("localhost", localhost),
                      hostfwd("0.0.0.0", everywhere), QStringLiteral("hostfwd=udp::%1-:53").arg(udp))});
        QVERIFY(!waitForListener(everywhere).empty());
        expectLoopbackOnly(byDefault);
        expectLoopbackOnly(localhost);
        expectEveryInterface(everywhere);
        QCOMPARE(listeningAddresses(udp, true), std::vector<std::string>{"127.0.0.1"});
    }

    void commandLineRefusesOtherAddressesByName() {
        for (const char* address : {"::1", "[::1]", "my-laptop", "127.1", "999.0.0.1"}) {
            const uint16_t port = freePort();
            CliRun run({QStringLiteral("--bios"), kFwJump, QStringLiteral("--serial"), QStringLiteral("none"),
                        QStringLiteral("--nic"), QStringLiteral("user,") + hostfwd(address, port)});
            const auto [status, stderrText] = run.finish();
            QCOMPARE(status, 2);
            QVERIFY2(
                stderrText.contains(
                    QStringLiteral("host address \"%1\" is not an IPv4 address").arg(QLatin1String(address))),
                qPrintable(stderrText));
            expectNothingListens(port);
        }
        const uint16_t port = freePort();
        CliRun zero({QStringLiteral("--bios"), kFwJump, QStringLiteral("--nic"),
                     QStringLiteral("user,hostfwd=tcp::%1-:0").arg(port)});
        const auto [status, stderrText] = zero.finish();
        QCOMPARE(status, 2);
        QVERIFY2(stderrText.contains(QStringLiteral("guest port \"0\" is not a port number")),
                 qPrintable(stderrText));
    }

    void configJsonForwardsRunByTheCli() {
        const uint16_t byDefault = freePort(), empty = freePort(), localhost = freePort(),
                       everywhere = freePort();
        const QString bundle =
            bundleWithForwards(dir_.path(), QStringLiteral("Cli Forwards"),
                               {forwardJson(nullptr, byDefault), forwardJson("", empty),
                                forwardJson("localhost", localhost), forwardJson("0.0.0.0", everywhere)});
        CliRun run({QStringLiteral("--vm"), bundle, QStringLiteral("--timeout"), QStringLiteral("120")});
        QVERIFY(!waitForListener(everywhere).empty());
        expectLoopbackOnly(byDefault);
        expectLoopbackOnly(empty);
        expectLoopbackOnly(localhost);
        expectEveryInterface(everywhere);
    }

    void configJsonWithAnotherAddressDoesNotStart() {
        const std::vector<std::pair<const char*, const char*>> cases = {
            {"::1", "\"::1\" is not an IPv4 address"},
            {"fe80::1%eth0", "is not an IPv4 address"},
            {"example.org", "\"example.org\" is not an IPv4 address"},
            {"0.0.0.0 ", "is not an IPv4 address"},
        };
        for (const auto& [address, why] : cases) {
            const uint16_t good = freePort(), bad = freePort();
            const QString bundle =
                bundleWithForwards(dir_.path(), QStringLiteral("Refused %1").arg(freePort()),
                                   {forwardJson("127.0.0.1", good), forwardJson(address, bad)});
            CliRun run({QStringLiteral("--vm"), bundle, QStringLiteral("--timeout"), QStringLiteral("30")});
            const auto [status, stderrText] = run.finish();
            QCOMPARE(status, 2);
            QVERIFY2(stderrText.contains(QStringLiteral("nics[0].forwards[1].hostAddress: ")) &&
                         stderrText.contains(QLatin1String(why)),
                     qPrintable(stderrText));
            expectNothingListens(good);  // the VM did not start at all
            expectNothingListens(bad);
        }
    }

    void configJsonForwardsRunByTheGuiRunner() {
        const uint16_t byDefault = freePort(), everywhere = freePort();
        const QString bundle =
            bundleWithForwards(dir_.path(), QStringLiteral("Runner Forwards"),
                               {forwardJson(nullptr, byDefault), forwardJson("0.0.0.0", everywhere)});
        vm::VmRunner runner(vm::VmLibrary::loadEntry(bundle));
        QVERIFY(runner.start().ok());
        expectLoopbackOnly(byDefault);
        expectEveryInterface(everywhere);

        // A broken config.json is a broken library entry that says which field; it does not start.
        const uint16_t bad = freePort();
        const QString broken =
            bundleWithForwards(dir_.path(), QStringLiteral("Runner Refused"), {forwardJson("::1", bad)});
        const vm::VmEntry entry = vm::VmLibrary::loadEntry(broken);
        QVERIFY(entry.broken());
        QVERIFY2(entry.error.contains(QStringLiteral("nics[0].forwards[0].hostAddress: \"::1\"")),
                 qPrintable(entry.error));
        vm::VmRunner refused(entry);
        QVERIFY(!refused.start().ok());
        expectNothingListens(bad);
    }

    void forwardsChangedWhileTheVmRuns() {
        const QString bundle = bundleWithForwards(dir_.path(), QStringLiteral("Live Forwards"), {});
        vm::VmRunner runner(vm::VmLibrary::loadEntry(bundle));
        QVERIFY(runner.start().ok());
        const uint16_t localhost = freePort(), everywhere = freePort(), bad = freePort();
        QVERIFY(runner
                    .setPortForwards({forward(QStringLiteral("localhost"), localhost),
                                      forward(QStringLiteral("0.0.0.0"), everywhere)})
                    .ok());
        expectLoopbackOnly(localhost);
        expectEveryInterface(everywhere);

        const Status refused = runner.setPortForwards(
            {forward(QStringLiteral("localhost"), localhost), forward(QStringLiteral("::1"), bad)});
        QVERIFY(!refused.ok());
        QVERIFY2(QString::fromStdString(refused.message())
                     .contains(QStringLiteral("nics[0].forwards[1].hostAddress: \"::1\"")),
                 refused.message().c_str());
        expectNothingListens(bad);
        expectEveryInterface(everywhere);  // nothing changed: the list was refused as a whole
        QCOMPARE(vm::VmBundle(bundle).load()->nics.first().forwards.size(), 2);
    }

    void importedQemuCommand() {
        const uint16_t omitted = freePort(), everywhere = freePort();
        auto imported = vm::importQemuCommand(
            QStringLiteral(
                "qemu-system-riscv64 -M virt -m 256M -nographic -device virtio-net-device,netdev=n0 "
                "-netdev user,id=n0,hostfwd=tcp::%1-:22,hostfwd=tcp:0.0.0.0:%2-:80")
                .arg(omitted)
                .arg(everywhere),
            QStringLiteral("Imported Forwards"));
        QVERIFY2(imported.ok(), imported.ok() ? "" : imported.message().c_str());
        const auto bundle = vm::VmBundle::create(dir_.path(), imported->config);
        QVERIFY(bundle.ok());
        vm::VmRunner runner(vm::VmLibrary::loadEntry(bundle->directory()));
        QVERIFY(runner.start().ok());
        expectLoopbackOnly(omitted);  // QEMU would listen everywhere; Tessera says so in a note
        expectEveryInterface(everywhere);

        for (const char* address : {"::1", "localhost6", "junk!"}) {
            auto refused =
                vm::importQemuCommand(QStringLiteral("qemu-system-riscv64 -nic user,hostfwd=tcp:%1:2222-:22")
                                          .arg(QLatin1String(address)));
            QVERIFY(!refused.ok());
            QVERIFY2(QString::fromStdString(refused.message())
                         .contains(QStringLiteral("the host address \"%1\" is not an IPv4 address")
                                       .arg(QLatin1String(address))),
                     refused.message().c_str());
        }
    }

    void monitorHostfwdAdd() {
        const QString socketPath = dir_.filePath(QStringLiteral("monitor.sock"));
        CliRun run({QStringLiteral("--bios"), kFwJump, QStringLiteral("--serial"), QStringLiteral("none"),
                    QStringLiteral("--timeout"), QStringLiteral("120"), QStringLiteral("--nic"),
                    QStringLiteral("user"), QStringLiteral("--monitor"), socketPath});
        // The monitor socket appears once the VM is set up (bounded wait).
        auto monitor = std::make_unique<MonitorConnection>();
        for (int round = 0; round < 600 && !monitor->connectTo(socketPath); ++round) {
            QTest::qWait(50);
            monitor = std::make_unique<MonitorConnection>();
        }
        QVERIFY(!monitor->ask(QStringLiteral("help")).isEmpty());
        auto accepted = [&](const QString& command, uint16_t port) {
            return monitor->ask(command.arg(port)).startsWith(QStringLiteral("OK"));
        };

        const uint16_t byDefault = freePort(), localhost = freePort(), everywhere = freePort(),
                       bad = freePort();
        QVERIFY(accepted(QStringLiteral("hostfwd_add tcp::%1-:22"), byDefault));
        QVERIFY(accepted(QStringLiteral("hostfwd_add tcp:localhost:%1-:22"), localhost));
        QVERIFY(accepted(QStringLiteral("hostfwd_add tcp:0.0.0.0:%1-:22"), everywhere));
        expectLoopbackOnly(byDefault);
        expectLoopbackOnly(localhost);
        expectEveryInterface(everywhere);

        for (const char* address : {"::1", "my-laptop"}) {
            const QString answer = monitor->ask(
                QStringLiteral("hostfwd_add tcp:%1:%2-:22").arg(QLatin1String(address)).arg(bad));
            QVERIFY2(answer.startsWith(QStringLiteral("error: ")) &&
                         answer.contains(QStringLiteral("host address \"%1\" is not an IPv4 address")
                                             .arg(QLatin1String(address))),
                     qPrintable(answer));
            expectNothingListens(bad);
        }
        // "localhost" names the same socket as 127.0.0.1 for hostfwd_remove too.
        QVERIFY(accepted(QStringLiteral("hostfwd_remove tcp:127.0.0.1:%1"), localhost));
        QVERIFY(accepted(QStringLiteral("hostfwd_remove tcp:localhost:%1"), byDefault));
        expectNothingListens(localhost);
        expectNothingListens(byDefault);
    }

    void theNetworkLayerRefusesWhatItCannotBindAsWritten() {
        // Defence in depth: a rule that reaches the NIC without the parser (a
        // HostForward filled in by code) is checked again before anything is bound;
        // an unparsable address must not turn into in_addr 0 = every interface.
        auto nic = devices::VirtioNet::create(devices::VirtioNet::macFromSeed("exposure"), {});
        QVERIFY(nic);
        for (const char* address : {"::1", "junk", "localhost6", "0"}) {
            net::HostForward rule;
            rule.hostAddress = address;
            rule.hostPort = freePort();
            rule.guestPort = 22;
            const Status added = (*nic)->addHostForward(rule);
            QVERIFY2(!added.ok(), address);
            QVERIFY2(added.message().find("is not an IPv4 address") != std::string::npos,
                     added.message().c_str());
            expectNothingListens(rule.hostPort);
        }
        net::HostForward localhost;
        localhost.hostAddress = "localhost";
        localhost.hostPort = freePort();
        localhost.guestPort = 22;
        QVERIFY((*nic)->addHostForward(localhost).ok());
        expectLoopbackOnly(localhost.hostPort);
        QCOMPARE((*nic)->hostForwards().front().hostAddress, std::string("127.0.0.1"));

        // Rules given at creation go through the same check: the network is not created.
        net::SlirpOptions options;
        net::HostForward bad;
        bad.hostAddress = "::1";
        bad.hostPort = freePort();
        bad.guestPort = 22;
        options.forwards = {bad};
        auto refused = devices::VirtioNet::create(devices::VirtioNet::macFromSeed("exposure-2"), options);
        QVERIFY(!refused);
        expectNothingListens(bad.hostPort);
    }
};

QTEST_GUILESS_MAIN(ForwardExposureTest)
#include "forward_exposure_test.moc"
