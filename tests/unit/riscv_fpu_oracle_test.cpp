// Specification: every F and D instruction that rounds (fadd/fsub/fmul/fdiv/
// fsqrt, the four fused multiply-adds, fcvt between the formats and to and
// from 32/64-bit integers) gives, in each of the five rounding modes (RNE, RTZ,
// RDN, RUP, RMM; static and dynamic rm), exactly the result bits and fflags
// (NV, DZ, OF, UF with tininess detected after rounding, NX) that IEEE
// 754-2008 and the RISC-V F/D chapters define.
//
// The oracle is MPFR: each result is computed exactly (or rounded to odd with
// thousands of bits, which preserves every rounding to fewer bits) and rounded
// to the format from the definitions (IEEE 754-2008 4.3 rounding, 7.4
// overflow, 7.5 underflow after rounding, RISC-V 11.3 canonical NaN and table
// 11.4 conversions), independently of how the interpreter computes it. The
// operands are random but biased towards the hard cases: exact ties made on
// purpose (also in the subnormal range and at the overflow boundary), near
// ties, results at the underflow boundary where tininess before and after
// rounding differ, wide exponent gaps, and NaN/infinity/zero signs.

#include <mpfr.h>

#include <QtTest>
#include <array>
#include <bit>
#include <optional>
#include <random>
#include <unordered_map>

#include "unit/riscv_test_machine.h"

using namespace tessera::riscv;
using namespace tessera::riscv::test;
namespace op = enc::opcode;

