#pragma once
// CpuEngine: what a board drives to execute guest code, whatever the ISA and
// whatever the engine (the JIT by default, or the interpreter; see
// docs/ARCHITECTURE.md, "The engine interface"). The board calls it once per
// run slice, never per instruction: an engine runs whole blocks of guest code
// in its own loop and returns to the board when the budget is spent, the guest
// idles (WFI), an exit is requested or a host-side fatal error occurs.
//
// Threads: everything runs on the thread that runs this engine (the VM
// thread for hart 0, a hart thread of its own for each further hart) except
// requestExit() and setInterruptLevel(), which any thread may call while
// run() executes.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/util/result.h"

namespace tessera::cpu {

enum class EngineKind { Interpreter, Jit };

// The engine a board runs unless told otherwise (--engine, RiscvVirtConfig):
// the JIT where this build has one (x86-64 Linux, see engineAvailable), the
// interpreter elsewhere.
#if defined(__x86_64__) && defined(__linux__)
inline constexpr EngineKind kDefaultEngine = EngineKind::Jit;
#else
inline constexpr EngineKind kDefaultEngine = EngineKind::Interpreter;
#endif

// "interp" / "jit", as `--engine` spells them.
std::optional<EngineKind> engineKindFromName(std::string_view name);
const char* engineName(EngineKind kind);
// Whether this build can run `kind`; the error says what to use instead.
Status engineAvailable(EngineKind kind);
// The names of the engines this build has, comma-separated (for messages).
std::string availableEngineNames();

enum class StopReason {
    BudgetExhausted,   // ran about the budget's worth of instructions
    ExitRequested,     // requestExit() was called (the request is consumed)
    WaitForInterrupt,  // the guest idles until an interrupt; the board sleeps the host thread
    Breakpoint,        // the next instruction is at a debugger breakpoint (setBreakpoints)
    FatalError,        // a host-side problem (emulator bug): fatalMessage says what
};

// What a translating engine has translated since it was made (all zero for
// an interpreter): how much host code each guest instruction became.
struct TranslationStats {
    uint64_t blocks = 0;
    uint64_t guestInstructions = 0;
    uint64_t hostBytes = 0;  // generated code, slow paths and exits included
    // The first kSampleBlocks blocks an engine translates, with the host
    // instructions their code holds counted (slow paths and exits included):
    // a fixed sample whose host instructions per guest instruction
    // benchmarks can track.
    static constexpr uint64_t kSampleBlocks = 2000;
    uint64_t sampleBlocks = 0;
    uint64_t sampleGuestInstructions = 0;
    uint64_t sampleHostInstructions = 0;

    // Adds a translated block to the totals (and to the sample when counted).
    void add(uint64_t guest, uint64_t bytes, bool counted, uint64_t hostInstructions) {
        ++blocks;
        guestInstructions += guest;
        hostBytes += bytes;
        if (!counted) return;
        ++sampleBlocks;
        sampleGuestInstructions += guest;
        sampleHostInstructions += hostInstructions;
    }
    bool sampling() const { return sampleBlocks < kSampleBlocks; }
    TranslationStats& operator+=(const TranslationStats& other) {
        blocks += other.blocks;
        guestInstructions += other.guestInstructions;
        hostBytes += other.hostBytes;
        sampleBlocks += other.sampleBlocks;
        sampleGuestInstructions += other.sampleGuestInstructions;
        sampleHostInstructions += other.sampleHostInstructions;
        return *this;
    }
};

struct RunResult {
    StopReason reason = StopReason::BudgetExhausted;
    uint64_t executed = 0;  // instructions retired by this call
    std::string fatalMessage;
};

class CpuEngine {
public:
    virtual ~CpuEngine() = default;

    virtual EngineKind kind() const = 0;

    // Executes guest code for about `budget` instructions (whole blocks, so it
    // may overshoot by one block), taking traps and interrupts internally.
    virtual RunResult run(uint64_t budget) = 0;
    // Lockstep testing (tests/lockstep/): executes one unit and returns. The
    // interpreter: exactly one instruction, or one trap/interrupt entry that
    // retires nothing. The JIT: exactly one translated block as it would run
    // it (chained successors not followed), including a trap or interrupt
    // taken at its start or inside it. Not for boards: run() is the fast path
    // and carries no per-instruction check for this.
    virtual RunResult step() = 0;
    // Any thread: the running (or the next) run() returns at the next block
    // boundary with StopReason::ExitRequested. The request is one word in the
    // engine's flat architectural state, which generated code polls.
    virtual void requestExit() = 0;

    // Architectural reset: the ISA's reset state with the program counter at
    // `pc`; translations and decoded code are dropped.
    virtual void reset(uint64_t pc) = 0;

    // Board wiring. Interrupt lines are numbered by the ISA (RISC-V: the mip
    // bit: MSI=3, MTI=7, SEI=9, MEI=11); level-triggered, any thread.
    virtual void setInterruptLevel(unsigned line, bool level) = 0;
    // An interrupt is pending and enabled locally (the WFI wake-up condition).
    virtual bool interruptPending() const = 0;
    // The architectural timer (RISC-V: the `time` CSR) reads the board clock.
    virtual void setTimeSource(std::function<uint64_t()> readTime) = 0;

    // Guest RAM [paddr, paddr+length) was written by something other than this
    // CPU (device DMA, an image loader): code translated or decoded from those
    // bytes is dropped, and an LR-style reservation on them is lost.
    virtual void invalidateCode(uint64_t paddr, uint64_t length) = 0;
    // Drops every cached address translation (the guest's page tables were
    // changed behind its back, e.g. by a debugger or a snapshot restore).
    virtual void flushTlb() = 0;

    // Debugger support (the GDB stub, core/debug/), while the engine is
    // stopped. run() returns StopReason::Breakpoint, before executing it,
    // when the next instruction is at one of `pcs` (guest virtual addresses,
    // checked at every instruction, the first of the call included);
    // translations and decoded blocks are dropped so that none runs past one.
    virtual void setBreakpoints(std::vector<uint64_t> pcs) = 0;
    // Exactly one instruction, or one trap or interrupt entry that retires
    // nothing, on either engine (unlike step(), which is a JIT block);
    // breakpoints do not apply.
    virtual RunResult stepInstruction() = 0;
    // The physical address a data access to `vaddr` reaches with the CPU's
    // current translation, or nullopt when it would fault; no exception is
    // taken (a page walk may set an accessed bit, as the access would).
    virtual std::optional<uint64_t> debugTranslate(uint64_t vaddr) = 0;

    // Inspection, on the VM thread or while stopped.
    virtual uint64_t pc() const = 0;
    virtual uint64_t instructionsRetired() const = 0;
    // Human-readable architectural state (registers, privilege, key CSRs) for
    // fatal-error reports and the monitor.
    virtual std::string dumpState() const = 0;
    virtual TranslationStats translationStats() const { return {}; }
    // Host time run() spent not executing guest code but giving its host
    // core away at a guest spin-wait hint (RISC-V PAUSE with other harts,
    // core/cpu/riscv/spin_backoff.h), in nanoseconds since the engine was
    // made: boards count it as idle, not busy. The engine's own thread.
    virtual uint64_t backedOffNanos() const { return 0; }
};

}  // namespace tessera::cpu
