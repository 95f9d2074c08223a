// Specification of the lockstep differential tester (lockstep.h) and its
// deterministic board: an engine under test that agrees with the reference
// runs a program with traps, interrupts, time and a power-off to the end; one
// that disagrees in a register or a byte of memory is stopped at the
// instruction where it went wrong, and the report names that instruction. The
// faults are injected into a real engine's state, so these tests also prove
// that the tester can fail.

#include "lockstep/lockstep.h"

#include <QtTest>
#include <cstring>
#include <vector>

#include "core/cpu/riscv/encoding.h"
#include "lockstep/engines.h"

using namespace tessera;
using namespace tessera::lockstep;
namespace enc = tessera::riscv::encode;

Q_DECLARE_METATYPE(const tessera::lockstep::EngineUnderTest*)

namespace {

enum : unsigned { t0 = 5, t1 = 6, t2 = 7, a0 = 10, a1 = 11, a2 = 12, a3 = 13, a4 = 14, a5 = 15 };
enum : unsigned { t3 = 28, t4 = 29, t5 = 30, t6 = 31 };
constexpr unsigned kMstatus = 0x300, kMie = 0x304, kMtvec = 0x305, kMepc = 0x341, kMcause = 0x342,
                   kMip = 0x344, kTime = 0xc01, kMhartid = 0xf14;
constexpr uint64_t kHandlerOffset = 0x200;

constexpr uint32_t csrr(unsigned rd, unsigned csr) {
    return enc::csrrs(rd, csr, 0);
}
constexpr uint32_t csrsi(unsigned csr, unsigned uimm) {
    return enc::i(enc::opcode::System, 0, 6, uimm, int32_t(csr));
}
constexpr uint32_t nop() {
    return enc::addi(0, 0, 0);
}
constexpr uint32_t blt(unsigned rs1, unsigned rs2, int32_t offset) {
    return enc::b(4, rs1, rs2, offset);
}
constexpr uint32_t bne(unsigned rs1, unsigned rs2, int32_t offset) {
    return enc::b(1, rs1, rs2, offset);
}
constexpr uint32_t beq(unsigned rs1, unsigned rs2, int32_t offset) {
    return enc::b(0, rs1, rs2, offset);
}
constexpr uint32_t bge(unsigned rs1, unsigned rs2, int32_t offset) {
    return enc::b(5, rs1, rs2, offset);
}
constexpr uint32_t slli(unsigned rd, unsigned rs1, unsigned shamt) {
    return enc::i(enc::opcode::OpImm, rd, 1, rs1, int32_t(shamt));
}
constexpr uint32_t andi(unsigned rd, unsigned rs1, int32_t imm) {
    return enc::i(enc::opcode::OpImm, rd, 7, rs1, imm);
}
// A extension, doubleword, no .aq/.rl: funct5 AMOADD 0x00, LR 0x02, SC 0x03.
constexpr uint32_t amoaddD(unsigned rd, unsigned rs1, unsigned rs2) {
    return enc::r(enc::opcode::Amo, rd, 3, rs1, rs2, 0x00 << 2);
}
constexpr uint32_t lrD(unsigned rd, unsigned rs1) {
    return enc::r(enc::opcode::Amo, rd, 3, rs1, 0, 0x02 << 2);
}
constexpr uint32_t scD(unsigned rd, unsigned rs1, unsigned rs2) {
    return enc::r(enc::opcode::Amo, rd, 3, rs1, rs2, 0x03 << 2);
}
constexpr uint32_t fenceI() {
    return enc::i(enc::opcode::MiscMem, 0, 1, 0, 0);
}

// A program assembled in place: instructions from the RAM base, the trap
// handler at kHandlerOffset.
struct Program {
    std::vector<uint32_t> words;
    void add(std::initializer_list<uint32_t> code) { words.insert(words.end(), code); }
    uint64_t pcOf(size_t index) const { return kRamBase + 4 * index; }
    // mtvec = the handler (3 instructions).
    void setTrapVector() {
        add({enc::u(enc::opcode::Auipc, t0, 0),
             enc::addi(t0, t0, int32_t(kHandlerOffset) - 4 * int32_t(words.size())),
             enc::csrrw(0, kMtvec, t0)});
    }
    // sifive_test pass: power off (5 instructions).
    void powerOff() {
        add({enc::lui(t1, 0x100), enc::lui(t2, 5), enc::addi(t2, t2, 0x555), enc::sw(t2, t1, 0),
             enc::jal(0, 0)});
    }
    // Exceptions: skip the 4-byte instruction. Interrupts: count in a4,
    // remember mepc in a5, silence the timer (mtimecmp = -1).
    void handler() {
        words.resize(kHandlerOffset / 4, nop());
        add({csrr(t3, kMcause), blt(t3, 0, 0x14), csrr(t4, kMepc), enc::addi(t4, t4, 4),
             enc::csrrw(0, kMepc, t4), enc::mret(), enc::lui(t5, 0x2004), enc::addi(t6, 0, -1),
             enc::sd(t6, t5, 0), enc::addi(a4, a4, 1), csrr(a5, kMepc), enc::mret()});
    }
};

// Stores and loads, a load access fault, a timer interrupt raised by the
// guest's own mtimecmp write and taken when it sets mstatus.MIE, a power-off.
Program trapsAndInterrupts() {
    Program p;
    p.setTrapVector();                                                             // #0..#2
    p.add({enc::addi(a0, 0, 5), enc::u(enc::opcode::Auipc, a1, 1)});               // #3, #4: a1 = buffer
    p.add({enc::sd(a0, a1, 0), enc::ld(a2, a1, 0)});                               // #5, #6
    p.add({enc::lui(t1, 0x40000), enc::ld(t2, t1, 0)});                            // #7, #8: access fault
    p.add({enc::lui(t1, 0x2004), enc::sd(0, t1, 0)});                              // #9, #10: mtimecmp = 0
    p.add({enc::addi(t0, 0, 0x80), enc::csrrs(0, kMie, t0), csrsi(kMstatus, 8)});  // MTIE, MIE
    p.add({enc::addi(a3, 0, 7)});
    p.powerOff();
    p.handler();
    return p;
}

// Shared data of harts(): D+0 an AMO counter, D+8 an LR/SC counter, D+16
// harts done counting, D+24 harts woken by an IPI, D+32 and D+40 what hart 0
// got from the code slot before and after hart 1 rewrote it.
constexpr uint64_t kSharedData = kRamBase + 0x1000;
constexpr int kIterations = 50;

// Every hart (all start at the RAM base) adds kIterations to one counter with
// AMOADD and to another with an LR/SC loop. Hart 0 runs a code slot (addi a5,
// x0, 1), which hart 1 then rewrites to `addi a5, x0, 2` and announces by
// counting itself done; hart 0 waits until every other hart is done, runs
// FENCE.I and the slot again, wakes the others from WFI with CLINT IPIs
// (msip) and powers off once each has counted its wake-up.
Program harts(unsigned count) {
    Program p;
    auto at = [&] { return int32_t(p.words.size()); };
    auto offset = [&](int32_t target) { return 4 * (target - at()); };
    p.add({csrr(a0, kMhartid), enc::u(enc::opcode::Auipc, a1, 1), enc::addi(a1, a1, -4)});  // a1 = D
    p.add({enc::addi(t1, 0, 1), enc::addi(a3, 0, int32_t(count) - 1), enc::addi(t0, 0, kIterations)});
    const int32_t loop = at();
    p.add({amoaddD(0, a1, t1), enc::addi(a2, a1, 8)});
    const int32_t retry = at();
    p.add({lrD(t2, a2), enc::addi(t2, t2, 1), scD(t3, a2, t2)});
    p.add({bne(t3, 0, offset(retry)), enc::addi(t0, t0, -1)});
    p.add({bne(t0, 0, offset(loop))});
    const int32_t toOthers = at();
    p.add({0});  // bne a0, x0, others
    std::vector<int32_t> callsToSlot;
    // Hart 0.
    callsToSlot.push_back(at());
    p.add({0, enc::sd(a5, a1, 32)});  // jal ra, slot
    const int32_t allDone = at();
    p.add({enc::ld(t4, a1, 16)});
    p.add({blt(t4, a3, offset(allDone)), fenceI()});
    callsToSlot.push_back(at());
    p.add({0, enc::sd(a5, a1, 40)});                     // jal ra, slot
    p.add({enc::lui(t2, 0x2000), enc::addi(t3, 0, 1)});  // the CLINT; hart 1
    const int32_t ipi = at();
    p.add({slli(t4, t3, 2), enc::add(t4, t4, t2), enc::sw(t1, t4, 0), enc::addi(t3, t3, 1)});
    p.add({bge(a3, t3, offset(ipi))});
    const int32_t allWoken = at();
    p.add({enc::ld(t4, a1, 24)});
    p.add({blt(t4, a3, offset(allWoken))});
    p.powerOff();
    // The other harts.
    p.words[toOthers] = bne(a0, 0, 4 * (at() - toOthers));
    const int32_t toDone = at() + 1;
    p.add({enc::addi(t4, 0, 1), 0});  // bne a0, t4, done: only hart 1 rewrites the slot
    const int32_t slotRan = at();
    p.add({enc::ld(t4, a1, 32)});
    p.add({beq(t4, 0, offset(slotRan))});
    p.add({enc::lui(t2, 0x200), enc::addi(t2, t2, 0x793)});  // addi a5, x0, 2
    const int32_t slotAddress = at();
    p.add({enc::u(enc::opcode::Auipc, t3, 0), 0, enc::sw(t2, t3, 0)});  // addi t3, t3, slot - auipc
    p.words[toDone] = bne(a0, t4, 4 * (at() - toDone));
    p.add({enc::addi(a4, a1, 16), amoaddD(0, a4, t1)});
    p.add({enc::addi(t0, 0, 8), enc::csrrs(0, kMie, t0)});  // MSIE, with mstatus.MIE off: WFI wakes, no trap
    const int32_t sleep = at();
    p.add({enc::wfi(), csrr(t4, kMip), andi(t4, t4, 8)});
    p.add({beq(t4, 0, offset(sleep))});
    p.add({enc::lui(t2, 0x2000), slli(t4, a0, 2), enc::add(t4, t4, t2), enc::sw(0, t4, 0)});  // msip = 0
    p.add({enc::addi(a4, a1, 24), amoaddD(0, a4, t1)});
    p.add({enc::wfi(), enc::jal(0, -4)});
    // The code slot.
    const int32_t slot = at();
    p.add({enc::addi(a5, 0, 1), enc::jalr(0, 1, 0)});
    for (int32_t call : callsToSlot) p.words[call] = enc::jal(1, 4 * (slot - call));
    p.words[slotAddress + 1] = enc::addi(t3, t3, 4 * (slot - slotAddress));
    return p;
}

struct Pair {
    const EngineUnderTest& engine;
    std::unique_ptr<DeterministicBoard> reference, candidate;
    Pair(const EngineUnderTest& underTest, const Program& program, unsigned harts = 1) : engine(underTest) {
        auto a = DeterministicBoard::create(kReferenceEngine, kDefaultRamSize, harts);
        auto b = DeterministicBoard::create(engine.kind, kDefaultRamSize, harts);
        if (!a || !b) qFatal("cannot make the boards");
        reference = std::move(*a);
        candidate = std::move(*b);
        reference->loadWords(kRamBase, program.words);
        candidate->loadWords(kRamBase, program.words);
    }
    LockstepOutcome run(LockstepOptions options = {}) {
        options.advanceCandidate = engine.advance;
        options.candidateName = engine.name;
        return runLockstep(*reference, *candidate, options);
    }
    uint64_t x(unsigned reg) const { return reference->hart().state().x[reg]; }
    uint64_t sharedWord(unsigned offset) const {
        uint64_t value;
        std::memcpy(&value, reference->ram().data() + (kSharedData - kRamBase) + offset, 8);
        return value;
    }
};

// Every test runs once per engine under test (engines.h).
void addEngineRows() {
    QTest::addColumn<const EngineUnderTest*>("engine");
    for (const EngineUnderTest& engine : kEnginesUnderTest) QTest::newRow(engine.name) << &engine;
}

}  // namespace

