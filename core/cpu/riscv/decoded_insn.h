#pragma once
// DecodedInsn: one instruction with its operand fields already extracted by the
// decode table, plus the handler that executes it. A Block is a run of these
// starting at one guest address and ending at the first control transfer or
// the end of the page.

#include <cstdint>
#include <vector>

#include "core/cpu/riscv/hart.h"

namespace tessera::riscv {

struct DecodedInsn;
using Handler = ExecStatus (*)(Hart& hart, const DecodedInsn& insn);

struct DecodedInsn {
    Handler handler = nullptr;
    int64_t imm = 0;   // sign-extended immediate (or CSR number / shift amount)
    uint32_t raw = 0;  // 32-bit encoding (compressed instructions expanded)
    uint8_t rd = 0;
    uint8_t rs1 = 0;
    uint8_t rs2 = 0;
    uint8_t rs3 = 0;
    uint8_t rm = 0;      // floating-point rounding mode field
    uint8_t length = 4;  // 2 for compressed
    uint16_t row = 0;    // index of the decode table row (for names and the JIT)
    uint16_t rawCompressed = 0;
};

// Semantic function: one decode-table row's meaning, for exactly one
// instruction. It never advances past itself nor runs the next instruction,
// so the interpreter (threaded(), below) and the JIT (as a helper call) share
// it. Its result says where the pc stands:
//   Continue, Stop, Wfi: the instruction completed and pc still addresses it;
//     the caller advances pc by insn.length (Stop: then leaves the block, the
//     instruction changed state the block assumed; Wfi: then idles);
//   Jump: pc already holds the target;
//   Trap: nothing retired, pc addresses the instruction, trapCause/trapValue set.
using Semantic = ExecStatus (*)(Hart& hart, const DecodedInsn& insn);

// After a memory access that did not fault: continue, or end the block if
// the access wrote decoded code or touched a device (MemResult::OkEndBlock).
inline ExecStatus completedAccess(MemResult r) {
    return r == MemResult::Ok ? ExecStatus::Continue : ExecStatus::Stop;
}

// Threaded dispatch: the interpreter's handler for a row calls the row's
// semantic function (inlined: it is a template argument) and, when the
// instruction completed normally, jumps straight into the next instruction's
// handler (a tail call), so the host's branch predictor sees one indirect
// jump per handler rather than a single shared call site. Every block ends
// with a sentinel whose handler returns ExecStatus::Continue. `flatten`: the
// semantic function is also called through the table (by the JIT), which
// would otherwise keep the compiler from inlining it here.
template <Semantic Fn>
[[gnu::flatten]] ExecStatus threaded(Hart& h, const DecodedInsn& d) {
    const ExecStatus status = Fn(h, d);
    if (status == ExecStatus::Continue) {
        h.s.pc += d.length;
        const DecodedInsn& following = (&d)[1];
        return following.handler(h, following);
    }
    if (status == ExecStatus::Stop || status == ExecStatus::Wfi) h.s.pc += d.length;
    return status;
}
ExecStatus endOfBlock(Hart& h, const DecodedInsn& d);

// Blocks are chained only to blocks on the same page (as QEMU does): a page's
// blocks are always invalidated together, so a link can never outlive its
// target, and a same-page target needs no new address translation.
struct Block {
    uintptr_t startPage = 0;     // host page holding the block
    uintptr_t hostStart = 0;     // host address of the first instruction
    uint32_t generation = 0;     // code generation (FENCE.I count) the bytes were last checked against
    std::vector<uint8_t> bytes;  // the instruction bytes the block was decoded from
    struct Link {
        uint32_t pageOffset = ~0u;
        Block* target = nullptr;
    };
    Link links[2];  // most recent successors (taken / fall-through)
    uint8_t nextLink = 0;
    std::vector<DecodedInsn> insns;  // the last entry is the endOfBlock sentinel
    size_t instructionCount() const { return insns.size() - 1; }

    Block* linkedSuccessor(uint32_t pageOffset) const {
        if (links[0].pageOffset == pageOffset) return links[0].target;
        if (links[1].pageOffset == pageOffset) return links[1].target;
        return nullptr;
    }
    void link(uint32_t pageOffset, Block* target) {
        links[nextLink] = {pageOffset, target};
        nextLink ^= 1;
    }
};

}  // namespace tessera::riscv
