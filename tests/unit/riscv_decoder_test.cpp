// Specification: the RV64GC decoder is a data table whose rows never overlap,
// that recognises every RV64GC instruction (encodings produced by GNU as for
// -march=rv64gc and pasted here), and whose compressed table expands every
// RVC instruction to exactly the 32-bit instruction GNU as produces for it.

#include <QtTest>
#include <string>

#include "core/cpu/riscv/decode_table.h"

using namespace tessera::riscv;

namespace {
struct KnownWord {
    uint32_t raw;
    const char* mnemonic;
};
// riscv64-linux-gnu-as -march=rv64gc + objdump -M no-aliases (one of each instruction).
const KnownWord kKnown[] = {
    {0x12345537, "lui"},       {0x00001597, "auipc"},     {0x008000ef, "jal"},
    {0x004500e7, "jalr"},      {0x00b50863, "beq"},       {0x00b51863, "bne"},
    {0xfeb548e3, "blt"},       {0x00b55863, "bge"},       {0x00b56863, "bltu"},
    {0x00b57863, "bgeu"},      {0xfff58503, "lb"},        {0x00259503, "lh"},
    {0x0045a503, "lw"},        {0x0085b503, "ld"},        {0x0015c503, "lbu"},
    {0x0025d503, "lhu"},       {0x0045e503, "lwu"},       {0xfea58fa3, "sb"},
    {0x00a59123, "sh"},        {0x00a5a223, "sw"},        {0x00a5b423, "sd"},
    {0xffb58513, "addi"},      {0x0055a513, "slti"},      {0x0055b513, "sltiu"},
    {0x0055c513, "xori"},      {0x0055e513, "ori"},       {0x0055f513, "andi"},
    {0x02159513, "slli"},      {0x0215d513, "srli"},      {0x4215d513, "srai"},
    {0x00c58533, "add"},       {0x40c58533, "sub"},       {0x00c59533, "sll"},
    {0x00c5a533, "slt"},       {0x00c5b533, "sltu"},      {0x00c5c533, "xor"},
    {0x00c5d533, "srl"},       {0x40c5d533, "sra"},       {0x00c5e533, "or"},
    {0x00c5f533, "and"},       {0x0075851b, "addiw"},     {0x0075951b, "slliw"},
    {0x0075d51b, "srliw"},     {0x4075d51b, "sraiw"},     {0x00c5853b, "addw"},
    {0x40c5853b, "subw"},      {0x00c5953b, "sllw"},      {0x00c5d53b, "srlw"},
    {0x40c5d53b, "sraw"},      {0x0330000f, "fence"},     {0x0000100f, "fence.i"},
    {0x00000073, "ecall"},     {0x00100073, "ebreak"},    {0x34059573, "csrrw"},
    {0x3005a573, "csrrs"},     {0x3005b573, "csrrc"},     {0x3402d573, "csrrwi"},
    {0x3002e573, "csrrsi"},    {0x3002f573, "csrrci"},    {0x30200073, "mret"},
    {0x10200073, "sret"},      {0x10500073, "wfi"},       {0x12b50073, "sfence.vma"},
    {0x02c58533, "mul"},       {0x02c59533, "mulh"},      {0x02c5a533, "mulhsu"},
    {0x02c5b533, "mulhu"},     {0x02c5c533, "div"},       {0x02c5d533, "divu"},
    {0x02c5e533, "rem"},       {0x02c5f533, "remu"},      {0x02c5853b, "mulw"},
    {0x02c5c53b, "divw"},      {0x02c5d53b, "divuw"},     {0x02c5e53b, "remw"},
    {0x02c5f53b, "remuw"},     {0x1005a52f, "lr.w"},      {0x18c5a52f, "sc.w"},
    {0x08c5a52f, "amoswap.w"}, {0x00c5a52f, "amoadd.w"},  {0x20c5a52f, "amoxor.w"},
    {0x60c5a52f, "amoand.w"},  {0x40c5a52f, "amoor.w"},   {0x80c5a52f, "amomin.w"},
    {0xa0c5a52f, "amomax.w"},  {0xc0c5a52f, "amominu.w"}, {0xe6c5a52f, "amomaxu.w.aqrl"},
    {0x1405b52f, "lr.d.aq"},   {0x1ac5b52f, "sc.d.rl"},   {0x08c5b52f, "amoswap.d"},
    {0x00c5b52f, "amoadd.d"},  {0x20c5b52f, "amoxor.d"},  {0x60c5b52f, "amoand.d"},
    {0x40c5b52f, "amoor.d"},   {0x80c5b52f, "amomin.d"},  {0xa0c5b52f, "amomax.d"},
    {0xc0c5b52f, "amominu.d"}, {0xe0c5b52f, "amomaxu.d"}, {0x0045a507, "flw"},
    {0x00a5a227, "fsw"},       {0x68c5f543, "fmadd.s"},   {0x68c5f547, "fmsub.s"},
    {0x68c5f54b, "fnmsub.s"},  {0x68c5f54f, "fnmadd.s"},  {0x00c5f553, "fadd.s"},
    {0x08c5f553, "fsub.s"},    {0x10c5f553, "fmul.s"},    {0x18c5f553, "fdiv.s"},
    {0x5805f553, "fsqrt.s"},   {0x20c58553, "fsgnj.s"},   {0x20c59553, "fsgnjn.s"},
    {0x20c5a553, "fsgnjx.s"},  {0x28c58553, "fmin.s"},    {0x28c59553, "fmax.s"},
    {0xc0059553, "fcvt.w.s"},  {0xc015f553, "fcvt.wu.s"}, {0xc025f553, "fcvt.l.s"},
    {0xc035f553, "fcvt.lu.s"}, {0xe0058553, "fmv.x.w"},   {0xa0c5a553, "feq.s"},
    {0xa0c59553, "flt.s"},     {0xa0c58553, "fle.s"},     {0xe0059553, "fclass.s"},
    {0xd005f553, "fcvt.s.w"},  {0xd015f553, "fcvt.s.wu"}, {0xd025f553, "fcvt.s.l"},
    {0xd035f553, "fcvt.s.lu"}, {0xf0058553, "fmv.w.x"},   {0x0085b507, "fld"},
    {0x00a5b427, "fsd"},       {0x6ac5f543, "fmadd.d"},   {0x6ac5f547, "fmsub.d"},
    {0x6ac5f54b, "fnmsub.d"},  {0x6ac5f54f, "fnmadd.d"},  {0x02c58553, "fadd.d"},
    {0x0ac5f553, "fsub.d"},    {0x12c5f553, "fmul.d"},    {0x1ac5f553, "fdiv.d"},
    {0x5a05f553, "fsqrt.d"},   {0x22c58553, "fsgnj.d"},   {0x22c59553, "fsgnjn.d"},
    {0x22c5a553, "fsgnjx.d"},  {0x2ac58553, "fmin.d"},    {0x2ac59553, "fmax.d"},
    {0x4015f553, "fcvt.s.d"},  {0x42058553, "fcvt.d.s"},  {0xa2c5a553, "feq.d"},
    {0xa2c59553, "flt.d"},     {0xa2c58553, "fle.d"},     {0xe2059553, "fclass.d"},
    {0xc205f553, "fcvt.w.d"},  {0xc215f553, "fcvt.wu.d"}, {0xc225f553, "fcvt.l.d"},
    {0xc235f553, "fcvt.lu.d"}, {0xd2058553, "fcvt.d.w"},  {0xd2158553, "fcvt.d.wu"},
    {0xd225f553, "fcvt.d.l"},  {0xd235f553, "fcvt.d.lu"}, {0xe2058553, "fmv.x.d"},
    {0xf2058553, "fmv.d.x"},
};

struct KnownCompressed {
    uint16_t raw;
    uint32_t expanded;
    const char* source;
};
// The same instruction assembled with and without RVC.
const KnownCompressed kKnownCompressed[] = {
    {0x1fe0, 0x3fc10413, "c.addi4spn s0, sp, 1020"},
    {0x3fe0, 0x0f87b407, "c.fld fs0, 248(a5)"},
    {0x5fe8, 0x07c7a503, "c.lw a0, 124(a5)"},
    {0x7fe8, 0x0f87b503, "c.ld a0, 248(a5)"},
    {0xbfe0, 0x0e87bc27, "c.fsd fs0, 248(a5)"},
    {0xdfe8, 0x06a7ae23, "c.sw a0, 124(a5)"},
    {0xffe8, 0x0ea7bc23, "c.sd a0, 248(a5)"},
    {0x0001, 0x00000013, "c.nop"},
    {0x1501, 0xfe050513, "c.addi a0, -32"},
    {0x257d, 0x01f5051b, "c.addiw a0, 31"},
    {0x557d, 0xfff00513, "c.li a0, -1"},
    {0x7101, 0xe0010113, "c.addi16sp sp, -512"},
    {0x7505, 0xfffe1537, "c.lui a0, 0xfffe1"},
    {0x637d, 0x0001f337, "c.lui t1, 31"},
    {0x91fd, 0x03f5d593, "c.srli a1, 63"},
    {0x8585, 0x4015d593, "c.srai a1, 1"},
    {0x99fd, 0xfff5f593, "c.andi a1, -1"},
    {0x8d91, 0x40c585b3, "c.sub a1, a2"},
    {0x8db1, 0x00c5c5b3, "c.xor a1, a2"},
    {0x8dd1, 0x00c5e5b3, "c.or a1, a2"},
    {0x8df1, 0x00c5f5b3, "c.and a1, a2"},
    {0x9d91, 0x40c585bb, "c.subw a1, a2"},
    {0x9db1, 0x00c585bb, "c.addw a1, a2"},
    {0xb001, 0x801ff06f, "c.j .-2048"},
    {0xcdfd, 0x0e058f63, "c.beqz a1, .+254"},
    {0xf181, 0xf00590e3, "c.bnez a1, .-256"},
    {0x157e, 0x03f51513, "c.slli a0, 63"},
    {0x357e, 0x1f813507, "c.fldsp fa0, 504(sp)"},
    {0x557e, 0x0fc12503, "c.lwsp a0, 252(sp)"},
    {0x757e, 0x1f813503, "c.ldsp a0, 504(sp)"},
    {0x8502, 0x00050067, "c.jr a0"},
    {0x852e, 0x00b00533, "c.mv a0, a1"},
    {0x9002, 0x00100073, "c.ebreak"},
    {0x9502, 0x000500e7, "c.jalr a0"},
    {0x952e, 0x00b50533, "c.add a0, a1"},
    {0xbfaa, 0x1ea13c27, "c.fsdsp fa0, 504(sp)"},
    {0xdfaa, 0x0ea12e23, "c.swsp a0, 252(sp)"},
    {0xffaa, 0x1ea13c23, "c.sdsp a0, 504(sp)"},
};

std::string baseMnemonic(const char* name) {
    std::string s = name;
    for (const char* suffix : {".aqrl", ".aq", ".rl"})
        if (s.size() > std::strlen(suffix) && s.ends_with(suffix))
            return s.substr(0, s.size() - std::strlen(suffix));
    return s;
}
}  // namespace