class LockstepTest : public QObject {
    Q_OBJECT
private slots:
    void anEngineThatAgreesRunsTheProgramToItsPowerOff_data() { addEngineRows(); }
    void anEngineThatAgreesRunsTheProgramToItsPowerOff() {
        QFETCH(const EngineUnderTest*, engine);
        Pair pair(*engine, trapsAndInterrupts());
        const LockstepOutcome outcome = pair.run();
        QVERIFY2(!outcome.diverged, outcome.report.c_str());
        QVERIFY2(outcome.finished, outcome.report.c_str());
        QCOMPARE(pair.reference->exitCode(), 0);
        QVERIFY(outcome.comparisons > 0);
        QVERIFY(outcome.instructions >= 20);
        QCOMPARE(pair.x(a2), uint64_t(5));        // the load saw the store
        QCOMPARE(pair.x(a3), uint64_t(7));        // the exception was skipped
        QCOMPARE(pair.x(a4), uint64_t(1));        // one timer interrupt ...
        QCOMPARE(pair.x(a5), kRamBase + 4 * 14);  // ... taken right after the MIE write (#13)
    }

    // A wrong result in one register (a JIT that miscompiles `ld`): the report
    // names that instruction, the register and both values.
    void aWrongRegisterIsBlamedOnTheInstructionThatWroteIt_data() { addEngineRows(); }
    void aWrongRegisterIsBlamedOnTheInstructionThatWroteIt() {
        QFETCH(const EngineUnderTest*, engine);
        Pair pair(*engine, trapsAndInterrupts());
        constexpr uint64_t kLd = 6;  // ld a2, 0(a1)
        LockstepOptions options;
        options.afterCandidateStep = [&](DeterministicBoard& b, unsigned, uint64_t before, uint64_t after) {
            if (before <= kLd && kLd < after) b.hart().state().x[a2] ^= 0x100;
        };
        const LockstepOutcome outcome = pair.run(options);
        QVERIFY(outcome.diverged);
        QVERIFY(!outcome.finished);
        const QString report = QString::fromStdString(outcome.report);
        QVERIFY2(report.contains("first diverging instruction: #6 pc=0000000080000018 raw=0005b603 ld\n"),
                 outcome.report.c_str());
        QVERIFY2(report.contains(QRegularExpression("a2 +0000000000000005 \\| 0000000000000105")),
                 outcome.report.c_str());
        QVERIFY(report.contains("reference (interp) state:\n"));
        QVERIFY(report.contains("candidate (" + QString(engine->name) + ") state:\n"));
        QVERIFY(outcome.instructions < 14);  // stopped at that step, long before the power-off
    }

