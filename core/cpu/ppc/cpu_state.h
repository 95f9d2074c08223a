#pragma once
// CpuState: the architectural state of a 32-bit PowerPC (Book3S as in the
// PowerPC 750 "G3", the CPU of QEMU's `-cpu 750`) as one plain struct, so that
// a JIT front end can later address it by offset (docs/ARCHITECTURE.md, "The
// engine interface"). Bit numbers in comments are the architecture's: bit 0 is
// the most significant bit of a 32-bit register.

#include <cstdint>

namespace tessera::ppc {

namespace msr {
inline constexpr uint32_t POW = 1u << 18;  // power management (doze/nap): the engine idles
inline constexpr uint32_t ILE = 1u << 16;
inline constexpr uint32_t EE = 1u << 15;  // external and decrementer interrupts enabled
inline constexpr uint32_t PR = 1u << 14;  // problem (user) state
inline constexpr uint32_t FP = 1u << 13;  // floating point available
inline constexpr uint32_t ME = 1u << 12;
inline constexpr uint32_t FE0 = 1u << 11;
inline constexpr uint32_t SE = 1u << 10;
inline constexpr uint32_t BE = 1u << 9;
inline constexpr uint32_t FE1 = 1u << 8;
inline constexpr uint32_t IP = 1u << 6;  // exception prefix 0xfff00000
inline constexpr uint32_t IR = 1u << 5;  // instruction translation
inline constexpr uint32_t DR = 1u << 4;  // data translation
inline constexpr uint32_t PM = 1u << 2;
inline constexpr uint32_t RI = 1u << 1;
inline constexpr uint32_t LE = 1u << 0;
// The bits a 750 implements (the rest read as zero, as QEMU's 750 msr_mask).
inline constexpr uint32_t kImplemented =
    POW | ILE | EE | PR | FP | ME | FE0 | SE | BE | FE1 | IP | IR | DR | PM | RI | LE;
}  // namespace msr

namespace xer {
inline constexpr uint32_t SO = 0x80000000u;
inline constexpr uint32_t OV = 0x40000000u;
inline constexpr uint32_t CA = 0x20000000u;
// OV32 and CA32 (ISA 3.0) are written by mtxer but read as zero on a 750 (QEMU).
inline constexpr uint32_t kNotReadable = 0x000c0000u;
}  // namespace xer

namespace fpscr {
inline constexpr uint32_t FX = 0x80000000u;
inline constexpr uint32_t FEX = 0x40000000u;
inline constexpr uint32_t VX = 0x20000000u;
inline constexpr uint32_t OX = 0x10000000u;
inline constexpr uint32_t UX = 0x08000000u;
inline constexpr uint32_t ZX = 0x04000000u;
inline constexpr uint32_t XX = 0x02000000u;
inline constexpr uint32_t VXSNAN = 0x01000000u;
inline constexpr uint32_t VXISI = 0x00800000u;
inline constexpr uint32_t VXIDI = 0x00400000u;
inline constexpr uint32_t VXZDZ = 0x00200000u;
inline constexpr uint32_t VXIMZ = 0x00100000u;
inline constexpr uint32_t VXVC = 0x00080000u;
inline constexpr uint32_t FR = 0x00040000u;
inline constexpr uint32_t FI = 0x00020000u;
inline constexpr uint32_t FPRF = 0x0001f000u;
inline constexpr uint32_t VXSOFT = 0x00000400u;
inline constexpr uint32_t VXSQRT = 0x00000200u;
inline constexpr uint32_t VXCVI = 0x00000100u;
inline constexpr uint32_t VE = 0x80u, OE = 0x40u, UE = 0x20u, ZE = 0x10u, XE = 0x08u, NI = 0x04u, RN = 0x03u;
// Every invalid-operation cause; VX is their OR.
inline constexpr uint32_t kVxAll = VXSNAN | VXISI | VXIDI | VXZDZ | VXIMZ | VXVC | VXSOFT | VXSQRT | VXCVI;
}  // namespace fpscr

// Exception vectors (offsets from the prefix: 0 or 0xfff00000 by MSR[IP]).
enum class Vector : uint32_t {
    Reset = 0x100,
    MachineCheck = 0x200,
    Dsi = 0x300,
    Isi = 0x400,
    External = 0x500,
    Alignment = 0x600,
    Program = 0x700,
    FpUnavailable = 0x800,
    Decrementer = 0x900,
    SystemCall = 0xc00,
    Trace = 0xd00,
};

// SRR1 bits a program interrupt sets (which cause).
namespace program {
inline constexpr uint32_t FloatingPoint = 0x00100000u;
inline constexpr uint32_t Illegal = 0x00080000u;
inline constexpr uint32_t Privileged = 0x00040000u;
inline constexpr uint32_t Trap = 0x00020000u;
}  // namespace program

// A load/store translation that hit RAM, cached with a host pointer
// (Cpu::load/store and the JIT's inline lwz/stw read it; cpu.h says when it
// is filled and dropped).
struct HostTlbEntry {
    uint32_t tag = 0;  // effective page | MSR[DR] 2 | MSR[PR] 4 | valid 1
    uint32_t realPage = 0;
    uint8_t* host = nullptr;  // the host address of the real page
};
inline constexpr unsigned kHostTlbEntries = 512;
// The low bits of a tag: what the translation depended on, and valid.
inline uint32_t hostTlbModeBits(uint32_t msrValue) {
    return ((msrValue & msr::DR) ? 2u : 0u) | ((msrValue & msr::PR) ? 4u : 0u) | 1u;
}

struct CpuState {
    uint32_t gpr[32] = {};
    uint64_t fpr[32] = {};  // IEEE double bit patterns
    uint32_t pc = 0;
    uint32_t cr = 0;
    uint32_t xer = 0;
    uint32_t lr = 0;
    uint32_t ctr = 0;
    uint32_t msr = 0;
    uint32_t fpscr = 0;

