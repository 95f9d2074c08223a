#pragma once
// Handlers for the F and D extensions (unprivileged spec chapters 11-12).
// Every FP instruction is illegal while mstatus.FS is Off (privileged 3.1.6.6);
// every one that may change f registers or fflags marks FS Dirty.

#include "core/cpu/riscv/decoded_insn.h"
#include "core/cpu/riscv/fpu.h"

namespace tessera::riscv::exec {

inline ExecStatus fpDone(Hart& h) {
    h.markFpDirty();
    return ExecStatus::Continue;
}

#define TESSERA_FP_PROLOGUE()                 \
    if (!h.fpuEnabled()) return h.illegal(d); \
    unsigned mode;                            \
    if (!fpu::resolveRoundingMode(h.s, d.rm, mode)) return h.illegal(d)

template <typename T, T (*Op)(HartState&, unsigned, T, T)>
ExecStatus fpArith(Hart& h, const DecodedInsn& d) {
    TESSERA_FP_PROLOGUE();
    fpu::writeReg<T>(h.s, d.rd, Op(h.s, mode, fpu::readReg<T>(h.s, d.rs1), fpu::readReg<T>(h.s, d.rs2)));
    return fpDone(h);
}

template <typename T>
ExecStatus fpSqrt(Hart& h, const DecodedInsn& d) {
    TESSERA_FP_PROLOGUE();
    fpu::writeReg<T>(h.s, d.rd, fpu::sqrt<T>(h.s, mode, fpu::readReg<T>(h.s, d.rs1)));
    return fpDone(h);
}

// FMADD (a*b+c), FMSUB (a*b-c), FNMSUB (-a*b+c), FNMADD (-a*b-c) (11.6).
template <typename T, bool NegateProduct, bool NegateAddend>
ExecStatus fpFma(Hart& h, const DecodedInsn& d) {
    TESSERA_FP_PROLOGUE();
    const T r = fpu::fma<T>(h.s, mode, fpu::readReg<T>(h.s, d.rs1), fpu::readReg<T>(h.s, d.rs2),
                            fpu::readReg<T>(h.s, d.rs3), NegateProduct, NegateAddend);
    fpu::writeReg<T>(h.s, d.rd, r);
    return fpDone(h);
}

template <typename T, T (*Op)(HartState&, T, T)>
ExecStatus fpMinMax(Hart& h, const DecodedInsn& d) {
    if (!h.fpuEnabled()) return h.illegal(d);
    fpu::writeReg<T>(h.s, d.rd, Op(h.s, fpu::readReg<T>(h.s, d.rs1), fpu::readReg<T>(h.s, d.rs2)));
    return fpDone(h);
}

template <typename T, bool (*Op)(HartState&, T, T)>
ExecStatus fpCompare(Hart& h, const DecodedInsn& d) {
    if (!h.fpuEnabled()) return h.illegal(d);
    h.s.x[d.rd] = Op(h.s, fpu::readReg<T>(h.s, d.rs1), fpu::readReg<T>(h.s, d.rs2)) ? 1 : 0;
    return fpDone(h);  // may have raised NV
}

template <typename T>
ExecStatus fpClass(Hart& h, const DecodedInsn& d) {
    if (!h.fpuEnabled()) return h.illegal(d);
    h.s.x[d.rd] = fpu::classify<T>(fpu::readReg<T>(h.s, d.rs1));
    return ExecStatus::Continue;
}

// FSGNJ/FSGNJN/FSGNJX (11.6): sign injection on the (unboxed) operands.
enum class SignInjection { Copy, Negate, Xor };
template <typename T, SignInjection Kind>
ExecStatus fpSignInject(Hart& h, const DecodedInsn& d) {
    if (!h.fpuEnabled()) return h.illegal(d);
    using B = fpu::Bits<T>;
    const auto a = fpu::toBits(fpu::readReg<T>(h.s, d.rs1));
    const auto b = fpu::toBits(fpu::readReg<T>(h.s, d.rs2));
    typename B::U sign = b & B::signBit;
    if constexpr (Kind == SignInjection::Negate) sign ^= B::signBit;
    if constexpr (Kind == SignInjection::Xor) sign = (a ^ b) & B::signBit;
    fpu::writeReg<T>(h.s, d.rd, fpu::fromBits<T>(static_cast<typename B::U>((a & ~B::signBit) | sign)));
    return fpDone(h);
}

template <typename T, uint64_t (*Op)(HartState&, unsigned, T)>
ExecStatus fpToInt(Hart& h, const DecodedInsn& d) {
    TESSERA_FP_PROLOGUE();
    h.s.x[d.rd] = Op(h.s, mode, fpu::readReg<T>(h.s, d.rs1));
    return fpDone(h);
}

// FCVT.{S,D}.{W,WU,L,LU}: 32-bit sources are the low word of rs1.
template <typename T, bool Signed, unsigned SourceBits>
ExecStatus fpFromInt(Hart& h, const DecodedInsn& d) {
    TESSERA_FP_PROLOGUE();
    const uint64_t v = h.s.x[d.rs1];
    T r;
    if constexpr (SourceBits == 32)
        r = Signed ? fpu::fromInt64<T>(h.s, mode, static_cast<int32_t>(v))
                   : fpu::fromUint64<T>(h.s, mode, static_cast<uint32_t>(v));
    else
        r = Signed ? fpu::fromInt64<T>(h.s, mode, static_cast<int64_t>(v)) : fpu::fromUint64<T>(h.s, mode, v);
    fpu::writeReg<T>(h.s, d.rd, r);
    return fpDone(h);
}

inline ExecStatus fcvtSD(Hart& h, const DecodedInsn& d) {
    TESSERA_FP_PROLOGUE();
    fpu::writeReg<float>(h.s, d.rd, fpu::narrow(h.s, mode, fpu::readReg<double>(h.s, d.rs1)));
    return fpDone(h);
}
inline ExecStatus fcvtDS(Hart& h, const DecodedInsn& d) {
    TESSERA_FP_PROLOGUE();
    fpu::writeReg<double>(h.s, d.rd, fpu::widen(h.s, fpu::readReg<float>(h.s, d.rs1)));
    return fpDone(h);
}

// FMV.X.W copies the low 32 bits, sign-extended, whatever the boxing (11.10).
inline ExecStatus fmvXW(Hart& h, const DecodedInsn& d) {
    if (!h.fpuEnabled()) return h.illegal(d);
    h.s.x[d.rd] = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(h.s.f[d.rs1])));
    return ExecStatus::Continue;
}
inline ExecStatus fmvWX(Hart& h, const DecodedInsn& d) {
    if (!h.fpuEnabled()) return h.illegal(d);
    h.s.f[d.rd] = fpu::kBox | static_cast<uint32_t>(h.s.x[d.rs1]);
    return fpDone(h);
}
inline ExecStatus fmvXD(Hart& h, const DecodedInsn& d) {
    if (!h.fpuEnabled()) return h.illegal(d);
    h.s.x[d.rd] = h.s.f[d.rs1];
    return ExecStatus::Continue;
}
inline ExecStatus fmvDX(Hart& h, const DecodedInsn& d) {
    if (!h.fpuEnabled()) return h.illegal(d);
    h.s.f[d.rd] = h.s.x[d.rs1];
    return fpDone(h);
}

#undef TESSERA_FP_PROLOGUE

}  // namespace tessera::riscv::exec
