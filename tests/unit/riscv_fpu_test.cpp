// Specification: F and D instructions (unprivileged spec chapters 11-12) give
// bit-exact results and exception flags: every rounding mode including dynamic
// and RMM, NV/DZ/OF/UF/NX (tininess detected after rounding), NaN boxing,
// canonical NaN, fmin/fmax signed zeros and sNaN, fcvt saturation, fused
// multiply-add, fclass, comparisons, and mstatus.FS gating and dirty tracking.

#include <QtTest>
#include <bit>
#include <cmath>

#include "unit/riscv_test_machine.h"

using namespace tessera::riscv;
using namespace tessera::riscv::test;
namespace op = enc::opcode;

namespace {
enum : uint8_t { NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16 };
enum : uint32_t { RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4, DYN = 7 };
constexpr unsigned fa0 = 10, fa1 = 11, fa2 = 12, fa3 = 13;

uint64_t S(float v) {
    return 0xffffffff00000000ull | std::bit_cast<uint32_t>(v);
}
uint64_t Sbits(uint32_t bits) {
    return 0xffffffff00000000ull | bits;
}
uint64_t D(double v) {
    return std::bit_cast<uint64_t>(v);
}
float asS(uint64_t boxed) {
    return std::bit_cast<float>(static_cast<uint32_t>(boxed));
}

// OP-FP encodings: funct7, rs2 field, rm.
uint32_t opfp(uint32_t f7, unsigned rs2, uint32_t rm, unsigned rd = fa0, unsigned rs1 = fa1) {
    return enc::r(op::OpFp, rd, rm, rs1, rs2, f7);
}
constexpr uint32_t FADD_S = 0x00, FADD_D = 0x01, FSUB_S = 0x04, FMUL_S = 0x08, FMUL_D = 0x09, FDIV_S = 0x0c,
                   FDIV_D = 0x0d, FSQRT_D = 0x2d, FSGNJ_S = 0x10, FMINMAX_S = 0x14, FMINMAX_D = 0x15,
                   FCVT_S_D = 0x20, FCMP_S = 0x50, FCMP_D = 0x51, FCVT_W_S = 0x60, FCVT_W_D = 0x61,
                   FCVT_S_W = 0x68, FCVT_D_W = 0x69, FCLASS_D = 0x71, FMV_X_W = 0x70;

struct Outcome {
    uint64_t f;  // fa0
    uint64_t x;  // a0
    uint8_t flags;
    bool illegal;
    uint64_t mtval;
};

Outcome runFp(uint32_t insn, uint64_t f1, uint64_t f2 = 0, uint64_t f3 = 0, uint8_t frm = 0, uint64_t x1 = 0,
              bool fpuOn = true) {
    TestMachine m;
    if (fpuOn) m.s().mstatus |= 1ull << 13;  // FS = Initial
    m.s().frm = frm;
    m.s().f[fa1] = f1;
    m.s().f[fa2] = f2;
    m.s().f[fa3] = f3;
    m.s().x[a1] = x1;
    m.load({insn});
    m.run();
    const bool illegal = m.trappedToM() && m.s().mcause == 2;
    return {m.s().f[fa0], m.s().x[a0], m.s().fflags, illegal, m.s().mtval};
}
}  // namespace

