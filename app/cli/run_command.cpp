// tessera-cli run: parse options, build the RISC-V virt board in core, connect
// its serial port to stdio, run until the guest powers off.

#include <cstdio>
#include <memory>
#include <thread>

#include "app/cli/commands.h"
#include "app/cli/run_console.h"
#include "app/cli/run_gdb.h"
#include "app/cli/run_mac99.h"
#include "app/cli/run_options.h"
#include "app/cli/run_uefi_boot.h"
#include "core/cpu/cpu_engine.h"
#include "core/machine/riscv_virt_board.h"
#include "core/vm/device_monitor_target.h"
#include "core/vm/emulated_machines.h"
#include "core/vm/monitor_server.h"
#include "core/vm/run_log.h"
#include "core/vm/vm_bundle.h"
#include "core/vm/vm_library.h"

namespace tessera::cli {

namespace {

// VmHost for the terminal: serial to stdout or a file, errors to stderr; both
// also go to the bundle's run log with --vm.
class CliHost : public machine::VmHost {
public:
    CliHost(std::FILE* serialOut, vm::RunLog* log) : serialOut_(serialOut), log_(log) {}
    void serialOutput(std::span<const uint8_t> bytes) override {
        if (log_) log_->serial(bytes);
        if (!serialOut_) return;
        std::fwrite(bytes.data(), 1, bytes.size(), serialOut_);
        std::fflush(serialOut_);
    }
    void fatalError(const std::string& message) override {
        if (log_) log_->note(QString::fromStdString(message));
        std::fprintf(stderr, "\ntessera-cli run: %s\n", message.c_str());
    }

private:
    std::FILE* serialOut_;
    vm::RunLog* log_;
};

// The line the run log ends with, as the app's runner words it.
QString outcomeText(const machine::RunOutcome& outcome, bool quitByUser) {
    using Kind = machine::RunOutcome::Kind;
    switch (outcome.kind) {
        case Kind::GuestPoweroff:
            return QStringLiteral("the guest powered off (exit code %1)").arg(outcome.exitCode);
        case Kind::GuestReset:
            return QStringLiteral("the guest asked for a reset");
        case Kind::Timeout:
            return QString::fromStdString(outcome.message);
        case Kind::Stopped:
            return quitByUser ? QStringLiteral("terminated by Ctrl-A X") : QStringLiteral("stopped");
        case Kind::Fatal:
            return QStringLiteral("the emulator stopped: ") + QString::fromStdString(outcome.message);
    }
    return {};
}

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
    if (options->listMachines) {
        std::fputs(vm::machineListText().toUtf8().constData(), stdout);
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

    auto uefiVars = applyUefiBoot(*options);
    if (!uefiVars) {
        std::fprintf(stderr, "tessera-cli run: %s\n", uefiVars.message().c_str());
        return 2;
    }

    std::FILE* serialOut = stdout;
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> serialFile(nullptr, &std::fclose);
    if (options->serial == SerialMode::None) serialOut = nullptr;
    if (options->serial == SerialMode::File) {
        serialFile.reset(std::fopen(options->serialFile.c_str(), "wb"));
        if (!serialFile) {
            std::fprintf(stderr, "tessera-cli run: cannot open serial output file '%s'.\n",
                         options->serialFile.c_str());
            return 2;
        }
        serialOut = serialFile.get();
    }

    // A bundle's run is logged in its logs/, as when the app runs it; a run that
    // cannot be logged still runs.
    std::unique_ptr<vm::RunLog> log;
    if (!bundleDirectory.empty()) {
        const vm::VmEntry entry = vm::VmLibrary::loadEntry(QString::fromStdString(bundleDirectory));
        if (auto begun = vm::RunLog::begin(entry.bundle); begun && entry.config) {
            log = std::move(begun).value();
            log->noteStart(QStringLiteral("tessera-cli"), *entry.config, entry.bundle);
        }
    }
    CliHost host(serialOut, log.get());
    if (options->machineType == MachineType::Mac99) return runMac99(*options, host);
    auto board = machine::RiscvVirtBoard::create(options->machine, host);
    if (!board) {
        if (log) log->note(QStringLiteral("could not start: ") + QString::fromStdString(board.message()));
        std::fprintf(stderr, "tessera-cli run: %s\n", board.message().c_str());
        return 2;
    }
    machine::RiscvVirtBoard& vm = *board.value();
    // One host thread per hart: more harts than cores still run, but share the cores.
    if (const unsigned cores = std::thread::hardware_concurrency(); cores && options->machine.harts > cores)
        std::fprintf(
            stderr,
            "tessera-cli run: warning: %u harts on a host with %u cores; the harts take turns on the "
            "cores, so the guest runs slower than with --smp %u.\n",
            options->machine.harts, cores, cores);

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
    monitorDevices.reset = [&vm]() -> Status {
        vm.requestReset();
        return {};
    };
    monitorDevices.pause = [&vm](bool paused) -> Status {
        vm.requestPause(paused);
        return {};
    };
    monitorDevices.cpus = [&vm] { return vm.hartSummary(); };
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

    auto gdb = startGdbStub(*options, vm, GuestIsa::Riscv64);
    if (!gdb) {
        std::fprintf(stderr, "tessera-cli run: %s\n", gdb.message().c_str());
        return 2;
    }

    std::unique_ptr<RunConsole> console;
    bool quitByUser = false;
    if (options->serial == SerialMode::Stdio) {
        console =
            std::make_unique<RunConsole>([&vm](std::span<const uint8_t> bytes) { vm.pushSerialInput(bytes); },
                                         [&vm, &quitByUser] {
                                             quitByUser = true;
                                             vm.requestStop();
                                         });
        console->start();
    }

    const machine::RunOutcome outcome = vm.run();
    console.reset();  // restore the terminal before printing
    if (log) log->note(outcomeText(outcome, quitByUser));
    gdb->reset();
    monitor.reset();
    if (!options->screenshotPath.empty() && virtio.display()) {
        if (Status shot = virtio.display()->saveScreenshot(options->screenshotPath); !shot)
            std::fprintf(stderr, "tessera-cli run: %s\n", shot.message().c_str());
    }
    // A bundle's last frame is its library thumbnail, as when the app runs it.
    if (!bundleDirectory.empty() && virtio.display())
        (void)virtio.display()->saveLastFrame(bundleDirectory + "/" + vm::kScreenshotFileName);
    if (options->stats) printRunStats(vm.stats(), options->machine.engine);
    return runExitStatus(outcome, quitByUser);
}

}  // namespace tessera::cli
