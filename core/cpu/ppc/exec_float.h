#pragma once
// Floating-point instructions (Book I chapter 4): loads and stores, moves,
// arithmetic through fpu.h, conversions, compares and FPSCR access. Every one
// needs MSR[FP]; without it the floating-point unavailable interrupt is taken.

#include "core/cpu/ppc/exec_memory.h"
#include "core/cpu/ppc/fields.h"
#include "core/cpu/ppc/fpu.h"

namespace tessera::ppc::exec {

inline bool fpUnavailable(const Cpu& c) {
    return !(c.s.msr & msr::FP);
}
inline void setCr1(Cpu& c) {
    setCrField(c, 1, c.s.fpscr >> 28);
}

// ---- Loads and stores ----
template <bool Single, bool Update, bool Indexed>
ExecStatus loadFloat(Cpu& c, uint32_t i) {
    if (fpUnavailable(c)) return c.raise(Vector::FpUnavailable);
    if (Update && rA(i) == 0) return c.illegal();
    const uint32_t ea = Indexed ? xFormEa(c, i) : dFormEa(c, i);
    uint64_t v = 0;
    if (!c.load(ea, Single ? 4 : 8, v)) return ExecStatus::Trap;
    c.s.fpr[rD(i)] = Single ? fpu::singleToDouble(static_cast<uint32_t>(v)) : v;
    if (Update) c.s.gpr[rA(i)] = ea;
    return ExecStatus::Continue;
}
template <bool Single, bool Update, bool Indexed>
ExecStatus storeFloat(Cpu& c, uint32_t i) {
    if (fpUnavailable(c)) return c.raise(Vector::FpUnavailable);
    if (Update && rA(i) == 0) return c.illegal();
    const uint32_t ea = Indexed ? xFormEa(c, i) : dFormEa(c, i);
    const uint64_t f = c.s.fpr[rD(i)];
    if (!c.store(ea, Single ? 4 : 8, Single ? fpu::doubleToSingle(f) : f)) return ExecStatus::Trap;
    if (Update) c.s.gpr[rA(i)] = ea;
    return ExecStatus::Continue;
}
inline ExecStatus stfiwx(Cpu& c, uint32_t i) {
    if (fpUnavailable(c)) return c.raise(Vector::FpUnavailable);
    return c.store(xFormEa(c, i), 4, static_cast<uint32_t>(c.s.fpr[rD(i)])) ? ExecStatus::Continue
                                                                            : ExecStatus::Trap;
}

// ---- Moves: sign bit only, FPSCR untouched ----
template <uint64_t (*Op)(uint64_t)>
ExecStatus fmove(Cpu& c, uint32_t i) {
    if (fpUnavailable(c)) return c.raise(Vector::FpUnavailable);
    c.s.fpr[rD(i)] = Op(c.s.fpr[rB(i)]);
    if (rc(i)) setCr1(c);
    return ExecStatus::Continue;
}
inline uint64_t moveCopy(uint64_t v) {
    return v;
}
inline uint64_t moveNeg(uint64_t v) {
    return v ^ 0x8000000000000000ull;
}
inline uint64_t moveAbs(uint64_t v) {
    return v & ~0x8000000000000000ull;
}
inline uint64_t moveNabs(uint64_t v) {
    return v | 0x8000000000000000ull;
}

// ---- Arithmetic ----
// An enabled exception (FPSCR[FEX]) with MSR[FE0|FE1] set is a precise
// floating-point program interrupt at the instruction.
inline ExecStatus finishFloat(Cpu& c, uint32_t i, const fpu::Outcome& out) {
    if (out.write) c.s.fpr[rD(i)] = out.value;
    if (rc(i)) setCr1(c);
    if (out.enabledException && (c.s.msr & (msr::FE0 | msr::FE1)))
        return c.raise(Vector::Program, program::FloatingPoint);
    return ExecStatus::Continue;
}
template <fpu::Op Op, bool Single, bool Negate = false>
ExecStatus farith(Cpu& c, uint32_t i) {
    if (fpUnavailable(c)) return c.raise(Vector::FpUnavailable);
    const uint64_t* f = c.s.fpr;
    return finishFloat(c, i, fpu::arithmetic(c.s, Op, f[rA(i)], f[rB(i)], f[rC(i)], Single, Negate));
}
template <bool TowardZero>
ExecStatus fctiw(Cpu& c, uint32_t i) {
    if (fpUnavailable(c)) return c.raise(Vector::FpUnavailable);
    return finishFloat(c, i, fpu::toInt32(c.s, c.s.fpr[rB(i)], TowardZero));
}
// fsel: frC if frA >= 0 (a NaN is not), else frB; no exceptions.
inline ExecStatus fsel(Cpu& c, uint32_t i) {
    if (fpUnavailable(c)) return c.raise(Vector::FpUnavailable);
    const double a = std::bit_cast<double>(c.s.fpr[rA(i)]);
    c.s.fpr[rD(i)] = a >= 0.0 ? c.s.fpr[rC(i)] : c.s.fpr[rB(i)];
    if (rc(i)) setCr1(c);
    return ExecStatus::Continue;
}
template <bool Ordered>
ExecStatus fcmp(Cpu& c, uint32_t i) {
    if (fpUnavailable(c)) return c.raise(Vector::FpUnavailable);
    setCrField(c, crfD(i), fpu::compare(c.s, c.s.fpr[rA(i)], c.s.fpr[rB(i)], Ordered));
    return ExecStatus::Continue;
}

// ---- FPSCR access ----
inline ExecStatus mffs(Cpu& c, uint32_t i) {
    if (fpUnavailable(c)) return c.raise(Vector::FpUnavailable);
    c.s.fpr[rD(i)] = c.s.fpscr;
    if (rc(i)) setCr1(c);
    return ExecStatus::Continue;
}
// FEX and VX are summaries: explicit writes to them are ignored (Book I 4.5.1).
inline ExecStatus writeFpscr(Cpu& c, uint32_t i, uint32_t mask, uint32_t value) {
    mask &= ~(fpscr::FEX | fpscr::VX);
    const uint32_t turnedOn = value & mask & ~c.s.fpscr & 0x9ff80700u;  // exception bits newly set
    c.s.fpscr = (c.s.fpscr & ~mask) | (value & mask);
    if (turnedOn) c.s.fpscr |= fpscr::FX;
    fpu::updateSummaryBits(c.s);
    if (rc(i)) setCr1(c);
    return ExecStatus::Continue;
}
inline ExecStatus mtfsf(Cpu& c, uint32_t i) {
    if (fpUnavailable(c)) return c.raise(Vector::FpUnavailable);
    const unsigned fm = (i >> 17) & 0xff;
    uint32_t mask = 0;
    for (unsigned f = 0; f < 8; ++f)
        if (fm & (0x80u >> f)) mask |= 0xf0000000u >> (4 * f);
    return writeFpscr(c, i, mask, static_cast<uint32_t>(c.s.fpr[rB(i)]));
}
inline ExecStatus mtfsfi(Cpu& c, uint32_t i) {
    if (fpUnavailable(c)) return c.raise(Vector::FpUnavailable);
    const unsigned shift = 28 - 4 * crfD(i);
    return writeFpscr(c, i, 0xfu << shift, ((i >> 12) & 0xf) << shift);
}
inline ExecStatus mtfsb0(Cpu& c, uint32_t i) {
    if (fpUnavailable(c)) return c.raise(Vector::FpUnavailable);
    const uint32_t bit = 0x80000000u >> rD(i);
    return writeFpscr(c, i, bit, 0);
}
inline ExecStatus mtfsb1(Cpu& c, uint32_t i) {
    if (fpUnavailable(c)) return c.raise(Vector::FpUnavailable);
    const uint32_t bit = 0x80000000u >> rD(i);
    return writeFpscr(c, i, bit, bit);
}
// mcrfs: CR field = FPSCR field; the exception bits copied are cleared.
inline ExecStatus mcrfs(Cpu& c, uint32_t i) {
    if (fpUnavailable(c)) return c.raise(Vector::FpUnavailable);
    const unsigned shift = 28 - 4 * crfS(i);
    setCrField(c, crfD(i), c.s.fpscr >> shift);
    c.s.fpscr &= ~((0xfu << shift) & 0x9ff80700u);
    fpu::updateSummaryBits(c.s);
    return ExecStatus::Continue;
}

}  // namespace tessera::ppc::exec