    // A wrong byte in guest RAM is found at the step that made it, by the
    // whole-RAM comparison, and its address is reported.
    void aWrongByteOfMemoryIsFoundWhereItAppeared_data() { addEngineRows(); }
    void aWrongByteOfMemoryIsFoundWhereItAppeared() {
        QFETCH(const EngineUnderTest*, engine);
        Pair pair(*engine, trapsAndInterrupts());
        constexpr uint64_t kSd = 5;  // sd a0, 0(a1): a1 = 0x80001010
        LockstepOptions options;
        options.afterCandidateStep = [&](DeterministicBoard& b, unsigned, uint64_t before, uint64_t after) {
            if (before <= kSd && kSd < after) b.ram()[0x1013] ^= 0x40;
        };
        const LockstepOutcome outcome = pair.run(options);
        QVERIFY(outcome.diverged);
        const QString report = QString::fromStdString(outcome.report);
        QVERIFY2(report.contains("first diverging instruction: #5 pc=0000000080000014 raw=00a5b023 sd\n"),
                 outcome.report.c_str());
        QVERIFY2(report.contains("memory at 0000000080001013: 00 | 40 (1 bytes of guest RAM differ)"),
                 outcome.report.c_str());
    }

    // An interrupt line the tester raises at instruction 21 is taken by both
    // engines at the first comparison point at or after it: here a loop whose
    // blocks are two instructions long, so that is #21 (the loop head) for an
    // engine of any step size.
    void aScheduledInterruptArrivesAtItsInstructionCount_data() { addEngineRows(); }
    void aScheduledInterruptArrivesAtItsInstructionCount() {
        QFETCH(const EngineUnderTest*, engine);
        Program p;
        p.setTrapVector();
        p.add({enc::addi(t0, 0, 8), enc::csrrs(0, kMie, t0), csrsi(kMstatus, 8)});  // MSIE, MIE: #3..#5
        p.add({enc::addi(t1, 0, 20)});                                              // #6
        const size_t loop = p.words.size();
        p.add({enc::addi(t1, t1, -1), enc::b(1 /* bne */, t1, 0, -4)});  // #7, #8, #9, ...
        p.powerOff();
        p.handler();
        Pair pair(*engine, p);
        LockstepOptions options;
        options.interrupts = {{21, riscv::irq::MSI, true}, {22, riscv::irq::MSI, false}};
        const LockstepOutcome outcome = pair.run(options);
        QVERIFY2(!outcome.diverged && outcome.finished, outcome.report.c_str());
        QCOMPARE(pair.x(a4), uint64_t(1));
        QCOMPARE(pair.x(a5), p.pcOf(loop));
    }