class RiscvDecoderTest : public QObject {
    Q_OBJECT
private slots:
    void everyPatternIsThirtyTwoBitsWide() {
        for (const InsnRow& row : decodeTable()) {
            QVERIFY2(row.pattern.width == 32, row.name);
            QVERIFY2((row.pattern.match & ~row.pattern.mask) == 0, row.name);
            QVERIFY2((row.pattern.match & 3) == 3, row.name);
        }
        for (const CompressedRow& row : compressedTable()) QVERIFY2(row.pattern.width == 16, row.name);
    }

    void noTwoRowsOverlap() {
        // Two patterns overlap when some word matches both: they agree on every
        // bit both of them fix.
        const auto rows = decodeTable();
        for (size_t a = 0; a < rows.size(); ++a)
            for (size_t b = a + 1; b < rows.size(); ++b) {
                const uint32_t common = rows[a].pattern.mask & rows[b].pattern.mask;
                const bool overlap = ((rows[a].pattern.match ^ rows[b].pattern.match) & common) == 0;
                QVERIFY2(!overlap, (std::string(rows[a].name) + " overlaps " + rows[b].name).c_str());
            }
    }

    void noTwoCompressedRowsOverlap() {
        const auto rows = compressedTable();
        for (size_t a = 0; a < rows.size(); ++a)
            for (size_t b = a + 1; b < rows.size(); ++b) {
                const uint32_t common = rows[a].pattern.mask & rows[b].pattern.mask;
                const bool overlap = ((rows[a].pattern.match ^ rows[b].pattern.match) & common) == 0;
                QVERIFY2(!overlap, (std::string(rows[a].name) + " overlaps " + rows[b].name).c_str());
            }
    }

