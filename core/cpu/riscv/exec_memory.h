#pragma once
// Handlers for loads and stores (unprivileged spec 2.6), integer and FP
// (11.5, 12.4). Misaligned accesses are completed by the slow path (split into
// bytes) as the spec permits; the fast path is a software-TLB hit.

#include "core/cpu/riscv/decoded_insn.h"

namespace tessera::riscv::exec {

template <typename T>
ExecStatus loadInt(Hart& h, const DecodedInsn& d) {
    T value;
    if (h.load<T>(h.s.x[d.rs1] + static_cast<uint64_t>(d.imm), value) != MemResult::Ok)
        return ExecStatus::Trap;
    // Signed types sign-extend, unsigned ones zero-extend (LB/LH/LW vs LBU/LHU/LWU).
    if constexpr (std::is_signed_v<T>)
        h.s.x[d.rd] = static_cast<uint64_t>(static_cast<int64_t>(value));
    else
        h.s.x[d.rd] = value;
    return ExecStatus::Continue;
}

template <typename T>
ExecStatus storeInt(Hart& h, const DecodedInsn& d) {
    const MemResult r = h.store<T>(h.s.x[d.rs1] + static_cast<uint64_t>(d.imm), static_cast<T>(h.s.x[d.rs2]));
    if (r == MemResult::Fault) return ExecStatus::Trap;
    return completedAccess(r);
}

// FLW/FLD: FLW NaN-boxes the loaded single (12.2).
template <typename T>
ExecStatus loadFp(Hart& h, const DecodedInsn& d) {
    if (!h.fpuEnabled()) return h.illegal(d);
    T value;
    if (h.load<T>(h.s.x[d.rs1] + static_cast<uint64_t>(d.imm), value) != MemResult::Ok)
        return ExecStatus::Trap;
    h.s.f[d.rd] = sizeof(T) == 4 ? (0xffffffff00000000ull | value) : value;
    h.markFpDirty();
    return ExecStatus::Continue;
}

// FSW/FSD store the low bits unchanged (no NaN-box check, 12.2).
template <typename T>
ExecStatus storeFp(Hart& h, const DecodedInsn& d) {
    if (!h.fpuEnabled()) return h.illegal(d);
    const MemResult r = h.store<T>(h.s.x[d.rs1] + static_cast<uint64_t>(d.imm), static_cast<T>(h.s.f[d.rs2]));
    if (r == MemResult::Fault) return ExecStatus::Trap;
    return completedAccess(r);
}

}  // namespace tessera::riscv::exec