    // Deterministic time: `time` and the CLINT's mtime are the retired count / 10.
    void timeIsTheInstructionCountOverTen_data() { addEngineRows(); }
    void timeIsTheInstructionCountOverTen() {
        QFETCH(const EngineUnderTest*, engine);
        Program p;
        for (int i = 0; i < 24; ++i) p.add({nop()});
        p.add({enc::lui(t1, 0x200c), csrr(a0, kTime)});  // #24, #25
        p.add({enc::ld(a1, t1, -8)});                    // #26: mtime at 0x200bff8
        for (int i = 0; i < 10; ++i) p.add({nop()});
        p.add({csrr(a2, kTime)});  // #37
        p.powerOff();
        Pair pair(*engine, p);
        const LockstepOutcome outcome = pair.run();
        QVERIFY2(!outcome.diverged && outcome.finished, outcome.report.c_str());
        QCOMPARE(pair.x(a0), uint64_t(2));
        QCOMPARE(pair.x(a1), uint64_t(2));
        QCOMPARE(pair.x(a2), uint64_t(3));
    }

    // WFI retires nothing, so time would stand still: it jumps to the timer
    // deadline instead, at the same instruction in both engines.
    void aWaitingGuestIsWokenByItsTimer_data() { addEngineRows(); }
    void aWaitingGuestIsWokenByItsTimer() {
        QFETCH(const EngineUnderTest*, engine);
        Program p;
        p.add({enc::lui(t1, 0x2004), enc::addi(t0, 0, 500), enc::sd(t0, t1, 0)});  // mtimecmp = 500
        p.add({enc::addi(t0, 0, 0x80), enc::csrrs(0, kMie, t0)});  // MTIE, with mstatus.MIE off
        p.add({enc::wfi(), csrr(a0, kTime)});
        p.powerOff();
        Pair pair(*engine, p);
        const LockstepOutcome outcome = pair.run();
        QVERIFY2(!outcome.diverged && outcome.finished, outcome.report.c_str());
        QCOMPARE(pair.x(a0), uint64_t(500));
    }