    void decodesEveryRv64gcInstructionToItsRow() {
        for (const KnownWord& known : kKnown) {
            const DecodedInsn d = decodeInstruction(known.raw);
            QVERIFY2(d.row < decodeTable().size(), known.mnemonic);
            QCOMPARE(std::string(decodeTable()[d.row].name), baseMnemonic(known.mnemonic));
        }
    }

    void everyRowIsCoveredByAKnownInstruction() {
        std::vector<bool> hit(decodeTable().size());
        for (const KnownWord& known : kKnown) hit[decodeInstruction(known.raw).row] = true;
        for (size_t i = 0; i < hit.size(); ++i) QVERIFY2(hit[i], decodeTable()[i].name);
    }

    void extractsOperands() {
        // lui a0, 0x12345
        DecodedInsn d = decodeInstruction(0x12345537);
        QCOMPARE(d.rd, uint8_t(10));
        QCOMPARE(d.imm, int64_t(0x12345000));
        // addi a0, a1, -5
        d = decodeInstruction(0xffb58513);
        QCOMPARE(d.rs1, uint8_t(11));
        QCOMPARE(d.imm, int64_t(-5));
        // srai a0, a1, 33
        d = decodeInstruction(0x4215d513);
        QCOMPARE(d.imm, int64_t(33));
        // sb a0, -1(a1)
        d = decodeInstruction(0xfea58fa3);
        QCOMPARE(d.rs2, uint8_t(10));
        QCOMPARE(d.imm, int64_t(-1));
        // c.j .-2048 expanded: jal x0, -2048
        d = decodeInstruction(0x801ff06f);
        QCOMPARE(d.imm, int64_t(-2048));
        // bnez a1, .-256 expanded: bne a1, x0, -256
        d = decodeInstruction(0xf00590e3);
        QCOMPARE(d.imm, int64_t(-256));
        // fmadd.s fa0, fa1, fa2, fa3 (dynamic rounding)
        d = decodeInstruction(0x68c5f543);
        QCOMPARE(d.rs3, uint8_t(13));
        QCOMPARE(d.rm, uint8_t(7));
    }

