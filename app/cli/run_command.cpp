// tessera-cli run: parse options, build the RISC-V virt board in core, connect
// its serial port to stdio, run until the guest powers off.

#include <cstdio>
#include <memory>

#include "app/cli/commands.h"
#include "app/cli/run_console.h"
#include "app/cli/run_options.h"
#include "core/machine/riscv_virt_board.h"
#include "core/vm/device_monitor_target.h"
#include "core/vm/monitor_server.h"
#include "core/vm/vm_bundle.h"

namespace tessera::cli {

namespace {

// VmHost for the terminal: serial to stdout or a file, errors to stderr.
class CliHost : public machine::VmHost {
public:
    explicit CliHost(std::FILE* serialOut) : serialOut_(serialOut) {}
    void serialOutput(std::span<const uint8_t> bytes) override {
        if (!serialOut_) return;
        std::fwrite(bytes.data(), 1, bytes.size(), serialOut_);
        std::fflush(serialOut_);
    }
    void fatalError(const std::string& message) override {
        std::fprintf(stderr, "\ntessera-cli run: %s\n", message.c_str());
    }

private:
    std::FILE* serialOut_;
};

}  // namespace

int runCommand(const Args& args) {
    auto options = parseRunOptions(args);
    if (!options) {
        std::fprintf(stderr, "tessera-cli run: %s\n", options.message().c_str());
        return 2;
    }
    if (options->help) {
        std::fputs(kRunUsage, stdout);
        return 0;
    }

    std::string bundleDirectory;
    if (!options->vm.empty()) {
        auto bundle = applyVmBundle(*options);
        if (!bundle) {
            std::fprintf(stderr, "tessera-cli run: %s\n", bundle.message().c_str());
            return 2;
        }
        bundleDirectory = *bundle;
    }

    std::FILE* serialOut = stdout;
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> serialFile(nullptr, &std::fclose);
    if (options->serial == SerialMode::None) serialOut = nullptr;
    if (options->serial == SerialMode::File) {
        serialFile.reset(std::fopen(options->serialFile.c_str(), "wb"));
        if (!serialFile) {
            std::fprintf(stderr, "tessera-cli run: cannot open serial output file '%s'.\n", options->serialFile.c_str());
            return 2;
        }
        serialOut = serialFile.get();
    }

    CliHost host(serialOut);
    auto board = machine::RiscvVirtBoard::create(options->machine, host);
    if (!board) {
        std::fprintf(stderr, "tessera-cli run: %s\n", board.message().c_str());
        return 2;
    }
    machine::RiscvVirtBoard& vm = *board.value();

    // The monitor drives the VM's devices from its own thread (their entry points are thread-safe).
    devices::VirtioDeviceSet& virtio = vm.virtioDevices();
    vm::MonitorDevices monitorDevices;
    monitorDevices.display = virtio.display();
    monitorDevices.keyboard = virtio.keyboard();
    monitorDevices.tablet = virtio.tablet();
    monitorDevices.cdrom = virtio.cdrom();
    monitorDevices.nic = virtio.nic();
    monitorDevices.quit = [&vm]() -> Status {
        vm.requestStop();
        return {};
    };
    monitorDevices.powerdown = [&virtio] { return vm::pressPowerKey(virtio.keyboard()); };
    vm::DeviceMonitorTarget monitorTarget(monitorDevices);
    std::unique_ptr<vm::MonitorServer> monitor;
    if (!options->monitorPath.empty()) {
        auto started = vm::MonitorServer::start(options->monitorPath, monitorTarget);
        if (!started) {
            std::fprintf(stderr, "tessera-cli run: %s\n", started.message().c_str());
            return 2;
        }
        monitor = std::move(*started);
    }

    std::unique_ptr<RunConsole> console;
    bool quitByUser = false;
    if (options->serial == SerialMode::Stdio) {
        console = std::make_unique<RunConsole>([&vm](std::span<const uint8_t> bytes) { vm.pushSerialInput(bytes); },
                                               [&vm, &quitByUser] {
                                                   quitByUser = true;
                                                   vm.requestStop();
                                               });
        console->start();
    }

    const machine::RunOutcome outcome = vm.run();
    console.reset();  // restore the terminal before printing
    monitor.reset();
    if (!options->screenshotPath.empty() && virtio.display()) {
        if (Status shot = virtio.display()->saveScreenshot(options->screenshotPath); !shot)
            std::fprintf(stderr, "tessera-cli run: %s\n", shot.message().c_str());
    }
    // A bundle's last frame is its library thumbnail, as when the app runs it.
    if (!bundleDirectory.empty() && virtio.display())
        (void)virtio.display()->saveLastFrame(bundleDirectory + "/" + vm::kScreenshotFileName);
    if (options->stats) {
        const machine::RunStats stats = vm.stats();
        std::fprintf(stderr,
                     "tessera-stats: {\"instructions\": %llu, \"wall_seconds\": %.3f, \"busy_seconds\": %.3f, "
                     "\"idle_seconds\": %.3f, \"mips\": %.1f}\n",
                     (unsigned long long)stats.instructions, stats.wallSeconds, stats.busySeconds, stats.idleSeconds,
                     stats.mips());
    }

    using Kind = machine::RunOutcome::Kind;
    switch (outcome.kind) {
        case Kind::GuestPoweroff:
            return outcome.exitCode;
        case Kind::GuestReset:
            return 0;
        case Kind::Timeout:
            std::fprintf(stderr, "\ntessera-cli run: %s\n", outcome.message.c_str());
            return 124;
        case Kind::Stopped:
            if (quitByUser) std::fputs("\ntessera-cli run: terminated by Ctrl-A X\n", stderr);
            return 0;
        case Kind::Fatal:
            return 125;
    }
    return 125;
}

}  // namespace tessera::cli
