#pragma once
// Exact round-to-nearest, ties to max magnitude (RMM, rm = 100; IEEE 754-2008
// roundTiesToAway, 4.3.1) for the F and D extensions. The host's SSE unit has
// no such rounding direction, so these operations compute the exact result in
// integer arithmetic and round it once, in software, with the flags RISC-V
// requires: NX, OF, and UF with tininess detected after rounding (unprivileged
// spec, F extension, "Subnormal Arithmetic"; IEEE 754-2008 7.5).
//
// Every function here takes finite, nonzero operands only (fma's addend may be
// zero). With a NaN, infinite or zero operand the result is special or exact,
// so round-to-nearest-even on the host gives the RMM result and flags; the
// callers in fpu.cpp route those cases there.

#include <cstdint>

#include "core/cpu/riscv/hart_state.h"

namespace tessera::riscv::fpu::tiesAway {

// a + b; subtraction passes -b.
template <typename T>
T add(HartState& s, T a, T b);
template <typename T>
T mul(HartState& s, T a, T b);
template <typename T>
T div(HartState& s, T a, T b);
// a*b + c with a single rounding; c may be zero.
template <typename T>
T fma(HartState& s, T a, T b, T c);
// (-1)^negative * magnitude, magnitude nonzero.
template <typename T>
T fromInteger(HartState& s, bool negative, uint64_t magnitude);
float narrow(HartState& s, double a);

}  // namespace tessera::riscv::fpu::tiesAway
