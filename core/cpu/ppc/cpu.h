#pragma once
// Cpu: one 32-bit PowerPC 750 (G3): its state, big-endian guest memory access
// through the MMU (BATs, segment registers, hashed page table), special-purpose
// registers, exception entry, and the interpreter loop. Boards never drive it
// directly: they drive the cpu::CpuEngine that wraps it (engine.h).
//
// Instructions come from the decode tables (decode_table.h): one semantic
// function per row, which returns an ExecStatus saying where the pc stands.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/cpu/breakpoints.h"
#include "core/cpu/cpu_engine.h"
#include "core/cpu/ppc/cpu_state.h"
#include "core/hw/memory_bus.h"

namespace tessera::ppc {

struct CpuConfig {
    uint32_t pvr = 0x00080301;  // PowerPC 750 (QEMU's `-cpu 750`: 750 v3.1)
};

// Result of one instruction's semantic function.
enum class ExecStatus : uint8_t {
    Continue,  // completed; pc still addresses it, the caller advances by 4
    Jump,      // completed; pc holds the next instruction's address
    Stop,      // completed like Continue, but MSR/interrupt state changed: re-check interrupts
    Trap,      // an exception was entered: pc is at its vector, nothing retired
    Idle,      // completed like Continue and the CPU sleeps until an interrupt (MSR[POW])
};

enum class Access : uint8_t { Load, Store, Fetch };

// Told about writes to physical pages a JIT has translated code from
// (Cpu::markCodePage): stores, dcbz and external (DMA) writes.
class CodeObserver {
public:
    // Returns true while translated code remains on the page.
    virtual bool codeWritten(uint32_t paddr, uint32_t length) = 0;
    // Effective-to-real translations may have changed (flushTranslations).
    virtual void translationsChanged() = 0;

protected:
    ~CodeObserver() = default;
};

class Cpu {
public:
    Cpu(hw::MemoryBus& bus, CpuConfig config);

    // Reset state (750 hardware reset: MSR[IP] set, translation off) with the
    // pc at `pc`.
    void reset(uint32_t pc);
    cpu::RunResult run(uint64_t budget);
    cpu::RunResult step();

    void requestExit() { exitWord().store(1, std::memory_order_relaxed); }
    // Line 0: the external interrupt input (level-triggered, any thread).
    void setInterruptLevel(unsigned line, bool level);
    bool interruptPending() const;
    void setTimeSource(std::function<uint64_t()> source) { timeSource_ = std::move(source); }
    void noteExternalWrite(uint64_t paddr, uint64_t length);
    std::string dumpState() const;
    // Debugger breakpoints (cpu::CpuEngine::setBreakpoints): run() stops
    // before them; a JIT also ends its blocks before their page offsets.
    cpu::Breakpoints breakpoints;
    // The real address a data access at `ea` reaches (MSR[DR]), without
    // entering an exception; false when it would fault.
    bool debugTranslate(uint32_t ea, uint32_t& pa) { return translate(ea, Access::Load, pa) == Fault::None; }

    CpuState s;

    // ---- For semantic functions ----
    // Big-endian data access at effective address `ea` (translated by MSR[DR]).
    // On a fault the exception is entered and false returned.
    bool load(uint32_t ea, unsigned size, uint64_t& value);
    bool store(uint32_t ea, unsigned size, uint64_t value);
    bool load8(uint32_t ea, uint32_t& v);
    bool load16(uint32_t ea, uint32_t& v);
    bool load32(uint32_t ea, uint32_t& v);
    // The real address a data access translates to, or false (exception entered).
    bool translateData(uint32_t ea, Access access, uint32_t& pa);
    // Zeroes the 32-byte cache block at ea (dcbz).
    bool zeroBlock(uint32_t ea);

    // Enters exception `vector`; SRR0 = pc (+4 if `afterInstruction`), SRR1 =
    // MSR with the interrupt's own bits. Returns ExecStatus::Trap.
    ExecStatus raise(Vector vector, uint32_t srr1Bits = 0, bool afterInstruction = false);
    ExecStatus illegal() { return raise(Vector::Program, program::Illegal); }
    ExecStatus privileged() { return raise(Vector::Program, program::Privileged); }
    bool supervisor() const { return !(s.msr & msr::PR); }
    // Writes MSR (mtmsr, rfi): the implemented bits only; translation caches follow.
    void writeMsr(uint32_t value);