    // Supervisor registers.
    uint32_t srr0 = 0, srr1 = 0;
    uint32_t sprg[4] = {};
    uint32_t dar = 0, dsisr = 0;
    uint32_t sdr1 = 0;
    uint32_t sr[16] = {};
    uint32_t ibat[4][2] = {};  // [n][0] upper, [n][1] lower
    uint32_t dbat[4][2] = {};
    uint32_t hid0 = 0, hid1 = 0;
    uint32_t pvr = 0;
    uint32_t ear = 0, dabr = 0, iabr = 0, pir = 0;
    uint32_t l2cr = 0, ictc = 0, thrm[3] = {};
    uint32_t mmcr[2] = {}, pmc[4] = {}, sia = 0;

    // Time base and decrementer: the time base is `timeSource() + tbOffset`;
    // the decrementer counts down from decValue written at time-base decBase.
    uint64_t tbOffset = 0;
    uint64_t decBase = 0;
    uint32_t decValue = 0;
    uint8_t decPending = 0;  // DEC bit 0 went 0 -> 1 and the interrupt is not taken yet
    uint8_t decArmed = 0;    // DEC is non-negative: its 0 -> -1 step raises an interrupt

    // lwarx/stwcx. reservation (a real address, one word).
    uint32_t reservationAddress = 0;
    uint8_t reservationValid = 0;

    uint32_t exitRequest = 0;    // cpu::CpuEngine::requestExit (polled between instructions)
    uint32_t interruptPoll = 0;  // JIT: set when the interrupt input changes (next to exitRequest:
                                 // generated code tests both with one load)
    uint64_t retired = 0;        // instructions retired since reset
    uint64_t retiredLimit = 0;   // JIT: translated code returns to its dispatcher at this count

    // Not architectural: the host-pointer cache of data translations, here
    // so generated code reaches it from the state pointer. [0] loads, [1] stores.
    HostTlbEntry hostTlb[2][kHostTlbEntries] = {};
};

}  // namespace tessera::ppc