namespace {

enum : uint8_t { NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16 };
enum Mode : unsigned { RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4 };
constexpr unsigned kDynamic = 7;
constexpr const char* kModeNames[] = {"RNE", "RTZ", "RDN", "RUP", "RMM"};
constexpr unsigned fa0 = 10, fa1 = 11, fa2 = 12, fa3 = 13;
constexpr uint64_t kBox = 0xffffffff00000000ull;
// Cases per operation, format and rounding mode.
constexpr int kCasesPerMode = 2000;

// ---- Binary formats (IEEE 754-2008 3.3) on raw bit patterns ----
struct Format {
    int precision, minExponent, maxExponent;
    bool isDouble;
    uint64_t signBit() const { return isDouble ? 1ull << 63 : 1ull << 31; }
    uint64_t expMask() const { return isDouble ? 0x7ffull << 52 : 0xffull << 23; }
    uint64_t fracMask() const { return (1ull << (precision - 1)) - 1; }
    uint64_t quietBit() const { return 1ull << (precision - 2); }
    uint64_t canonicalNaN() const { return expMask() | quietBit(); }
    uint64_t infinity(bool negative) const { return (negative ? signBit() : 0) | expMask(); }
    uint64_t maxFinite(bool negative) const { return (negative ? signBit() : 0) | (expMask() - 1); }
    int bias() const { return 1 - minExponent; }
    int minQuantum() const { return minExponent - precision + 1; }  // exponent of the smallest subnormal
    bool isNaN(uint64_t b) const { return (b & expMask()) == expMask() && (b & fracMask()) != 0; }
    bool isSignalingNaN(uint64_t b) const { return isNaN(b) && !(b & quietBit()); }
    bool isInf(uint64_t b) const { return (b & ~signBit()) == expMask(); }
    bool isZero(uint64_t b) const { return (b & ~signBit()) == 0; }
    bool negative(uint64_t b) const { return b & signBit(); }
    // Register image: singles are NaN-boxed (RISC-V 12.2).
    uint64_t reg(uint64_t b) const { return isDouble ? b : kBox | b; }
};
constexpr Format kSingle{24, -126, 127, false};
constexpr Format kDouble{53, -1022, 1023, true};

// significand * 2^exponent as a bit pattern, if exactly representable.
std::optional<uint64_t> make(const Format& f, bool negative, uint64_t significand, int exponent) {
    const uint64_t sign = negative ? f.signBit() : 0;
    if (significand == 0) return sign;
    const int trailing = std::countr_zero(significand);
    significand >>= trailing;
    exponent += trailing;
    const int top = 63 - std::countl_zero(significand);
    const int lead = exponent + top;
    if (top >= f.precision || lead > f.maxExponent || exponent < f.minQuantum()) return std::nullopt;
    if (lead < f.minExponent) return sign | (significand << (exponent - f.minQuantum()));
    return sign | (static_cast<uint64_t>(lead + f.bias()) << (f.precision - 1)) |
           ((significand << (f.precision - 1 - top)) & f.fracMask());
}
// Exponent of the leading bit and the weight of the last significand bit of a finite nonzero value.
int leadOf(const Format& f, uint64_t b) {
    const int field = static_cast<int>((b & f.expMask()) >> (f.precision - 1));
    if (field) return field - f.bias();
    return f.minQuantum() + 63 - std::countl_zero(b & f.fracMask());
}
int quantumOf(const Format& f, uint64_t b) {
    return std::max(leadOf(f, b), f.minExponent) - (f.precision - 1);
}

// ---- MPFR oracle ----
// Enough bits for any exact sum, product or fused multiply-add of doubles
// (2^1024 down to 2^-2148).
constexpr mpfr_prec_t kExactPrecision = 3400;

class Real {
public:
    explicit Real(mpfr_prec_t precision = kExactPrecision) { mpfr_init2(v_, precision); }
    ~Real() { mpfr_clear(v_); }
    Real(const Real&) = delete;
    Real& operator=(const Real&) = delete;
    operator mpfr_ptr() { return v_; }
    operator mpfr_srcptr() const { return v_; }
    // MPFR implements some functions as macros that dereference their argument (mpfr_sgn, mpfr_zero_p...).
    mpfr_ptr operator->() { return v_; }

private:
    mpfr_t v_;
};

mpfr_srcptr Half() {
    static Real half(8);
    static const bool once = (mpfr_set_d(half, 0.5, MPFR_RNDN), true);
    (void)once;
    return half;
}

void setFrom(mpfr_ptr r, const Format& f, uint64_t b) {
    if (f.isDouble)
        mpfr_set_d(r, std::bit_cast<double>(b), MPFR_RNDN);
    else
        mpfr_set_flt(r, std::bit_cast<float>(static_cast<uint32_t>(b)), MPFR_RNDN);
}

// Rounding to an integer in each mode (IEEE 754-2008 4.3.1, 4.3.2).
void roundToInteger(mpfr_ptr r, mpfr_srcptr x, Mode mode) {
    switch (mode) {
        case RNE:
            mpfr_rint(r, x, MPFR_RNDN);
            break;
        case RTZ:
            mpfr_trunc(r, x);
            break;
        case RDN:
            mpfr_floor(r, x);
            break;
        case RUP:
            mpfr_ceil(r, x);
            break;
        case RMM:
            mpfr_round(r, x);  // nearest, ties away from zero
            break;
    }
}
// x rounded to a multiple of 2^quantum.
void roundAtQuantum(mpfr_ptr r, mpfr_srcptr x, long quantum, Mode mode) {
    Real scaled;
    mpfr_mul_2si(scaled, x, -quantum, MPFR_RNDN);  // exact
    roundToInteger(r, scaled, mode);
    mpfr_mul_2si(r, r, quantum, MPFR_RNDN);
}

// What makes a case hard, counted so that the test can insist the operands reach them.
enum Trait : uint8_t {
    kTie = 1,                     // exactly halfway between two neighbours of the format (or two integers)
    kSubnormalTie = 2,            // such a tie below 2^minExponent, where fewer than p bits are kept
    kTinyOnlyBeforeRounding = 4,  // below 2^minExponent, but not after rounding to p bits: no UF
    kOverflowTie = 8,             // halfway between the largest finite number and 2^(maxExponent+1)
    kUnderflow = 16,
    kOverflow = 32,
};
constexpr int kTraitCount = 6;
constexpr uint8_t kEveryTrait = (1 << kTraitCount) - 1;
constexpr const char* kTraitNames[kTraitCount] = {
    "ties", "subnormal ties", "tiny only before rounding", "overflow ties", "underflows", "overflows"};

struct Expected {
    uint64_t bits;
    uint8_t flags;
    uint8_t traits = 0;
};

// Whether x lies exactly halfway between two multiples of 2^quantum.
bool isTie(mpfr_srcptr x, long quantum) {
    Real fraction;
    mpfr_mul_2si(fraction, x, -quantum, MPFR_RNDN);
    mpfr_frac(fraction, fraction, MPFR_RNDN);
    return mpfr_cmpabs(fraction, Half()) == 0;
}

// Rounds a finite nonzero x (exact, or rounded to odd at kExactPrecision) to
// the format: p significant bits, subnormals below 2^minExponent, overflow
// and underflow as IEEE 754-2008 7.4 and 7.5 define them, tininess after
// rounding (RISC-V F extension, "Subnormal Arithmetic").
Expected roundToFormat(mpfr_srcptr x, const Format& f, Mode mode) {
    const bool negative = mpfr_signbit(x);
    const long lead = mpfr_get_exp(x) - 1;  // MPFR significands lie in [1/2, 1)
    const long quantum = std::max<long>(lead, f.minExponent) - (f.precision - 1);
    const bool tie = isTie(x, quantum);
    Real unbounded;  // rounded to p bits with an unbounded exponent range
    roundAtQuantum(unbounded, x, lead - (f.precision - 1), mode);
    if (mpfr_get_exp(unbounded) - 1 > f.maxExponent) {
        const bool toInfinity =
            mode == RNE || mode == RMM || (mode == RDN && negative) || (mode == RUP && !negative);
        return {toInfinity ? f.infinity(negative) : f.maxFinite(negative), OF | NX,
                static_cast<uint8_t>(kOverflow | (tie ? kOverflowTie | kTie : 0))};
    }
    const bool tiny = mpfr_get_exp(unbounded) - 1 < f.minExponent;
    Real bounded;
    roundAtQuantum(bounded, x, quantum, mode);
    const bool inexact = mpfr_cmp(bounded, x) != 0;
    const uint8_t flags = inexact ? (tiny ? NX | UF : NX) : 0;
    const uint8_t traits = (tie ? kTie : 0) | (tie && lead < f.minExponent ? kSubnormalTie : 0) |
                           (lead < f.minExponent && !tiny ? kTinyOnlyBeforeRounding : 0) |
                           (flags & UF ? kUnderflow : 0);
    if (mpfr_zero_p(bounded)) return {negative ? f.signBit() : 0, flags, traits};
    const uint64_t bits = f.isDouble ? std::bit_cast<uint64_t>(mpfr_get_d(bounded, MPFR_RNDN))
                                     : std::bit_cast<uint32_t>(mpfr_get_flt(bounded, MPFR_RNDN));
    return {bits, flags, traits};
}

// Turns a value truncated toward zero into the round-to-odd one: when the
// truncation was inexact, the last bit is forced to 1. Rounding that to any
// precision at least two bits smaller gives the same result as rounding the
// exact value (Boldo and Melquiond, "Emulation of FMA and correctly rounded
// sums: proved algorithms using rounding to odd", 2008).
void makeOdd(mpfr_ptr x, int ternary) {
    if (ternary == 0 || mpfr_min_prec(x) == mpfr_get_prec(x)) return;
    if (mpfr_signbit(x))
        mpfr_nextbelow(x);
    else
        mpfr_nextabove(x);
}

enum class Arith { Add, Sub, Mul, Div, Sqrt, Madd, Msub, Nmsub, Nmadd };
bool isFused(Arith a) {
    return a == Arith::Madd || a == Arith::Msub || a == Arith::Nmsub || a == Arith::Nmadd;
}

Expected oracleArith(Arith kind, const Format& f, Mode mode, const std::array<uint64_t, 3>& in) {
    const int count = kind == Arith::Sqrt ? 1 : isFused(kind) ? 3 : 2;
    bool anyNaN = false, anySignaling = false;
    for (int i = 0; i < count; ++i) {
        anyNaN |= f.isNaN(in[i]);
        anySignaling |= f.isSignalingNaN(in[i]);
    }
    // RISC-V 11.6: infinity times zero is invalid even with a quiet NaN addend.
    const bool infinityTimesZero =
        isFused(kind) && ((f.isInf(in[0]) && f.isZero(in[1])) || (f.isZero(in[0]) && f.isInf(in[1])));
    if (anyNaN) return {f.canonicalNaN(), static_cast<uint8_t>(anySignaling || infinityTimesZero ? NV : 0)};
    Real a(64), b(64), c(64);
    setFrom(a, f, in[0]);
    setFrom(b, f, in[1]);
    setFrom(c, f, in[2]);
    if (kind == Arith::Nmsub || kind == Arith::Nmadd) mpfr_neg(a, a, MPFR_RNDN);  // negated product
    if (kind == Arith::Msub || kind == Arith::Nmadd) mpfr_neg(c, c, MPFR_RNDN);
    auto compute = [&](mpfr_ptr r, mpfr_rnd_t rnd) {
        switch (kind) {
            case Arith::Add:
                return mpfr_add(r, a, b, rnd);
            case Arith::Sub:
                return mpfr_sub(r, a, b, rnd);
            case Arith::Mul:
                return mpfr_mul(r, a, b, rnd);
            case Arith::Div:
                return mpfr_div(r, a, b, rnd);
            case Arith::Sqrt:
                return mpfr_sqrt(r, a, rnd);
            default:
                return mpfr_fma(r, a, b, c, rnd);
        }
    };
    mpfr_clear_flags();
    Real x;
    const int ternary = compute(x, MPFR_RNDZ);
    if (mpfr_nan_p(x)) return {f.canonicalNaN(), NV};
    if (mpfr_inf_p(x)) return {f.infinity(mpfr_signbit(x)), static_cast<uint8_t>(mpfr_divby0_p() ? DZ : 0)};
    if (mpfr_zero_p(x)) {
        // An exact zero: its sign follows IEEE 754-2008 6.3, where only
        // roundTowardNegative makes x + (-x) negative.
        compute(x, mode == RDN ? MPFR_RNDD : MPFR_RNDN);
        return {mpfr_signbit(x) ? f.signBit() : 0, 0};
    }
    makeOdd(x, ternary);
    return roundToFormat(x, f, mode);
}

// FCVT.{W,WU,L,LU}.{S,D} (RISC-V table 11.4).
struct IntegerType {
    bool isSigned;
    unsigned bits;
    int64_t min() const { return isSigned ? (bits == 64 ? INT64_MIN : INT32_MIN) : 0; }
    uint64_t max() const {
        return isSigned ? (bits == 64 ? INT64_MAX : INT32_MAX) : (bits == 64 ? ~0ull : 0xffffffffull);
    }
    // The register image: 32-bit results are sign-extended (RISC-V 11.7).
    uint64_t reg(uint64_t v) const { return bits == 32 ? static_cast<uint64_t>(static_cast<int32_t>(v)) : v; }
};
constexpr IntegerType kIntegerTypes[] = {{true, 32}, {false, 32}, {true, 64}, {false, 64}};  // rs2 = 0..3

Expected oracleToInteger(const Format& f, Mode mode, IntegerType t, uint64_t in) {
    const Expected high{t.reg(t.max()), NV}, low{t.reg(static_cast<uint64_t>(t.min())), NV};
    if (f.isNaN(in)) return high;
    if (f.isInf(in)) return f.negative(in) ? low : high;
    Real x(64), r(1100);
    setFrom(x, f, in);
    roundToInteger(r, x, mode);
    if (mpfr_cmp_si(r, t.min()) < 0) return low;
    if (mpfr_cmp_ui(r, t.max()) > 0) return high;
    const uint64_t value =
        mpfr_sgn(r) < 0 ? static_cast<uint64_t>(mpfr_get_si(r, MPFR_RNDN)) : mpfr_get_ui(r, MPFR_RNDN);
    return {t.reg(value), static_cast<uint8_t>(mpfr_cmp(r, x) != 0 ? NX : 0),
            static_cast<uint8_t>(isTie(x, 0) ? kTie : 0)};
}

// FCVT.{S,D}.{W,WU,L,LU}: the source is the low word of the register for W/WU.
Expected oracleFromInteger(const Format& f, Mode mode, IntegerType t, uint64_t reg) {
    Real x(64);
    if (t.bits == 32)
        t.isSigned ? mpfr_set_si(x, static_cast<int32_t>(reg), MPFR_RNDN)
                   : mpfr_set_ui(x, static_cast<uint32_t>(reg), MPFR_RNDN);
    else
        t.isSigned ? mpfr_set_si(x, static_cast<long>(reg), MPFR_RNDN) : mpfr_set_ui(x, reg, MPFR_RNDN);
    if (mpfr_zero_p(x)) return {0, 0};  // +0 (IEEE 754-2008 5.4.1 convertFromInt of 0)
    return roundToFormat(x, f, mode);
}

// FCVT.S.D and FCVT.D.S.
Expected oracleConvert(const Format& from, const Format& to, Mode mode, uint64_t in) {
    if (from.isNaN(in)) return {to.canonicalNaN(), static_cast<uint8_t>(from.isSignalingNaN(in) ? NV : 0)};
    if (from.isInf(in)) return {to.infinity(from.negative(in)), 0};
    if (from.isZero(in)) return {from.negative(in) ? to.signBit() : 0, 0};
    Real x(64);
    setFrom(x, from, in);
    return roundToFormat(x, to, mode);
}

// ---- Operands biased towards the hard cases ----
class Operands {
public:
    explicit Operands(uint64_t seed) : rng_(seed) {}

