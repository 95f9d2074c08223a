// Specification: the VM monitor on a private Unix socket answers every line
// with one "OK"/"error:" line and drives the real devices: keys and pointer
// reach the input event queues, discs change and eject, port forwards come and
// go, screenshots are written; malformed commands are errors, never crashes.

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <QSignalSpy>
#include <QtTest>
#include <map>
#include <vector>

#include "core/devices/virtio_input.h"
#include "core/vm/device_monitor_target.h"
#include "core/vm/monitor_server.h"
#include "test_images.h"
#include "virtio_test_driver.h"

using namespace tessera;
using namespace tessera::devices;
using namespace tessera::testing;
using namespace tessera::vm;

namespace {

class MonitorClient {
public:
    explicit MonitorClient(const std::string& path) {
        fd_ = socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
        connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    }
    ~MonitorClient() { close(fd_); }
    bool connected() const { return connected_; }

    std::string ask(const std::string& line) {
        const std::string withNewline = line + "\n";
        if (::send(fd_, withNewline.data(), withNewline.size(), MSG_NOSIGNAL) < 0) return "<send failed>";
        std::string answer;
        char c;
        for (;;) {
            pollfd p{fd_, POLLIN, 0};
            if (poll(&p, 1, 10000) <= 0) return "<no answer>";
            if (read(fd_, &c, 1) != 1) return "<closed>";
            if (c == '\n') return answer;
            answer += c;
        }
    }

private:
    int fd_ = -1;
    bool connected_ = false;
};

// Input device on a test driver, with its event queue filled with buffers.
struct InputRig {
    explicit InputRig(VirtioInput::Kind kind) : input(kind), mmio(driver.bus, &input) {
        driver.attach(&mmio);
        driver.initialise(~0ull, 2, 64);
        for (int i = 0; i < 32; ++i) {
            std::vector<TestBuffer> buffers{TestBuffer::out(8)};
            const uint16_t head = driver.submit(0, buffers);  // fills buffers[0].address
            addresses[head] = buffers[0].address;
        }
    }
    std::vector<std::pair<uint16_t, uint32_t>> keyEvents() {  // (code, value) of non-SYN events
        input.poll();
        std::vector<std::pair<uint16_t, uint32_t>> events;
        for (const UsedElement& used : driver.takeUsed(0)) {
            const uint64_t at = addresses.at(static_cast<uint16_t>(used.id));
            if (driver.peekValue<uint16_t>(at) != kEvSyn)
                events.emplace_back(driver.peekValue<uint16_t>(at + 2), driver.peekValue<uint32_t>(at + 4));
        }
        return events;
    }
    VirtioTestDriver driver;
    VirtioInput input;
    VirtioMmio mmio;
    std::map<uint16_t, uint64_t> addresses;
};

bool startsWith(const std::string& text, const char* prefix) {
    return text.rfind(prefix, 0) == 0;
}

}  // namespace

class MonitorTest : public QObject {
    Q_OBJECT
private slots:
    void socketIsPrivateAndEveryLineGetsOneAnswer() {
        TestImages files;
        DeviceMonitorTarget target(MonitorDevices{});
        auto server = MonitorServer::start(files.path("monitor.sock"), target);
        QVERIFY(server);
        struct stat info {};
        QCOMPARE(stat(files.path("monitor.sock").c_str(), &info), 0);
        QVERIFY(S_ISSOCK(info.st_mode));
        QCOMPARE(info.st_mode & 0777, 0600u);

        MonitorClient client(files.path("monitor.sock"));
        QVERIFY(client.connected());
        QVERIFY(startsWith(client.ask("help"), "OK"));
        for (const char* bad : {"", "bogus", "sendkey", "sendkey ctrl-nosuchkey", "mouse_move 1",
                                "mouse_move -1 5", "mouse_button 9", "eject floppy", "change cd",
                                "hostfwd_add tcp:22", "screenshot", "quit now please"}) {
            const std::string answer = client.ask(bad);
            QVERIFY2(startsWith(answer, "error: "), (std::string(bad) + " -> " + answer).c_str());
        }
        // Commands for devices this VM lacks say so.
        QCOMPARE(client.ask("eject cd"), std::string("error: this VM has no CD-ROM drive"));
        QVERIFY(client.ask("screenshot /tmp/x.png").find("no display") != std::string::npos);
        // Binary garbage is an error line too, and the connection survives.
        QVERIFY(startsWith(client.ask(std::string("\x01\x02\xff", 3)), "error: "));
        QVERIFY(startsWith(client.ask("help"), "OK"));
    }

