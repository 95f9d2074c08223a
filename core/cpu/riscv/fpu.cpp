#include "core/cpu/riscv/fpu.h"

#include "core/cpu/riscv/fpu_ties_away.h"

namespace tessera::riscv::fpu {
namespace {

// Finite and not zero, read from the bits so that no host flag can be raised.
template <typename T>
bool isFiniteNonZero(T v) {
    const auto magnitude = toBits(v) & ~Bits<T>::signBit;
    return magnitude != 0 && magnitude < Bits<T>::expMask;
}
template <typename T>
bool isFinite(T v) {
    return (toBits(v) & Bits<T>::expMask) != Bits<T>::expMask;
}
template <typename T>
T negate(T v) {
    return fromBits<T>(toBits(v) ^ Bits<T>::signBit);
}

bool hostHasFma() {
    static const bool has = __builtin_cpu_supports("fma");
    return has;
}

template <typename T>
T hostFma(T a, T b, T c) {
    if (hostHasFma()) {
        if constexpr (sizeof(T) == 8)
            asm("vfmadd231sd %2, %1, %0" : "+x"(c) : "x"(a), "x"(b));
        else
            asm("vfmadd231ss %2, %1, %0" : "+x"(c) : "x"(a), "x"(b));
        return c;
    }
    return std::fma(a, b, c);  // glibc's fma is correctly rounded in the current mode and raises the flags
}

template <typename T>
T hostSqrt(T a) {
    if constexpr (sizeof(T) == 8)
        asm("sqrtsd %1, %0" : "=x"(a) : "x"(a));
    else
        asm("sqrtss %1, %0" : "=x"(a) : "x"(a));
    return a;
}

template <typename T>
T roundToIntegral(T a, unsigned mode) {
    switch (mode) {
        case RTZ:
            return std::trunc(a);
        case RDN:
            return std::floor(a);
        case RUP:
            return std::ceil(a);
        case RMM:
            return std::round(a);
        default:
            return std::nearbyint(a);  // host default rounding is nearest-even
    }
}

// Shared float->integer conversion (11.7 table 11.4).
template <typename T>
uint64_t toInteger(HartState& s, unsigned mode, T a, bool isSigned, unsigned bits) {
    const double low = isSigned ? -std::ldexp(1.0, bits - 1) : 0.0;
    const double highExclusive = std::ldexp(1.0, isSigned ? bits - 1 : bits);
    const uint64_t minValue = isSigned ? (~0ull << (bits - 1)) : 0;
    const uint64_t maxValue =
        isSigned ? (bits == 64 ? INT64_MAX : 0x7fffffffull) : (bits == 64 ? ~0ull : 0xffffffffull);
    auto result = [&](uint64_t v) {
        return bits == 32 ? static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(v))) : v;
    };
    if (isNaN(a)) {
        s.fflags |= NV;
        return result(maxValue);
    }
    const T r = roundToIntegral(a, mode);
    // On every path from here, the out-of-range ones included: the host
    // rounding helpers may have raised host flags (NX where the guest gets NV).
    s.hostMxcsrClean = 0;
    const double rd = static_cast<double>(r);
    if (rd < low) {
        s.fflags |= NV;
        return result(minValue);
    }
    if (rd >= highExclusive) {
        s.fflags |= NV;
        return result(maxValue);
    }
    if (r != a) s.fflags |= NX;
    return result(isSigned ? static_cast<uint64_t>(static_cast<int64_t>(rd)) : static_cast<uint64_t>(rd));
}

}  // namespace

