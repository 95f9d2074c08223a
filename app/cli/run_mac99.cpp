#include "app/cli/run_mac99.h"

#include <cstdio>

#include "app/cli/run_console.h"
#include "app/cli/run_gdb.h"
#include "core/machine/mac99_board.h"
#include "core/vm/arch_detect.h"
#include "core/vm/device_monitor_target.h"
#include "core/vm/monitor_server.h"

namespace tessera::cli {

namespace {

// The board takes any non-ELF file as a raw kernel, as QEMU does; a kernel
// that is recognisably another architecture's (a RISC-V Image, an x86
// bzImage) is a mistake worth naming before OpenBIOS jumps into it.
Status checkKernelIsPowerPc(const std::string& kernel) {
    if (kernel.empty()) return {};
    const vm::ArchGuess guess = vm::detectArchitecture(QString::fromStdString(kernel));
    if (!guess.fromContents || guess.arch.isEmpty() || guess.arch == QLatin1String("ppc")) return {};
    return makeError("--kernel " + kernel + " is a " + guess.reason.toStdString() +
                     ", not a 32-bit PowerPC kernel (mac99 boots a vmlinux ELF or a raw PowerPC image).");
}

}  // namespace

int runMac99(const RunOptions& options, machine::VmHost& host) {
    if (Status ok = checkKernelIsPowerPc(options.machine.kernel); !ok) {
        std::fprintf(stderr, "tessera-cli run: %s\n", ok.message().c_str());
        return 2;
    }
    auto board = machine::Mac99Board::create(mac99Config(options), host);
    if (!board) {
        std::fprintf(stderr, "tessera-cli run: %s\n", board.message().c_str());
        return 2;
    }
    machine::Mac99Board& vm = *board.value();
    // The monitor drives the devices from its own thread (their host entry
    // points are thread-safe; ScsiCdrom changes and ejects the CD).
    vm::MonitorDevices monitorDevices;
    monitorDevices.cdrom = vm.cdrom();
    monitorDevices.display = vm.display();  // null without --display
    monitorDevices.keyboard = vm.keyboard();
    monitorDevices.tablet = vm.tablet();
    monitorDevices.quit = [&vm]() -> Status {
        vm.requestStop();
        return {};
    };
    monitorDevices.pause = [&vm](bool paused) -> Status {
        vm.requestPause(paused);
        return {};
    };
    vm::DeviceMonitorTarget monitorTarget(monitorDevices);
    std::unique_ptr<vm::MonitorServer> monitor;
    if (!options.monitorPath.empty()) {
        auto started = vm::MonitorServer::start(options.monitorPath, monitorTarget);
        if (!started) {
            std::fprintf(stderr, "tessera-cli run: %s\n", started.message().c_str());
            return 2;
        }
        monitor = std::move(*started);
    }
    auto gdb = startGdbStub(options, vm, GuestIsa::Ppc32);
    if (!gdb) {
        std::fprintf(stderr, "tessera-cli run: %s\n", gdb.message().c_str());
        return 2;
    }
    std::unique_ptr<RunConsole> console;
    bool quitByUser = false;
    if (options.serial == SerialMode::Stdio) {
        console =
            std::make_unique<RunConsole>([&vm](std::span<const uint8_t> bytes) { vm.pushSerialInput(bytes); },
                                         [&vm, &quitByUser] {
                                             quitByUser = true;
                                             vm.requestStop();
                                         });
        console->start();
    }
    const machine::RunOutcome outcome = vm.run();
    console.reset();
    gdb->reset();
    monitor.reset();
    if (!options.screenshotPath.empty() && vm.display()) {
        if (Status shot = vm.display()->saveScreenshot(options.screenshotPath); !shot)
            std::fprintf(stderr, "tessera-cli run: %s\n", shot.message().c_str());
    }
    if (options.stats) printRunStats(vm.stats(), vm.cpu().kind());
    return runExitStatus(outcome, quitByUser);
}

void printRunStats(const machine::RunStats& stats, cpu::EngineKind engine) {
    const cpu::TranslationStats& t = stats.translation;  // the JIT's code size per guest instruction
    std::fprintf(stderr,
                 "tessera-stats: {\"engine\": \"%s\", \"harts\": %u, \"instructions\": %llu, "
                 "\"wall_seconds\": %.3f, \"busy_seconds\": %.3f, \"idle_seconds\": %.3f, \"mips\": %.1f, "
                 "\"blocks_translated\": %llu, \"guest_instructions_translated\": %llu, "
                 "\"host_code_bytes_per_guest_instruction\": %.1f, \"sample_blocks\": %llu, "
                 "\"host_instructions_per_guest_instruction\": %.2f}\n",
                 cpu::engineName(engine), stats.harts, (unsigned long long)stats.instructions,
                 stats.wallSeconds, stats.busySeconds, stats.idleSeconds, stats.mips,
                 (unsigned long long)t.blocks, (unsigned long long)t.guestInstructions,
                 t.guestInstructions ? double(t.hostBytes) / double(t.guestInstructions) : 0.0,
                 (unsigned long long)t.sampleBlocks,
                 t.sampleGuestInstructions ? double(t.sampleHostInstructions) / double(t.sampleGuestInstructions)
                                           : 0.0);
}

int runExitStatus(const machine::RunOutcome& outcome, bool quitByUser) {
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
