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
    {"......................... 0110111", F::U, lui, "lui"},
    {"......................... 0010111", F::U, auipc, "auipc"},
    {"......................... 1101111", F::J, jal, "jal", EndsBlock},
    {"................. 000 ..... 1100111", F::I, jalr, "jalr", EndsBlock},
    {"....... ..... ..... 000 ..... 1100011", F::B, branch<cond::eq>, "beq", EndsBlock},
    {"....... ..... ..... 001 ..... 1100011", F::B, branch<cond::ne>, "bne", EndsBlock},
    {"....... ..... ..... 100 ..... 1100011", F::B, branch<cond::lt>, "blt", EndsBlock},
    {"....... ..... ..... 101 ..... 1100011", F::B, branch<cond::ge>, "bge", EndsBlock},
    {"....... ..... ..... 110 ..... 1100011", F::B, branch<cond::ltu>, "bltu", EndsBlock},
    {"....... ..... ..... 111 ..... 1100011", F::B, branch<cond::geu>, "bgeu", EndsBlock},
    {"................. 000 ..... 0000011", F::I, loadInt<int8_t>, "lb"},
    {"................. 001 ..... 0000011", F::I, loadInt<int16_t>, "lh"},
    {"................. 010 ..... 0000011", F::I, loadInt<int32_t>, "lw"},
    {"................. 011 ..... 0000011", F::I, loadInt<int64_t>, "ld"},
    {"................. 100 ..... 0000011", F::I, loadInt<uint8_t>, "lbu"},
    {"................. 101 ..... 0000011", F::I, loadInt<uint16_t>, "lhu"},
    {"................. 110 ..... 0000011", F::I, loadInt<uint32_t>, "lwu"},
    {"....... ..... ..... 000 ..... 0100011", F::S, storeInt<uint8_t>, "sb"},
    {"....... ..... ..... 001 ..... 0100011", F::S, storeInt<uint16_t>, "sh"},
    {"....... ..... ..... 010 ..... 0100011", F::S, storeInt<uint32_t>, "sw"},
    {"....... ..... ..... 011 ..... 0100011", F::S, storeInt<uint64_t>, "sd"},
    {"................. 000 ..... 0010011", F::I, aluImm<op::add>, "addi"},
    {"................. 010 ..... 0010011", F::I, aluImm<op::slt>, "slti"},
    {"................. 011 ..... 0010011", F::I, aluImm<op::sltu>, "sltiu"},
    {"................. 100 ..... 0010011", F::I, aluImm<op::xor_>, "xori"},
    {"................. 110 ..... 0010011", F::I, aluImm<op::or_>, "ori"},
    {"................. 111 ..... 0010011", F::I, aluImm<op::and_>, "andi"},
    {"000000 ...... ..... 001 ..... 0010011", F::Shift64, aluImm<op::sll>, "slli"},
    {"000000 ...... ..... 101 ..... 0010011", F::Shift64, aluImm<op::srl>, "srli"},
    {"010000 ...... ..... 101 ..... 0010011", F::Shift64, aluImm<op::sra>, "srai"},
    {"0000000 ..... ..... 000 ..... 0110011", F::R, aluReg<op::add>, "add"},
    {"0100000 ..... ..... 000 ..... 0110011", F::R, aluReg<op::sub>, "sub"},
    {"0000000 ..... ..... 001 ..... 0110011", F::R, aluReg<op::sll>, "sll"},
    {"0000000 ..... ..... 010 ..... 0110011", F::R, aluReg<op::slt>, "slt"},
    {"0000000 ..... ..... 011 ..... 0110011", F::R, aluReg<op::sltu>, "sltu"},
    {"0000000 ..... ..... 100 ..... 0110011", F::R, aluReg<op::xor_>, "xor"},
    {"0000000 ..... ..... 101 ..... 0110011", F::R, aluReg<op::srl>, "srl"},
    {"0100000 ..... ..... 101 ..... 0110011", F::R, aluReg<op::sra>, "sra"},
    {"0000000 ..... ..... 110 ..... 0110011", F::R, aluReg<op::or_>, "or"},
    {"0000000 ..... ..... 111 ..... 0110011", F::R, aluReg<op::and_>, "and"},
    {"................. 000 ..... 0011011", F::I, aluImm<op::addw>, "addiw"},
    {"0000000 ..... ..... 001 ..... 0011011", F::Shift32, aluImm<op::sllw>, "slliw"},
    {"0000000 ..... ..... 101 ..... 0011011", F::Shift32, aluImm<op::srlw>, "srliw"},
    {"0100000 ..... ..... 101 ..... 0011011", F::Shift32, aluImm<op::sraw>, "sraiw"},
    {"0000000 ..... ..... 000 ..... 0111011", F::R, aluReg<op::addw>, "addw"},
    {"0100000 ..... ..... 000 ..... 0111011", F::R, aluReg<op::subw>, "subw"},
    {"0000000 ..... ..... 001 ..... 0111011", F::R, aluReg<op::sllw>, "sllw"},
    {"0000000 ..... ..... 101 ..... 0111011", F::R, aluReg<op::srlw>, "srlw"},
    {"0100000 ..... ..... 101 ..... 0111011", F::R, aluReg<op::sraw>, "sraw"},
    {"................. 000 ..... 0001111", F::None, fence, "fence"},
    {"................. 001 ..... 0001111", F::None, fenceI, "fence.i", EndsBlock},
    {"000000000000 00000 000 00000 1110011", F::None, ecall, "ecall", EndsBlock},
    {"000000000001 00000 000 00000 1110011", F::None, ebreak, "ebreak", EndsBlock},
    // ---- Zicsr (chapter 9) ----
    {"................. 001 ..... 1110011", F::Csr, csrAccess<CsrOp::Write, false>, "csrrw"},
    {"................. 010 ..... 1110011", F::Csr, csrAccess<CsrOp::Set, false>, "csrrs"},
    {"................. 011 ..... 1110011", F::Csr, csrAccess<CsrOp::Clear, false>, "csrrc"},
    {"................. 101 ..... 1110011", F::Csr, csrAccess<CsrOp::Write, true>, "csrrwi"},
    {"................. 110 ..... 1110011", F::Csr, csrAccess<CsrOp::Set, true>, "csrrsi"},
    {"................. 111 ..... 1110011", F::Csr, csrAccess<CsrOp::Clear, true>, "csrrci"},
    // ---- Privileged (privileged spec 1.12, 3.3 and 4.2.1) ----
    {"0011000 00010 00000 000 00000 1110011", F::None, mret, "mret", EndsBlock},
    {"0001000 00010 00000 000 00000 1110011", F::None, sret, "sret", EndsBlock},
    {"0001000 00101 00000 000 00000 1110011", F::None, wfi, "wfi", EndsBlock},
    {"0001001 ..... ..... 000 00000 1110011", F::Fence, sfenceVma, "sfence.vma", EndsBlock},
    // ---- M (chapter 7) ----
    {"0000001 ..... ..... 000 ..... 0110011", F::R, aluReg<op::mul>, "mul"},
    {"0000001 ..... ..... 001 ..... 0110011", F::R, aluReg<op::mulh>, "mulh"},
    {"0000001 ..... ..... 010 ..... 0110011", F::R, aluReg<op::mulhsu>, "mulhsu"},
    {"0000001 ..... ..... 011 ..... 0110011", F::R, aluReg<op::mulhu>, "mulhu"},
    {"0000001 ..... ..... 100 ..... 0110011", F::R, aluReg<op::div>, "div"},
    {"0000001 ..... ..... 101 ..... 0110011", F::R, aluReg<op::divu>, "divu"},
    {"0000001 ..... ..... 110 ..... 0110011", F::R, aluReg<op::rem>, "rem"},
    {"0000001 ..... ..... 111 ..... 0110011", F::R, aluReg<op::remu>, "remu"},
    {"0000001 ..... ..... 000 ..... 0111011", F::R, aluReg<op::mulw>, "mulw"},
    {"0000001 ..... ..... 100 ..... 0111011", F::R, aluReg<op::divw>, "divw"},
    {"0000001 ..... ..... 101 ..... 0111011", F::R, aluReg<op::divuw>, "divuw"},
    {"0000001 ..... ..... 110 ..... 0111011", F::R, aluReg<op::remw>, "remw"},
    {"0000001 ..... ..... 111 ..... 0111011", F::R, aluReg<op::remuw>, "remuw"},
    // ---- A (chapter 8); aq/rl bits are don't-care for one in-order hart ----
    {"00010 .. 00000 ..... 010 ..... 0101111", F::R, loadReserved<uint32_t>, "lr.w"},
    {"00011 .. ..... ..... 010 ..... 0101111", F::R, storeConditional<uint32_t>, "sc.w"},
    {"00001 .. ..... ..... 010 ..... 0101111", F::R, amo<uint32_t, amoop::swap<uint32_t>>, "amoswap.w"},
    {"00000 .. ..... ..... 010 ..... 0101111", F::R, amo<uint32_t, amoop::add<uint32_t>>, "amoadd.w"},
    {"00100 .. ..... ..... 010 ..... 0101111", F::R, amo<uint32_t, amoop::xor_<uint32_t>>, "amoxor.w"},
    {"01100 .. ..... ..... 010 ..... 0101111", F::R, amo<uint32_t, amoop::and_<uint32_t>>, "amoand.w"},
    {"01000 .. ..... ..... 010 ..... 0101111", F::R, amo<uint32_t, amoop::or_<uint32_t>>, "amoor.w"},
    {"10000 .. ..... ..... 010 ..... 0101111", F::R, amo<uint32_t, amoop::min<uint32_t>>, "amomin.w"},
    {"10100 .. ..... ..... 010 ..... 0101111", F::R, amo<uint32_t, amoop::max<uint32_t>>, "amomax.w"},
    {"11000 .. ..... ..... 010 ..... 0101111", F::R, amo<uint32_t, amoop::minu<uint32_t>>, "amominu.w"},
    {"11100 .. ..... ..... 010 ..... 0101111", F::R, amo<uint32_t, amoop::maxu<uint32_t>>, "amomaxu.w"},
    {"00010 .. 00000 ..... 011 ..... 0101111", F::R, loadReserved<uint64_t>, "lr.d"},
    {"00011 .. ..... ..... 011 ..... 0101111", F::R, storeConditional<uint64_t>, "sc.d"},
    {"00001 .. ..... ..... 011 ..... 0101111", F::R, amo<uint64_t, amoop::swap<uint64_t>>, "amoswap.d"},
    {"00000 .. ..... ..... 011 ..... 0101111", F::R, amo<uint64_t, amoop::add<uint64_t>>, "amoadd.d"},
    {"00100 .. ..... ..... 011 ..... 0101111", F::R, amo<uint64_t, amoop::xor_<uint64_t>>, "amoxor.d"},
    {"01100 .. ..... ..... 011 ..... 0101111", F::R, amo<uint64_t, amoop::and_<uint64_t>>, "amoand.d"},
    {"01000 .. ..... ..... 011 ..... 0101111", F::R, amo<uint64_t, amoop::or_<uint64_t>>, "amoor.d"},
    {"10000 .. ..... ..... 011 ..... 0101111", F::R, amo<uint64_t, amoop::min<uint64_t>>, "amomin.d"},
    {"10100 .. ..... ..... 011 ..... 0101111", F::R, amo<uint64_t, amoop::max<uint64_t>>, "amomax.d"},
    {"11000 .. ..... ..... 011 ..... 0101111", F::R, amo<uint64_t, amoop::minu<uint64_t>>, "amominu.d"},
    {"11100 .. ..... ..... 011 ..... 0101111", F::R, amo<uint64_t, amoop::maxu<uint64_t>>, "amomaxu.d"},
    // ---- F (chapter 11) ----
    {"................. 010 ..... 0000111", F::I, loadFp<uint32_t>, "flw"},
    {"....... ..... ..... 010 ..... 0100111", F::S, storeFp<uint32_t>, "fsw"},
    {"..... 00 ..... ..... ... ..... 1000011", F::R4, fpFma<float, false, false>, "fmadd.s"},
    {"..... 00 ..... ..... ... ..... 1000111", F::R4, fpFma<float, false, true>, "fmsub.s"},
    {"..... 00 ..... ..... ... ..... 1001011", F::R4, fpFma<float, true, false>, "fnmsub.s"},
    {"..... 00 ..... ..... ... ..... 1001111", F::R4, fpFma<float, true, true>, "fnmadd.s"},
    {"0000000 ..... ..... ... ..... 1010011", F::RFloat, fpArith<float, fpu::add<float>>, "fadd.s"},
    {"0000100 ..... ..... ... ..... 1010011", F::RFloat, fpArith<float, fpu::sub<float>>, "fsub.s"},
    {"0001000 ..... ..... ... ..... 1010011", F::RFloat, fpArith<float, fpu::mul<float>>, "fmul.s"},
    {"0001100 ..... ..... ... ..... 1010011", F::RFloat, fpArith<float, fpu::div<float>>, "fdiv.s"},
    {"0101100 00000 ..... ... ..... 1010011", F::RFloat, fpSqrt<float>, "fsqrt.s"},
    {"0010000 ..... ..... 000 ..... 1010011", F::R, fpSignInject<float, SignInjection::Copy>, "fsgnj.s"},
    {"0010000 ..... ..... 001 ..... 1010011", F::R, fpSignInject<float, SignInjection::Negate>, "fsgnjn.s"},
    {"0010000 ..... ..... 010 ..... 1010011", F::R, fpSignInject<float, SignInjection::Xor>, "fsgnjx.s"},
    {"0010100 ..... ..... 000 ..... 1010011", F::R, fpMinMax<float, fpu::min<float>>, "fmin.s"},
    {"0010100 ..... ..... 001 ..... 1010011", F::R, fpMinMax<float, fpu::max<float>>, "fmax.s"},
    {"1100000 00000 ..... ... ..... 1010011", F::RFloat, fpToInt<float, fpu::toInt32<float>>, "fcvt.w.s"},
    {"1100000 00001 ..... ... ..... 1010011", F::RFloat, fpToInt<float, fpu::toUint32<float>>, "fcvt.wu.s"},
    {"1100000 00010 ..... ... ..... 1010011", F::RFloat, fpToInt<float, fpu::toInt64<float>>, "fcvt.l.s"},
    {"1100000 00011 ..... ... ..... 1010011", F::RFloat, fpToInt<float, fpu::toUint64<float>>, "fcvt.lu.s"},
    {"1110000 00000 ..... 000 ..... 1010011", F::R, fmvXW, "fmv.x.w"},
    {"1010000 ..... ..... 010 ..... 1010011", F::R, fpCompare<float, fpu::eq<float>>, "feq.s"},
    {"1010000 ..... ..... 001 ..... 1010011", F::R, fpCompare<float, fpu::lt<float>>, "flt.s"},
    {"1010000 ..... ..... 000 ..... 1010011", F::R, fpCompare<float, fpu::le<float>>, "fle.s"},
    {"1110000 00000 ..... 001 ..... 1010011", F::R, fpClass<float>, "fclass.s"},
    {"1101000 00000 ..... ... ..... 1010011", F::RFloat, fpFromInt<float, true, 32>, "fcvt.s.w"},
    {"1101000 00001 ..... ... ..... 1010011", F::RFloat, fpFromInt<float, false, 32>, "fcvt.s.wu"},
    {"1101000 00010 ..... ... ..... 1010011", F::RFloat, fpFromInt<float, true, 64>, "fcvt.s.l"},
    {"1101000 00011 ..... ... ..... 1010011", F::RFloat, fpFromInt<float, false, 64>, "fcvt.s.lu"},
    {"1111000 00000 ..... 000 ..... 1010011", F::R, fmvWX, "fmv.w.x"},
    // ---- D (chapter 12) ----
    {"................. 011 ..... 0000111", F::I, loadFp<uint64_t>, "fld"},
    {"....... ..... ..... 011 ..... 0100111", F::S, storeFp<uint64_t>, "fsd"},
    {"..... 01 ..... ..... ... ..... 1000011", F::R4, fpFma<double, false, false>, "fmadd.d"},
    {"..... 01 ..... ..... ... ..... 1000111", F::R4, fpFma<double, false, true>, "fmsub.d"},
    {"..... 01 ..... ..... ... ..... 1001011", F::R4, fpFma<double, true, false>, "fnmsub.d"},
    {"..... 01 ..... ..... ... ..... 1001111", F::R4, fpFma<double, true, true>, "fnmadd.d"},
    {"0000001 ..... ..... ... ..... 1010011", F::RFloat, fpArith<double, fpu::add<double>>, "fadd.d"},
    {"0000101 ..... ..... ... ..... 1010011", F::RFloat, fpArith<double, fpu::sub<double>>, "fsub.d"},
    {"0001001 ..... ..... ... ..... 1010011", F::RFloat, fpArith<double, fpu::mul<double>>, "fmul.d"},
    {"0001101 ..... ..... ... ..... 1010011", F::RFloat, fpArith<double, fpu::div<double>>, "fdiv.d"},
    {"0101101 00000 ..... ... ..... 1010011", F::RFloat, fpSqrt<double>, "fsqrt.d"},
    {"0010001 ..... ..... 000 ..... 1010011", F::R, fpSignInject<double, SignInjection::Copy>, "fsgnj.d"},
    {"0010001 ..... ..... 001 ..... 1010011", F::R, fpSignInject<double, SignInjection::Negate>, "fsgnjn.d"},
    {"0010001 ..... ..... 010 ..... 1010011", F::R, fpSignInject<double, SignInjection::Xor>, "fsgnjx.d"},
    {"0010101 ..... ..... 000 ..... 1010011", F::R, fpMinMax<double, fpu::min<double>>, "fmin.d"},
    {"0010101 ..... ..... 001 ..... 1010011", F::R, fpMinMax<double, fpu::max<double>>, "fmax.d"},
    {"0100000 00001 ..... ... ..... 1010011", F::RFloat, fcvtSD, "fcvt.s.d"},
    {"0100001 00000 ..... ... ..... 1010011", F::RFloat, fcvtDS, "fcvt.d.s"},
    {"1010001 ..... ..... 010 ..... 1010011", F::R, fpCompare<double, fpu::eq<double>>, "feq.d"},
    {"1010001 ..... ..... 001 ..... 1010011", F::R, fpCompare<double, fpu::lt<double>>, "flt.d"},
    {"1010001 ..... ..... 000 ..... 1010011", F::R, fpCompare<double, fpu::le<double>>, "fle.d"},
    {"1110001 00000 ..... 001 ..... 1010011", F::R, fpClass<double>, "fclass.d"},
    {"1100001 00000 ..... ... ..... 1010011", F::RFloat, fpToInt<double, fpu::toInt32<double>>, "fcvt.w.d"},
    {"1100001 00001 ..... ... ..... 1010011", F::RFloat, fpToInt<double, fpu::toUint32<double>>, "fcvt.wu.d"},
    {"1100001 00010 ..... ... ..... 1010011", F::RFloat, fpToInt<double, fpu::toInt64<double>>, "fcvt.l.d"},
    {"1100001 00011 ..... ... ..... 1010011", F::RFloat, fpToInt<double, fpu::toUint64<double>>, "fcvt.lu.d"},
    {"1101001 00000 ..... ... ..... 1010011", F::RFloat, fpFromInt<double, true, 32>, "fcvt.d.w"},
    {"1101001 00001 ..... ... ..... 1010011", F::RFloat, fpFromInt<double, false, 32>, "fcvt.d.wu"},
    {"1101001 00010 ..... ... ..... 1010011", F::RFloat, fpFromInt<double, true, 64>, "fcvt.d.l"},
    {"1101001 00011 ..... ... ..... 1010011", F::RFloat, fpFromInt<double, false, 64>, "fcvt.d.lu"},
    {"1110001 00000 ..... 000 ..... 1010011", F::R, fmvXD, "fmv.x.d"},
    {"1111001 00000 ..... 000 ..... 1010011", F::R, fmvDX, "fmv.d.x"},
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
    d.handler = exec::illegalInstruction;
    d.row = static_cast<uint16_t>(kRowCount);
    return d;
}

}  // namespace tessera::riscv
