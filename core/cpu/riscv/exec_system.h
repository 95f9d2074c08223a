#pragma once
// Handlers for Zicsr (unprivileged spec chapter 9), Zifencei (chapter 3),
// FENCE, ECALL/EBREAK and the privileged instructions MRET, SRET, WFI and
// SFENCE.VMA (privileged spec 1.12, 3.3 and 4.2.1).

#include <atomic>

#include "core/cpu/riscv/decoded_insn.h"

namespace tessera::riscv::exec {

enum class CsrOp { Write, Set, Clear };

// CSRRW/CSRRS/CSRRC and their immediate forms (9.1). CSRRW with rd=x0 reads
// nothing and CSRRS/CSRRC with rs1=x0 (uimm=0) write nothing, so read-only CSRs
// can be read with CSRRS x0 and written never.
template <CsrOp Kind, bool Immediate>
ExecStatus csrAccess(Hart& h, const DecodedInsn& d) {
    const unsigned csr = static_cast<unsigned>(d.imm) & 0xfff;
    const uint64_t source = Immediate ? d.rs1 : h.s.x[d.rs1];
    const bool writes = Kind == CsrOp::Write || d.rs1 != 0;
    if (writes && (csr >> 10) == 3) return h.illegal(d);  // read-only CSR space
    uint64_t old = 0;
    if (!h.csrRead(csr, old)) return h.illegal(d);
    bool changed = false;
    if (writes) {
        uint64_t value = source;
        if constexpr (Kind != CsrOp::Write) {
            const uint64_t base = h.csrReadModifyWriteBase(csr, old);
            value = Kind == CsrOp::Set ? base | source : base & ~source;
        }
        if (!h.csrWrite(csr, value, changed)) return h.illegal(d);
    }
    h.s.x[d.rd] = old;
    return changed ? ExecStatus::Stop : ExecStatus::Continue;
}

// FENCE: harts run on host threads in parallel. The x86-64 host (TSO)
// already keeps every order RVWMO asks for except a store before a later
// load; a full host fence supplies that one (and keeps the compiler from
// moving guest accesses across it).
//
// PAUSE (Zihintpause) is the FENCE with pred=W, succ=0, fm=0 and x0
// operands: with other harts, a long spin-wait backs off (spin_backoff.h).
// The JIT calls this same handler.
constexpr uint32_t kPauseEncoding = 0x0100000f;
inline ExecStatus fence(Hart& h, const DecodedInsn& d) {
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (d.raw == kPauseEncoding && h.config().sharedRam) h.pauseHint();
    return ExecStatus::Continue;
}

// FENCE.I: decoded blocks are already dropped by the hart's own stores to
// code pages; blocks are re-checked against memory anyway, so code written by
// means the hart does not see (a device DMA the board did not report through
// invalidateCode) or another hart's stores are still picked up as the spec
// promises (a remote FENCE.I arrives as an IPI, OpenSBI then runs FENCE.I on
// this hart). Linux issues hundreds of these while booting, so they must not
// discard every block.
inline ExecStatus fenceI(Hart& h, const DecodedInsn&) {
    h.revalidateCodeOnNextUse();
    return ExecStatus::Stop;
}

inline ExecStatus ecall(Hart& h, const DecodedInsn&) {
    const uint64_t code = h.s.priv == PrivUser         ? cause::EcallFromU
                          : h.s.priv == PrivSupervisor ? cause::EcallFromS
                                                       : cause::EcallFromM;
    return h.raise(code, 0);
}
inline ExecStatus ebreak(Hart& h, const DecodedInsn&) {
    return h.raise(cause::Breakpoint, h.s.pc);
}
inline ExecStatus mret(Hart& h, const DecodedInsn& d) {
    return h.executeMret(d);
}
inline ExecStatus sret(Hart& h, const DecodedInsn& d) {
    return h.executeSret(d);
}
inline ExecStatus wfi(Hart& h, const DecodedInsn& d) {
    return h.executeWfi(d);
}

// SFENCE.VMA (privileged 4.2.1): illegal in U-mode and in S-mode when
// mstatus.TVM=1. We have no ASIDs, so the ASID operand is ignored.
inline ExecStatus sfenceVma(Hart& h, const DecodedInsn& d) {
    if (h.s.priv == PrivUser || (h.s.priv == PrivSupervisor && (h.s.mstatus & mstatus::TVM)))
        return h.illegal(d);
    if (d.rs1 == 0)
        h.flushTlb();
    else
        h.flushTlbPage(h.s.x[d.rs1]);
    return ExecStatus::Stop;
}

inline ExecStatus illegalInstruction(Hart& h, const DecodedInsn& d) {
    return h.illegal(d);
}

}  // namespace tessera::riscv::exec
