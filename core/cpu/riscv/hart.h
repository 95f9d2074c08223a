#pragma once
// Hart: one RV64GC hardware thread (RV64IMAFDC + Zicsr + Zifencei, privileged
// architecture 1.12 with M/S/U, Sv39/Sv48 and PMP): its architectural state,
// MMU, CSRs and trap machinery, and the interpreter's block loop (run()). A
// board never drives a Hart directly: it drives a cpu::CpuEngine (the
// riscv::Interpreter wraps a Hart; see interpreter.h), and an engine is made
// by riscv::createEngine (engine_factory.h).
//
// Shape, ready for a JIT (docs/ARCHITECTURE.md, "The engine interface"):
// architectural state is the plain struct HartState, which generated code can
// address by offset; guest memory goes through its software TLB; instructions
// are decoded once per basic block from the table in decode_table.cpp and
// cached by host address; traps are values (ExecStatus::Trap) returned to run().

#include <atomic>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/cpu/breakpoints.h"
#include "core/cpu/cpu_engine.h"
#include "core/cpu/riscv/hart_state.h"
#include "core/cpu/riscv/spin_backoff.h"
#include "core/hw/memory_bus.h"

namespace tessera::riscv {

struct HartConfig {
    uint64_t hartId = 0;
    bool enableFpu = true;  // misa letters rv64imafdc + S + U (F and D dropped when false)
    // Other harts run on other host threads and store to the same RAM
    // without telling this one (a JIT then checks its code at FENCE.I).
    bool sharedRam = false;
};

using cpu::RunResult;
using cpu::StopReason;

// Result of one instruction's semantic function (decoded_insn.h, `Semantic`,
// says exactly where the pc stands after each).
enum class ExecStatus : uint8_t {
    Continue,  // completed; the next instruction of the block follows
    Jump,      // pc set to a new target: the block ends
    Stop,      // completed, but state changed (CSR, code write, fence): leave the block
    Trap,      // exception in trapCause/trapValue, pc still at the faulting instruction
    Wfi,       // WFI completed and nothing is pending: idle the host thread
};

// Result of a guest memory access. OkEndBlock: the access succeeded but the
// executing block must end (it wrote decoded code, or touched a device that
// may have raised an interrupt).
enum class MemResult : uint8_t { Ok, Fault, OkEndBlock };

enum class AccessType : uint8_t { Load, Store, Fetch };

struct Block;
struct DecodedInsn;

// Code translated outside the Hart (the JIT) hears here about what makes it
// stale. The Hart already tracks which host pages hold decoded code (stores
// to them take the slow path); an observer adds its pages with markCodePage().
class CodeObserver {
public:
    virtual ~CodeObserver() = default;
    // Guest RAM [paddr, paddr+length), on a code page, is written (by this
    // hart or, through invalidateCode, a device). May be called from inside
    // an executing instruction. Returns true if the observer still holds code
    // on that page (so stores to it keep taking the slow path).
    virtual bool codeWritten(uint64_t paddr, uint64_t length) = 0;
    // reset(): every translation must go.
    virtual void allCodeDropped() = 0;
    // The TLB was flushed (SFENCE.VMA, satp, PMP, MXR): virtual-to-physical
    // mappings may have changed.
    virtual void translationsChanged() = 0;
    // Only the 4 KiB page at vaddr was flushed (SFENCE.VMA with an address).
    virtual void translationChanged(uint64_t vaddr) = 0;
    // FENCE.I: code other harts stored (never reported to this hart) must
    // be seen from now on. May be called from inside an executing block.
    virtual void instructionFence() {}
};

class Hart {
public:
    Hart(hw::MemoryBus& bus, HartConfig config);
    ~Hart();
    Hart(const Hart&) = delete;
    Hart& operator=(const Hart&) = delete;

    // M-mode, mstatus reset values, TLB and decoded blocks flushed.
    void reset(uint64_t pc);
    HartState& state() { return s; }
    const HartState& state() const { return s; }

    // Executes up to about maxInstructions (whole blocks), taking traps and
    // interrupts internally. Returns early on WFI with nothing pending and
    // when an exit is requested.
    RunResult run(uint64_t maxInstructions);
    // One instruction, or one trap or interrupt entry that retires nothing
    // (cpu::CpuEngine::step). The instruction is fetched and decoded on its
    // own, never from the block cache, so a lockstep run compares an engine
    // against the plainest reading of the instruction stream; run() is left
    // exactly as fast as it was.
    RunResult step();