    void refusesToReplaceARegularFile() {
        TestImages files;
        std::ofstream(files.path("not-a-socket")) << "data";
        DeviceMonitorTarget target(MonitorDevices{});
        auto server = MonitorServer::start(files.path("not-a-socket"), target);
        QVERIFY(!server);
        QVERIFY(server.message().find("not a socket") != std::string::npos);
    }

    void sendkeyAndPointerReachTheInputQueues() {
        TestImages files;
        InputRig keyboard(VirtioInput::Kind::Keyboard);
        InputRig tablet(VirtioInput::Kind::Tablet);
        MonitorDevices devices;
        devices.keyboard = &keyboard.input;
        devices.tablet = &tablet.input;
        DeviceMonitorTarget target(devices);
        auto server = MonitorServer::start(files.path("m.sock"), target);
        QVERIFY(server);
        MonitorClient client(files.path("m.sock"));
        QCOMPARE(client.ask("sendkey ctrl-alt-delete"), std::string("OK"));
        const auto keys = keyboard.keyEvents();
        const std::vector<std::pair<uint16_t, uint32_t>> expected{{29, 1},  {56, 1}, {111, 1},
                                                                  {111, 0}, {56, 0}, {29, 0}};
        QCOMPARE(keys, expected);
        QCOMPARE(client.ask("mouse_move 16384 100"), std::string("OK"));
        QCOMPARE(client.ask("mouse_button 1"), std::string("OK"));
        const auto pointer = tablet.keyEvents();
        const std::vector<std::pair<uint16_t, uint32_t>> moves{
            {kAbsX, 16384}, {kAbsY, 100}, {kAbsX, 16384}, {kAbsY, 100}, {kBtnLeft, 1}};
        QCOMPARE(pointer, moves);
    }

    void changeAndEjectTheDisc() {
        TestImages files;
        ScsiCdrom cdrom;
        QSignalSpy changed(&cdrom, &ScsiCdrom::mediaChanged);
        QSignalSpy ejected(&cdrom, &ScsiCdrom::mediaEjected);
        const std::string iso = files.iso("disc.iso", {{"a.txt", "a"}});
        QVERIFY(!iso.empty());
        MonitorDevices devices;
        devices.cdrom = &cdrom;
        DeviceMonitorTarget target(devices);
        auto server = MonitorServer::start(files.path("m.sock"), target);
        MonitorClient client(files.path("m.sock"));
        QCOMPARE(client.ask("change cd " + iso), std::string("OK"));
        QVERIFY(cdrom.hasMedia());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(client.ask("eject cd"), std::string("OK"));
        QVERIFY(!cdrom.hasMedia());
        QCOMPARE(ejected.count(), 1);
        QVERIFY(startsWith(client.ask("change cd " + files.path("missing.iso")), "error: "));
        QVERIFY(!cdrom.hasMedia());
        QCOMPARE(client.ask("change cdrom " + iso), std::string("OK"));
        QCOMPARE(client.ask("eject -f cd"), std::string("OK"));
    }

