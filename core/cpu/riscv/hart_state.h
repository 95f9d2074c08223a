#pragma once
// HartState: the complete architectural state of one RV64GC hart as a plain
// struct. Field offsets are stable so that generated code (the later JIT) can
// address registers, CSRs and the software TLB directly. Nothing in here owns
// resources; copying it is a snapshot.

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace tessera::riscv {

// Privilege levels as encoded in mstatus.MPP (privileged spec 1.12, 1.2).
enum Privilege : uint8_t { PrivUser = 0, PrivSupervisor = 1, PrivMachine = 3 };

// Software TLB: one direct-mapped array per (translation context, access kind).
// An entry maps a virtual page to host memory: host = vaddr + addend.
// `tag` is the page-aligned virtual address, or kTlbEmptyTag when empty.
//
// Every lookup compares the tag with a key built from the guest address:
//   loads/stores (Hart::load/store): vaddr & (~0xfff | (size - 1)), size 1..8,
//     so a misaligned access never matches and takes the slow path;
//   fetches and atomics: vaddr & ~0xfff.
// A key can have bits 0..2 set (the alignment bits) but never a bit in 3..11.
// The empty tag has bits 3..11 set, so no key of any access size or kind can
// match an empty or flushed entry, whatever its addend (cleared as well). (An empty
// tag of 1 once collided with the key of `lh a0, 1(zero)`: the "hit"
// dereferenced host address 1, or a stale addend into host memory.)
inline constexpr uint64_t kTlbKeyAlignmentBits = 7;  // size - 1 for the widest access (8 bytes)
inline constexpr uint64_t kTlbEmptyTag = ~0ull;
static_assert((kTlbEmptyTag & 0xfff & ~kTlbKeyAlignmentBits) != 0,
              "an empty TLB tag must have a bit that no lookup key can have");
struct TlbEntry {
    uint64_t tag = kTlbEmptyTag;
    uint64_t addend = 0;
    bool empty() const { return tag == kTlbEmptyTag; }
    void clear() { *this = TlbEntry{}; }
};
enum TlbKind : unsigned { TlbRead = 0, TlbWrite = 1, TlbFetch = 2, TlbKindCount = 3 };
// Translation contexts: the effective privilege plus mstatus.SUM for S, so a
// trap or an SUM toggle (Linux does one around each user copy) needs no flush.
enum TlbContext : unsigned {
    TlbUser = 0,
    TlbSupervisor = 1,
    TlbSupervisorSum = 2,
    TlbMachine = 3,
    TlbContextCount = 4
};
// Per context and kind: 8192 pages (32 MiB) reach, so a guest walking a
// large buffer does not re-walk the page table on almost every access (256
// entries reached 1 MiB). A flush clears only the entries filled since the
// last one (Hart::flushTlb), so the size does not make context switches dearer.
inline constexpr unsigned kTlbEntries = 8192;

inline constexpr unsigned kPmpEntries = 64;

// LR/SC reservation set (A extension 8.2: "a set of bytes that subsumes the
// bytes in the addressed word"): the naturally aligned 8 bytes holding the
// reserved word. 8 is the widest LR (LR.D), so one aligned granule always
// holds the whole word, and it is the narrowest such set: a device writing a
// neighbouring word (a DMA buffer next to a lock) does not make the SC fail.
inline constexpr uint64_t kReservationGranule = 8;

struct HartState {
    // x[0] is never written: the decoder redirects a destination of x0 to
    // x[32], a write sink, so handlers need no special case.
    uint64_t x[33] = {};
    uint64_t f[32] = {};  // raw bits; singles are NaN-boxed (upper 32 bits all ones)
    uint64_t pc = 0;
    uint8_t priv = PrivMachine;
    uint8_t frm = 0;     // fcsr.frm
    uint8_t fflags = 0;  // fcsr.fflags: NV=16 DZ=8 OF=4 UF=2 NX=1
    uint8_t reservationValid = 0;
    // Host-side cache (fpu.h): 1 while the host MXCSR is in round-to-nearest
    // with default masks and holds no flag that is not already in fflags, so
    // an RNE operation needs no MXCSR load. Cleared whenever that may be false.
    uint8_t hostMxcsrClean = 0;
    uint32_t dataTlbContext = TlbMachine;   // derived from priv/MPRV/MPP/SUM
    uint32_t fetchTlbContext = TlbMachine;  // derived from priv/SUM
    uint64_t reservationAddress = 0;        // guest-physical base of the reserved granule
    uint64_t reservationPaddr = 0;          // the LR's own address, width and loaded value
    uint64_t reservationValue = 0;          // (the SC compares and swaps against it)
    uint8_t reservationSize = 0;

    // Pending exception (set by a handler that returns ExecStatus::Trap).
    uint64_t trapCause = 0;
    uint64_t trapValue = 0;

    // Machine-level CSRs.
    uint64_t mstatus = 0;
    uint64_t misa = 0;
    uint64_t medeleg = 0;
    uint64_t mideleg = 0;
    uint64_t mie = 0;
    uint64_t mip = 0;  // software-writable bits (SSIP, STIP, SEIP); wires are OR-ed in on read
    uint64_t mtvec = 0;
    uint64_t mepc = 0;
    uint64_t mcause = 0;
    uint64_t mtval = 0;
    uint64_t mscratch = 0;
    uint64_t mcounteren = 0;
    uint64_t mcountinhibit = 0;
    uint64_t menvcfg = 0;
    uint64_t mhartid = 0;
    uint64_t cycleOffset = 0;    // mcycle = instret + cycleOffset (writable counter)
    uint64_t instret = 0;        // retired instructions since reset
    uint64_t instretOffset = 0;  // minstret = instret + instretOffset (writable counter)

    // Supervisor-level CSRs (sstatus/sie/sip are views of the machine ones).
    uint64_t stvec = 0;
    uint64_t sepc = 0;
    uint64_t scause = 0;
    uint64_t stval = 0;
    uint64_t sscratch = 0;
    uint64_t scounteren = 0;
    uint64_t senvcfg = 0;
    uint64_t satp = 0;

    uint8_t pmpcfg[kPmpEntries] = {};
    uint64_t pmpaddr[kPmpEntries] = {};

    // The software TLB (large).
    TlbEntry tlb[TlbContextCount][TlbKindCount][kTlbEntries];

    // JIT (riscv::JitEngine): generated code leaves at the next block entry
    // once instret reaches this (the end of the run slice's budget).
    uint64_t instretLimit = 0;

    // Last: the exit-request word (CpuEngine::requestExit). Nonzero asks the
    // engine to leave run() at the next block boundary; the interpreter and
    // generated code poll it there. Other threads write it, so it is only ever
    // accessed through std::atomic_ref (Hart::requestExit/exitRequested), and
    // a reset rewrites every field before it but never this one.
    uint32_t exitRequest = 0;
    // JIT: nonzero asks generated code to return to the dispatcher at the
    // next block entry so it can look at interrupt lines another thread just
    // changed. Same rules as exitRequest (atomic_ref only, kept by reset).
    uint32_t interruptPoll = 0;
};

// Generated code will address these fields by offset.
static_assert(std::is_standard_layout_v<HartState>);
static_assert(offsetof(HartState, x) == 0);
static_assert(offsetof(HartState, f) == 33 * 8);
static_assert(offsetof(HartState, pc) == 65 * 8);
static_assert(std::is_trivially_copyable_v<HartState>, "reset() copies the reset state byte-wise");
static_assert(offsetof(HartState, exitRequest) % alignof(uint32_t) == 0);

// mstatus fields (privileged spec 1.12, 3.1.6).
namespace mstatus {
inline constexpr uint64_t SIE = 1ull << 1;
inline constexpr uint64_t MIE = 1ull << 3;
inline constexpr uint64_t SPIE = 1ull << 5;
inline constexpr uint64_t UBE = 1ull << 6;
inline constexpr uint64_t MPIE = 1ull << 7;
inline constexpr uint64_t SPP = 1ull << 8;
inline constexpr uint64_t MPP = 3ull << 11;
inline constexpr unsigned MPP_SHIFT = 11;
inline constexpr uint64_t FS = 3ull << 13;
inline constexpr unsigned FS_SHIFT = 13;
inline constexpr uint64_t XS = 3ull << 15;
inline constexpr uint64_t MPRV = 1ull << 17;
inline constexpr uint64_t SUM = 1ull << 18;
inline constexpr uint64_t MXR = 1ull << 19;
inline constexpr uint64_t TVM = 1ull << 20;
inline constexpr uint64_t TW = 1ull << 21;
inline constexpr uint64_t TSR = 1ull << 22;
inline constexpr uint64_t UXL = 3ull << 32;
inline constexpr uint64_t SXL = 3ull << 34;
inline constexpr uint64_t SD = 1ull << 63;
}  // namespace mstatus

// Interrupt numbers / mip-mie bits (privileged spec 1.12, 3.1.9).
namespace irq {
inline constexpr unsigned SSI = 1, MSI = 3, STI = 5, MTI = 7, SEI = 9, MEI = 11;
}

// Exception causes (privileged spec 1.12, table 3.6).
namespace cause {
inline constexpr uint64_t InstructionMisaligned = 0;
inline constexpr uint64_t InstructionAccessFault = 1;
inline constexpr uint64_t IllegalInstruction = 2;
inline constexpr uint64_t Breakpoint = 3;
inline constexpr uint64_t LoadMisaligned = 4;
inline constexpr uint64_t LoadAccessFault = 5;
inline constexpr uint64_t StoreMisaligned = 6;
inline constexpr uint64_t StoreAccessFault = 7;
inline constexpr uint64_t EcallFromU = 8;
inline constexpr uint64_t EcallFromS = 9;
inline constexpr uint64_t EcallFromM = 11;
inline constexpr uint64_t InstructionPageFault = 12;
inline constexpr uint64_t LoadPageFault = 13;
inline constexpr uint64_t StorePageFault = 15;
inline constexpr uint64_t InterruptBit = 1ull << 63;
}  // namespace cause

}  // namespace tessera::riscv