    uint64_t bits() { return rng_(); }
    int pick(int n) { return static_cast<int>(rng_() % static_cast<uint64_t>(n)); }
    int between(int lo, int hi) { return hi <= lo ? lo : lo + pick(hi - lo + 1); }
    bool coin() { return rng_() & 1; }

    // An n-bit significand (top bit set) with a structure that provokes carries, ties and cancellation.
    uint64_t significand(int n) {
        const uint64_t top = 1ull << (n - 1), all = n == 64 ? ~0ull : (1ull << n) - 1;
        uint64_t v = top;
        switch (pick(6)) {
            case 0:
                return top | (bits() & all);
            case 1:
                return all;
            case 2:
                return top;
            case 3:
                for (int k = pick(3); k >= 0; --k) v |= 1ull << pick(n);
                return v;
            case 4:
                return top | (all >> pick(n));  // a run of ones at the bottom
            default:
                v = all;
                for (int k = pick(3); k >= 0; --k) v &= ~(1ull << pick(n));
                return v | top;
        }
    }
    uint64_t oddSignificand(int n) { return significand(n) | 1; }

    // A finite value with its leading bit at 2^lead (zero when lead is below the subnormal range).
    uint64_t withLead(const Format& f, int lead, bool negative) {
        lead = std::min(lead, f.maxExponent);
        const int n = std::min(f.precision, lead - f.minQuantum() + 1);
        if (n <= 0) return negative ? f.signBit() : 0;
        return *make(f, negative, significand(n), lead - (n - 1));
    }
    uint64_t special(const Format& f) {
        const uint64_t sign = coin() ? f.signBit() : 0;
        switch (pick(10)) {
            case 0:
                return sign;  // ±0
            case 1:
                return f.infinity(sign != 0);
            case 2:
                return f.canonicalNaN() | (bits() & f.fracMask()) | sign;  // quiet NaN with payload
            case 3:
                return f.expMask() | 1 | (bits() & (f.fracMask() >> 1)) | sign;  // signaling NaN
            case 4:
                return sign | 1;  // smallest subnormal
            case 5:
                return sign | f.fracMask();  // largest subnormal
            case 6:
                return sign | (f.fracMask() + 1);  // smallest normal
            case 7:
                return f.maxFinite(sign != 0);
            default:
                return sign | (static_cast<uint64_t>(f.bias()) << (f.precision - 1));  // ±1
        }
    }
    // A random operand: sometimes special, otherwise with its leading bit near
    // 1, near either end of the exponent range, or anywhere.
    uint64_t value(const Format& f) {
        if (pick(12) == 0) return special(f);
        const bool negative = coin();
        switch (pick(4)) {
            case 0:
                return withLead(f, between(-4, 4), negative);
            case 1:
                return withLead(f, between(f.minQuantum(), f.minExponent + 2), negative);
            case 2:
                return withLead(f, between(f.maxExponent - 2, f.maxExponent), negative);
            default:
                return withLead(f, between(f.minQuantum(), f.maxExponent), negative);
        }
    }
    // Interesting exponents for a result's leading bit: near 1, the overflow
    // boundary, the normal/subnormal boundary, the subnormal range and below
    // it (rounding to zero), or anywhere in range.
    int resultLead(const Format& f) {
        switch (pick(6)) {
            case 0:
                return between(-3, 3);
            case 1:
                return between(f.maxExponent - 1, f.maxExponent + 1);
            case 2:
                return between(f.minExponent - 2, f.minExponent + 1);
            case 3:
                return between(f.minQuantum() - 2, f.minExponent);
            default:
                return between(f.minQuantum(), f.maxExponent);
        }
    }
    // Splits a product exponent between two representable operands of the
    // given significands, if possible.
    std::optional<std::array<uint64_t, 2>> factors(const Format& f, uint64_t sa, uint64_t sb,
                                                   int productExponent) {
        const int lo =
            std::max(f.minQuantum(), productExponent - (f.maxExponent - (63 - std::countl_zero(sb))));
        const int hi =
            std::min(f.maxExponent - (63 - std::countl_zero(sa)), productExponent - f.minQuantum());
        if (lo > hi) return std::nullopt;
        const int ea = between(lo, hi);
        const auto a = make(f, coin(), sa, ea), b = make(f, coin(), sb, productExponent - ea);
        if (!a || !b) return std::nullopt;
        return std::array<uint64_t, 2>{*a, *b};
    }

private:
    std::mt19937_64 rng_;
};

// Operands for each operation; `fallback` covers the independent random case.
std::array<uint64_t, 3> addOperands(Operands& g, const Format& f) {
    const int p = f.precision;
    uint64_t a = g.value(f);
    if (f.isNaN(a) || f.isInf(a) || f.isZero(a) || g.pick(4) == 0) return {a, g.value(f), 0};
    const int q = quantumOf(f, a);
    const bool negative = g.coin();
    std::optional<uint64_t> b;
    switch (g.pick(4)) {
        case 0: {  // b's last bit half a unit of a's last bit: an exact tie unless the sum changes binade
            const int n = g.between(1, p);
            b = make(f, negative, g.oddSignificand(n), q - 1);
            break;
        }
        case 1: {  // a near tie: the same, plus or minus a little further down
            const int n = g.between(1, p - 2), k = g.between(1, p - n);
            b = make(f, negative, (g.oddSignificand(n) << k) + (g.coin() ? 1 : -1), q - 1 - k);
            break;
        }
        case 2:  // a far smaller b: only its sticky contribution is left
            b = g.withLead(f, leadOf(f, a) - g.between(p + 1, 4 * p), negative);
            break;
        default:  // similar magnitudes: carries into the next binade and cancellation
            b = g.withLead(f, leadOf(f, a) + g.between(-2, 1), negative);
            break;
    }
    return {a, b.value_or(g.value(f)), 0};
}

std::array<uint64_t, 3> mulOperands(Operands& g, const Format& f) {
    const int p = f.precision;
    uint64_t sa, sb;
    int lead = g.resultLead(f);
    switch (g.pick(4)) {
        case 0:
            return {g.value(f), g.value(f), 0};
        case 1: {  // an exact tie (p + 1 significant bits, odd) or near tie (p + 2) in the product
            const int n1 = g.between(2, p), n2 = std::min(p, g.between(p + 1, p + 2) + 1 - n1);
            sa = g.oddSignificand(n1);
            sb = g.oddSignificand(std::max(n2, 1));
            break;
        }
        case 2: {  // (2^m - 1)(2^m + 1 + d): just below (or at, or above) a power of two, placed
                   // below 2^minExponent (tiny only before rounding) or below 2^(maxExponent+1)
            const int m = g.between((p + 3) / 2, p - 1);
            sa = (1ull << m) - 1;
            sb = (1ull << m) + 1 + g.between(-1, 1);
            lead = g.coin() ? f.minExponent - 1 : f.maxExponent;
            break;
        }
        default:
            sa = g.significand(p);
            sb = g.significand(p);
            break;
    }
    const int productTop = 63 - std::countl_zero(sa) + 63 - std::countl_zero(sb);
    auto ops = g.factors(f, sa, sb, lead - productTop);
    return ops ? std::array<uint64_t, 3>{(*ops)[0], (*ops)[1], 0}
               : std::array<uint64_t, 3>{g.value(f), g.value(f), 0};
}

std::array<uint64_t, 3> divOperands(Operands& g, const Format& f) {
    const int p = f.precision;
    if (g.pick(3) == 0) return {g.value(f), g.value(f), 0};
    if (g.coin()) {  // independent operands with a chosen quotient exponent
        const uint64_t b = g.withLead(f, g.between(f.minQuantum(), f.maxExponent), g.coin());
        const uint64_t a = g.withLead(f, g.resultLead(f) + leadOf(f, b) + g.between(-1, 0), g.coin());
        return {a, b, 0};
    }
    // a = q * b exactly, with the quotient q = P * 2^E odd and small, so that
    // around the subnormal range q is a tie or near tie at the rounding position.
    const int n = g.between(1, p - 1);
    const uint64_t P = g.oddSignificand(n), sb = g.oddSignificand(g.between(1, p - n));
    const int E = g.coin() ? f.minQuantum() - 1 + g.between(-1, 1) : g.resultLead(f) - (n - 1);
    const int lowest = std::max(f.minQuantum(), f.minQuantum() - E), highest = f.maxExponent - p;
    if (lowest > highest) return {g.value(f), g.value(f), 0};
    const int eb = g.between(lowest, highest);
    const auto a = make(f, g.coin(), P * sb, E + eb), b = make(f, g.coin(), sb, eb);
    if (!a || !b) return {g.value(f), g.value(f), 0};
    return {*a, *b, 0};
}

std::array<uint64_t, 3> sqrtOperands(Operands& g, const Format& f) {
    const int p = f.precision;
    if (g.pick(3) == 0) return {g.value(f), 0, 0};
    // Near the midpoint m of two p-bit numbers: a = m^2 cut to p bits, and neighbours.
    const unsigned __int128 m = (static_cast<unsigned __int128>(g.significand(p)) << 1) | 1;
    const unsigned __int128 square = m * m;  // at most 2p + 2 bits
    const auto high = static_cast<uint64_t>(square >> 64);
    const int top =
        high ? 127 - std::countl_zero(high) : 63 - std::countl_zero(static_cast<uint64_t>(square));
    const int shift = top - (p - 1);
    const uint64_t s = static_cast<uint64_t>(square >> shift) + g.between(-1, 1);
    const int e = 2 * g.between((f.minQuantum() - shift) / 2 + 1, (f.maxExponent - top) / 2 - 1);
    return {make(f, g.pick(8) == 0, s, shift + e).value_or(g.value(f)), 0, 0};
}

std::array<uint64_t, 3> fmaOperands(Operands& g, const Format& f) {
    const int p = f.precision;
    switch (g.pick(7)) {
        case 0:
            return {g.value(f), g.value(f), g.value(f)};
        case 1: {  // the addend's last bit just above the product's odd last bit: an exact tie
            const int n1 = g.between(1, p / 2), n2 = g.between(1, p / 2);
            const uint64_t sa = g.oddSignificand(n1), sb = g.oddSignificand(n2);
            const int E = g.resultLead(f) - p;
            auto ab = g.factors(f, sa, sb, E);
            const auto c = make(f, g.coin(), g.significand(p), E + 1);
            if (ab && c) return {(*ab)[0], (*ab)[1], *c};
            break;
        }
        case 2: {  // a product that is a tie, plus an addend far below it: the double-rounding trap
            const int n1 = g.between(2, p);
            const uint64_t sa = g.oddSignificand(n1), sb = g.oddSignificand(std::max(1, p + 2 - n1));
            const int productTop = 63 - std::countl_zero(sa) + 63 - std::countl_zero(sb);
            auto ab = g.factors(f, sa, sb, g.resultLead(f) - productTop);
            if (!ab) break;
            const int productLead = leadOf(f, (*ab)[0]) + leadOf(f, (*ab)[1]);
            const uint64_t c = g.withLead(f, productLead - g.between(p + 2, 6 * p), g.coin());
            return {(*ab)[0], (*ab)[1], f.isZero(c) ? uint64_t{1} | (g.coin() ? f.signBit() : 0) : c};
        }
        case 3: {  // tiny products and addends: ties and boundaries in the subnormal range
            const uint64_t sa = g.oddSignificand(g.between(1, p / 2)),
                           sb = g.oddSignificand(g.between(1, p / 2));
            auto ab = g.factors(f, sa, sb, f.minQuantum() - 1 + g.between(-2, 1));
            if (!ab) break;
            const uint64_t c = g.coin()
                                   ? g.withLead(f, g.between(f.minQuantum(), f.minExponent + 1), g.coin())
                                   : (g.coin() ? f.signBit() : 0);
            return {(*ab)[0], (*ab)[1], c};
        }
        case 4: {  // a product close to -c: cancellation, and c at the extremes (±MAX, ±2^minExponent)
            auto ops = mulOperands(g, f);
            const uint64_t c = g.coin() ? g.withLead(f,
                                                     leadOf(f, ops[0] & ~f.signBit()) +
                                                         leadOf(f, ops[1] & ~f.signBit()) + g.between(-2, 2),
                                                     g.coin())
                                        : (g.coin() ? f.maxFinite(g.coin())
                                                    : (f.fracMask() + 1) | (g.coin() ? f.signBit() : 0));
            if (!f.isZero(ops[0]) && !f.isZero(ops[1]) && !f.isNaN(ops[0]) && !f.isNaN(ops[1]) &&
                !f.isInf(ops[0]) && !f.isInf(ops[1]))
                return {ops[0], ops[1], c};
            return {ops[0], ops[1], g.value(f)};
        }
        case 5: {  // ±2^minExponent or ±MAX plus a small product of either sign: the boundaries
                   // where tininess and overflow are decided after rounding
            const bool negative = g.coin();
            const bool atMinimum = g.coin();
            const uint64_t c =
                atMinimum ? (f.fracMask() + 1) | (negative ? f.signBit() : 0) : f.maxFinite(negative);
            const int cLead = atMinimum ? f.minExponent : f.maxExponent;
            // Half a unit of c exactly (a tie) or a product of random significands near it.
            const bool half = g.coin();
            const uint64_t sa = half ? 1 : g.significand(g.between(1, p)),
                           sb = half ? 1 : g.significand(g.between(1, p));
            const int productTop = 63 - std::countl_zero(sa) + 63 - std::countl_zero(sb);
            auto ab = g.factors(f, sa, sb, cLead - (half ? p : g.between(p - 1, p + 8)) - productTop);
            if (ab) return {(*ab)[0], (*ab)[1], c};
            break;
        }
        default: {  // zero addend: the product alone is rounded
            auto ops = mulOperands(g, f);
            return {ops[0], ops[1], g.coin() ? f.signBit() : 0};
        }
    }
    return {g.value(f), g.value(f), g.value(f)};
}

uint64_t toIntegerOperand(Operands& g, const Format& f) {
    if (g.pick(4) == 0) return g.value(f);
    // Integers, halves and quarters near zero and near each range boundary, or any magnitude below 2^65.
    static constexpr int kBoundaries[] = {0, 31, 32, 63, 64};
    const int lead = g.coin() ? kBoundaries[g.pick(5)] + g.between(-1, 0) : g.between(-3, 65);
    const int fractionBits = g.between(0, 3);
    const int n = std::clamp(lead + fractionBits + 1, 1, f.precision);
    uint64_t s = g.significand(n);
    if (g.pick(4) == 0) s = (s | 1) + (g.coin() ? 0 : 1);  // exact halves, then neighbours
    return make(f, g.pick(3) == 0, s, lead - (n - 1)).value_or(g.value(f));
}

uint64_t fromIntegerOperand(Operands& g) {
    switch (g.pick(5)) {
        case 0:
            return g.bits();
        case 1: {  // a tie or near tie for the precision (n = 25 or 54 significant bits, odd) and shifted
            const int n = g.coin() ? g.between(24, 27) : g.between(53, 56);
            return (g.oddSignificand(n) + g.between(-1, 1)) << g.between(0, 64 - n);
        }
        case 2: {
            static constexpr uint64_t kEdges[] = {0,
                                                  1,
                                                  ~0ull,
                                                  1ull << 63,
                                                  (1ull << 63) - 1,
                                                  0x80000000ull,
                                                  0x7fffffffull,
                                                  0xffffffffull,
                                                  0xffffffff80000000ull};
            return kEdges[g.pick(9)];
        }
        default: {
            const int n = g.between(1, 64);
            // garbage above bit 31 is ignored by W/WU (none fits above a 64-bit significand)
            return g.significand(n) | (n < 64 && g.coin() ? g.bits() << n : 0);
        }
    }
}

uint64_t narrowOperand(Operands& g) {
    if (g.pick(4) == 0) return g.value(kDouble);
    if (g.pick(5) == 0) {  // just below 2^minExponent or 2^(maxExponent+1) of a single
        const double power = std::ldexp(1.0, g.coin() ? kSingle.minExponent : kSingle.maxExponent + 1);
        const double below = power - std::ldexp(power, -g.between(kSingle.precision - 2, kDouble.precision));
        return std::bit_cast<uint64_t>(g.coin() ? -below : below);
    }
    // A single (any range, subnormals included) plus a fraction of its unit: half (a tie), or near half.
    const uint64_t r = g.value(kSingle);
    if (kSingle.isNaN(r) || kSingle.isInf(r)) return g.value(kDouble);
    const double base = std::bit_cast<float>(static_cast<uint32_t>(r));
    const int q = kSingle.isZero(r) ? kSingle.minQuantum() : quantumOf(kSingle, r);
    const int k = g.between(1, 29);
    const double offset = std::ldexp(static_cast<double>((1ull << k) + g.between(-1, 1)), q - 1 - k);
    return std::bit_cast<uint64_t>(base + (std::signbit(base) ? -offset : offset));
}

// ---- The interpreter under test: one hart, each instruction word placed once ----
class Interpreter {
public:
    Interpreter() { machine_.s().mstatus |= 1ull << 13; }  // FS = Initial

