// The RV64GC instruction table (unprivileged spec 20191213, chapter 24 "RV32/64G
// Instruction Set Listings"; privileged spec 1.12 for SYSTEM). Bit patterns are
// written funct7 rs2 rs1 funct3 rd opcode; '.' bits are operands.

#include "core/cpu/riscv/decode_table.h"

#include <array>
#include <vector>

#include "core/cpu/riscv/exec_atomic.h"
#include "core/cpu/riscv/exec_float.h"
#include "core/cpu/riscv/exec_integer.h"
#include "core/cpu/riscv/exec_memory.h"
#include "core/cpu/riscv/exec_system.h"

namespace tessera::riscv {
namespace {

using namespace exec;
using F = OperandFormat;
using Fmt = OperandFormat;

// clang-format off
const InsnRow kTable[] = {
    // ---- RV64I base (chapters 2 and 5) ----
    row<lui>("......................... 0110111", F::U, "lui"),
    row<auipc>("......................... 0010111", F::U, "auipc"),
    row<jal>("......................... 1101111", F::J, "jal", EndsBlock),
    row<jalr>("................. 000 ..... 1100111", F::I, "jalr", EndsBlock),
    row<branch<cond::eq>>("....... ..... ..... 000 ..... 1100011", F::B, "beq", EndsBlock),
    row<branch<cond::ne>>("....... ..... ..... 001 ..... 1100011", F::B, "bne", EndsBlock),
    row<branch<cond::lt>>("....... ..... ..... 100 ..... 1100011", F::B, "blt", EndsBlock),
    row<branch<cond::ge>>("....... ..... ..... 101 ..... 1100011", F::B, "bge", EndsBlock),
    row<branch<cond::ltu>>("....... ..... ..... 110 ..... 1100011", F::B, "bltu", EndsBlock),
    row<branch<cond::geu>>("....... ..... ..... 111 ..... 1100011", F::B, "bgeu", EndsBlock),
    row<loadInt<int8_t>>("................. 000 ..... 0000011", F::I, "lb"),
    row<loadInt<int16_t>>("................. 001 ..... 0000011", F::I, "lh"),
    row<loadInt<int32_t>>("................. 010 ..... 0000011", F::I, "lw"),
    row<loadInt<int64_t>>("................. 011 ..... 0000011", F::I, "ld"),
    row<loadInt<uint8_t>>("................. 100 ..... 0000011", F::I, "lbu"),
    row<loadInt<uint16_t>>("................. 101 ..... 0000011", F::I, "lhu"),
    row<loadInt<uint32_t>>("................. 110 ..... 0000011", F::I, "lwu"),
    row<storeInt<uint8_t>>("....... ..... ..... 000 ..... 0100011", F::S, "sb"),
    row<storeInt<uint16_t>>("....... ..... ..... 001 ..... 0100011", F::S, "sh"),
    row<storeInt<uint32_t>>("....... ..... ..... 010 ..... 0100011", F::S, "sw"),
    row<storeInt<uint64_t>>("....... ..... ..... 011 ..... 0100011", F::S, "sd"),
    row<aluImm<op::add>>("................. 000 ..... 0010011", F::I, "addi"),
    row<aluImm<op::slt>>("................. 010 ..... 0010011", F::I, "slti"),
    row<aluImm<op::sltu>>("................. 011 ..... 0010011", F::I, "sltiu"),
    row<aluImm<op::xor_>>("................. 100 ..... 0010011", F::I, "xori"),
    row<aluImm<op::or_>>("................. 110 ..... 0010011", F::I, "ori"),
    row<aluImm<op::and_>>("................. 111 ..... 0010011", F::I, "andi"),
    row<aluImm<op::sll>>("000000 ...... ..... 001 ..... 0010011", F::Shift64, "slli"),
    row<aluImm<op::srl>>("000000 ...... ..... 101 ..... 0010011", F::Shift64, "srli"),
    row<aluImm<op::sra>>("010000 ...... ..... 101 ..... 0010011", F::Shift64, "srai"),
    row<aluReg<op::add>>("0000000 ..... ..... 000 ..... 0110011", F::R, "add"),
    row<aluReg<op::sub>>("0100000 ..... ..... 000 ..... 0110011", F::R, "sub"),
    row<aluReg<op::sll>>("0000000 ..... ..... 001 ..... 0110011", F::R, "sll"),
    row<aluReg<op::slt>>("0000000 ..... ..... 010 ..... 0110011", F::R, "slt"),
    row<aluReg<op::sltu>>("0000000 ..... ..... 011 ..... 0110011", F::R, "sltu"),
    row<aluReg<op::xor_>>("0000000 ..... ..... 100 ..... 0110011", F::R, "xor"),
    row<aluReg<op::srl>>("0000000 ..... ..... 101 ..... 0110011", F::R, "srl"),
    row<aluReg<op::sra>>("0100000 ..... ..... 101 ..... 0110011", F::R, "sra"),
    row<aluReg<op::or_>>("0000000 ..... ..... 110 ..... 0110011", F::R, "or"),
    row<aluReg<op::and_>>("0000000 ..... ..... 111 ..... 0110011", F::R, "and"),
    row<aluImm<op::addw>>("................. 000 ..... 0011011", F::I, "addiw"),
    row<aluImm<op::sllw>>("0000000 ..... ..... 001 ..... 0011011", F::Shift32, "slliw"),
    row<aluImm<op::srlw>>("0000000 ..... ..... 101 ..... 0011011", F::Shift32, "srliw"),
    row<aluImm<op::sraw>>("0100000 ..... ..... 101 ..... 0011011", F::Shift32, "sraiw"),
    row<aluReg<op::addw>>("0000000 ..... ..... 000 ..... 0111011", F::R, "addw"),
    row<aluReg<op::subw>>("0100000 ..... ..... 000 ..... 0111011", F::R, "subw"),
    row<aluReg<op::sllw>>("0000000 ..... ..... 001 ..... 0111011", F::R, "sllw"),
    row<aluReg<op::srlw>>("0000000 ..... ..... 101 ..... 0111011", F::R, "srlw"),
    row<aluReg<op::sraw>>("0100000 ..... ..... 101 ..... 0111011", F::R, "sraw"),
    row<fence>("................. 000 ..... 0001111", F::None, "fence"),
    row<fenceI>("................. 001 ..... 0001111", F::None, "fence.i", EndsBlock),
    row<ecall>("000000000000 00000 000 00000 1110011", F::None, "ecall", EndsBlock),
    row<ebreak>("000000000001 00000 000 00000 1110011", F::None, "ebreak", EndsBlock),
    // ---- Zicsr (chapter 9) ----
    row<csrAccess<CsrOp::Write, false>>("................. 001 ..... 1110011", F::Csr, "csrrw"),
    row<csrAccess<CsrOp::Set, false>>("................. 010 ..... 1110011", F::Csr, "csrrs"),
    row<csrAccess<CsrOp::Clear, false>>("................. 011 ..... 1110011", F::Csr, "csrrc"),
    row<csrAccess<CsrOp::Write, true>>("................. 101 ..... 1110011", F::Csr, "csrrwi"),
    row<csrAccess<CsrOp::Set, true>>("................. 110 ..... 1110011", F::Csr, "csrrsi"),
    row<csrAccess<CsrOp::Clear, true>>("................. 111 ..... 1110011", F::Csr, "csrrci"),
    // ---- Privileged (privileged spec 1.12, 3.3 and 4.2.1) ----
    row<mret>("0011000 00010 00000 000 00000 1110011", F::None, "mret", EndsBlock),
    row<sret>("0001000 00010 00000 000 00000 1110011", F::None, "sret", EndsBlock),
    row<wfi>("0001000 00101 00000 000 00000 1110011", F::None, "wfi", EndsBlock),
    row<sfenceVma>("0001001 ..... ..... 000 00000 1110011", F::Fence, "sfence.vma", EndsBlock),
    // ---- M (chapter 7) ----
    row<aluReg<op::mul>>("0000001 ..... ..... 000 ..... 0110011", F::R, "mul"),
    row<aluReg<op::mulh>>("0000001 ..... ..... 001 ..... 0110011", F::R, "mulh"),
    row<aluReg<op::mulhsu>>("0000001 ..... ..... 010 ..... 0110011", F::R, "mulhsu"),
    row<aluReg<op::mulhu>>("0000001 ..... ..... 011 ..... 0110011", F::R, "mulhu"),
    row<aluReg<op::div>>("0000001 ..... ..... 100 ..... 0110011", F::R, "div"),
    row<aluReg<op::divu>>("0000001 ..... ..... 101 ..... 0110011", F::R, "divu"),
    row<aluReg<op::rem>>("0000001 ..... ..... 110 ..... 0110011", F::R, "rem"),
    row<aluReg<op::remu>>("0000001 ..... ..... 111 ..... 0110011", F::R, "remu"),
    row<aluReg<op::mulw>>("0000001 ..... ..... 000 ..... 0111011", F::R, "mulw"),
    row<aluReg<op::divw>>("0000001 ..... ..... 100 ..... 0111011", F::R, "divw"),
    row<aluReg<op::divuw>>("0000001 ..... ..... 101 ..... 0111011", F::R, "divuw"),
    row<aluReg<op::remw>>("0000001 ..... ..... 110 ..... 0111011", F::R, "remw"),
    row<aluReg<op::remuw>>("0000001 ..... ..... 111 ..... 0111011", F::R, "remuw"),
    // ---- A (chapter 8); aq/rl bits are don't-care for one in-order hart ----
    row<loadReserved<uint32_t>>("00010 .. 00000 ..... 010 ..... 0101111", F::R, "lr.w"),
    row<storeConditional<uint32_t>>("00011 .. ..... ..... 010 ..... 0101111", F::R, "sc.w"),
    row<amo<uint32_t, amoop::swap<uint32_t>>>("00001 .. ..... ..... 010 ..... 0101111", F::R, "amoswap.w"),
    row<amo<uint32_t, amoop::add<uint32_t>>>("00000 .. ..... ..... 010 ..... 0101111", F::R, "amoadd.w"),
    row<amo<uint32_t, amoop::xor_<uint32_t>>>("00100 .. ..... ..... 010 ..... 0101111", F::R, "amoxor.w"),
    row<amo<uint32_t, amoop::and_<uint32_t>>>("01100 .. ..... ..... 010 ..... 0101111", F::R, "amoand.w"),
    row<amo<uint32_t, amoop::or_<uint32_t>>>("01000 .. ..... ..... 010 ..... 0101111", F::R, "amoor.w"),
    row<amo<uint32_t, amoop::min<uint32_t>>>("10000 .. ..... ..... 010 ..... 0101111", F::R, "amomin.w"),
    row<amo<uint32_t, amoop::max<uint32_t>>>("10100 .. ..... ..... 010 ..... 0101111", F::R, "amomax.w"),
    row<amo<uint32_t, amoop::minu<uint32_t>>>("11000 .. ..... ..... 010 ..... 0101111", F::R, "amominu.w"),
    row<amo<uint32_t, amoop::maxu<uint32_t>>>("11100 .. ..... ..... 010 ..... 0101111", F::R, "amomaxu.w"),
    row<loadReserved<uint64_t>>("00010 .. 00000 ..... 011 ..... 0101111", F::R, "lr.d"),
    row<storeConditional<uint64_t>>("00011 .. ..... ..... 011 ..... 0101111", F::R, "sc.d"),
    row<amo<uint64_t, amoop::swap<uint64_t>>>("00001 .. ..... ..... 011 ..... 0101111", F::R, "amoswap.d"),
    row<amo<uint64_t, amoop::add<uint64_t>>>("00000 .. ..... ..... 011 ..... 0101111", F::R, "amoadd.d"),
    row<amo<uint64_t, amoop::xor_<uint64_t>>>("00100 .. ..... ..... 011 ..... 0101111", F::R, "amoxor.d"),
    row<amo<uint64_t, amoop::and_<uint64_t>>>("01100 .. ..... ..... 011 ..... 0101111", F::R, "amoand.d"),
    row<amo<uint64_t, amoop::or_<uint64_t>>>("01000 .. ..... ..... 011 ..... 0101111", F::R, "amoor.d"),
    row<amo<uint64_t, amoop::min<uint64_t>>>("10000 .. ..... ..... 011 ..... 0101111", F::R, "amomin.d"),
    row<amo<uint64_t, amoop::max<uint64_t>>>("10100 .. ..... ..... 011 ..... 0101111", F::R, "amomax.d"),
    row<amo<uint64_t, amoop::minu<uint64_t>>>("11000 .. ..... ..... 011 ..... 0101111", F::R, "amominu.d"),
    row<amo<uint64_t, amoop::maxu<uint64_t>>>("11100 .. ..... ..... 011 ..... 0101111", F::R, "amomaxu.d"),
    // ---- F (chapter 11) ----
    row<loadFp<uint32_t>>("................. 010 ..... 0000111", F::I, "flw"),
    row<storeFp<uint32_t>>("....... ..... ..... 010 ..... 0100111", F::S, "fsw"),
    row<fpFma<float, false, false>>("..... 00 ..... ..... ... ..... 1000011", F::R4, "fmadd.s"),
    row<fpFma<float, false, true>>("..... 00 ..... ..... ... ..... 1000111", F::R4, "fmsub.s"),
    row<fpFma<float, true, false>>("..... 00 ..... ..... ... ..... 1001011", F::R4, "fnmsub.s"),
    row<fpFma<float, true, true>>("..... 00 ..... ..... ... ..... 1001111", F::R4, "fnmadd.s"),
    row<fpArith<float, fpu::add<float>>>("0000000 ..... ..... ... ..... 1010011", F::RFloat, "fadd.s"),
    row<fpArith<float, fpu::sub<float>>>("0000100 ..... ..... ... ..... 1010011", F::RFloat, "fsub.s"),
    row<fpArith<float, fpu::mul<float>>>("0001000 ..... ..... ... ..... 1010011", F::RFloat, "fmul.s"),
    row<fpArith<float, fpu::div<float>>>("0001100 ..... ..... ... ..... 1010011", F::RFloat, "fdiv.s"),
    row<fpSqrt<float>>("0101100 00000 ..... ... ..... 1010011", F::RFloat, "fsqrt.s"),
    row<fpSignInject<float, SignInjection::Copy>>("0010000 ..... ..... 000 ..... 1010011", F::R, "fsgnj.s"),
    row<fpSignInject<float, SignInjection::Negate>>("0010000 ..... ..... 001 ..... 1010011", F::R, "fsgnjn.s"),
    row<fpSignInject<float, SignInjection::Xor>>("0010000 ..... ..... 010 ..... 1010011", F::R, "fsgnjx.s"),
    row<fpMinMax<float, fpu::min<float>>>("0010100 ..... ..... 000 ..... 1010011", F::R, "fmin.s"),
    row<fpMinMax<float, fpu::max<float>>>("0010100 ..... ..... 001 ..... 1010011", F::R, "fmax.s"),
    row<fpToInt<float, fpu::toInt32<float>>>("1100000 00000 ..... ... ..... 1010011", F::RFloat, "fcvt.w.s"),
    row<fpToInt<float, fpu::toUint32<float>>>("1100000 00001 ..... ... ..... 1010011", F::RFloat, "fcvt.wu.s"),
    row<fpToInt<float, fpu::toInt64<float>>>("1100000 00010 ..... ... ..... 1010011", F::RFloat, "fcvt.l.s"),
    row<fpToInt<float, fpu::toUint64<float>>>("1100000 00011 ..... ... ..... 1010011", F::RFloat, "fcvt.lu.s"),
    row<fmvXW>("1110000 00000 ..... 000 ..... 1010011", F::R, "fmv.x.w"),
    row<fpCompare<float, fpu::eq<float>>>("1010000 ..... ..... 010 ..... 1010011", F::R, "feq.s"),
    row<fpCompare<float, fpu::lt<float>>>("1010000 ..... ..... 001 ..... 1010011", F::R, "flt.s"),
    row<fpCompare<float, fpu::le<float>>>("1010000 ..... ..... 000 ..... 1010011", F::R, "fle.s"),
    row<fpClass<float>>("1110000 00000 ..... 001 ..... 1010011", F::R, "fclass.s"),
    row<fpFromInt<float, true, 32>>("1101000 00000 ..... ... ..... 1010011", F::RFloat, "fcvt.s.w"),
    row<fpFromInt<float, false, 32>>("1101000 00001 ..... ... ..... 1010011", F::RFloat, "fcvt.s.wu"),
    row<fpFromInt<float, true, 64>>("1101000 00010 ..... ... ..... 1010011", F::RFloat, "fcvt.s.l"),
    row<fpFromInt<float, false, 64>>("1101000 00011 ..... ... ..... 1010011", F::RFloat, "fcvt.s.lu"),
    row<fmvWX>("1111000 00000 ..... 000 ..... 1010011", F::R, "fmv.w.x"),
    // ---- D (chapter 12) ----
    row<loadFp<uint64_t>>("................. 011 ..... 0000111", F::I, "fld"),
    row<storeFp<uint64_t>>("....... ..... ..... 011 ..... 0100111", F::S, "fsd"),
    row<fpFma<double, false, false>>("..... 01 ..... ..... ... ..... 1000011", F::R4, "fmadd.d"),
    row<fpFma<double, false, true>>("..... 01 ..... ..... ... ..... 1000111", F::R4, "fmsub.d"),
    row<fpFma<double, true, false>>("..... 01 ..... ..... ... ..... 1001011", F::R4, "fnmsub.d"),
    row<fpFma<double, true, true>>("..... 01 ..... ..... ... ..... 1001111", F::R4, "fnmadd.d"),
    row<fpArith<double, fpu::add<double>>>("0000001 ..... ..... ... ..... 1010011", F::RFloat, "fadd.d"),
    row<fpArith<double, fpu::sub<double>>>("0000101 ..... ..... ... ..... 1010011", F::RFloat, "fsub.d"),
    row<fpArith<double, fpu::mul<double>>>("0001001 ..... ..... ... ..... 1010011", F::RFloat, "fmul.d"),
    row<fpArith<double, fpu::div<double>>>("0001101 ..... ..... ... ..... 1010011", F::RFloat, "fdiv.d"),
    row<fpSqrt<double>>("0101101 00000 ..... ... ..... 1010011", F::RFloat, "fsqrt.d"),
    row<fpSignInject<double, SignInjection::Copy>>("0010001 ..... ..... 000 ..... 1010011", F::R, "fsgnj.d"),
    row<fpSignInject<double, SignInjection::Negate>>("0010001 ..... ..... 001 ..... 1010011", F::R, "fsgnjn.d"),
    row<fpSignInject<double, SignInjection::Xor>>("0010001 ..... ..... 010 ..... 1010011", F::R, "fsgnjx.d"),
    row<fpMinMax<double, fpu::min<double>>>("0010101 ..... ..... 000 ..... 1010011", F::R, "fmin.d"),
    row<fpMinMax<double, fpu::max<double>>>("0010101 ..... ..... 001 ..... 1010011", F::R, "fmax.d"),
    row<fcvtSD>("0100000 00001 ..... ... ..... 1010011", F::RFloat, "fcvt.s.d"),
    row<fcvtDS>("0100001 00000 ..... ... ..... 1010011", F::RFloat, "fcvt.d.s"),
    row<fpCompare<double, fpu::eq<double>>>("1010001 ..... ..... 010 ..... 1010011", F::R, "feq.d"),
    row<fpCompare<double, fpu::lt<double>>>("1010001 ..... ..... 001 ..... 1010011", F::R, "flt.d"),
    row<fpCompare<double, fpu::le<double>>>("1010001 ..... ..... 000 ..... 1010011", F::R, "fle.d"),
    row<fpClass<double>>("1110001 00000 ..... 001 ..... 1010011", F::R, "fclass.d"),
    row<fpToInt<double, fpu::toInt32<double>>>("1100001 00000 ..... ... ..... 1010011", F::RFloat, "fcvt.w.d"),
    row<fpToInt<double, fpu::toUint32<double>>>("1100001 00001 ..... ... ..... 1010011", F::RFloat, "fcvt.wu.d"),
    row<fpToInt<double, fpu::toInt64<double>>>("1100001 00010 ..... ... ..... 1010011", F::RFloat, "fcvt.l.d"),
    row<fpToInt<double, fpu::toUint64<double>>>("1100001 00011 ..... ... ..... 1010011", F::RFloat, "fcvt.lu.d"),
    row<fpFromInt<double, true, 32>>("1101001 00000 ..... ... ..... 1010011", F::RFloat, "fcvt.d.w"),
    row<fpFromInt<double, false, 32>>("1101001 00001 ..... ... ..... 1010011", F::RFloat, "fcvt.d.wu"),
    row<fpFromInt<double, true, 64>>("1101001 00010 ..... ... ..... 1010011", F::RFloat, "fcvt.d.l"),
    row<fpFromInt<double, false, 64>>("1101001 00011 ..... ... ..... 1010011", F::RFloat, "fcvt.d.lu"),
    row<fmvXD>("1110001 00000 ..... 000 ..... 1010011", F::R, "fmv.x.d"),
    row<fmvDX>("1111001 00000 ..... 000 ..... 1010011", F::R, "fmv.d.x"),
};
// clang-format on

constexpr size_t kRowCount = sizeof(kTable) / sizeof(kTable[0]);

int64_t signExtend(uint64_t value, unsigned bits) {
    const unsigned shift = 64 - bits;
    return static_cast<int64_t>(value << shift) >> shift;
}

void extractOperands(OperandFormat format, uint32_t raw, DecodedInsn& d) {
    d.rd = (raw >> 7) & 31;
    d.rs1 = (raw >> 15) & 31;
    d.rs2 = (raw >> 20) & 31;
    d.rs3 = (raw >> 27) & 31;
    d.rm = (raw >> 12) & 7;
    switch (format) {
        case Fmt::None:
        case Fmt::R:
        case Fmt::R4:
        case Fmt::RFloat:
        case Fmt::Fence:
            break;
        case Fmt::I:
            d.imm = signExtend(raw >> 20, 12);
            break;
        case Fmt::Shift64:
            d.imm = (raw >> 20) & 63;
            break;
        case Fmt::Shift32:
            d.imm = (raw >> 20) & 31;
            break;
        case Fmt::S:
            d.imm = signExtend(((raw >> 25) << 5) | ((raw >> 7) & 31), 12);
            break;
        case Fmt::B:
            d.imm = signExtend((((raw >> 31) & 1) << 12) | (((raw >> 7) & 1) << 11) |
                                   (((raw >> 25) & 0x3f) << 5) | (((raw >> 8) & 0xf) << 1),
                               13);
            break;
        case Fmt::U:
            d.imm = signExtend(raw & 0xfffff000u, 32);
            break;
        case Fmt::J:
            d.imm = signExtend((((raw >> 31) & 1) << 20) | (((raw >> 12) & 0xff) << 12) |
                                   (((raw >> 20) & 1) << 11) | (((raw >> 21) & 0x3ff) << 1),
                               21);
            break;
        case Fmt::Csr:
            d.imm = raw >> 20;
            break;
    }
}

// Whether the instruction writes integer register rd (as opposed to an f
// register, or no register at all): stores, branches, fences, SYSTEM
// instructions without a destination and FP instructions with an FP result
// do not.
bool writesIntegerRd(OperandFormat format, uint32_t raw) {
    if (format == Fmt::S || format == Fmt::B || format == Fmt::None || format == Fmt::Fence) return false;
    const uint32_t opcode = raw & 0x7f;
    if (opcode == 0x07 || opcode == 0x43 || opcode == 0x47 || opcode == 0x4b || opcode == 0x4f) return false;
    if (opcode == 0x53) {
        const uint32_t funct7 = raw >> 25;
        // fcvt.{w,wu,l,lu}.{s,d}, fmv.x.{w,d}, fclass, feq/flt/fle
        return funct7 == 0x60 || funct7 == 0x61 || funct7 == 0x70 || funct7 == 0x71 || funct7 == 0x50 ||
               funct7 == 0x51;
    }
    return true;
}

// Rows bucketed by the 7-bit major opcode so decoding scans only a few rows.
struct Buckets {
    std::array<std::vector<uint16_t>, 128> rows;
    Buckets() {
        for (size_t i = 0; i < kRowCount; ++i) {
            const BitPattern& p = kTable[i].pattern;
            for (uint32_t op = 0; op < 128; ++op)
                if ((op & p.mask & 0x7f) == (p.match & 0x7f)) rows[op].push_back(static_cast<uint16_t>(i));
        }
    }
};

}  // namespace

std::span<const InsnRow> decodeTable() {
    return {kTable, kRowCount};
}

DecodedInsn decodeInstruction(uint32_t raw) {
    static const Buckets buckets;
    DecodedInsn d;
    d.raw = raw;
    d.length = 4;
    for (uint16_t index : buckets.rows[raw & 0x7f]) {
        const InsnRow& row = kTable[index];
        if ((raw & row.pattern.mask) == row.pattern.match) {
            d.handler = row.handler;
            d.row = index;
            extractOperands(row.format, raw, d);
            if (d.rd == 0 && writesIntegerRd(row.format, raw)) d.rd = kZeroSink;
            return d;
        }
    }
    d.handler = threaded<exec::illegalInstruction>;
    d.row = static_cast<uint16_t>(kRowCount);
    return d;
}

Semantic semanticOf(const DecodedInsn& insn) {
    return insn.row < kRowCount ? kTable[insn.row].semantic : exec::illegalInstruction;
}

}  // namespace tessera::riscv