    void rejectsReservedAndUnknownEncodings() {
        const size_t illegalRow = decodeTable().size();
        QCOMPARE(size_t(decodeInstruction(0x00000000).row), illegalRow);
        QCOMPARE(size_t(decodeInstruction(0xffffffff).row), illegalRow);
        QCOMPARE(size_t(decodeInstruction(0x0000707f).row), illegalRow);               // custom opcode
        QCOMPARE(size_t(decodeInstruction(0x02c5b543 | (2u << 25)).row), illegalRow);  // fmadd with fmt=3 (Q)
        QCOMPARE(size_t(decodeInstruction(0x10100073).row), illegalRow);               // sret with rs2 != 2
    }

    void expandsEveryCompressedInstructionLikeTheAssembler() {
        for (const KnownCompressed& known : kKnownCompressed) {
            QVERIFY2(expandCompressed(known.raw) == known.expanded, known.source);
        }
    }

    void reservedCompressedEncodingsAreIllegal() {
        QCOMPARE(expandCompressed(0x0000), 0u);  // all-zero: defined illegal
        QCOMPARE(expandCompressed(0x6101), 0u);  // c.addi16sp with imm 0
        QCOMPARE(expandCompressed(0x6501), 0u);  // c.lui a0, 0
        QCOMPARE(expandCompressed(0x2001), 0u);  // c.addiw x0
        QCOMPARE(expandCompressed(0x8002), 0u);  // c.jr x0
        QCOMPARE(expandCompressed(0x4002), 0u);  // c.lwsp x0
        QCOMPARE(expandCompressed(0x6002), 0u);  // c.ldsp x0
        QCOMPARE(expandCompressed(0x9c41), 0u);  // reserved CA-format slot (funct6 100111, funct2 10)
    }
};

QTEST_APPLESS_MAIN(RiscvDecoderTest)
#include "riscv_decoder_test.moc"