class RiscvFpuTest : public QObject {
    Q_OBJECT
private slots:
    void everyStaticRoundingModeOnAnExactTie() {
        // 1 + 2^-24 lies exactly halfway between 1 and 1 + 2^-23 (single precision).
        const float one = 1.0f, half = std::ldexp(1.0f, -24), up = 1.0f + std::ldexp(1.0f, -23);
        QCOMPARE(asS(runFp(opfp(FADD_S, fa2, RNE), S(one), S(half)).f), one);  // ties to even
        QCOMPARE(asS(runFp(opfp(FADD_S, fa2, RTZ), S(one), S(half)).f), one);
        QCOMPARE(asS(runFp(opfp(FADD_S, fa2, RDN), S(one), S(half)).f), one);
        QCOMPARE(asS(runFp(opfp(FADD_S, fa2, RUP), S(one), S(half)).f), up);
        QCOMPARE(asS(runFp(opfp(FADD_S, fa2, RMM), S(one), S(half)).f), up);  // ties away from zero
        // Negative side: RDN moves away from zero, RUP toward it, RMM away.
        QCOMPARE(asS(runFp(opfp(FADD_S, fa2, RDN), S(-one), S(-half)).f), -up);
        QCOMPARE(asS(runFp(opfp(FADD_S, fa2, RUP), S(-one), S(-half)).f), -one);
        QCOMPARE(asS(runFp(opfp(FADD_S, fa2, RMM), S(-one), S(-half)).f), -up);
        QCOMPARE(runFp(opfp(FADD_S, fa2, RNE), S(one), S(half)).flags, uint8_t(NX));
    }
    void rmmRoundsOnlyTiesAway() {
        const float one = 1.0f;
        // A quarter ulp is not a tie: RMM rounds to nearest like RNE.
        QCOMPARE(asS(runFp(opfp(FADD_S, fa2, RMM), S(one), S(std::ldexp(1.0f, -25))).f), one);
        // Product tie: (1+2^-12)^2 = 1 + 2^-11 + 2^-24.
        const float x = 1.0f + std::ldexp(1.0f, -12);
        const float even = 1.0f + std::ldexp(1.0f, -11);
        QCOMPARE(asS(runFp(opfp(FMUL_S, fa2, RNE), S(x), S(x)).f), even);
        QCOMPARE(asS(runFp(opfp(FMUL_S, fa2, RMM), S(x), S(x)).f), even + std::ldexp(1.0f, -23));
        // Double precision tie.
        const double d = 1.0, dh = std::ldexp(1.0, -53);
        QCOMPARE(runFp(opfp(FADD_D, fa2, RMM), D(d), D(dh)).f, D(1.0 + std::ldexp(1.0, -52)));
        QCOMPARE(runFp(opfp(FADD_D, fa2, RNE), D(d), D(dh)).f, D(1.0));
    }
    void rmmFusedMultiplyAddRoundsOnlyOnce() {
        // (1 + 2^-26)(1 + 2^-27) = 1 + 2^-26 + 2^-27 + 2^-53 lies exactly halfway between two doubles.
        // Adding -2^-1074 puts the exact sum just below that midpoint, so it rounds down; rounding the
        // product+addend first to any wider format (binary128) and then ties-away would round up.
        const double a = 1.0 + std::ldexp(1.0, -26), b = 1.0 + std::ldexp(1.0, -27);
        const double below = 1.0 + std::ldexp(1.0, -26) + std::ldexp(1.0, -27),
                     above = below + std::ldexp(1.0, -52);
        const double tiny = std::numeric_limits<double>::denorm_min();
        const uint32_t fmaddD = enc::r4(op::Madd, fa0, RMM, fa1, fa2, fa3, 1);
        Outcome o = runFp(fmaddD, D(a), D(b), D(-tiny));
        QCOMPARE(o.f, D(below));
        QCOMPARE(o.flags, uint8_t(NX));
        QCOMPARE(runFp(fmaddD, D(a), D(b), D(tiny)).f, D(above));
        QCOMPARE(runFp(fmaddD, D(a), D(b), D(0.0)).f, D(above));  // the tie itself goes away from zero
        // FNMADD, -(a*b) - c: the same magnitudes with the sign flipped.
        QCOMPARE(runFp(enc::r4(op::Nmadd, fa0, RMM, fa1, fa2, fa3, 1), D(a), D(b), D(-tiny)).f, D(-below));
        QCOMPARE(runFp(enc::r4(op::Nmadd, fa0, RMM, fa1, fa2, fa3, 1), D(a), D(b), D(tiny)).f, D(-above));
        // Single precision: (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24 is a tie; minus 2^-149 it is not.
        const float x = 1.0f + std::ldexp(1.0f, -12);
        o = runFp(enc::r4(op::Madd, fa0, RMM, fa1, fa2, fa3, 0), S(x), S(x),
                  S(-std::numeric_limits<float>::denorm_min()));
        QCOMPARE(asS(o.f), 1.0f + std::ldexp(1.0f, -11));
        QCOMPARE(o.flags, uint8_t(NX));
    }
    void rmmDivisionRoundsSubnormalTiesAway() {
        // A quotient is never a tie at full precision, but subnormal results keep fewer bits:
        // 5*2^-1074 / 2 = 2.5*2^-1074 rounds to 3*2^-1074 under RMM (2*2^-1074 under RNE), tiny and inexact.
        const double unit = std::numeric_limits<double>::denorm_min();
        const uint32_t fdivRmm = opfp(FDIV_D, fa2, RMM), fdivRne = opfp(FDIV_D, fa2, RNE);
        Outcome o = runFp(fdivRmm, D(5 * unit), D(2.0));
        QCOMPARE(o.f, D(3 * unit));
        QCOMPARE(o.flags, uint8_t(UF | NX));
        QCOMPARE(runFp(fdivRne, D(5 * unit), D(2.0)).f, D(2 * unit));
        QCOMPARE(runFp(fdivRmm, D(-5 * unit), D(2.0)).f, D(-3 * unit));
        // Half the smallest subnormal: RMM rounds up to it, RNE down to zero; both underflow.
        o = runFp(fdivRmm, D(unit), D(2.0));
        QCOMPARE(o.f, D(unit));
        QCOMPARE(o.flags, uint8_t(UF | NX));
        QCOMPARE(runFp(fdivRne, D(unit), D(2.0)).f, D(0.0));
        const float unitS = std::numeric_limits<float>::denorm_min();
        QCOMPARE(asS(runFp(opfp(FDIV_S, fa2, RMM), S(5 * unitS), S(2.0f)).f), 3 * unitS);
    }
    void rmmRaisesTheSameFlagsAsTheOtherModes() {
        // 1 - 2^-200 rounds to 1, but inexactly.
        Outcome o = runFp(opfp(FADD_D, fa2, RMM), D(1.0), D(-std::ldexp(1.0, -200)));
        QCOMPARE(o.f, D(1.0));
        QCOMPARE(o.flags, uint8_t(NX));
        // 2^-1022 * (1 - 2^-53) = 2^-1022 - 2^-1075 is a tie at the subnormal spacing and rounds away to
        // 2^-1022; rounded to 53 bits with an unbounded exponent it stays below 2^-1022, so it is tiny
        // after rounding: UF and NX.
        o = runFp(opfp(FMUL_D, fa2, RMM), D(std::numeric_limits<double>::min()),
                  D(1.0 - std::ldexp(1.0, -53)));
        QCOMPARE(o.f, D(std::numeric_limits<double>::min()));
        QCOMPARE(o.flags, uint8_t(UF | NX));
        // The largest single plus half its unit, 2^128 (1 - 2^-25), is a tie that overflows.
        o = runFp(opfp(FCVT_S_D, 1, RMM), D(std::ldexp(1.0 - std::ldexp(1.0, -25), 128)));
        QCOMPARE(o.f, S(INFINITY));
        QCOMPARE(o.flags, uint8_t(OF | NX));
    }
    void dynamicRoundingUsesFrmAndReservedModesAreIllegal() {
        const float one = 1.0f, half = std::ldexp(1.0f, -24), up = 1.0f + std::ldexp(1.0f, -23);
        QCOMPARE(asS(runFp(opfp(FADD_S, fa2, DYN), S(one), S(half), 0, RUP).f), up);
        QCOMPARE(asS(runFp(opfp(FADD_S, fa2, DYN), S(one), S(half), 0, RTZ).f), one);
        QVERIFY(runFp(opfp(FADD_S, fa2, 5), S(one), S(half)).illegal);
        QVERIFY(runFp(opfp(FADD_S, fa2, 6), S(one), S(half)).illegal);
        QVERIFY(runFp(opfp(FADD_S, fa2, DYN), S(one), S(half), 0, 5).illegal);
        QVERIFY(runFp(opfp(FADD_S, fa2, DYN), S(one), S(half), 0, 7).illegal);
        QCOMPARE(runFp(opfp(FADD_S, fa2, 5), S(one), S(half)).mtval, uint64_t(opfp(FADD_S, fa2, 5)));
    }
    void invalidOperationFlag() {
        const double inf = INFINITY;
        Outcome o = runFp(opfp(FMUL_D, fa2, RNE), D(0.0), D(inf));
        QCOMPARE(o.flags, uint8_t(NV));
        QCOMPARE(o.f, 0x7ff8000000000000ull);
        QCOMPARE(runFp(opfp(FSQRT_D, 0, RNE), D(-1.0)).flags, uint8_t(NV));
        QCOMPARE(runFp(opfp(FADD_D, fa2, RNE), D(inf), D(-inf)).flags, uint8_t(NV));
        QCOMPARE(runFp(opfp(FSQRT_D, 0, RNE), D(-0.0)).f, D(-0.0));  // sqrt(-0) = -0, no flag
        QCOMPARE(runFp(opfp(FSQRT_D, 0, RNE), D(-0.0)).flags, uint8_t(0));
    }
    void divideByZeroFlag() {
        Outcome o = runFp(opfp(FDIV_D, fa2, RNE), D(1.0), D(0.0));
        QCOMPARE(o.flags, uint8_t(DZ));
        QCOMPARE(o.f, D(INFINITY));
        QCOMPARE(runFp(opfp(FDIV_D, fa2, RNE), D(0.0), D(0.0)).flags, uint8_t(NV));
    }
    void overflowFlagAndRoundingOfOverflow() {
        const float big = std::numeric_limits<float>::max();
        Outcome o = runFp(opfp(FMUL_S, fa2, RNE), S(big), S(2.0f));
        QCOMPARE(o.flags, uint8_t(OF | NX));
        QCOMPARE(asS(o.f), INFINITY);
        // Toward zero, overflow gives the largest finite number.
        QCOMPARE(asS(runFp(opfp(FMUL_S, fa2, RTZ), S(big), S(2.0f)).f), big);
        QCOMPARE(asS(runFp(opfp(FMUL_S, fa2, RDN), S(big), S(2.0f)).f), big);
        QCOMPARE(asS(runFp(opfp(FMUL_S, fa2, RDN), S(-big), S(2.0f)).f), -INFINITY);
    }
    void underflowFlagUsesTininessAfterRounding() {
        // Exact tiny and inexact: UF|NX.
        const float minNormal = std::numeric_limits<float>::min();
        const float justAbove = std::nextafter(minNormal, 1.0f);
        Outcome o = runFp(opfp(FMUL_S, fa2, RNE), S(justAbove), S(0.5f));
        QCOMPARE(o.flags, uint8_t(UF | NX));
        // Exact subnormal result: no flag at all.
        QCOMPARE(runFp(opfp(FMUL_S, fa2, RNE), S(minNormal), S(0.5f)).flags, uint8_t(0));
        // (1-2^-13)(1+2^-13) * 2^-126 = 2^-126 (1 - 2^-26): tiny before rounding,
        // but rounds to the smallest normal: RISC-V detects tininess after
        // rounding, so UF stays clear (11.2).
        const float a = (1.0f - std::ldexp(1.0f, -13)) * std::ldexp(1.0f, -63);
        const float b = (1.0f + std::ldexp(1.0f, -13)) * std::ldexp(1.0f, -63);
        o = runFp(opfp(FMUL_S, fa2, RNE), S(a), S(b));
        QCOMPARE(asS(o.f), minNormal);
        QCOMPARE(o.flags, uint8_t(NX));
    }
    void inexactFlag() {
        QCOMPARE(runFp(opfp(FDIV_S, fa2, RNE), S(1.0f), S(3.0f)).flags, uint8_t(NX));
        QCOMPARE(runFp(opfp(FDIV_S, fa2, RNE), S(1.0f), S(4.0f)).flags, uint8_t(0));
    }
    void flagsAccumulateUntilCleared() {
        TestMachine m;
        m.s().mstatus |= 1ull << 13;
        m.s().f[fa1] = D(1.0);
        m.s().f[fa2] = D(0.0);
        m.s().f[fa3] = D(3.0);
        m.load({opfp(FDIV_D, fa2, RNE), opfp(FDIV_D, fa3, RNE), enc::csrrs(a0, 0x001, zero),
                enc::csrrwi(zero, 0x001, 0), enc::csrrs(a1, 0x003, zero)});
        m.run();
        QCOMPARE(m.s().x[a0], uint64_t(DZ | NX));
        QCOMPARE(m.s().x[a1], 0ull);
    }
    void singlesAreNanBoxed() {
        // An improperly boxed single reads as the canonical NaN.
        Outcome o = runFp(opfp(FADD_S, fa2, RNE), 0x000000003f800000ull, S(1.0f));
        QCOMPARE(o.f, Sbits(0x7fc00000));
        QCOMPARE(o.flags, uint8_t(0));  // canonical NaN is quiet
        // Results are boxed.
        QCOMPARE(runFp(opfp(FADD_S, fa2, RNE), S(1.0f), S(2.0f)).f, S(3.0f));
        // fmv.x.w moves the low 32 bits, sign-extended, boxing or not.
        QCOMPARE(runFp(opfp(FMV_X_W, 0, 0, a0), 0x00000000bf800000ull).x, 0xffffffffbf800000ull);
        // flw boxes what it loads.
        TestMachine m;
        m.s().mstatus |= 1ull << 13;
        m.write32(kRamBase + 0x800, 0x40490fdb);
        m.s().x[a1] = kRamBase + 0x800;
        m.load({enc::i(op::LoadFp, fa0, 2, a1, 0)});
        m.run();
        QCOMPARE(m.s().f[fa0], Sbits(0x40490fdb));
    }
    void nanResultsAreCanonical() {
        const uint64_t sNaNWithPayload = 0x7ff0000000001234ull;
        const uint64_t qNaNWithPayload = 0xfff8000000005678ull;
        Outcome o = runFp(opfp(FADD_D, fa2, RNE), sNaNWithPayload, D(1.0));
        QCOMPARE(o.f, 0x7ff8000000000000ull);
        QCOMPARE(o.flags, uint8_t(NV));
        o = runFp(opfp(FADD_D, fa2, RNE), qNaNWithPayload, D(1.0));
        QCOMPARE(o.f, 0x7ff8000000000000ull);
        QCOMPARE(o.flags, uint8_t(0));
        // Narrowing a NaN gives the canonical single NaN.
        QCOMPARE(runFp(opfp(FCVT_S_D, 1, RNE), qNaNWithPayload).f, Sbits(0x7fc00000));
    }
    void minMaxOrderSignedZerosAndIgnoreOneNaN() {
        const uint32_t fmin = opfp(FMINMAX_D, fa2, 0), fmax = opfp(FMINMAX_D, fa2, 1);
        QCOMPARE(runFp(fmin, D(-0.0), D(0.0)).f, D(-0.0));
        QCOMPARE(runFp(fmin, D(0.0), D(-0.0)).f, D(-0.0));
        QCOMPARE(runFp(fmax, D(-0.0), D(0.0)).f, D(0.0));
        QCOMPARE(runFp(fmax, D(0.0), D(-0.0)).f, D(0.0));
        const uint64_t qNaN = 0x7ff8000000000001ull, sNaN = 0x7ff0000000000001ull;
        Outcome o = runFp(fmin, qNaN, D(2.0));
        QCOMPARE(o.f, D(2.0));
        QCOMPARE(o.flags, uint8_t(0));
        o = runFp(fmax, D(2.0), sNaN);
        QCOMPARE(o.f, D(2.0));
        QCOMPARE(o.flags, uint8_t(NV));
        o = runFp(fmin, qNaN, sNaN);
        QCOMPARE(o.f, 0x7ff8000000000000ull);
        QCOMPARE(o.flags, uint8_t(NV));
        QCOMPARE(asS(runFp(opfp(FMINMAX_S, fa2, 0), S(-1.0f), S(3.0f)).f), -1.0f);
    }
    void comparisonsSignalAsSpecified() {
        const uint32_t feq = opfp(FCMP_D, fa2, 2, a0), flt = opfp(FCMP_D, fa2, 1, a0),
                       fle = opfp(FCMP_D, fa2, 0, a0);
        const uint64_t qNaN = 0x7ff8000000000000ull, sNaN = 0x7ff0000000000001ull;
        Outcome o = runFp(feq, qNaN, D(1.0));
        QCOMPARE(o.x, 0ull);
        QCOMPARE(o.flags, uint8_t(0));  // FEQ is quiet
        QCOMPARE(runFp(feq, sNaN, D(1.0)).flags, uint8_t(NV));
        o = runFp(flt, qNaN, D(1.0));
        QCOMPARE(o.x, 0ull);
        QCOMPARE(o.flags, uint8_t(NV));  // FLT/FLE signal on any NaN
        QCOMPARE(runFp(fle, D(1.0), qNaN).flags, uint8_t(NV));
        QCOMPARE(runFp(fle, D(-0.0), D(0.0)).x, 1ull);
        QCOMPARE(runFp(flt, D(-0.0), D(0.0)).x, 0ull);
        QCOMPARE(runFp(feq, D(-0.0), D(0.0)).x, 1ull);
        QCOMPARE(runFp(opfp(FCMP_S, fa2, 1, a0), S(1.0f), S(2.0f)).x, 1ull);
    }
    void floatToIntegerSaturatesAndFlags() {
        auto cvt = [](unsigned rs2, double v, uint32_t rm = RTZ) {
            return runFp(opfp(FCVT_W_D, rs2, rm, a0), D(v));
        };
        const unsigned W = 0, WU = 1, L = 2, LU = 3;
        QCOMPARE(cvt(W, 1e10).x, 0x7fffffffull);
        QCOMPARE(cvt(W, 1e10).flags, uint8_t(NV));
        QCOMPARE(cvt(W, -1e10).x, 0xffffffff80000000ull);
        QCOMPARE(cvt(W, NAN).x, 0x7fffffffull);
        QCOMPARE(cvt(W, NAN).flags, uint8_t(NV));
        QCOMPARE(cvt(W, -INFINITY).x, 0xffffffff80000000ull);
        QCOMPARE(cvt(WU, -1.0).x, 0ull);
        QCOMPARE(cvt(WU, -1.0).flags, uint8_t(NV));
        QCOMPARE(cvt(WU, -0.5).x, 0ull);  // rounds to -0: in range, only inexact
        QCOMPARE(cvt(WU, -0.5).flags, uint8_t(NX));
        QCOMPARE(cvt(WU, 4294967295.5).x, ~0ull);  // 0xffffffff sign-extended
        QCOMPARE(cvt(WU, 4294967295.5).flags, uint8_t(NX));
        QCOMPARE(cvt(WU, 4294967296.0).flags, uint8_t(NV));
        QCOMPARE(cvt(WU, NAN).x, ~0ull);
        QCOMPARE(cvt(L, 9223372036854775808.0).x, 0x7fffffffffffffffull);
        QCOMPARE(cvt(L, 9223372036854775808.0).flags, uint8_t(NV));
        QCOMPARE(cvt(L, -9223372036854775808.0).x, 0x8000000000000000ull);
        QCOMPARE(cvt(L, -9223372036854775808.0).flags, uint8_t(0));
        QCOMPARE(cvt(LU, INFINITY).x, ~0ull);
        QCOMPARE(cvt(LU, 18446744073709549568.0).x, 18446744073709549568ull);
        QCOMPARE(cvt(L, -2.5, RNE).x, static_cast<uint64_t>(-2));
        QCOMPARE(cvt(L, -2.5, RMM).x, static_cast<uint64_t>(-3));
        QCOMPARE(cvt(L, -2.5, RDN).x, static_cast<uint64_t>(-3));
        QCOMPARE(cvt(L, -2.5, RUP).x, static_cast<uint64_t>(-2));
        QCOMPARE(cvt(L, -2.5, RUP).flags, uint8_t(NX));
        // Single source, unsigned word result is sign-extended.
        QCOMPARE(runFp(opfp(FCVT_W_S, WU, RTZ, a0), S(3e9f)).x, 0xffffffffb2d05e00ull);
    }
    void integerToFloatRounds() {
        const unsigned L = 2, LU = 3;
        Outcome o = runFp(opfp(FCVT_S_W, L, RNE, fa0, a1), 0, 0, 0, 0, (1ull << 24) + 1);
        QCOMPARE(asS(o.f), 16777216.0f);
        QCOMPARE(o.flags, uint8_t(NX));
        QCOMPARE(asS(runFp(opfp(FCVT_S_W, L, RUP, fa0, a1), 0, 0, 0, 0, (1ull << 24) + 1).f), 16777218.0f);
        QCOMPARE(asS(runFp(opfp(FCVT_S_W, LU, RNE, fa0, a1), 0, 0, 0, 0, ~0ull).f), 18446744073709551616.0f);
        // 2^53 + 1 is a tie for doubles: RNE keeps 2^53, RMM goes to 2^53 + 2.
        QCOMPARE(runFp(opfp(FCVT_D_W, L, RNE, fa0, a1), 0, 0, 0, 0, (1ull << 53) + 1).f,
                 D(9007199254740992.0));
        QCOMPARE(runFp(opfp(FCVT_D_W, L, RMM, fa0, a1), 0, 0, 0, 0, (1ull << 53) + 1).f,
                 D(9007199254740994.0));
        // fcvt.d.w reads only the low word, signed.
        QCOMPARE(runFp(opfp(FCVT_D_W, 0, RNE, fa0, a1), 0, 0, 0, 0, 0x12345678ffffffffull).f, D(-1.0));
    }
    void fusedMultiplyAddRoundsOnce() {
        // (1+2^-52)(1-2^-52) - 1 = -2^-104 exactly; an unfused multiply would round the product to 1 and give
        // 0.
        const double a = 1.0 + std::ldexp(1.0, -52), b = 1.0 - std::ldexp(1.0, -52);
        const uint32_t fmadd = enc::r4(op::Madd, fa0, RNE, fa1, fa2, fa3, 1);
        Outcome o = runFp(fmadd, D(a), D(b), D(-1.0));
        QCOMPARE(o.f, D(-std::ldexp(1.0, -104)));
        QCOMPARE(o.flags, uint8_t(0));
        // FNMADD = -(a*b) - c, FMSUB = a*b - c, FNMSUB = -(a*b) + c.
        QCOMPARE(runFp(enc::r4(op::Nmadd, fa0, RNE, fa1, fa2, fa3, 1), D(2.0), D(3.0), D(1.0)).f, D(-7.0));
        QCOMPARE(runFp(enc::r4(op::Msub, fa0, RNE, fa1, fa2, fa3, 1), D(2.0), D(3.0), D(1.0)).f, D(5.0));
        QCOMPARE(runFp(enc::r4(op::Nmsub, fa0, RNE, fa1, fa2, fa3, 1), D(2.0), D(3.0), D(1.0)).f, D(-5.0));
        QCOMPARE(asS(runFp(enc::r4(op::Madd, fa0, RNE, fa1, fa2, fa3, 0), S(2.0f), S(3.0f), S(1.0f)).f),
                 7.0f);
        // Infinity times zero is invalid even with a quiet NaN addend (11.6).
        o = runFp(fmadd, D(INFINITY), D(0.0), 0x7ff8000000000000ull);
        QCOMPARE(o.flags, uint8_t(NV));
        QCOMPARE(o.f, 0x7ff8000000000000ull);
    }
    void fclassReportsEveryClass() {
        const uint32_t fclass = opfp(FCLASS_D, 0, 1, a0);
        const double denorm = std::numeric_limits<double>::denorm_min();
        QCOMPARE(runFp(fclass, D(-INFINITY)).x, 1ull << 0);
        QCOMPARE(runFp(fclass, D(-1.0)).x, 1ull << 1);
        QCOMPARE(runFp(fclass, D(-denorm)).x, 1ull << 2);
        QCOMPARE(runFp(fclass, D(-0.0)).x, 1ull << 3);
        QCOMPARE(runFp(fclass, D(0.0)).x, 1ull << 4);
        QCOMPARE(runFp(fclass, D(denorm)).x, 1ull << 5);
        QCOMPARE(runFp(fclass, D(1.0)).x, 1ull << 6);
        QCOMPARE(runFp(fclass, D(INFINITY)).x, 1ull << 7);
        QCOMPARE(runFp(fclass, 0x7ff0000000000001ull).x, 1ull << 8);
        QCOMPARE(runFp(fclass, 0x7ff8000000000000ull).x, 1ull << 9);
    }
    void signInjection() {
        QCOMPARE(asS(runFp(opfp(FSGNJ_S, fa2, 0), S(2.0f), S(-1.0f)).f), -2.0f);
        QCOMPARE(asS(runFp(opfp(FSGNJ_S, fa2, 1), S(2.0f), S(-1.0f)).f), 2.0f);
        QCOMPARE(asS(runFp(opfp(FSGNJ_S, fa2, 2), S(-2.0f), S(-1.0f)).f), 2.0f);
        QCOMPARE(runFp(opfp(FSGNJ_S, fa2, 0), S(2.0f), S(-1.0f)).flags, uint8_t(0));
    }
    void fpInstructionsAreIllegalWhileFsIsOff() {
        Outcome o = runFp(opfp(FADD_D, fa2, RNE), D(1.0), D(1.0), 0, 0, 0, false);
        QVERIFY(o.illegal);
        QCOMPARE(o.mtval, uint64_t(opfp(FADD_D, fa2, RNE)));
        TestMachine m;
        m.load({enc::csrrs(a0, 0x003, zero)});  // fcsr read
        m.run();
        QVERIFY(m.trappedToM());
        QCOMPARE(m.s().mcause, 2ull);
    }
    void aHartConfiguredWithoutFpuKeepsFsOff() {
        TestMachine m(HartConfig{0, false});
        m.s().x[a1] = 3ull << 13;
        m.load({enc::csrrs(zero, 0x300, a1), enc::csrrs(a0, 0x300, zero), enc::csrrs(a2, 0x301, zero),
                opfp(FADD_D, fa2, RNE)});
        m.run();
        QCOMPARE((m.s().x[a0] >> 13) & 3, 0ull);
        QCOMPARE(m.s().x[a2] & ((1u << 3) | (1u << 5)), 0ull);  // misa without D and F
        QCOMPARE(m.s().mcause, 2ull);
        QCOMPARE(m.s().mepc, kRamBase + 12);
    }
    void fpWritesMarkFsDirtyAndSd() {
        TestMachine m;
        m.s().mstatus |= 1ull << 13;  // Initial
        m.s().f[fa1] = D(1.0);
        m.load({opfp(FADD_D, fa1, RNE), enc::csrrs(a0, 0x300, zero), enc::csrrs(a1, 0x100, zero)});
        m.run();
        QCOMPARE((m.s().x[a0] >> 13) & 3, 3ull);
        QVERIFY(m.s().x[a0] >> 63);
        QVERIFY(m.s().x[a1] >> 63);  // sstatus.SD too
    }
};

QTEST_APPLESS_MAIN(RiscvFpuTest)
#include "riscv_fpu_test.moc"