// RMM (ties to max magnitude) has no SSE rounding control: with finite nonzero
// operands it runs in fpu_ties_away.cpp. With a NaN, infinite or zero operand
// the result is special or exact, identical under RNE and RMM with the same
// flags, so the host computes it (mxcsrFor(RMM) selects nearest-even).
template <typename T>
T add(HartState& s, unsigned mode, T a, T b) {
    if (mode == RMM && isFiniteNonZero(a) && isFiniteNonZero(b)) return tiesAway::add(s, a, b);
    return canonicalize(withHostRounding(
        s, mode, [](T x, T y) { return x + y; }, a, b));
}
template <typename T>
T sub(HartState& s, unsigned mode, T a, T b) {
    if (mode == RMM && isFiniteNonZero(a) && isFiniteNonZero(b)) return tiesAway::add(s, a, negate(b));
    return canonicalize(withHostRounding(
        s, mode, [](T x, T y) { return x - y; }, a, b));
}
template <typename T>
T mul(HartState& s, unsigned mode, T a, T b) {
    if (mode == RMM && isFiniteNonZero(a) && isFiniteNonZero(b)) return tiesAway::mul(s, a, b);
    return canonicalize(withHostRounding(
        s, mode, [](T x, T y) { return x * y; }, a, b));
}
// A quotient of two p-bit numbers is never exactly halfway between two p-bit
// numbers, but once it is subnormal fewer bits are kept and it can be (5*2^-1074
// / 2), so RMM division needs its own rounding.
template <typename T>
T div(HartState& s, unsigned mode, T a, T b) {
    if (mode == RMM && isFiniteNonZero(a) && isFiniteNonZero(b)) return tiesAway::div(s, a, b);
    return canonicalize(withHostRounding(
        s, mode, [](T x, T y) { return x / y; }, a, b));
}
// RMM square roots are the RNE ones, flags included, because there is never a
// tie: if sqrt(a) were the midpoint (2k+1)*2^(e-1) of two p-bit numbers
// (2^(p-1) <= k < 2^p), a = (2k+1)^2 * 2^(2e-2) would have an odd factor above
// 2^(2p), while a's odd factor is below 2^p. No square root of a single or
// double is subnormal (the smallest are about 2^-75 and 2^-537), so the full p
// bits are always kept.
template <typename T>
T sqrt(HartState& s, unsigned mode, T a) {
    return canonicalize(withHostRounding(
        s, mode, [](T x) { return hostSqrt(x); }, a));
}

template <typename T>
T fma(HartState& s, unsigned mode, T a, T b, T c, bool negateProduct, bool negateAddend) {
    if (negateProduct) a = negate(a);
    if (negateAddend) c = negate(c);
    // 11.6: infinity times zero is invalid even when the addend is a quiet NaN.
    if ((std::isinf(a) && b == 0) || (a == 0 && std::isinf(b))) {
        s.fflags |= NV;
        return canonicalNaN<T>();
    }
    if (isNaN(a) || isNaN(b) || isNaN(c)) {
        if (isSignalingNaN(a) || isSignalingNaN(b) || isSignalingNaN(c)) s.fflags |= NV;
        return canonicalNaN<T>();
    }
    // A zero product makes the result c + ±0, exact; a zero addend still
    // leaves the product to round, so only the multiplicands must be nonzero.
    if (mode == RMM && isFiniteNonZero(a) && isFiniteNonZero(b) && isFinite(c))
        return tiesAway::fma(s, a, b, c);
    return canonicalize(withHostRounding(
        s, mode, [](T x, T y, T z) { return hostFma(x, y, z); }, a, b, c));
}

// FMIN/FMAX (11.6, IEEE 754-2019 minimumNumber/maximumNumber): -0 < +0, a
// single NaN operand yields the other operand, sNaN raises NV.
template <typename T>
T min(HartState& s, T a, T b) {
    if (isSignalingNaN(a) || isSignalingNaN(b)) s.fflags |= NV;
    if (isNaN(a) && isNaN(b)) return canonicalNaN<T>();
    if (isNaN(a)) return b;
    if (isNaN(b)) return a;
    if (a == b) return std::signbit(a) ? a : b;
    return a < b ? a : b;
}
template <typename T>
T max(HartState& s, T a, T b) {
    if (isSignalingNaN(a) || isSignalingNaN(b)) s.fflags |= NV;
    if (isNaN(a) && isNaN(b)) return canonicalNaN<T>();
    if (isNaN(a)) return b;
    if (isNaN(b)) return a;
    if (a == b) return std::signbit(a) ? b : a;
    return a > b ? a : b;
}

// FEQ is a quiet comparison (NV only for sNaN); FLT/FLE signal on any NaN (11.8).
template <typename T>
bool eq(HartState& s, T a, T b) {
    if (isSignalingNaN(a) || isSignalingNaN(b)) s.fflags |= NV;
    if (isNaN(a) || isNaN(b)) return false;
    return a == b;
}
template <typename T>
bool lt(HartState& s, T a, T b) {
    if (isNaN(a) || isNaN(b)) {
        s.fflags |= NV;
        return false;
    }
    return a < b;
}
template <typename T>
bool le(HartState& s, T a, T b) {
    if (isNaN(a) || isNaN(b)) {
        s.fflags |= NV;
        return false;
    }
    return a <= b;
}