    void hostForwardsComeAndGo() {
        TestImages files;
        auto nic = VirtioNet::create(VirtioNet::macFromSeed("monitor-test"), {});
        QVERIFY(nic);
        MonitorDevices devices;
        devices.nic = nic->get();
        DeviceMonitorTarget target(devices);
        auto server = MonitorServer::start(files.path("m.sock"), target);
        MonitorClient client(files.path("m.sock"));
        // A free port, found by binding and releasing it.
        const int probe = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address);
        socklen_t length = sizeof address;
        getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length);
        close(probe);
        const std::string port = std::to_string(ntohs(address.sin_port));

        QCOMPARE(client.ask("hostfwd_add tcp::" + port + "-:22"), "OK tcp:127.0.0.1:" + port + "-:22");
        const int connection = socket(AF_INET, SOCK_STREAM, 0);
        QCOMPARE(::connect(connection, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
        close(connection);
        QVERIFY(startsWith(client.ask("hostfwd_add net0 tcp::" + port + "-:22"), "error: "));  // port taken
        QCOMPARE(client.ask("hostfwd_remove net0 tcp::" + port), "OK 127.0.0.1:" + port);
        QVERIFY(startsWith(client.ask("hostfwd_remove tcp::" + port), "error: "));
        const int refused = socket(AF_INET, SOCK_STREAM, 0);
        QVERIFY(::connect(refused, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0);
        close(refused);
    }

    void quitAndPowerdownReachTheBoard() {
        TestImages files;
        int quits = 0, powerdowns = 0;
        MonitorDevices devices;
        devices.quit = [&]() -> Status {
            ++quits;
            return {};
        };
        devices.powerdown = [&]() -> Status {
            ++powerdowns;
            return {};
        };
        DeviceMonitorTarget target(devices);
        auto server = MonitorServer::start(files.path("m.sock"), target);
        MonitorClient client(files.path("m.sock"));
        QCOMPARE(client.ask("system_powerdown"), std::string("OK"));
        QCOMPARE(client.ask("quit"), std::string("OK"));
        QCOMPARE(quits, 1);
        QCOMPARE(powerdowns, 1);
        server->reset();
        QVERIFY(!QFile::exists(QString::fromStdString(files.path("m.sock"))));  // removed on shutdown
    }

    // The board's own controls: reset button, stop/cont (every hart) and
    // `info cpus` (every hart's line, as the board words it).
    void resetPauseAndInfoCpusReachTheBoard() {
        TestImages files;
        int resets = 0;
        std::vector<bool> pauses;
        MonitorDevices devices;
        devices.reset = [&]() -> Status {
            ++resets;
            return {};
        };
        devices.pause = [&](bool paused) -> Status {
            pauses.push_back(paused);
            return {};
        };
        devices.cpus = [] {
            return std::string("CPU #0 pc=0x80000000 running | CPU #1 pc=0x80000010 halted");
        };
        DeviceMonitorTarget target(devices);
        auto server = MonitorServer::start(files.path("m.sock"), target);
        MonitorClient client(files.path("m.sock"));
        QCOMPARE(client.ask("info cpus"),
                 std::string("OK CPU #0 pc=0x80000000 running | CPU #1 pc=0x80000010 halted"));
        QCOMPARE(client.ask("stop"), std::string("OK"));
        QCOMPARE(client.ask("cont"), std::string("OK"));
        QCOMPARE(client.ask("system_reset"), std::string("OK"));
        QCOMPARE(resets, 1);
        QCOMPARE(pauses, (std::vector<bool>{true, false}));
        QVERIFY(startsWith(client.ask("info"), "error: usage: info cpus"));
        QVERIFY(startsWith(client.ask("info registers"), "error: usage: info cpus"));
        // A VM without these controls says so.
        DeviceMonitorTarget bare(MonitorDevices{});
        QCOMPARE(executeMonitorLine("info cpus", bare),
                 std::string("error: CPU information is not available for this VM"));
        QCOMPARE(executeMonitorLine("system_reset", bare),
                 std::string("error: reset is not available for this VM"));
    }
};

QTEST_MAIN(MonitorTest)
#include "monitor_test.moc"
