#pragma once
// Handlers for RV64I and M computational instructions and control transfers
// (unprivileged spec 20191213, chapters 2, 5 and 7). Each handler is one row's
// semantics; operand fields arrive pre-extracted in DecodedInsn.

#include "core/cpu/riscv/decoded_insn.h"

namespace tessera::riscv::exec {

inline uint64_t sext32(uint64_t v) {
    return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(v)));
}

// Register-register: rd = op(rs1, rs2).
template <uint64_t (*Op)(uint64_t, uint64_t)>
ExecStatus aluReg(Hart& h, const DecodedInsn& d) {
    h.s.x[d.rd] = Op(h.s.x[d.rs1], h.s.x[d.rs2]);
    return ExecStatus::Continue;
}
// Register-immediate: rd = op(rs1, imm).
template <uint64_t (*Op)(uint64_t, uint64_t)>
ExecStatus aluImm(Hart& h, const DecodedInsn& d) {
    h.s.x[d.rd] = Op(h.s.x[d.rs1], static_cast<uint64_t>(d.imm));
    return ExecStatus::Continue;
}

namespace op {
inline uint64_t add(uint64_t a, uint64_t b) {
    return a + b;
}
inline uint64_t sub(uint64_t a, uint64_t b) {
    return a - b;
}
inline uint64_t sll(uint64_t a, uint64_t b) {
    return a << (b & 63);
}
inline uint64_t slt(uint64_t a, uint64_t b) {
    return static_cast<int64_t>(a) < static_cast<int64_t>(b);
}
inline uint64_t sltu(uint64_t a, uint64_t b) {
    return a < b;
}
inline uint64_t xor_(uint64_t a, uint64_t b) {
    return a ^ b;
}
inline uint64_t srl(uint64_t a, uint64_t b) {
    return a >> (b & 63);
}
inline uint64_t sra(uint64_t a, uint64_t b) {
    return static_cast<uint64_t>(static_cast<int64_t>(a) >> (b & 63));
}
inline uint64_t or_(uint64_t a, uint64_t b) {
    return a | b;
}
inline uint64_t and_(uint64_t a, uint64_t b) {
    return a & b;
}
inline uint64_t addw(uint64_t a, uint64_t b) {
    return sext32(a + b);
}
inline uint64_t subw(uint64_t a, uint64_t b) {
    return sext32(a - b);
}
inline uint64_t sllw(uint64_t a, uint64_t b) {
    return sext32(static_cast<uint32_t>(a) << (b & 31));
}
inline uint64_t srlw(uint64_t a, uint64_t b) {
    return sext32(static_cast<uint32_t>(a) >> (b & 31));
}
inline uint64_t sraw(uint64_t a, uint64_t b) {
    return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(a) >> (b & 31)));
}

