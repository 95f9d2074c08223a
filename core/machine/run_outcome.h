#pragma once
// How a board's run() ended and where its wall time went: the same for every
// board (RISC-V virt, mac99), so the CLI and the GUI report any machine alike.

#include <cstdint>
#include <string>

#include "core/cpu/cpu_engine.h"

namespace tessera::machine {

struct RunOutcome {
    enum class Kind { GuestPoweroff, GuestReset, Timeout, Stopped, Fatal };
    Kind kind = Kind::Stopped;
    int exitCode = 0;  // guest's code for GuestPoweroff
    std::string message;
};

// Where the run loop's wall time went: executing guest code vs idling in WFI.
// With several harts, instructions, busy and idle time are sums over harts,
// and mips the sum of each hart's speed while busy.
struct RunStats {
    unsigned harts = 1;
    uint64_t instructions = 0;
    double wallSeconds = 0;
    double busySeconds = 0;             // inside CpuEngine::run, executing guest code
    double idleSeconds = 0;             // sleeping on WFI, or backing off in a spin-wait (PAUSE)
    double mips = 0;                    // summed over harts, each over its own busy time
    cpu::TranslationStats translation;  // the JITs', summed over harts; zero for the interpreter
};

}  // namespace tessera::machine