    // Any thread: run() returns at the next block boundary (the request is
    // consumed there). The word lives in HartState for generated code.
    void requestExit() { exitWord().store(1, std::memory_order_relaxed); }
    bool exitRequested() const { return exitWord().load(std::memory_order_relaxed) != 0; }
    // True (once) if an exit was requested; engines call it at block boundaries.
    bool consumeExitRequest() {
        if (!exitRequested()) return false;
        exitWord().store(0, std::memory_order_relaxed);
        return true;
    }

    // Interrupt wires from devices (mip bit numbers MSIP=3, MTIP=7, SEIP=9,
    // MEIP=11). Thread-safe; level-triggered.
    void setInterruptLevel(unsigned mipBit, bool level);
    // Any interrupt pending and enabled in mie (WFI wake-up condition,
    // independent of the global MIE/SIE enables, privileged spec 3.3.3).
    bool interruptPending() const;

    // `time`/mtime source (board clock, 10 MHz).
    void setTimeSource(std::function<uint64_t()> readMtime);
    uint64_t readTime() const { return timeSource_ ? timeSource_() : 0; }

    // Drop decoded blocks on the pages of [paddr, paddr+length) (device DMA).
    void invalidateCode(uint64_t paddr, uint64_t length);
    // The JIT's hooks into code-page tracking (see CodeObserver).
    void setCodeObserver(CodeObserver* observer) { codeObserver_ = observer; }
    const HartConfig& config() const { return config_; }
    // PAUSE on a machine with other harts (exec_system.h). A wait long
    // enough to sleep also ends the run slice: a slice is 64 Ki instructions
    // and a sleeping spin-wait retires two per step, so it would otherwise
    // keep the hart's thread from its board loop (device polling, timers,
    // --timeout) for seconds.
    void pauseHint() {
        if (spinBackoff_.pause(s.pc) == SpinBackoff::Action::Sleep) requestExit();
    }
    uint64_t backedOffNanos() const { return spinBackoff_.backedOffNanos(); }
    // Stores to this host page must take the slow path (it holds translated code).
    void markCodePage(uintptr_t hostPage);
    // Fetches, decodes and runs the one instruction at pc without the block
    // cache (a 32-bit instruction straddling a page, step()); it is retired
    // unless it traps.
    ExecStatus executeAlone(uint64_t pc);
    uint64_t instructionsRetired() const { return instructionsRetiredNow(); }
    std::string dumpRegisters() const;

    // Debugger breakpoints (cpu::CpuEngine::setBreakpoints): run() stops
    // before them; decoded blocks end before their page offsets, so the
    // decoded code (and the observer's) is dropped when they change.
    void setBreakpoints(std::vector<uint64_t> pcs) {
        breakpoints_.assign(std::move(pcs));
        flushDecodedBlocks();
    }
    const cpu::Breakpoints& breakpoints() const { return breakpoints_; }
    // Where a data load at vaddr goes (or, failing that, a fetch); nullopt
    // when it would fault. No trap is recorded (the page walk may set the
    // accessed bit, as the load would).
    std::optional<uint64_t> debugTranslate(uint64_t vaddr);

    // ---- Interface for instruction handlers and engines (not for the board) ----
    HartState s;

    template <typename T>
    MemResult load(uint64_t vaddr, T& out) {
        const TlbEntry& e = s.tlb[s.dataTlbContext][TlbRead][(vaddr >> 12) % kTlbEntries];
        if (e.tag == (vaddr & (~0xfffull | (sizeof(T) - 1)))) {
            std::memcpy(&out, reinterpret_cast<const void*>(vaddr + e.addend), sizeof(T));
            return MemResult::Ok;
        }
        uint64_t value = 0;
        MemResult r = loadSlow(vaddr, sizeof(T), value);
        out = static_cast<T>(value);
        return r;
    }
    template <typename T>
    MemResult store(uint64_t vaddr, T value) {
        const TlbEntry& e = s.tlb[s.dataTlbContext][TlbWrite][(vaddr >> 12) % kTlbEntries];
        if (e.tag == (vaddr & (~0xfffull | (sizeof(T) - 1)))) {
            std::memcpy(reinterpret_cast<void*>(vaddr + e.addend), &value, sizeof(T));
            return MemResult::Ok;
        }
        return storeSlow(vaddr, sizeof(T), static_cast<uint64_t>(value));
    }
    // Where an LR (type Load) or SC/AMO (type Store) operates, after the checks
    // of natural alignment (misaligned atomics trap, A extension 8.4) and
    // permissions. RAM is accessed through `host`; a device register (host ==
    // nullptr) is read and written through the bus, non-atomically, as QEMU
    // does (whether I/O regions support AMOs is a platform PMA, privileged 3.6.3).
    struct AtomicTarget {
        uint8_t* host = nullptr;
        uint64_t paddr = 0;
    };
    MemResult atomicTarget(uint64_t vaddr, unsigned size, AccessType type, AtomicTarget& target);

