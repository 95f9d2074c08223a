// The C extension (unprivileged spec 20191213, chapter 16, tables 16.5-16.7):
// every compressed instruction expands to one 32-bit instruction, which then
// goes through the main decode table. Rows whose variants differ only by a
// zero/non-zero register field (C.JR/C.MV, C.EBREAK/C.JALR/C.ADD,
// C.LUI/C.ADDI16SP) are one row with the choice inside the expander.

#include "core/cpu/riscv/decode_table.h"
#include "core/cpu/riscv/encoding.h"

namespace tessera::riscv {
namespace {

using namespace encode;

uint32_t bit(uint16_t v, unsigned n) {
    return (v >> n) & 1;
}
uint32_t bits(uint16_t v, unsigned hi, unsigned lo) {
    return (v >> lo) & ((1u << (hi - lo + 1)) - 1);
}
int32_t sext(uint32_t v, unsigned width) {
    return static_cast<int32_t>(v << (32 - width)) >> (32 - width);
}
// Registers x8..x15 in the 3-bit fields of CIW/CL/CS/CA/CB formats.
unsigned rp(uint16_t v, unsigned lo) {
    return 8 + bits(v, lo + 2, lo);
}
unsigned rdFull(uint16_t v) {
    return bits(v, 11, 7);
}
unsigned rs2Full(uint16_t v) {
    return bits(v, 6, 2);
}

int32_t ciImm(uint16_t v) {
    return sext((bit(v, 12) << 5) | bits(v, 6, 2), 6);
}
uint32_t ciShamt(uint16_t v) {
    return (bit(v, 12) << 5) | bits(v, 6, 2);
}
// CL/CS offsets for word and doubleword accesses.
uint32_t clwOffset(uint16_t v) {
    return (bits(v, 12, 10) << 3) | (bit(v, 6) << 2) | (bit(v, 5) << 6);
}
uint32_t cldOffset(uint16_t v) {
    return (bits(v, 12, 10) << 3) | (bits(v, 6, 5) << 6);
}
int32_t cjOffset(uint16_t v) {
    const uint32_t o = (bit(v, 12) << 11) | (bit(v, 11) << 4) | (bits(v, 10, 9) << 8) | (bit(v, 8) << 10) |
                       (bit(v, 7) << 6) | (bit(v, 6) << 7) | (bits(v, 5, 3) << 1) | (bit(v, 2) << 5);
    return sext(o, 12);
}
int32_t cbOffset(uint16_t v) {
    const uint32_t o = (bit(v, 12) << 8) | (bits(v, 11, 10) << 3) | (bits(v, 6, 5) << 6) |
                       (bits(v, 4, 3) << 1) | (bit(v, 2) << 5);
    return sext(o, 9);
}

// ---- Quadrant 0 ----
uint32_t cAddi4spn(uint16_t v) {
    const uint32_t imm = (bits(v, 12, 11) << 4) | (bits(v, 10, 7) << 6) | (bit(v, 6) << 2) | (bit(v, 5) << 3);
    if (imm == 0) return 0;  // reserved (and the all-zero word is defined illegal)
    return addi(rp(v, 2), 2, static_cast<int32_t>(imm));
}
uint32_t cFld(uint16_t v) {
    return i(opcode::LoadFp, rp(v, 2), 3, rp(v, 7), static_cast<int32_t>(cldOffset(v)));
}
uint32_t cLw(uint16_t v) {
    return i(opcode::Load, rp(v, 2), 2, rp(v, 7), static_cast<int32_t>(clwOffset(v)));
}
uint32_t cLd(uint16_t v) {
    return i(opcode::Load, rp(v, 2), 3, rp(v, 7), static_cast<int32_t>(cldOffset(v)));
}
uint32_t cFsd(uint16_t v) {
    return s(opcode::StoreFp, 3, rp(v, 7), rp(v, 2), static_cast<int32_t>(cldOffset(v)));
}
uint32_t cSw(uint16_t v) {
    return s(opcode::Store, 2, rp(v, 7), rp(v, 2), static_cast<int32_t>(clwOffset(v)));
}
uint32_t cSd(uint16_t v) {
    return s(opcode::Store, 3, rp(v, 7), rp(v, 2), static_cast<int32_t>(cldOffset(v)));
}

// ---- Quadrant 1 ----
uint32_t cAddi(uint16_t v) {
    return addi(rdFull(v), rdFull(v), ciImm(v));
}  // rd=0: C.NOP/hint
uint32_t cAddiw(uint16_t v) {
    if (rdFull(v) == 0) return 0;
    return i(opcode::OpImm32, rdFull(v), 0, rdFull(v), ciImm(v));
}
uint32_t cLi(uint16_t v) {
    return addi(rdFull(v), 0, ciImm(v));
}
uint32_t cLuiAddi16sp(uint16_t v) {
    const unsigned rd = rdFull(v);
    if (rd == 2) {
        const uint32_t imm =
            (bit(v, 12) << 9) | (bit(v, 6) << 4) | (bit(v, 5) << 6) | (bits(v, 4, 3) << 7) | (bit(v, 2) << 5);
        if (imm == 0) return 0;
        return addi(2, 2, sext(imm, 10));
    }
    const int32_t imm = ciImm(v);
    if (imm == 0) return 0;
    return lui(rd, static_cast<uint32_t>(imm) & 0xfffff);
}
uint32_t cSrli(uint16_t v) {
    return i(opcode::OpImm, rp(v, 7), 5, rp(v, 7), static_cast<int32_t>(ciShamt(v)));
}
uint32_t cSrai(uint16_t v) {
    return i(opcode::OpImm, rp(v, 7), 5, rp(v, 7), static_cast<int32_t>(ciShamt(v) | 0x400));
}
uint32_t cAndi(uint16_t v) {
    return i(opcode::OpImm, rp(v, 7), 7, rp(v, 7), ciImm(v));
}
uint32_t cSub(uint16_t v) {
    return r(opcode::Op, rp(v, 7), 0, rp(v, 7), rp(v, 2), 0x20);
}
uint32_t cXor(uint16_t v) {
    return r(opcode::Op, rp(v, 7), 4, rp(v, 7), rp(v, 2), 0);
}
uint32_t cOr(uint16_t v) {
    return r(opcode::Op, rp(v, 7), 6, rp(v, 7), rp(v, 2), 0);
}
uint32_t cAnd(uint16_t v) {
    return r(opcode::Op, rp(v, 7), 7, rp(v, 7), rp(v, 2), 0);
}
uint32_t cSubw(uint16_t v) {
    return r(opcode::Op32, rp(v, 7), 0, rp(v, 7), rp(v, 2), 0x20);
}
uint32_t cAddw(uint16_t v) {
    return r(opcode::Op32, rp(v, 7), 0, rp(v, 7), rp(v, 2), 0);
}
uint32_t cJ(uint16_t v) {
    return jal(0, cjOffset(v));
}
uint32_t cBeqz(uint16_t v) {
    return b(0, rp(v, 7), 0, cbOffset(v));
}
uint32_t cBnez(uint16_t v) {
    return b(1, rp(v, 7), 0, cbOffset(v));
}

// ---- Quadrant 2 ----
uint32_t cSlli(uint16_t v) {
    return i(opcode::OpImm, rdFull(v), 1, rdFull(v), static_cast<int32_t>(ciShamt(v)));
}
uint32_t cFldsp(uint16_t v) {
    const uint32_t off = (bit(v, 12) << 5) | (bits(v, 6, 5) << 3) | (bits(v, 4, 2) << 6);
    return i(opcode::LoadFp, rdFull(v), 3, 2, static_cast<int32_t>(off));
}
uint32_t cLwsp(uint16_t v) {
    if (rdFull(v) == 0) return 0;
    const uint32_t off = (bit(v, 12) << 5) | (bits(v, 6, 4) << 2) | (bits(v, 3, 2) << 6);
    return i(opcode::Load, rdFull(v), 2, 2, static_cast<int32_t>(off));
}
uint32_t cLdsp(uint16_t v) {
    if (rdFull(v) == 0) return 0;
    const uint32_t off = (bit(v, 12) << 5) | (bits(v, 6, 5) << 3) | (bits(v, 4, 2) << 6);
    return i(opcode::Load, rdFull(v), 3, 2, static_cast<int32_t>(off));
}
uint32_t cJrMv(uint16_t v) {
    if (rs2Full(v) == 0) {
        if (rdFull(v) == 0) return 0;  // C.JR with rs1=0 is reserved
        return jalr(0, rdFull(v), 0);
    }
    return add(rdFull(v), 0, rs2Full(v));  // C.MV
}
uint32_t cEbreakJalrAdd(uint16_t v) {
    if (rs2Full(v) == 0) {
        if (rdFull(v) == 0) return ebreak();
        return jalr(1, rdFull(v), 0);
    }
    return add(rdFull(v), rdFull(v), rs2Full(v));
}
uint32_t cFsdsp(uint16_t v) {
    const uint32_t off = (bits(v, 12, 10) << 3) | (bits(v, 9, 7) << 6);
    return s(opcode::StoreFp, 3, 2, rs2Full(v), static_cast<int32_t>(off));
}
uint32_t cSwsp(uint16_t v) {
    const uint32_t off = (bits(v, 12, 9) << 2) | (bits(v, 8, 7) << 6);
    return s(opcode::Store, 2, 2, rs2Full(v), static_cast<int32_t>(off));
}
uint32_t cSdsp(uint16_t v) {
    const uint32_t off = (bits(v, 12, 10) << 3) | (bits(v, 9, 7) << 6);
    return s(opcode::Store, 3, 2, rs2Full(v), static_cast<int32_t>(off));
}

// clang-format off
const CompressedRow kCompressed[] = {
    {"000 ........... 00", cAddi4spn, "c.addi4spn"},
    {"001 ........... 00", cFld, "c.fld"},
    {"010 ........... 00", cLw, "c.lw"},
    {"011 ........... 00", cLd, "c.ld"},
    {"101 ........... 00", cFsd, "c.fsd"},
    {"110 ........... 00", cSw, "c.sw"},
    {"111 ........... 00", cSd, "c.sd"},
    {"000 ........... 01", cAddi, "c.addi"},
    {"001 ........... 01", cAddiw, "c.addiw"},
    {"010 ........... 01", cLi, "c.li"},
    {"011 ........... 01", cLuiAddi16sp, "c.lui/c.addi16sp"},
    {"100 . 00 ..... ... 01", cSrli, "c.srli"},
    {"100 . 01 ..... ... 01", cSrai, "c.srai"},
    {"100 . 10 ..... ... 01", cAndi, "c.andi"},
    {"100 0 11 ... 00 ... 01", cSub, "c.sub"},
    {"100 0 11 ... 01 ... 01", cXor, "c.xor"},
    {"100 0 11 ... 10 ... 01", cOr, "c.or"},
    {"100 0 11 ... 11 ... 01", cAnd, "c.and"},
    {"100 1 11 ... 00 ... 01", cSubw, "c.subw"},
    {"100 1 11 ... 01 ... 01", cAddw, "c.addw"},
    {"101 ........... 01", cJ, "c.j"},
    {"110 ........... 01", cBeqz, "c.beqz"},
    {"111 ........... 01", cBnez, "c.bnez"},
    {"000 ........... 10", cSlli, "c.slli"},
    {"001 ........... 10", cFldsp, "c.fldsp"},
    {"010 ........... 10", cLwsp, "c.lwsp"},
    {"011 ........... 10", cLdsp, "c.ldsp"},
    {"100 0 .......... 10", cJrMv, "c.jr/c.mv"},
    {"100 1 .......... 10", cEbreakJalrAdd, "c.ebreak/c.jalr/c.add"},
    {"101 ........... 10", cFsdsp, "c.fsdsp"},
    {"110 ........... 10", cSwsp, "c.swsp"},
    {"111 ........... 10", cSdsp, "c.sdsp"},
};
// clang-format on

}  // namespace

std::span<const CompressedRow> compressedTable() {
    return kCompressed;
}

uint32_t expandCompressed(uint16_t raw) {
    for (const CompressedRow& row : kCompressed)
        if ((raw & row.pattern.mask) == row.pattern.match) return row.expand(raw);
    return 0;
}

}  // namespace tessera::riscv