    struct Result {
        uint64_t f, x;
        uint8_t flags;
        bool completed;
    };
    Result run(uint32_t insn, unsigned frm, const std::array<uint64_t, 3>& f, uint64_t x = 0) {
        const auto [it, placed] = addresses_.try_emplace(insn, next_);
        if (placed) {
            machine_.load({insn}, next_);
            next_ += 8;
        }
        HartState& s = machine_.s();
        s.pc = it->second;
        s.frm = frm;
        s.fflags = 0;
        s.f[fa1] = f[0];
        s.f[fa2] = f[1];
        s.f[fa3] = f[2];
        s.x[a1] = x;
        machine_.hart.run(1);
        return {s.f[fa0], s.x[a0], s.fflags, s.pc == it->second + 4};
    }

private:
    TestMachine machine_;
    std::unordered_map<uint32_t, uint64_t> addresses_;
    uint64_t next_ = kRamBase;
};

// Runs `cases` per rounding mode (half with a static rm, half with rm = DYN
// and frm set) and compares with the oracle; records the first mismatches.
// Runs kCasesPerMode cases per rounding mode (half with a static rm, half
// with rm = DYN and frm set), compares each with the oracle, records the first
// mismatches, and checks that the operands reached the hard cases `required`
// (Trait bits) at least kMinimumHardCases times: a generator that stopped
// producing them would otherwise leave the test passing without testing.
constexpr int kMinimumHardCases = 25;

class Checker {
public:
    template <typename MakeCase>
    void check(const QString& name, uint8_t required, MakeCase makeCase) {
        int traitCounts[kTraitCount] = {};
        for (unsigned mode = RNE; mode <= RMM; ++mode) {
            for (int i = 0; i < kCasesPerMode; ++i) {
                const bool dynamic = i & 1;
                const auto [insn, f, x, expected, isInteger] =
                    makeCase(static_cast<Mode>(mode), dynamic ? kDynamic : mode);
                for (int t = 0; t < kTraitCount; ++t) traitCounts[t] += (expected.traits >> t) & 1;
                const Interpreter::Result got = interpreter_.run(insn, mode, f, x);
                const uint64_t actual = isInteger ? got.x : got.f;
                if (got.completed && actual == expected.bits && got.flags == expected.flags) continue;
                if (++failures_ <= 12)
                    report_ +=
                        QStringLiteral(
                            "\n  %1 %2%3 operands %4 %5 %6 x=%7: expected %8 flags %9, got %10 flags %11%12")
                            .arg(name, kModeNames[mode], dynamic ? "(dyn)" : "")
                            .arg(f[0], 16, 16, QChar('0'))
                            .arg(f[1], 16, 16, QChar('0'))
                            .arg(f[2], 16, 16, QChar('0'))
                            .arg(x, 16, 16, QChar('0'))
                            .arg(expected.bits, 16, 16, QChar('0'))
                            .arg(expected.flags, 2, 16, QChar('0'))
                            .arg(actual, 16, 16, QChar('0'))
                            .arg(got.flags, 2, 16, QChar('0'))
                            .arg(got.completed ? "" : " (trapped)");
            }
        }
        QString counts;
        for (int t = 0; t < kTraitCount; ++t) {
            counts += QStringLiteral(", %1 %2").arg(traitCounts[t]).arg(kTraitNames[t]);
            if ((required >> t & 1) && traitCounts[t] < kMinimumHardCases)
                coverage_ += QStringLiteral("\n  %1: %2 %3, fewer than %4")
                                 .arg(name)
                                 .arg(traitCounts[t])
                                 .arg(kTraitNames[t])
                                 .arg(kMinimumHardCases);
        }
        qInfo("%s: %d cases checked against MPFR%s", qPrintable(name), 5 * kCasesPerMode, qPrintable(counts));
    }
    void verify() const {
        QVERIFY2(failures_ == 0, qPrintable(QStringLiteral("%1 mismatches:%2").arg(failures_).arg(report_)));
        QVERIFY2(coverage_.isEmpty(),
                 qPrintable(QStringLiteral("operands miss hard cases:%1").arg(coverage_)));
    }

private:
    Interpreter interpreter_;
    int failures_ = 0;
    QString report_, coverage_;
};

struct Case {
    uint32_t insn;
    std::array<uint64_t, 3> f;
    uint64_t x;
    Expected expected;
    bool integerResult;
};

uint32_t opFp(uint32_t funct7, unsigned rs2, unsigned rm, unsigned rd = fa0, unsigned rs1 = fa1) {
    return enc::r(op::OpFp, rd, rm, rs1, rs2, funct7);
}

}  // namespace