// FCLASS (11.9, table 11.5).
template <typename T>
uint64_t classify(T a) {
    const bool negative = std::signbit(a);
    if (isNaN(a)) return isSignalingNaN(a) ? 1u << 8 : 1u << 9;
    if (std::isinf(a)) return negative ? 1u << 0 : 1u << 7;
    if (a == 0) return negative ? 1u << 3 : 1u << 4;
    const bool subnormal = (toBits(a) & Bits<T>::expMask) == 0;
    if (subnormal) return negative ? 1u << 2 : 1u << 5;
    return negative ? 1u << 1 : 1u << 6;
}

template <typename T>
uint64_t toInt32(HartState& s, unsigned mode, T a) {
    return toInteger(s, mode, a, true, 32);
}
template <typename T>
uint64_t toUint32(HartState& s, unsigned mode, T a) {
    return toInteger(s, mode, a, false, 32);
}
template <typename T>
uint64_t toInt64(HartState& s, unsigned mode, T a) {
    return toInteger(s, mode, a, true, 64);
}
template <typename T>
uint64_t toUint64(HartState& s, unsigned mode, T a) {
    return toInteger(s, mode, a, false, 64);
}

template <typename T>
T fromInt64(HartState& s, unsigned mode, int64_t v) {
    if (mode == RMM && v != 0)
        return tiesAway::fromInteger<T>(s, v < 0,
                                        v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v));
    return withHostRounding(
        s, mode, [](int64_t x) { return static_cast<T>(x); }, v);
}
template <typename T>
T fromUint64(HartState& s, unsigned mode, uint64_t v) {
    if (mode == RMM && v != 0) return tiesAway::fromInteger<T>(s, false, v);
    return withHostRounding(
        s, mode, [](uint64_t x) { return static_cast<T>(x); }, v);
}

float narrow(HartState& s, unsigned mode, double a) {
    if (isNaN(a)) {
        if (isSignalingNaN(a)) s.fflags |= NV;
        return canonicalNaN<float>();
    }
    if (mode == RMM && isFiniteNonZero(a)) return tiesAway::narrow(s, a);
    return withHostRounding(
        s, mode, [](double x) { return static_cast<float>(x); }, a);
}
double widen(HartState& s, float a) {
    if (isNaN(a)) {
        if (isSignalingNaN(a)) s.fflags |= NV;
        return canonicalNaN<double>();
    }
    return static_cast<double>(a);  // exact
}

#define TESSERA_FPU_INSTANTIATE(T)                                \
    template T add<T>(HartState&, unsigned, T, T);                \
    template T sub<T>(HartState&, unsigned, T, T);                \
    template T mul<T>(HartState&, unsigned, T, T);                \
    template T div<T>(HartState&, unsigned, T, T);                \
    template T sqrt<T>(HartState&, unsigned, T);                  \
    template T fma<T>(HartState&, unsigned, T, T, T, bool, bool); \
    template T min<T>(HartState&, T, T);                          \
    template T max<T>(HartState&, T, T);                          \
    template bool eq<T>(HartState&, T, T);                        \
    template bool lt<T>(HartState&, T, T);                        \
    template bool le<T>(HartState&, T, T);                        \
    template uint64_t classify<T>(T);                             \
    template uint64_t toInt32<T>(HartState&, unsigned, T);        \
    template uint64_t toUint32<T>(HartState&, unsigned, T);       \
    template uint64_t toInt64<T>(HartState&, unsigned, T);        \
    template uint64_t toUint64<T>(HartState&, unsigned, T);       \
    template T fromInt64<T>(HartState&, unsigned, int64_t);       \
    template T fromUint64<T>(HartState&, unsigned, uint64_t);
TESSERA_FPU_INSTANTIATE(float)
TESSERA_FPU_INSTANTIATE(double)
#undef TESSERA_FPU_INSTANTIATE

}  // namespace tessera::riscv::fpu
