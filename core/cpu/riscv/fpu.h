#pragma once
// Host floating-point engine for the F and D extensions (unprivileged spec
// chapters 11-12). Arithmetic runs on the host's SSE unit with the RISC-V
// rounding mode loaded into MXCSR and the exception flags read back, which is
// exact: SSE and RISC-V both follow IEEE 754-2008 and both detect tininess
// after rounding (RISC-V F extension "Subnormal Arithmetic", Intel SDM
// 4.9.1.5). What SSE cannot do is handled in software: round-to-nearest-ties-
// to-max-magnitude (RMM, fpu_ties_away.h), canonical NaN results (11.3), and
// the conversion/min/max/compare rules.

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "core/cpu/riscv/hart_state.h"

namespace tessera::riscv::fpu {

enum RoundingMode : uint8_t { RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4, DYN = 7 };
enum Flags : uint8_t { NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16 };

inline constexpr uint32_t kCanonicalNaN32 = 0x7fc00000u;
inline constexpr uint64_t kCanonicalNaN64 = 0x7ff8000000000000ull;
inline constexpr uint64_t kBox = 0xffffffff00000000ull;

// Resolves the instruction's rm field (7 = dynamic, from frm). Returns false
// for reserved encodings (5, 6, or a reserved frm), which are illegal (11.2).
inline bool resolveRoundingMode(const HartState& s, unsigned rm, unsigned& mode) {
    if (rm == DYN) rm = s.frm;
    if (rm > RMM) return false;
    mode = rm;
    return true;
}

// ---- Host MXCSR control ----
inline constexpr uint32_t kDefaultMxcsr = 0x1f80;  // all exceptions masked, RNE, flags clear

inline void setMxcsr(uint32_t value) {
    asm volatile("ldmxcsr %0" : : "m"(value));
}
inline uint32_t getMxcsr() {
    uint32_t value;
    asm volatile("stmxcsr %0" : "=m"(value));
    return value;
}
// MXCSR rounding control: 00 nearest, 01 down, 10 up, 11 toward zero.
inline uint32_t mxcsrFor(unsigned mode) {
    // RMM reaches the host only where its result and flags equal RNE's (fpu.cpp).
    static constexpr uint32_t rc[5] = {0, 3, 1, 2, 0};
    return kDefaultMxcsr | (rc[mode] << 13);
}
// IE->NV, ZE->DZ, OE->OF, UE->UF, PE->NX (DE, denormal operand, has no RISC-V flag).
inline uint8_t flagsFromMxcsr(uint32_t m) {
    return static_cast<uint8_t>(((m & 1) ? NV : 0) | ((m & 4) ? DZ : 0) | ((m & 8) ? OF : 0) |
                                ((m & 16) ? UF : 0) | ((m & 32) ? NX : 0));
}
// Keeps the compiler from moving a computation across the MXCSR accesses.
template <typename T>
inline void opaque(T& value) {
    asm volatile("" : "+m"(value));
}

// Runs `op(args...)` under rounding `mode` and ORs the raised flags into
// fflags. Round-to-nearest, by far the most common mode, skips both MXCSR
// loads while the host MXCSR is known clean: flags left in it are already in
// fflags, and fflags is sticky, so OR-ing them again changes nothing.
template <typename F, typename... Args>
inline auto withHostRounding(HartState& s, unsigned mode, F op, Args... args) {
    const bool nearest = mode == RNE;
    if (!nearest || !s.hostMxcsrClean) setMxcsr(mxcsrFor(mode));
    (opaque(args), ...);
    auto result = op(args...);
    opaque(result);
    const uint32_t m = getMxcsr();
    s.fflags |= flagsFromMxcsr(m);
    if (!nearest) setMxcsr(kDefaultMxcsr);
    s.hostMxcsrClean = 1;
    return result;
}

// ---- Bit-level views ----
template <typename T>
struct Bits;
template <>
struct Bits<float> {
    using U = uint32_t;
    static constexpr U signBit = 0x80000000u;
    static constexpr U canonicalNaN = kCanonicalNaN32;
    static constexpr U quietBit = 0x00400000u;
    static constexpr U expMask = 0x7f800000u;
    static constexpr U fracMask = 0x007fffffu;
};
template <>
struct Bits<double> {
    using U = uint64_t;
    static constexpr U signBit = 0x8000000000000000ull;
    static constexpr U canonicalNaN = kCanonicalNaN64;
    static constexpr U quietBit = 0x0008000000000000ull;
    static constexpr U expMask = 0x7ff0000000000000ull;
    static constexpr U fracMask = 0x000fffffffffffffull;
};

template <typename T>
inline typename Bits<T>::U toBits(T v) {
    return std::bit_cast<typename Bits<T>::U>(v);
}
template <typename T>
inline T fromBits(typename Bits<T>::U v) {
    return std::bit_cast<T>(v);
}

template <typename T>
inline bool isNaN(T v) {
    const auto b = toBits(v);
    return (b & Bits<T>::expMask) == Bits<T>::expMask && (b & Bits<T>::fracMask) != 0;
}
template <typename T>
inline bool isSignalingNaN(T v) {
    return isNaN(v) && !(toBits(v) & Bits<T>::quietBit);
}
template <typename T>
inline T canonicalNaN() {
    return fromBits<T>(Bits<T>::canonicalNaN);
}
// Arithmetic results that are NaN are always the canonical NaN (11.3).
template <typename T>
inline T canonicalize(T v) {
    return isNaN(v) ? canonicalNaN<T>() : v;
}

// Register file access: singles live NaN-boxed in 64-bit registers (12.2); an
// improperly boxed value reads as the canonical NaN.
template <typename T>
inline T readReg(const HartState& s, unsigned r);
template <>
inline float readReg<float>(const HartState& s, unsigned r) {
    const uint64_t v = s.f[r];
    return (v >> 32) == 0xffffffffu ? fromBits<float>(static_cast<uint32_t>(v)) : canonicalNaN<float>();
}
template <>
inline double readReg<double>(const HartState& s, unsigned r) {
    return fromBits<double>(s.f[r]);
}
template <typename T>
inline void writeReg(HartState& s, unsigned r, T v);
template <>
inline void writeReg<float>(HartState& s, unsigned r, float v) {
    s.f[r] = kBox | toBits(v);
}
template <>
inline void writeReg<double>(HartState& s, unsigned r, double v) {
    s.f[r] = toBits(v);
}

// ---- Arithmetic (11.6, 11.7) ----
template <typename T>
T add(HartState& s, unsigned mode, T a, T b);
template <typename T>
T sub(HartState& s, unsigned mode, T a, T b);
template <typename T>
T mul(HartState& s, unsigned mode, T a, T b);
template <typename T>
T div(HartState& s, unsigned mode, T a, T b);
template <typename T>
T sqrt(HartState& s, unsigned mode, T a);
// a*b+c with a single rounding; negateProduct/negateAddend give FMSUB/FNMSUB/FNMADD.
template <typename T>
T fma(HartState& s, unsigned mode, T a, T b, T c, bool negateProduct, bool negateAddend);

template <typename T>
T min(HartState& s, T a, T b);
template <typename T>
T max(HartState& s, T a, T b);
template <typename T>
bool eq(HartState& s, T a, T b);  // quiet
template <typename T>
bool lt(HartState& s, T a, T b);  // signalling
template <typename T>
bool le(HartState& s, T a, T b);  // signalling
template <typename T>
uint64_t classify(T a);

// Float to integer (11.7, table 11.4): saturating, NV on NaN/out of range,
// NX when inexact. Result is the register value (32-bit results sign-extended).
template <typename T>
uint64_t toInt32(HartState& s, unsigned mode, T a);
template <typename T>
uint64_t toUint32(HartState& s, unsigned mode, T a);
template <typename T>
uint64_t toInt64(HartState& s, unsigned mode, T a);
template <typename T>
uint64_t toUint64(HartState& s, unsigned mode, T a);
// Integer to float.
template <typename T>
T fromInt64(HartState& s, unsigned mode, int64_t v);
template <typename T>
T fromUint64(HartState& s, unsigned mode, uint64_t v);
// FCVT.S.D / FCVT.D.S.
float narrow(HartState& s, unsigned mode, double a);
double widen(HartState& s, float a);

}  // namespace tessera::riscv::fpu