class RiscvFpuOracleTest : public QObject {
    Q_OBJECT
private slots:
    void addSubtractMultiplyDivideAndSquareRoot() {
        Checker checker;
        Operands g(0x5eed0001);
        struct Binary {
            const char* name;
            Arith kind;
            uint32_t funct7;
            std::array<uint64_t, 3> (*operands)(Operands&, const Format&);
            uint8_t required;
        };
        // Sums are exact in the subnormal range, so they never underflow; a quotient can be a tie only
        // when it is subnormal and never lies within half a unit below a power of two; a square root is
        // never a tie and never tiny (see fpu.cpp).
        const Binary ops[] = {{"fadd", Arith::Add, 0x00, addOperands, kTie | kOverflowTie | kOverflow},
                              {"fsub", Arith::Sub, 0x04, addOperands, kTie | kOverflowTie | kOverflow},
                              {"fmul", Arith::Mul, 0x08, mulOperands, kEveryTrait},
                              {"fdiv", Arith::Div, 0x0c, divOperands, kSubnormalTie | kUnderflow | kOverflow},
                              {"fsqrt", Arith::Sqrt, 0x2c, sqrtOperands, 0}};
        for (const Binary& o : ops) {
            for (const Format* f : {&kSingle, &kDouble}) {
                checker.check(QStringLiteral("%1.%2").arg(o.name, f->isDouble ? "d" : "s"), o.required,
                              [&](Mode mode, unsigned rm) {
                                  const auto in = o.operands(g, *f);
                                  const unsigned rs2 = o.kind == Arith::Sqrt ? 0 : fa2;
                                  const Expected e = oracleArith(o.kind, *f, mode, in);
                                  return Case{opFp(o.funct7 | f->isDouble, rs2, rm),
                                              {f->reg(in[0]), f->reg(in[1]), 0},
                                              0,
                                              {f->reg(e.bits), e.flags, e.traits},
                                              false};
                              });
            }
        }
        checker.verify();
    }