    // Several harts in the deterministic single-thread mode: they take turns
    // (one candidate unit each), and each is compared with the reference's
    // same hart after each of its steps: AMOs and LR/SC on shared counters, a
    // code handoff through FENCE.I, IPIs through the CLINT waking harts from
    // WFI. The results are exact.
    void severalHartsRunInLockstepEachAgainstTheReference_data() {
        QTest::addColumn<const EngineUnderTest*>("engine");
        QTest::addColumn<unsigned>("harts");
        for (const EngineUnderTest& engine : kEnginesUnderTest)
            for (unsigned harts : {2u, 4u})
                QTest::newRow(qPrintable(QString("%1/%2 harts").arg(engine.name).arg(harts)))
                    << &engine << harts;
    }
    void severalHartsRunInLockstepEachAgainstTheReference() {
        QFETCH(const EngineUnderTest*, engine);
        QFETCH(unsigned, harts);
        Pair pair(*engine, ::harts(harts), harts);
        std::vector<uint64_t> stepsOf(harts, 0);
        LockstepOptions options;
        options.afterCandidateStep = [&](DeterministicBoard&, unsigned hart, uint64_t, uint64_t) {
            ++stepsOf[hart];
        };
        const LockstepOutcome outcome = pair.run(options);
        QVERIFY2(!outcome.diverged && outcome.finished, outcome.report.c_str());
        QCOMPARE(pair.reference->exitCode(), 0);
        QCOMPARE(pair.sharedWord(0), uint64_t(harts * kIterations));  // AMOADD
        QCOMPARE(pair.sharedWord(8), uint64_t(harts * kIterations));  // LR/SC
        QCOMPARE(pair.sharedWord(16), uint64_t(harts - 1));
        QCOMPARE(pair.sharedWord(24), uint64_t(harts - 1));  // every other hart woke from WFI
        QCOMPARE(pair.sharedWord(32), uint64_t(1));          // the slot's first code ...
        QCOMPARE(pair.sharedWord(40), uint64_t(2));          // ... and hart 1's, after FENCE.I
        for (unsigned hart = 0; hart < harts; ++hart) {
            QVERIFY2(stepsOf[hart] > 10,
                     qPrintable(QString("hart %1: %2 steps").arg(hart).arg(stepsOf[hart])));
            QCOMPARE(pair.reference->hart(hart).state().x[a0], uint64_t(hart));  // mhartid
        }
    }

