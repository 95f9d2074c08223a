#pragma once
// Encoders for the 32-bit instruction formats (unprivileged spec 2.2-2.3).
// Used by the compressed-instruction expander and by tests that assemble
// instruction words.

#include <cstdint>

namespace tessera::riscv::encode {

namespace opcode {
inline constexpr uint32_t Load = 0x03, LoadFp = 0x07, MiscMem = 0x0f, OpImm = 0x13, Auipc = 0x17,
                          OpImm32 = 0x1b, Store = 0x23, StoreFp = 0x27, Amo = 0x2f, Op = 0x33, Lui = 0x37,
                          Op32 = 0x3b, Madd = 0x43, Msub = 0x47, Nmsub = 0x4b, Nmadd = 0x4f, OpFp = 0x53,
                          Branch = 0x63, Jalr = 0x67, Jal = 0x6f, System = 0x73;
}

constexpr uint32_t r(uint32_t op, unsigned rd, unsigned f3, unsigned rs1, unsigned rs2, uint32_t f7) {
    return op | (rd << 7) | (f3 << 12) | (rs1 << 15) | (rs2 << 20) | (f7 << 25);
}
constexpr uint32_t r4(uint32_t op, unsigned rd, unsigned rm, unsigned rs1, unsigned rs2, unsigned rs3,
                      unsigned fmt) {
    return op | (rd << 7) | (rm << 12) | (rs1 << 15) | (rs2 << 20) | (fmt << 25) | (rs3 << 27);
}
constexpr uint32_t i(uint32_t op, unsigned rd, unsigned f3, unsigned rs1, int32_t imm) {
    return op | (rd << 7) | (f3 << 12) | (rs1 << 15) | ((static_cast<uint32_t>(imm) & 0xfff) << 20);
}
constexpr uint32_t s(uint32_t op, unsigned f3, unsigned rs1, unsigned rs2, int32_t imm) {
    const uint32_t v = static_cast<uint32_t>(imm);
    return op | ((v & 0x1f) << 7) | (f3 << 12) | (rs1 << 15) | (rs2 << 20) | (((v >> 5) & 0x7f) << 25);
}
constexpr uint32_t b(unsigned f3, unsigned rs1, unsigned rs2, int32_t offset) {
    const uint32_t v = static_cast<uint32_t>(offset);
    return opcode::Branch | (((v >> 11) & 1) << 7) | (((v >> 1) & 0xf) << 8) | (f3 << 12) | (rs1 << 15) |
           (rs2 << 20) | (((v >> 5) & 0x3f) << 25) | (((v >> 12) & 1) << 31);
}
constexpr uint32_t u(uint32_t op, unsigned rd, uint32_t imm20) {
    return op | (rd << 7) | (imm20 << 12);
}
constexpr uint32_t j(unsigned rd, int32_t offset) {
    const uint32_t v = static_cast<uint32_t>(offset);
    return opcode::Jal | (rd << 7) | (((v >> 12) & 0xff) << 12) | (((v >> 11) & 1) << 20) |
           (((v >> 1) & 0x3ff) << 21) | (((v >> 20) & 1) << 31);
}

// A few frequently needed instructions.
constexpr uint32_t addi(unsigned rd, unsigned rs1, int32_t imm) {
    return i(opcode::OpImm, rd, 0, rs1, imm);
}
constexpr uint32_t add(unsigned rd, unsigned rs1, unsigned rs2) {
    return r(opcode::Op, rd, 0, rs1, rs2, 0);
}
constexpr uint32_t lui(unsigned rd, uint32_t imm20) {
    return u(opcode::Lui, rd, imm20);
}
constexpr uint32_t ld(unsigned rd, unsigned rs1, int32_t imm) {
    return i(opcode::Load, rd, 3, rs1, imm);
}
constexpr uint32_t lw(unsigned rd, unsigned rs1, int32_t imm) {
    return i(opcode::Load, rd, 2, rs1, imm);
}
constexpr uint32_t sd(unsigned rs2, unsigned rs1, int32_t imm) {
    return s(opcode::Store, 3, rs1, rs2, imm);
}
constexpr uint32_t sw(unsigned rs2, unsigned rs1, int32_t imm) {
    return s(opcode::Store, 2, rs1, rs2, imm);
}
constexpr uint32_t jal(unsigned rd, int32_t offset) {
    return j(rd, offset);
}
constexpr uint32_t jalr(unsigned rd, unsigned rs1, int32_t imm) {
    return i(opcode::Jalr, rd, 0, rs1, imm);
}
constexpr uint32_t csrrw(unsigned rd, unsigned csr, unsigned rs1) {
    return i(opcode::System, rd, 1, rs1, static_cast<int32_t>(csr));
}
constexpr uint32_t csrrs(unsigned rd, unsigned csr, unsigned rs1) {
    return i(opcode::System, rd, 2, rs1, static_cast<int32_t>(csr));
}
constexpr uint32_t csrrc(unsigned rd, unsigned csr, unsigned rs1) {
    return i(opcode::System, rd, 3, rs1, static_cast<int32_t>(csr));
}
constexpr uint32_t csrrwi(unsigned rd, unsigned csr, unsigned uimm) {
    return i(opcode::System, rd, 5, uimm, static_cast<int32_t>(csr));
}
constexpr uint32_t ecall() {
    return opcode::System;
}
constexpr uint32_t ebreak() {
    return opcode::System | (1u << 20);
}
constexpr uint32_t mret() {
    return 0x30200073;
}
constexpr uint32_t sret() {
    return 0x10200073;
}
constexpr uint32_t wfi() {
    return 0x10500073;
}
constexpr uint32_t sfenceVma(unsigned rs1, unsigned rs2) {
    return r(opcode::System, 0, 0, rs1, rs2, 0x09);
}

}  // namespace tessera::riscv::encode