    void fusedMultiplyAdd() {
        Checker checker;
        Operands g(0x5eed0002);
        struct Fused {
            const char* name;
            Arith kind;
            uint32_t opcode;
        };
        const Fused ops[] = {{"fmadd", Arith::Madd, op::Madd},
                             {"fmsub", Arith::Msub, op::Msub},
                             {"fnmsub", Arith::Nmsub, op::Nmsub},
                             {"fnmadd", Arith::Nmadd, op::Nmadd}};
        for (const Fused& o : ops) {
            for (const Format* f : {&kSingle, &kDouble}) {
                checker.check(QStringLiteral("%1.%2").arg(o.name, f->isDouble ? "d" : "s"), kEveryTrait,
                              [&](Mode mode, unsigned rm) {
                                  const auto in = fmaOperands(g, *f);
                                  const Expected e = oracleArith(o.kind, *f, mode, in);
                                  return Case{enc::r4(o.opcode, fa0, rm, fa1, fa2, fa3, f->isDouble),
                                              {f->reg(in[0]), f->reg(in[1]), f->reg(in[2])},
                                              0,
                                              {f->reg(e.bits), e.flags, e.traits},
                                              false};
                              });
            }
        }
        checker.verify();
    }

    void floatToInteger() {
        Checker checker;
        Operands g(0x5eed0003);
        static constexpr const char* kNames[] = {"w", "wu", "l", "lu"};
        for (unsigned type = 0; type < 4; ++type) {
            for (const Format* f : {&kSingle, &kDouble}) {
                checker.check(QStringLiteral("fcvt.%1.%2").arg(kNames[type], f->isDouble ? "d" : "s"), kTie,
                              [&](Mode mode, unsigned rm) {
                                  const uint64_t in = toIntegerOperand(g, *f);
                                  return Case{opFp(0x60 | f->isDouble, type, rm, a0),
                                              {f->reg(in), 0, 0},
                                              0,
                                              oracleToInteger(*f, mode, kIntegerTypes[type], in),
                                              true};
                              });
            }
        }
        checker.verify();
    }

