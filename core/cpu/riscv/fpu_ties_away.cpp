#include "core/cpu/riscv/fpu_ties_away.h"

#include <algorithm>
#include <cassert>
#include <optional>
#include <utility>

#include "core/cpu/riscv/fpu.h"

// Why the results are exact: every operation first builds its infinitely
// precise result as an integer significand times a power of two (products of
// two significands have at most 106 bits, sums are aligned in 128 bits), or,
// where that cannot be exact (a quotient, a sum whose smaller term lies far
// below the larger), as a truncated significand plus a sticky bit that says
// whether anything nonzero was cut off. The truncation always happens at least
// p bits below the leading bit (p = 24 or 53), hence below every rounding
// position the format can use, so the significand and the sticky bit decide
// each rounding exactly: the bit below the rounding position says whether the
// discarded part is at least half a unit (RMM rounds those away from zero,
// ties included), the bits under it and the sticky bit whether the result is
// inexact at all. There is one rounding, at the end, as IEEE 754-2008 5.1
// requires of every operation including the fused multiply-add (5.4.1).

namespace tessera::riscv::fpu::tiesAway {
namespace {

using u128 = unsigned __int128;

// Binary interchange formats (IEEE 754-2008 3.3, table 3.5): precision p and
// the exponents of the smallest and largest normal binade.
template <typename T>
struct Format;
template <>
struct Format<float> {
    static constexpr int precision = 24, minExponent = -126, maxExponent = 127;
};
template <>
struct Format<double> {
    static constexpr int precision = 53, minExponent = -1022, maxExponent = 1023;
};

// A finite nonzero real number  (-1)^negative * (significand + f) * 2^exponent
// with 0 <= f < 1, where f > 0 exactly when `sticky` is set.
struct Unrounded {
    bool negative = false;
    int exponent = 0;
    u128 significand = 0;
    bool sticky = false;
};

// Index of the most significant set bit of a nonzero value.
int topBit(u128 v) {
    const auto high = static_cast<uint64_t>(v >> 64);
    return high ? 127 - __builtin_clzll(high) : 63 - __builtin_clzll(static_cast<uint64_t>(v));
}

template <typename T>
Unrounded unpack(T v) {
    using F = Format<T>;
    using B = Bits<T>;
    const auto bits = toBits(v);
    const int field = static_cast<int>((bits & B::expMask) >> (F::precision - 1));
    Unrounded u;
    u.negative = (bits & B::signBit) != 0;
    u.significand = (bits & B::fracMask) | (field ? B::fracMask + 1 : 0);  // hidden bit of normal numbers
    // Subnormals (field 0) share the exponent of the smallest normal binade.
    u.exponent = std::max(field, 1) - (1 - F::minExponent) - (F::precision - 1);
    return u;
}

// Moves the leading bit of the significand up to bit `index` (never down).
Unrounded withTopBitAt(Unrounded v, int index) {
    const int shift = index - topBit(v.significand);
    v.significand <<= shift;
    v.exponent -= shift;
    return v;
}

// Cuts v at bit `shift` (>= 1): the integer part above, the bit worth half a
// unit of it, and whether anything nonzero lies below that bit.
struct Cut {
    u128 kept;
    bool half;
    bool below;
};
Cut cutAt(u128 v, int shift, bool sticky) {
    assert(shift >= 1);
    if (shift > 128) return {0, false, v != 0 || sticky};
    const u128 halfBit = u128{1} << (shift - 1);
    return {shift == 128 ? 0 : v >> shift, (v & halfBit) != 0, (v & (halfBit - 1)) != 0 || sticky};
}

// Rounds x to T, ties away from zero, raising NX, UF and OF as RISC-V does.
template <typename T>
T round(HartState& s, const Unrounded& x) {
    using F = Format<T>;
    using B = Bits<T>;
    constexpr int p = F::precision;
    const auto sign = x.negative ? B::signBit : 0;
    const auto infinity = fromBits<T>(static_cast<typename B::U>(sign | B::expMask));
    const int lead = x.exponent + topBit(x.significand);  // 2^lead <= |x| < 2^(lead+1)
    if (lead > F::maxExponent) {
        s.fflags |= OF | NX;  // RMM overflows to infinity (IEEE 754-2008 7.4)
        return infinity;
    }
    // Weight of the result's last significand bit: p - 1 bits below the
    // leading one, but never below the subnormal spacing 2^(minExponent-p+1).
    const int quantum = std::max(lead, F::minExponent) - (p - 1);
    u128 kept;
    bool inexact = false;
    if (quantum <= x.exponent) {
        assert(!x.sticky);  // producers cut at least p bits below the leading bit
        kept = x.significand << (x.exponent - quantum);
    } else {
        const Cut cut = cutAt(x.significand, quantum - x.exponent, x.sticky);
        kept = cut.kept + cut.half;  // half a unit or more, ties included, goes away from zero
        inexact = cut.half || cut.below;
    }
    // kept <= 2^p. Biased exponent and significand are adjacent bit fields, so
    // one addition encodes normal and subnormal results alike, including the
    // carry of a rounding that reaches the next binade.
    const u128 encoded = (static_cast<u128>(quantum - (F::minExponent - (p - 1))) << (p - 1)) + kept;
    if (encoded >= B::expMask) {
        s.fflags |= OF | NX;
        return infinity;
    }
    if (inexact) {
        // Tininess after rounding (RISC-V F extension "Subnormal Arithmetic";
        // IEEE 754-2008 7.5): tiny when x rounded to p bits with an unbounded
        // exponent range is below 2^minExponent. Only a value in the binade just
        // below can round up out of it: its p leading bits are all ones and the
        // bit after them is set.
        bool tiny = lead < F::minExponent;
        const int unboundedShift = topBit(x.significand) - (p - 1);
        if (lead == F::minExponent - 1 && unboundedShift >= 1) {
            const Cut cut = cutAt(x.significand, unboundedShift, x.sticky);
            tiny = !(cut.half && cut.kept == (u128{1} << p) - 1);
        }
        s.fflags |= tiny ? (UF | NX) : NX;
    }
    return fromBits<T>(static_cast<typename B::U>(sign | static_cast<typename B::U>(encoded)));
}

Unrounded product(const Unrounded& a, const Unrounded& b) {
    return {a.negative != b.negative, a.exponent + b.exponent, a.significand * b.significand, false};
}

// x + y for exact x and y (at most 106 significant bits each). Returns nothing
// for an exact zero. The operand with the higher leading bit gets its leading
// bit at bit 125 (room for the carry); the other is aligned to it. Bits shifted
// out of the smaller one lie wholly below the larger one's lowest significand
// bit, so the result then keeps its leading bit at 124 or above and the cut is
// far below any rounding position.
std::optional<Unrounded> sum(Unrounded x, Unrounded y) {
    if (x.exponent + topBit(x.significand) < y.exponent + topBit(y.significand)) std::swap(x, y);
    x = withTopBitAt(x, 125);
    const int gap = y.exponent - x.exponent;
    u128 aligned = 0;
    bool sticky = false;
    if (gap >= 0) {
        aligned = y.significand << gap;  // y's leading bit is not above x's
    } else if (gap <= -128) {
        sticky = true;
    } else {
        aligned = y.significand >> -gap;
        sticky = (y.significand & ((u128{1} << -gap) - 1)) != 0;
    }
    Unrounded r{x.negative, x.exponent, 0, sticky};
    if (x.negative == y.negative) {
        r.significand = x.significand + aligned;
    } else if (sticky) {
        // x - (aligned + f) = (x - aligned - 1) + (1 - f), with 0 < 1 - f < 1.
        r.significand = x.significand - aligned - 1;
    } else if (aligned == x.significand) {
        return std::nullopt;
    } else if (aligned > x.significand) {  // equal leading bits, y larger
        r.negative = y.negative;
        r.significand = aligned - x.significand;
    } else {
        r.significand = x.significand - aligned;
    }
    return r;
}

// a / b: with a's significand at bits 116..0 and b's at 52..0 the integer
// quotient has 64 or 65 bits; a nonzero remainder is the sticky bit.
Unrounded quotient(Unrounded a, Unrounded b) {
    a = withTopBitAt(a, 116);
    b = withTopBitAt(b, 52);
    return {a.negative != b.negative, a.exponent - b.exponent, a.significand / b.significand,
            a.significand % b.significand != 0};
}

// IEEE 754-2008 6.3: an exact zero sum of operands of opposite sign is +0 in
// every rounding direction but roundTowardNegative.
template <typename T>
T roundSum(HartState& s, const Unrounded& x, const Unrounded& y) {
    const std::optional<Unrounded> r = sum(x, y);
    return r ? round<T>(s, *r) : T(0);
}

}  // namespace

template <typename T>
T add(HartState& s, T a, T b) {
    return roundSum<T>(s, unpack(a), unpack(b));
}
template <typename T>
T mul(HartState& s, T a, T b) {
    return round<T>(s, product(unpack(a), unpack(b)));
}
template <typename T>
T div(HartState& s, T a, T b) {
    return round<T>(s, quotient(unpack(a), unpack(b)));
}
template <typename T>
T fma(HartState& s, T a, T b, T c) {
    const Unrounded p = product(unpack(a), unpack(b));
    if ((toBits(c) & ~Bits<T>::signBit) == 0) return round<T>(s, p);  // a*b + ±0 = a*b, a*b nonzero
    return roundSum<T>(s, p, unpack(c));
}
template <typename T>
T fromInteger(HartState& s, bool negative, uint64_t magnitude) {
    return round<T>(s, Unrounded{negative, 0, magnitude, false});
}
float narrow(HartState& s, double a) {
    return round<float>(s, unpack(a));
}

#define TESSERA_TIES_AWAY_INSTANTIATE(T)    \
    template T add<T>(HartState&, T, T);    \
    template T mul<T>(HartState&, T, T);    \
    template T div<T>(HartState&, T, T);    \
    template T fma<T>(HartState&, T, T, T); \
    template T fromInteger<T>(HartState&, bool, uint64_t);
TESSERA_TIES_AWAY_INSTANTIATE(float)
TESSERA_TIES_AWAY_INSTANTIATE(double)
#undef TESSERA_TIES_AWAY_INSTANTIATE

}  // namespace tessera::riscv::fpu::tiesAway
