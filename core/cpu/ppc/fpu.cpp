#include "core/cpu/ppc/fpu.h"

#include <bit>
#include <cmath>
#include <cstring>

namespace tessera::ppc::fpu {

namespace {

constexpr uint64_t kSign = 0x8000000000000000ull;
constexpr uint64_t kExp = 0x7ff0000000000000ull;
constexpr uint64_t kFrac = 0x000fffffffffffffull;
constexpr uint64_t kQuiet = 0x0008000000000000ull;

bool isNaN(uint64_t v) {
    return (v & kExp) == kExp && (v & kFrac) != 0;
}
bool isSNaN(uint64_t v) {
    return isNaN(v) && !(v & kQuiet);
}
bool isInf(uint64_t v) {
    return (v & ~kSign) == kExp;
}
bool isZero(uint64_t v) {
    return (v & ~kSign) == 0;
}
double asDouble(uint64_t v) {
    return std::bit_cast<double>(v);
}
uint64_t asBits(double d) {
    return std::bit_cast<uint64_t>(d);
}

// ---- Host MXCSR ----
constexpr uint32_t kDefaultMxcsr = 0x1f80;  // all exceptions masked, nearest, flags clear
void setMxcsr(uint32_t value) {
    asm volatile("ldmxcsr %0" : : "m"(value));
}
uint32_t getMxcsr() {
    uint32_t value;
    asm volatile("stmxcsr %0" : "=m"(value));
    return value;
}
template <typename T>
void opaque(T& value) {
    asm volatile("" : "+m"(value));
}
// FPSCR[RN]: 0 nearest, 1 toward zero, 2 toward +inf, 3 toward -inf; MXCSR
// RC: 0 nearest, 1 down, 2 up, 3 toward zero.
uint32_t mxcsrFor(unsigned rn) {
    static constexpr uint32_t rc[4] = {0, 3, 2, 1};
    return kDefaultMxcsr | (rc[rn & 3] << 13);
}
enum HostFlag : uint32_t { IE = 1, ZE = 4, OE = 8, UE = 16, PE = 32 };

template <typename F>
double onHost(unsigned rn, uint32_t& flags, F op) {
    setMxcsr(mxcsrFor(rn));
    double r = op();
    opaque(r);
    flags = getMxcsr() & 0x3f;
    setMxcsr(kDefaultMxcsr);
    return r;
}

// FPRF of a result (Book I table 4-6).
uint32_t resultClass(uint64_t v) {
    const bool neg = v & kSign;
    if (isNaN(v)) return 0x11000;
    if (isInf(v)) return neg ? 0x09000 : 0x05000;
    if (isZero(v)) return neg ? 0x12000 : 0x02000;
    if ((v & kExp) == 0) return neg ? 0x18000 : 0x14000;
    return neg ? 0x08000 : 0x04000;
}

// A NaN result keeps the operand's payload, quieted; in single precision the
// fraction is cut to 23 bits.
uint64_t quietNaN(uint64_t v, bool single) {
    v |= kQuiet;
    if (single) v &= ~0x1fffffffull;
    return v;
}

double roundToSingle(double d) {
    return static_cast<double>(static_cast<float>(d));
}

Outcome finish(CpuState& s, uint64_t value, uint32_t hostFlags, uint32_t invalidCause) {
    Outcome out;
    s.fpscr &= ~(fpscr::FR | fpscr::FI);
    if (invalidCause) {
        setExceptionBits(s, invalidCause);
        value = kDefaultNaN;
        if (s.fpscr & fpscr::VE) {
            out.write = false;
            out.enabledException = true;
            updateSummaryBits(s);
            return out;
        }
    } else if (hostFlags & ZE) {
        setExceptionBits(s, fpscr::ZX);
        if (s.fpscr & fpscr::ZE) {
            out.write = false;
            out.enabledException = true;
            updateSummaryBits(s);
            return out;
        }
    } else {
        uint32_t bits = 0;
        if (hostFlags & OE) bits |= fpscr::OX | fpscr::XX;  // an overflow is inexact too
        if (hostFlags & UE) bits |= fpscr::UX;
        if (hostFlags & (PE | OE)) {
            bits |= fpscr::XX;
            s.fpscr |= fpscr::FI;
        }
        setExceptionBits(s, bits);
    }
    s.fpscr = (s.fpscr & ~fpscr::FPRF) | resultClass(value);
    updateSummaryBits(s);
    out.value = value;
    out.enabledException = (s.fpscr & fpscr::FEX) != 0;
    return out;
}

// Which invalid-operation cause the host's IE flag stands for (NaN operands
// never reach the host).
uint32_t invalidCause(Op op, uint64_t a, uint64_t b, uint64_t c) {
    switch (op) {
        case Op::Add:
        case Op::Sub:
            return fpscr::VXISI;
        case Op::Mul:
            return fpscr::VXIMZ;
        case Op::Div:
            return (isZero(a) && isZero(b)) ? fpscr::VXZDZ : fpscr::VXIDI;
        case Op::MulAdd:
        case Op::MulSub:
            return ((isZero(a) && isInf(c)) || (isInf(a) && isZero(c))) ? fpscr::VXIMZ : fpscr::VXISI;
        case Op::ReciprocalSqrt:
            return fpscr::VXSQRT;
        default:
            return fpscr::VXSOFT;
    }
}

}  // namespace

void setExceptionBits(CpuState& s, uint32_t bits) {
    if (bits & ~s.fpscr) s.fpscr |= fpscr::FX;
    s.fpscr |= bits;
    updateSummaryBits(s);
}

void updateSummaryBits(CpuState& s) {
    uint32_t f = s.fpscr & ~(fpscr::VX | fpscr::FEX);
    if (f & fpscr::kVxAll) f |= fpscr::VX;
    // VX, OX, UX, ZX, XX are bits 2-6, their enables VE..XE bits 24-28.
    if (((f >> 22) & f & 0xf8) != 0) f |= fpscr::FEX;
    s.fpscr = f;
}

uint64_t singleToDouble(uint32_t w) {
    const uint64_t sign = uint64_t{w >> 31} << 63;
    const uint32_t exp = (w >> 23) & 0xff;
    const uint64_t frac = w & 0x7fffff;
    if (exp == 0xff) return sign | kExp | (frac << 29);
    if (exp != 0) return sign | (uint64_t{exp - 127 + 1023} << 52) | (frac << 29);
    if (frac == 0) return sign;
    // Denormal single: normalise into the double's wider exponent range.
    const int shift = std::countl_zero(static_cast<uint32_t>(frac)) - 8;  // to bring the top bit to bit 23
    const uint64_t mant = (frac << shift) & 0x7fffff;
    return sign | (uint64_t(1023 - 126 - shift) << 52) | (mant << 29);
}

// Book I 4.6.3 "Floating-Point Store Instructions": no rounding; exponents
// too small for a single denormal give an undefined result (zero here, as QEMU).
uint32_t doubleToSingle(uint64_t d) {
    const unsigned exp = (d >> 52) & 0x7ff;
    if (exp > 896) return static_cast<uint32_t>(((d >> 62) << 30) | ((d >> 29) & 0x3fffffff));
    uint32_t r = static_cast<uint32_t>(d >> 63) << 31;
    if (exp >= 874) r |= static_cast<uint32_t>(((uint64_t{1} << 52) | (d & kFrac)) >> (896 + 30 - exp));
    return r;
}

Outcome arithmetic(CpuState& s, Op op, uint64_t a, uint64_t b, uint64_t c, bool single, bool negate) {
    // Operands in the architected NaN order: frA, frB, frC (Book I 4.3.2).
    const uint64_t ordered[3] = {a, b, c};
    unsigned count = 3;
    if (op == Op::Add || op == Op::Sub || op == Op::Div) count = 2;
    const uint64_t* ops = ordered;
    uint64_t mulOps[2] = {a, c};
    if (op == Op::Mul) ops = mulOps, count = 2;
    uint64_t unary[1] = {b};
    if (op == Op::Reciprocal || op == Op::ReciprocalSqrt || op == Op::RoundToSingle) ops = unary, count = 1;

    bool snan = false;
    const uint64_t* firstNaN = nullptr;
    for (unsigned i = 0; i < count; ++i) {
        snan |= isSNaN(ops[i]);
        if (!firstNaN && isNaN(ops[i])) firstNaN = &ops[i];
    }
    if (firstNaN) {
        s.fpscr &= ~(fpscr::FR | fpscr::FI);
        // 0 x infinity is invalid even when the addend is a NaN (QEMU's
        // softfloat signals it; IEEE 754 leaves it to the implementation).
        const bool infTimesZero =
            (op == Op::MulAdd || op == Op::MulSub) && ((isZero(a) && isInf(c)) || (isInf(a) && isZero(c)));
        const uint32_t invalid = (snan ? fpscr::VXSNAN : 0) | (infTimesZero ? fpscr::VXIMZ : 0);
        if (invalid) {
            setExceptionBits(s, invalid);
            if (s.fpscr & fpscr::VE) return {0, false, true};
        }
        const uint64_t v = quietNaN(*firstNaN, single);
        s.fpscr = (s.fpscr & ~fpscr::FPRF) | resultClass(v);
        return {v, true, (s.fpscr & fpscr::FEX) != 0};
    }

    const double da = asDouble(a), db = asDouble(b), dc = asDouble(c);
    const unsigned rn = s.fpscr & fpscr::RN;
    uint32_t flags = 0;
    // The operation under rounding mode `mode`, its host flags in `fl`.
    auto compute = [&](unsigned mode, uint32_t& fl) {
        double r = 0;
        switch (op) {
            case Op::Add:
                r = onHost(mode, fl, [&] {
                    double x = da, y = db;
                    opaque(x);
                    opaque(y);
                    double v = x + y;
                    return single ? roundToSingle(v) : v;
                });
                break;
            case Op::Sub:
                r = onHost(mode, fl, [&] {
                    double x = da, y = db;
                    opaque(x);
                    opaque(y);
                    double v = x - y;
                    return single ? roundToSingle(v) : v;
                });
                break;
            case Op::Mul:
                r = onHost(mode, fl, [&] {
                    double x = da, y = dc;
                    opaque(x);
                    opaque(y);
                    double v = x * y;
                    return single ? roundToSingle(v) : v;
                });
                break;
            case Op::Div:
                r = onHost(mode, fl, [&] {
                    double x = da, y = db;
                    opaque(x);
                    opaque(y);
                    double v = x / y;
                    return single ? roundToSingle(v) : v;
                });
                break;
            // fnmadd/fnmsub negate the exact result before it is rounded (as
            // QEMU does; it shows under the directed rounding modes).
            case Op::MulAdd:
                r = onHost(mode, fl, [&] {
                    double v = negate ? std::fma(-da, dc, -db) : std::fma(da, dc, db);
                    opaque(v);
                    return single ? roundToSingle(v) : v;
                });
                break;
            case Op::MulSub:
                r = onHost(mode, fl, [&] {
                    double v = negate ? std::fma(-da, dc, db) : std::fma(da, dc, -db);
                    opaque(v);
                    return single ? roundToSingle(v) : v;
                });
                break;
            case Op::Reciprocal:
                r = onHost(mode, fl, [&] {
                    double y = db;
                    opaque(y);
                    return roundToSingle(1.0 / y);
                });
                break;
            case Op::ReciprocalSqrt:
                if ((b & kSign) && !isZero(b)) {
                    fl = IE;
                } else if (isZero(b)) {
                    r = asDouble((b & kSign) | kExp);
                    fl = ZE;
                } else {
                    r = onHost(mode, fl, [&] {
                        double y = db;
                        opaque(y);
                        double q = std::sqrt(y);
                        opaque(q);
                        return 1.0 / q;
                    });
                }
                break;
            case Op::RoundToSingle:
                r = onHost(mode, fl, [&] {
                    double y = db;
                    opaque(y);
                    return roundToSingle(y);
                });
                break;
        }
        return r;
    };
    double r = compute(rn, flags);
    // PowerPC detects tininess before rounding (QEMU: float_tininess_before_rounding),
    // SSE after: an inexact result of exactly the smallest normal magnitude was
    // tiny if rounding toward zero leaves it below that.
    const double smallestNormal = single ? 0x1p-126 : 0x1p-1022;
    // A single-precision result in the single denormal range is tiny even
    // when only the double step was inexact (that step hid the underflow).
    if (single && (flags & PE) && std::fabs(r) < smallestNormal) flags |= UE;
    if ((flags & PE) && !(flags & UE) && std::fabs(r) == smallestNormal) {
        uint32_t ignored = 0;
        if (std::fabs(compute(1, ignored)) < smallestNormal) flags |= UE;
    }
    if (op == Op::Reciprocal && isZero(b)) r = asDouble((b & kSign) | kExp);
    // An exact zero takes its sign from the un-negated sum, then flips (QEMU:
    // softfloat decides the zero's sign before the negation).
    if (negate && r == 0 && !(flags & (PE | UE))) {
        uint32_t ignored = 0;
        const double sum = onHost(rn, ignored, [&] {
            double v = std::fma(da, dc, op == Op::MulAdd ? db : -db);
            opaque(v);
            return v;
        });
        r = -sum;
    }
    const uint32_t cause = (flags & IE) ? invalidCause(op, a, b, c) : 0;
    return finish(s, asBits(r), flags, cause);
}

Outcome toInt32(CpuState& s, uint64_t b, bool towardZero) {
    s.fpscr &= ~(fpscr::FR | fpscr::FI);
    Outcome out;
    bool invalid = true;
    if (isNaN(b)) {
        setExceptionBits(s, fpscr::VXCVI | (isSNaN(b) ? fpscr::VXSNAN : 0));
        out.value = 0x80000000u;  // zero-extended, unlike the saturated results below (QEMU)
    } else {
        uint32_t flags = 0;
        const double rounded = onHost(towardZero ? 1 : (s.fpscr & fpscr::RN), flags, [&] {
            double y = asDouble(b);
            opaque(y);
            return std::nearbyint(y);
        });
        if (rounded > 2147483647.0) {
            setExceptionBits(s, fpscr::VXCVI);
            out.value = 0x7fffffffu;
        } else if (rounded < -2147483648.0) {
            setExceptionBits(s, fpscr::VXCVI);
            out.value = 0xffffffff80000000ull;
        } else {
            invalid = false;
            out.value = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(rounded)));
            if (rounded != asDouble(b)) {
                setExceptionBits(s, fpscr::XX);
                s.fpscr |= fpscr::FI;
            }
        }
    }
    // An invalid conversion classes the result as a quiet NaN (FPRF = C|FU,
    // as QEMU does; the architecture leaves FPRF undefined for fctiw).
    if (invalid) s.fpscr = (s.fpscr & ~fpscr::FPRF) | 0x11000u;
    if (invalid && (s.fpscr & fpscr::VE)) out.write = false;
    updateSummaryBits(s);
    out.enabledException = (s.fpscr & fpscr::FEX) != 0;
    return out;
}

uint32_t compare(CpuState& s, uint64_t a, uint64_t b, bool ordered) {
    s.fpscr &= ~(fpscr::FR | fpscr::FI);  // a compare is exact (QEMU clears FI too)
    uint32_t fpcc;
    if (isNaN(a) || isNaN(b)) {
        fpcc = 1;
        const bool snan = isSNaN(a) || isSNaN(b);
        uint32_t bits = snan ? fpscr::VXSNAN : 0;
        // fcmpo: a QNaN, or an SNaN with invalid-operation disabled, is also VXVC.
        if (ordered && (!snan || !(s.fpscr & fpscr::VE))) bits |= fpscr::VXVC;
        if (bits) setExceptionBits(s, bits);
        if (bits & fpscr::VXVC) s.fpscr |= 0x10000u;  // FPRF = C|FU with FU below (QEMU)
    } else {
        const double x = asDouble(a), y = asDouble(b);
        fpcc = x < y ? 8 : x > y ? 4 : 2;
    }
    s.fpscr = (s.fpscr & ~0xf000u) | (fpcc << 12);
    return fpcc;
}

}  // namespace tessera::ppc::fpu
