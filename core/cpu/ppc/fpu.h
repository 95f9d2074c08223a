#pragma once
// The 750's floating-point unit (Book I chapter 4): IEEE double arithmetic on
// the host's SSE unit with the FPSCR rounding mode loaded into MXCSR and the
// exception flags read back, the PowerPC NaN rules done in software (the first
// NaN operand in the architected order, quieted; the default NaN otherwise),
// and the FPSCR's status bits (FX, VX causes, OX, UX, ZX, XX, FI, FPRF).
//
// Single-precision arithmetic rounds the double result to single (two
// roundings; exact for operands that are singles, which is what compiled code
// feeds these instructions).

#include <cstdint>

#include "core/cpu/ppc/cpu_state.h"

namespace tessera::ppc::fpu {

inline constexpr uint64_t kDefaultNaN = 0x7ff8000000000000ull;

// lfs and stfs: the architected conversions between the single format in
// memory and the double format of the registers (no rounding).
uint64_t singleToDouble(uint32_t w);
uint32_t doubleToSingle(uint64_t d);

enum class Op : uint8_t { Add, Sub, Mul, Div, MulAdd, MulSub, Reciprocal, ReciprocalSqrt, RoundToSingle };

// What an arithmetic instruction produced. `write`: false when an enabled
// invalid-operation or zero-divide exception suppresses the result (Book I
// 4.4); `enabledException`: FPSCR[FEX] is set (a program interrupt is due if
// MSR[FE0|FE1] allow it).
struct Outcome {
    uint64_t value = 0;
    bool write = true;
    bool enabledException = false;
};

// a op b (Mul: a*c given as b; MulAdd/MulSub: a*c +/- b). `negate`: the
// fnmadd/fnmsub final negation (not applied to a NaN).
Outcome arithmetic(CpuState& s, Op op, uint64_t a, uint64_t b, uint64_t c, bool single, bool negate = false);
// fctiw (mode from FPSCR[RN]) and fctiwz (toward zero).
Outcome toInt32(CpuState& s, uint64_t b, bool towardZero);
// fcmpu/fcmpo: returns the FPCC nibble (FL, FG, FE, FU) and sets FPSCR.
uint32_t compare(CpuState& s, uint64_t a, uint64_t b, bool ordered);
// After an explicit FPSCR write (mtfsf & co.): VX and FEX recomputed.
void updateSummaryBits(CpuState& s);
// ORs exception bits into FPSCR, setting FX for each one that turns on.
void setExceptionBits(CpuState& s, uint32_t bits);

}  // namespace tessera::ppc::fpu