    // A wrong register on another hart than 0 is found at that hart's step,
    // and the report says which hart.
    void aWrongRegisterOnAnotherHartIsFoundAndTheHartNamed_data() { addEngineRows(); }
    void aWrongRegisterOnAnotherHartIsFoundAndTheHartNamed() {
        QFETCH(const EngineUnderTest*, engine);
        Pair pair(*engine, harts(2), 2);
        LockstepOptions options;
        options.afterCandidateStep = [&](DeterministicBoard& b, unsigned hart, uint64_t before, uint64_t) {
            if (hart == 1 && before == 0) b.hart(1).state().x[a3] ^= 0x10;
        };
        const LockstepOutcome outcome = pair.run(options);
        QVERIFY(outcome.diverged);
        const QString report = QString::fromStdString(outcome.report);
        QVERIFY2(report.contains("at comparison point 1 (a step of hart 1)"), outcome.report.c_str());
        QVERIFY2(report.contains(QRegularExpression(" hart 1:\n +a3 +[0-9a-f]{16} \\| [0-9a-f]{16}\n")),
                 outcome.report.c_str());
        QVERIFY2(!report.contains(" hart 0:"), outcome.report.c_str());
    }

    void aGuestThatWaitsForeverIsReportedNotHung() {
        Program p;
        p.add({enc::wfi(), enc::jal(0, -4)});
        Pair pair(kEnginesUnderTest[0], p);
        const LockstepOutcome outcome = pair.run();
        QVERIFY(!outcome.diverged);
        QVERIFY(!outcome.finished);
        QVERIFY2(QString::fromStdString(outcome.report).contains("WFI forever"), outcome.report.c_str());
    }
};

QTEST_GUILESS_MAIN(LockstepTest)
#include "lockstep_test.moc"
