// Specification: RV64I and M instructions compute what the unprivileged spec
// (chapters 2, 5, 7) says, including x0, sign extension of W forms, shifts,
// branches and jumps, loads with sign/zero extension, and the defined results
// of division by zero and signed overflow. Also RVC programs run.

#include <QtTest>

#include "unit/riscv_test_machine.h"

using namespace tessera::riscv;
using namespace tessera::riscv::test;
namespace op = enc::opcode;

class RiscvIntegerTest : public QObject {
    Q_OBJECT

    // Runs one R-type instruction a0 = a1 (op) a2.
    uint64_t rType(uint32_t f3, uint32_t f7, uint32_t opcode, uint64_t x, uint64_t y) {
        TestMachine m;
        m.s().x[a1] = x;
        m.s().x[a2] = y;
        m.load({enc::r(opcode, a0, f3, a1, a2, f7)});
        m.run();
        return m.s().x[a0];
    }
    uint64_t iType(uint32_t f3, uint32_t opcode, uint64_t x, int32_t imm) {
        TestMachine m;
        m.s().x[a1] = x;
        m.load({enc::i(opcode, a0, f3, a1, imm)});
        m.run();
        return m.s().x[a0];
    }

private slots:
    void addSubAndX0StaysZero() {
        QCOMPARE(rType(0, 0, op::Op, 5, 7), 12ull);
        QCOMPARE(rType(0, 0x20, op::Op, 5, 7), static_cast<uint64_t>(-2));
        TestMachine m;
        m.load({enc::addi(zero, zero, 5), enc::add(a0, zero, zero)});
        m.run();
        QCOMPARE(m.s().x[0], 0ull);
        QCOMPARE(m.s().x[a0], 0ull);
    }
    void wordFormsSignExtend() {
        QCOMPARE(rType(0, 0, op::Op32, 0x7fffffff, 1), 0xffffffff80000000ull);     // addw
        QCOMPARE(iType(0, op::OpImm32, 0xffffffff, 0), 0xffffffffffffffffull);     // sext.w
        QCOMPARE(rType(5, 0, op::Op32, 0x80000000, 4), 0x0000000008000000ull);     // srlw
        QCOMPARE(rType(5, 0x20, op::Op32, 0x80000000, 4), 0xfffffffff8000000ull);  // sraw
        QCOMPARE(rType(1, 0, op::Op32, 1, 31 + 32), 0xffffffff80000000ull);        // sllw uses 5 bits
    }
    void shiftsUseSixBitAmounts() {
        QCOMPARE(rType(1, 0, op::Op, 1, 63 + 64), 0x8000000000000000ull);         // sll
        QCOMPARE(rType(5, 0x20, op::Op, 0x8000000000000000ull, 63), ~0ull);       // sra
        QCOMPARE(iType(5, op::OpImm, 0x8000000000000000ull, 0x400 | 63), ~0ull);  // srai 63
        QCOMPARE(iType(1, op::OpImm, 1, 40), 1ull << 40);                         // slli 40
    }
    void comparisons() {
        QCOMPARE(rType(2, 0, op::Op, static_cast<uint64_t>(-1), 1), 1ull);  // slt
        QCOMPARE(rType(3, 0, op::Op, static_cast<uint64_t>(-1), 1), 0ull);  // sltu
        QCOMPARE(iType(3, op::OpImm, 5, -1), 1ull);  // sltiu: imm sign-extends, compares unsigned
    }
    void multiplyHighParts() {
        QCOMPARE(rType(1, 1, op::Op, static_cast<uint64_t>(-1), static_cast<uint64_t>(-1)), 0ull);  // mulh
        QCOMPARE(rType(3, 1, op::Op, ~0ull, ~0ull), ~0ull - 1);                                     // mulhu
        QCOMPARE(rType(2, 1, op::Op, static_cast<uint64_t>(-1), ~0ull), ~0ull);                     // mulhsu
        QCOMPARE(rType(0, 1, op::Op32, 0x10000, 0x10000), 0ull);                                    // mulw
    }
    void divisionByZeroAndOverflowHaveDefinedResults() {
        QCOMPARE(rType(4, 1, op::Op, 7, 0), ~0ull);                                          // div
        QCOMPARE(rType(5, 1, op::Op, 7, 0), ~0ull);                                          // divu
        QCOMPARE(rType(6, 1, op::Op, 7, 0), 7ull);                                           // rem
        QCOMPARE(rType(7, 1, op::Op, 7, 0), 7ull);                                           // remu
        QCOMPARE(rType(4, 1, op::Op, 0x8000000000000000ull, ~0ull), 0x8000000000000000ull);  // div overflow
        QCOMPARE(rType(6, 1, op::Op, 0x8000000000000000ull, ~0ull), 0ull);                   // rem overflow
        QCOMPARE(rType(4, 1, op::Op32, 0x80000000, ~0ull), 0xffffffff80000000ull);           // divw overflow
        QCOMPARE(rType(7, 1, op::Op32, 0xfffffff5, 0), 0xfffffffffffffff5ull);  // remuw by 0: sext
        QCOMPARE(rType(4, 1, op::Op, static_cast<uint64_t>(-7), 2), static_cast<uint64_t>(-3));  // truncates
        QCOMPARE(rType(6, 1, op::Op, static_cast<uint64_t>(-7), 2), static_cast<uint64_t>(-1));
    }
    void luiAuipcJalJalr() {
        TestMachine m;
        m.load({enc::lui(a0, 0x80000),     // a0 = 0xffffffff80000000
                enc::u(op::Auipc, a1, 1),  // a1 = pc + 0x1000
                enc::jal(ra, 8),           // skip next
                enc::addi(a2, zero, 1),    // skipped
                enc::jalr(a3, ra, 8)});    // ra + 8 = the self-loop after this
        m.run();
        QCOMPARE(m.s().x[a0], 0xffffffff80000000ull);
        QCOMPARE(m.s().x[a1], kRamBase + 4 + 0x1000);
        QCOMPARE(m.s().x[ra], kRamBase + 12);
        QCOMPARE(m.s().x[a2], 0ull);
        QCOMPARE(m.s().x[a3], kRamBase + 20);
        QCOMPARE(m.s().pc, kRamBase + 20);
    }
    void branchesTakeSignedAndUnsignedDecisions() {
        TestMachine m;
        m.s().x[a1] = static_cast<uint64_t>(-1);
        m.s().x[a2] = 1;
        m.load({enc::b(4, a1, a2, 8),           // blt -1 < 1: taken
                enc::addi(a0, a0, 1),           // skipped
                enc::b(6, a1, a2, 8),           // bltu 0xff.. < 1: not taken
                enc::addi(a3, a3, 1),           // executed
                enc::b(0, a1, a1, -4 * 0 + 8),  // beq taken
                enc::addi(a4, a4, 1)});         // skipped
        m.run();
        QCOMPARE(m.s().x[a0], 0ull);
        QCOMPARE(m.s().x[a3], 1ull);
        QCOMPARE(m.s().x[a4], 0ull);
    }
    void loopsRunToCompletion() {
        // a0 = sum of 1..1000 with a backwards branch.
        TestMachine m;
        m.s().x[a1] = 1000;
        m.load({enc::add(a0, a0, a1), enc::addi(a1, a1, -1), enc::b(1, a1, zero, -8)});
        m.run();
        QCOMPARE(m.s().x[a0], 500500ull);
    }
    void loadsExtendAndStoresTruncate() {
        TestMachine m;
        m.write64(kRamBase + 0x1000, 0x8081828384858687ull);
        m.s().x[a1] = kRamBase + 0x1000;
        m.load({enc::i(op::Load, a0, 0, a1, 0),   // lb
                enc::i(op::Load, a2, 4, a1, 0),   // lbu
                enc::i(op::Load, a3, 2, a1, 4),   // lw (0x80818283)
                enc::i(op::Load, a4, 6, a1, 4),   // lwu
                enc::i(op::Load, a5, 1, a1, 2),   // lh
                enc::s(op::Store, 0, a1, a1, 8),  // sb low byte of the address
                enc::ld(a6, a1, 0)});
        m.run();
        QCOMPARE(m.s().x[a0], 0xffffffffffffff87ull);
        QCOMPARE(m.s().x[a2], 0x87ull);
        QCOMPARE(m.s().x[a3], 0xffffffff80818283ull);
        QCOMPARE(m.s().x[a4], 0x80818283ull);
        QCOMPARE(m.s().x[a5], 0xffffffffffff8485ull);
        QCOMPARE(m.read64(kRamBase + 0x1008) & 0xff, 0x00ull);
        QCOMPARE(m.s().x[a6], 0x8081828384858687ull);
    }
    void compressedProgramRuns() {
        // c.li a0, 5; c.addi a0, 3; c.slli a0, 1; c.mv a1, a0; c.add a1, a0; then the self-loop.
        TestMachine m;
        m.write16(kRamBase + 0, 0x4515);
        m.write16(kRamBase + 2, 0x050d);
        m.write16(kRamBase + 4, 0x0506);
        m.write16(kRamBase + 6, 0x85aa);
        m.write16(kRamBase + 8, 0x95aa);
        m.write32(kRamBase + 10, kSelfLoop);
        m.run();
        QCOMPARE(m.s().x[a0], 16ull);
        QCOMPARE(m.s().x[a1], 32ull);
        QCOMPARE(m.s().pc, kRamBase + 10);
    }
    void instructionStraddlingAPageBoundaryRuns() {
        // c.nop up to 0x...ffe, then a 32-bit addi split across two pages.
        TestMachine m;
        const uint64_t start = kRamBase + 0x1ff8;
        for (uint64_t a = start; a < kRamBase + 0x1ffe; a += 2) m.write16(a, 0x0001);
        const uint32_t addi = enc::addi(a0, zero, 42);
        m.write16(kRamBase + 0x1ffe, static_cast<uint16_t>(addi));
        m.write16(kRamBase + 0x2000, static_cast<uint16_t>(addi >> 16));
        m.write32(kRamBase + 0x2002, kSelfLoop);
        m.s().pc = start;
        m.run();
        QCOMPARE(m.s().x[a0], 42ull);
        QCOMPARE(m.s().pc, kRamBase + 0x2002);
    }
    void selfModifyingCodeIsSeen() {
        // The program rewrites an instruction later in its own block, then runs it.
        TestMachine m;
        const uint32_t replacement = enc::addi(a0, zero, 99);
        m.s().x[a1] = replacement;
        m.s().x[a2] = kRamBase + 12;
        m.load({enc::addi(a0, zero, 1), enc::addi(a0, zero, 2), enc::sw(a1, a2, 0), enc::addi(a0, zero, 7)});
        m.run();
        QCOMPARE(m.s().x[a0], 99ull);
        // Run the same code again: the rewritten block stays rewritten.
        m.s().pc = kRamBase;
        m.run();
        QCOMPARE(m.s().x[a0], 99ull);
    }
    void fenceIPicksUpCodeWrittenBehindTheHartsBack() {
        TestMachine m;
        m.load({enc::addi(a0, zero, 1)});
        m.run();
        QCOMPARE(m.s().x[a0], 1ull);
        m.write32(kRamBase, enc::addi(a0, zero, 2));  // not reported through invalidateCode
        m.s().x[a1] = kRamBase;
        m.load({0x0000100f /* fence.i */, enc::jalr(zero, a1, 0)}, kRamBase + 0x200);
        m.s().pc = kRamBase + 0x200;
        m.run();
        QCOMPARE(m.s().x[a0], 2ull);
    }
    void invalidateCodeDropsBlocksWrittenBehindTheHartsBack() {
        TestMachine m;
        m.load({enc::addi(a0, zero, 1)});
        m.run();
        QCOMPARE(m.s().x[a0], 1ull);
        m.write32(kRamBase, enc::addi(a0, zero, 2));  // like a device DMA
        m.hart.invalidateCode(kRamBase, 4);
        m.s().pc = kRamBase;
        m.run();
        QCOMPARE(m.s().x[a0], 2ull);
    }
};

QTEST_APPLESS_MAIN(RiscvIntegerTest)
#include "riscv_integer_test.moc"