    // SPR access (spr.cpp): false for an SPR this CPU lacks or may not touch
    // in the current mode (the caller raises the program interrupt).
    // Ignored: an undefined SPR whose access is a no-op (spr.cpp, undefinedSpr).
    enum class SprResult : uint8_t { Ok, Illegal, Privileged, Ignored };
    SprResult readSpr(unsigned spr, uint32_t& value);
    SprResult writeSpr(unsigned spr, uint32_t value);
    uint64_t timeBase() const;
    uint32_t readDec() const;
    void writeDec(uint32_t value);
    void writeTimeBase(bool upper, uint32_t value);

    // Drops the cached page translations (tlbie, segment registers, SDR1).
    void flushTranslations();

    // ---- For an engine's dispatcher (the interpreter loop and the JIT) ----
    // Takes a pending decrementer or external interrupt if MSR[EE] allows.
    bool takeInterrupt();
    // Fetches, decodes and runs the instruction at pc (or takes its ISI).
    ExecStatus executeOne();
    // Completes an instruction whose semantic function returned `status` with
    // pc still at it (Continue, Stop, Idle: pc += 4) and counts it retired
    // (a Trap retired nothing).
    void complete(ExecStatus status);
    // The real address instruction fetch at `ea` uses, or false with the ISI
    // entered (pc at its vector).
    bool translateFetch(uint32_t ea, uint32_t& pa);
    // JIT: `observer` hears of writes to pages marked with markCodePage.
    void setCodeObserver(CodeObserver* observer);
    void markCodePage(uint32_t paddr);

private:
    void noteCodeWrite(uint32_t pa, unsigned size) {
        if (!codePages_.empty() && codePages_[pa >> 12] && !codeObserver_->codeWritten(pa, size))
            codePages_[pa >> 12] = 0;
    }
    std::atomic_ref<uint32_t> exitWord() const {
        return std::atomic_ref<uint32_t>(const_cast<uint32_t&>(s.exitRequest));
    }
    enum class Fault : uint8_t { None, NoTranslation, Protection, NoExecute, DirectStore };
    Fault translate(uint32_t ea, Access access, uint32_t& pa);
    bool batTranslate(const uint32_t (*bats)[2], uint32_t ea, Access access, uint32_t& pa,
                      Fault& fault) const;
    Fault pageTranslate(uint32_t ea, Access access, uint32_t& pa);
    ExecStatus accessFault(uint32_t ea, Access access, Fault fault);
    bool physRead(uint32_t pa, unsigned size, uint64_t& value);
    bool physWrite(uint32_t pa, unsigned size, uint64_t value);
    SprResult undefinedSpr(unsigned spr) const;
    void updateDecrementer();

    // Successful hashed-page-table translations, per privilege (MSR[PR]) and
    // access kind, direct-mapped by page: the guest changes page tables only
    // with tlbie (or new segment registers / SDR1), which flush it, so a hit
    // gives what the walk would (its R and C bits are already set).
    static constexpr unsigned kTlbEntries = 256;
    struct TlbEntry {
        uint32_t tag = 0;  // effective page | 1 when valid
        uint32_t page = 0;
    };
    TlbEntry tlb_[2][3][kTlbEntries] = {};
    // In front of translate() for loads and stores that hit RAM (both
    // engines): CpuState::hostTlb maps effective page plus the MSR[DR]/MSR[PR]
    // it was translated under to its host page. Filled only after a
    // translation succeeded (so R/C are set and protection passed), never for
    // stores to a page with translated code (markCodePage drops those, so a
    // store that hits needs no code check), dropped with tlb_
    // (flushTranslations: tlbie, segment registers, SDR1, BAT writes).
    void fillHostTlb(unsigned kind, uint32_t ea, uint32_t pa);

    hw::MemoryBus& bus_;
    CpuConfig config_;
    std::function<uint64_t()> timeSource_;
    std::atomic<uint32_t> externalLevel_{0};
    CodeObserver* codeObserver_ = nullptr;
    std::vector<uint8_t>
        codePages_;  // per 4 KiB physical page: translated code on it (with an observer only)
};

}  // namespace tessera::ppc