    // LR/SC reservation (A extension 8.2), held as a guest-physical granule
    // (kReservationGranule in hart_state.h) so that device DMA can clear it
    // by address, plus the
    // LR's exact address, width and value for the SC's compare-and-swap
    // (exec_atomic.h argues the mechanism).
    void reserve(uint64_t paddr, unsigned size, uint64_t value) {
        s.reservationAddress = paddr & ~(kReservationGranule - 1);
        s.reservationPaddr = paddr;
        s.reservationSize = static_cast<uint8_t>(size);
        s.reservationValue = value;
        s.reservationValid = 1;
    }
    // True if an SC of `size` bytes at paddr may succeed: the reservation is
    // held and names the same bytes.
    bool holdsReservation(uint64_t paddr, unsigned size) const {
        return s.reservationValid && paddr == s.reservationPaddr && size == s.reservationSize;
    }
    // Drops the reservation if [paddr, paddr+length) touches its granule.
    void clearReservationIfOverlaps(uint64_t paddr, uint64_t length);
    // Something other than this hart wrote guest RAM (a device's DMA): cached
    // decoded code for those bytes is dropped, and a reservation on them is lost.
    void noteExternalWrite(uint64_t paddr, uint64_t length);

    MemResult loadSlow(uint64_t vaddr, unsigned size, uint64_t& out);
    MemResult storeSlow(uint64_t vaddr, unsigned size, uint64_t value);
    // Virtual to physical translation with all permission checks (paging, PMP).
    MemResult translate(uint64_t vaddr, AccessType type, unsigned size, uint64_t& paddr);

    // Records an exception for the current instruction.
    ExecStatus raise(uint64_t causeCode, uint64_t tval) {
        s.trapCause = causeCode;
        s.trapValue = tval;
        return ExecStatus::Trap;
    }
    ExecStatus illegal(const DecodedInsn& insn);

    // CSR access (csr.cpp). Returns false when the CSR does not exist or the
    // access is not permitted (the caller raises illegal instruction).
    bool csrRead(unsigned csr, uint64_t& value);
    // The value CSRRS/CSRRC modify: like csrRead, except that mip.SEIP is the
    // software-written bit alone, not OR-ed with the external line (3.1.9), so
    // a read-modify-write never latches a device's level into the register.
    uint64_t csrReadModifyWriteBase(unsigned csr, uint64_t readValue) const;
    // `stateChanged` tells the executor to leave the block (translation or
    // interrupt state may have changed).
    bool csrWrite(unsigned csr, uint64_t value, bool& stateChanged);

    // Trap entry and return (trap.cpp).
    void enterTrap(uint64_t causeCode, uint64_t tval);
    ExecStatus executeMret(const DecodedInsn& insn);
    ExecStatus executeSret(const DecodedInsn& insn);
    ExecStatus executeWfi(const DecodedInsn& insn);
    // Highest-priority interrupt that can be taken now, or -1.
    int pendingInterrupt() const;
    uint64_t readMip() const { return s.mip | wires_.load(std::memory_order_relaxed); }

    // TLB maintenance (mmu.cpp).
    void flushTlb();
    void flushTlbPage(uint64_t vaddr);
    void updateTlbContexts();
    void flushDecodedBlocks();
    // FENCE.I: every decoded block is re-checked against memory before it
    // next runs (cheap compare; re-decoded only if its bytes changed).
    void revalidateCodeOnNextUse() {
        ++codeGeneration_;
        if (codeObserver_) codeObserver_->instructionFence();
    }

    bool fpuEnabled() const { return (s.mstatus & mstatus::FS) != 0; }
    void markFpDirty() { s.mstatus |= mstatus::FS; }