// M extension (chapter 7): division by zero and overflow have defined results, no trap.
inline uint64_t mul(uint64_t a, uint64_t b) {
    return a * b;
}
inline uint64_t mulh(uint64_t a, uint64_t b) {
    return static_cast<uint64_t>((static_cast<__int128>(static_cast<int64_t>(a)) * static_cast<int64_t>(b)) >>
                                 64);
}
inline uint64_t mulhsu(uint64_t a, uint64_t b) {
    return static_cast<uint64_t>((static_cast<__int128>(static_cast<int64_t>(a)) *
                                  static_cast<__int128>(static_cast<unsigned __int128>(b))) >>
                                 64);
}
inline uint64_t mulhu(uint64_t a, uint64_t b) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(a) * b) >> 64);
}
inline uint64_t div(uint64_t a, uint64_t b) {
    const int64_t x = static_cast<int64_t>(a), y = static_cast<int64_t>(b);
    if (y == 0) return ~0ull;
    if (x == INT64_MIN && y == -1) return a;
    return static_cast<uint64_t>(x / y);
}
inline uint64_t divu(uint64_t a, uint64_t b) {
    return b == 0 ? ~0ull : a / b;
}
inline uint64_t rem(uint64_t a, uint64_t b) {
    const int64_t x = static_cast<int64_t>(a), y = static_cast<int64_t>(b);
    if (y == 0) return a;
    if (x == INT64_MIN && y == -1) return 0;
    return static_cast<uint64_t>(x % y);
}
inline uint64_t remu(uint64_t a, uint64_t b) {
    return b == 0 ? a : a % b;
}
inline uint64_t mulw(uint64_t a, uint64_t b) {
    return sext32(static_cast<uint32_t>(a) * static_cast<uint32_t>(b));
}
inline uint64_t divw(uint64_t a, uint64_t b) {
    const int32_t x = static_cast<int32_t>(a), y = static_cast<int32_t>(b);
    if (y == 0) return ~0ull;
    if (x == INT32_MIN && y == -1) return sext32(static_cast<uint32_t>(x));
    return sext32(static_cast<uint32_t>(x / y));
}
inline uint64_t divuw(uint64_t a, uint64_t b) {
    const uint32_t x = static_cast<uint32_t>(a), y = static_cast<uint32_t>(b);
    return y == 0 ? ~0ull : sext32(x / y);
}
inline uint64_t remw(uint64_t a, uint64_t b) {
    const int32_t x = static_cast<int32_t>(a), y = static_cast<int32_t>(b);
    if (y == 0) return sext32(static_cast<uint32_t>(x));
    if (x == INT32_MIN && y == -1) return 0;
    return sext32(static_cast<uint32_t>(x % y));
}
inline uint64_t remuw(uint64_t a, uint64_t b) {
    const uint32_t x = static_cast<uint32_t>(a), y = static_cast<uint32_t>(b);
    return y == 0 ? sext32(x) : sext32(x % y);
}
}  // namespace op

inline ExecStatus lui(Hart& h, const DecodedInsn& d) {
    h.s.x[d.rd] = static_cast<uint64_t>(d.imm);
    return ExecStatus::Continue;
}
inline ExecStatus auipc(Hart& h, const DecodedInsn& d) {
    h.s.x[d.rd] = h.s.pc + static_cast<uint64_t>(d.imm);
    return ExecStatus::Continue;
}

// Jumps (2.5.1). With C implemented IALIGN=16, so targets are never misaligned
// once bit 0 is cleared (JALR) or by encoding (JAL, branches).
inline ExecStatus jal(Hart& h, const DecodedInsn& d) {
    const uint64_t link = h.s.pc + d.length;
    h.s.pc += static_cast<uint64_t>(d.imm);
    h.s.x[d.rd] = link;
    return ExecStatus::Jump;
}
inline ExecStatus jalr(Hart& h, const DecodedInsn& d) {
    const uint64_t target = (h.s.x[d.rs1] + static_cast<uint64_t>(d.imm)) & ~1ull;
    h.s.x[d.rd] = h.s.pc + d.length;
    h.s.pc = target;
    return ExecStatus::Jump;
}

// Conditional branches (2.5.2).
template <bool (*Cond)(uint64_t, uint64_t)>
ExecStatus branch(Hart& h, const DecodedInsn& d) {
    h.s.pc += Cond(h.s.x[d.rs1], h.s.x[d.rs2]) ? static_cast<uint64_t>(d.imm) : d.length;
    return ExecStatus::Jump;
}
namespace cond {
inline bool eq(uint64_t a, uint64_t b) {
    return a == b;
}
inline bool ne(uint64_t a, uint64_t b) {
    return a != b;
}
inline bool lt(uint64_t a, uint64_t b) {
    return static_cast<int64_t>(a) < static_cast<int64_t>(b);
}
inline bool ge(uint64_t a, uint64_t b) {
    return static_cast<int64_t>(a) >= static_cast<int64_t>(b);
}
inline bool ltu(uint64_t a, uint64_t b) {
    return a < b;
}
inline bool geu(uint64_t a, uint64_t b) {
    return a >= b;
}
}  // namespace cond

}  // namespace tessera::riscv::exec
