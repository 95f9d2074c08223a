#pragma once
// The lockstep differential tester: two engines on two DeterministicBoards
// run the same program. The engine under test (the candidate, B) makes one
// unit (its step(), for the JIT one block; engines.h); the reference (A, the
// interpreter) single-steps until it has retired as many instructions, plus the one step that retires
// nothing if B's step ended in a trap entry A has not made yet. Then the two
// are compared: architectural state (arch_state.h), all of guest RAM, and
// what the guest wrote to the UART. The first difference stops the run with
// a report naming the first diverging instruction, the reference's
// instructions of that step and both states.
//
// RAM is compared whole at every comparison point: one memcmp of the board's
// 1 MiB is exact, needs no help from the engines (whose stores go straight
// to host memory through their software TLBs) and costs tens of
// microseconds, which is cheap next to single-stepping the reference.
//
// A board with several harts (deterministic_board.h): the harts take turns,
// one candidate unit each; the reference's same hart catches up; then every
// hart, RAM and the UART are compared. Each hart is so checked against the
// reference under exactly the interleaving the candidate ran.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "lockstep/deterministic_board.h"

namespace tessera::lockstep {

// An interrupt line both engines see change at a defined instruction count
// (retired by all harts): raised (or lowered) at the first comparison point
// at or after it, which is the same instruction for both engines.
struct ScheduledInterrupt {
    uint64_t atInstruction = 0;
    unsigned line = 0;  // mip bit
    bool level = true;
    unsigned hart = 0;
};

struct LockstepOptions {
    // How the candidate makes one unit (engines.h; step() when unset) and its
    // name in reports (the engine's when empty).
    cpu::RunResult (*advanceCandidate)(cpu::CpuEngine&) = nullptr;
    std::string candidateName;
    uint64_t maxInstructions = 50'000'000;
    std::vector<ScheduledInterrupt> interrupts;  // in order of atInstruction
    // Called after every step of the candidate with the hart that stepped and
    // its retired count before and after the step (the tester's own tests
    // inject faults here).
    std::function<void(DeterministicBoard& candidate, unsigned hart, uint64_t retiredBefore,
                       uint64_t retiredAfter)>
        afterCandidateStep;
    // Prints every trap the reference takes (cause, epc, tval) to stderr, in
    // the format of QEMU's `-d int`, for comparing a run with QEMU's by hand.
    bool traceTraps = false;
};

struct LockstepOutcome {
    bool diverged = false;
    bool finished = false;      // the guest powered off (in both)
    std::string report;         // the divergence, or why the run ended without a power-off
    uint64_t instructions = 0;  // retired by all harts
    uint64_t comparisons = 0;
};

LockstepOutcome runLockstep(DeterministicBoard& reference, DeterministicBoard& candidate,
                            const LockstepOptions& options = {});

}  // namespace tessera::lockstep