    hw::MemoryBus& bus() { return bus_; }

private:
    friend class HartTestAccess;
    std::atomic_ref<uint32_t> exitWord() const {
        return std::atomic_ref<uint32_t>(const_cast<uint32_t&>(s.exitRequest));
    }
    struct PmpResult {
        bool allowed;
        bool uniformOverPage;  // every byte of the 4 KiB page gets the same answer
    };
    PmpResult pmpCheck(uint64_t paddr, unsigned size, AccessType type, unsigned priv) const;
    MemResult walkPageTable(uint64_t vaddr, AccessType type, unsigned priv, uint64_t& paddr);
    void fillTlb(uint64_t vaddr, uint64_t paddr, AccessType type, unsigned context);
    MemResult accessFault(AccessType type, uint64_t vaddr);
    MemResult loadMisaligned(uint64_t vaddr, unsigned size, uint64_t& out);
    MemResult storeMisaligned(uint64_t vaddr, unsigned size, uint64_t value);
    MemResult pageFault(AccessType type, uint64_t vaddr);
    unsigned effectiveDataPrivilege() const;

    // Block cache (hart.cpp).
    Block* lookupBlock(uint64_t pc, ExecStatus& status);
    Block* decodeBlock(uint64_t pc, const uint8_t* host, uint64_t hostKey);
    // Block at host address `key` (cache, then map, then decode), or nullptr.
    Block* blockAt(uint64_t pc, uintptr_t key);
    static size_t blockCacheIndex(uintptr_t key) {
        return static_cast<size_t>((key * 0x9e3779b97f4a7c15ull) >> (64 - kBlockCacheBits));
    }
    // [paddr, paddr+length) on host page hostPage is written: drops the
    // decoded blocks there and tells the observer.
    void codeWritten(uintptr_t hostPage, uint64_t paddr, uint64_t length);
    void dropDecodedBlocks(std::vector<uintptr_t>& keys);
    bool isCodePage(uintptr_t hostPage) const { return codePages_.count(hostPage) != 0; }
    // Fetches and decodes the one instruction at pc without the block cache
    // (a 32-bit instruction straddling a page, or step()).
    ExecStatus fetchAlone(uint64_t pc, DecodedInsn& insn);
    ExecStatus runBlock(const Block& block);
    // True if the block still matches memory (after a FENCE.I); otherwise its
    // page's blocks are dropped and false is returned.
    bool stillValid(Block& block);
    bool revalidate(Block& block);
    uint32_t codeGeneration_ = 0;
    static uint64_t retiredBefore(const Block& block, uint64_t byteOffset);
    uint64_t instructionsRetiredNow() const;
    const Block* currentBlock_ = nullptr;  // block being executed (for exact instret reads)
    uint64_t currentBlockPc_ = 0;
    MemResult fetch16(uint64_t vaddr, uint16_t& out);

    hw::MemoryBus& bus_;
    HartConfig config_;
    SpinBackoff spinBackoff_;
    std::function<uint64_t()> timeSource_;
    CodeObserver* codeObserver_ = nullptr;
    std::atomic<uint64_t> wires_{0};
    cpu::Breakpoints breakpoints_;

    static constexpr unsigned kBlockCacheBits = 14;
    static constexpr unsigned kBlockCacheEntries = 1u << kBlockCacheBits;
    struct BlockCacheSlot {
        uintptr_t key = 0;
        Block* block = nullptr;
    };
    std::vector<BlockCacheSlot> blockCache_;
    std::unordered_map<uintptr_t, std::unique_ptr<Block>> blocks_;
    std::unordered_map<uintptr_t, std::vector<uintptr_t>> codePages_;  // host page -> block keys
    std::vector<std::unique_ptr<Block>> retiredBlocks_;                // freed between blocks
    // Bases of the superpages (index 1: 2 MiB, 2: 1 GiB, 3: 512 GiB) whose
    // translations are in the TLB as 4 KiB entries: SFENCE.VMA of an address
    // inside one must drop the whole leaf, so it flushes everything.
    std::unordered_set<uint64_t> cachedSuperpages_[4];
    // TLB entries filled since the last full flush, so flushTlb() clears
    // those instead of every entry; past kMaxTrackedTlbFills it clears all.
    std::vector<TlbEntry*> filledTlb_;
    bool filledTlbOverflow_ = false;
    static constexpr size_t kMaxTrackedTlbFills = 4096;
};

}  // namespace tessera::riscv