    void integerToFloat() {
        Checker checker;
        Operands g(0x5eed0004);
        static constexpr const char* kNames[] = {"w", "wu", "l", "lu"};
        for (unsigned type = 0; type < 4; ++type) {
            for (const Format* f : {&kSingle, &kDouble}) {
                const bool exactInDouble =
                    f->isDouble && kIntegerTypes[type].bits == 32;  // no rounding at all
                checker.check(QStringLiteral("fcvt.%1.%2").arg(f->isDouble ? "d" : "s", kNames[type]),
                              exactInDouble ? 0 : kTie, [&](Mode mode, unsigned rm) {
                                  const uint64_t x = fromIntegerOperand(g);
                                  const Expected e = oracleFromInteger(*f, mode, kIntegerTypes[type], x);
                                  return Case{opFp(0x68 | f->isDouble, type, rm, fa0, a1),
                                              {0, 0, 0},
                                              x,
                                              {f->reg(e.bits), e.flags, e.traits},
                                              false};
                              });
            }
        }
        checker.verify();
    }

    void singleDoubleConversions() {
        Checker checker;
        Operands g(0x5eed0005);
        checker.check(QStringLiteral("fcvt.s.d"), kEveryTrait, [&](Mode mode, unsigned rm) {
            const uint64_t in = narrowOperand(g);
            const Expected e = oracleConvert(kDouble, kSingle, mode, in);
            return Case{opFp(0x20, 1, rm), {in, 0, 0}, 0, {kSingle.reg(e.bits), e.flags, e.traits}, false};
        });
        checker.check(QStringLiteral("fcvt.d.s"), 0, [&](Mode mode, unsigned rm) {
            const uint64_t in = g.value(kSingle);
            return Case{opFp(0x21, 0, rm),
                        {kSingle.reg(in), 0, 0},
                        0,
                        oracleConvert(kSingle, kDouble, mode, in),
                        false};
        });
        checker.verify();
    }
};

QTEST_APPLESS_MAIN(RiscvFpuOracleTest)
#include "riscv_fpu_oracle_test.moc"
