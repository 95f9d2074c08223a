// The PowerPC JIT (core/cpu/ppc/jit_*) against the PowerPC interpreter: the
// same programs on both engines must end in the same architectural state and
// memory. Random programs mix the inline rows (with their helper-only forms:
// OE, Rc), conditional branches with CTR, loads and stores, and random words
// of every other decode-table row; exceptions land on `b .` vectors, so SRR0,
// SRR1, DAR and DSISR are compared too.
#include <QtTest>
#include <cstring>
#include <memory>
#include <random>
#include <string_view>

#include "core/cpu/ppc/decode_table.h"
#include "core/cpu/ppc/engine.h"
#include "core/cpu/ppc/jit_engine.h"
#include "core/hw/memory_bus.h"
#include "unit/ppc_test_machine.h"

using namespace tessera;
using namespace tessera::ppc;
using namespace tessera::ppc::test;
using namespace tessera::ppc::test::enc;

namespace {

constexpr uint32_t kRamBytes = 16u << 20;
constexpr uint32_t kData = 0x20000;  // r1 points here in random programs; never code

// One engine on its own 16 MiB of RAM, set up as ppc_test_machine.h's Machine.
struct Side {
    hw::MemoryBus bus;
    uint8_t* ram;
    std::unique_ptr<cpu::CpuEngine> engine;
    Cpu* cpu = nullptr;

    explicit Side(bool jit) : ram(bus.addRam(0, kRamBytes)) {
        if (jit) {
            auto made = JitEngine::create(bus, CpuConfig{});
            if (!made) qFatal("%s", made.message().c_str());
            cpu = &(*made)->cpu();
            engine = std::move(*made);
        } else {
            auto interp = std::make_unique<Interpreter>(bus, CpuConfig{});
            cpu = &interp->cpu();
            engine = std::move(interp);
        }
    }
    void write32(uint32_t addr, uint32_t v) {
        for (unsigned i = 0; i < 4; ++i) ram[addr + i] = static_cast<uint8_t>(v >> (24 - 8 * i));
    }
    // Vectors and the program's end hold `b .`; the state starts from `seed`.
    void load(const std::vector<uint32_t>& program, uint32_t seed) {
        for (uint32_t v = 0x100; v < 0x2000; v += 0x100) write32(v, kSelfLoop);
        uint32_t at = kProgram;
        for (uint32_t w : program) write32(at, w), at += 4;
        write32(at, kSelfLoop);
        engine->reset(kProgram);
        cpu->s.msr = msr::FP;
        std::mt19937 rng(seed);
        for (uint32_t& r : cpu->s.gpr) r = rng() % 4 ? rng() : rng() % 64;
        cpu->s.gpr[1] = kData;
        cpu->s.cr = rng();
        cpu->s.xer = rng() & 0xe000007f;
        cpu->s.ctr = rng() % 8;
        cpu->s.lr = kProgram + 4 * (rng() % (program.size() + 1));
        for (uint32_t i = 0; i < 256; i += 4) write32(kData + i, rng());
    }
};

// Every architectural field the interpreter keeps, or the first difference.
QString difference(const Cpu& a, const Cpu& b) {
    const CpuState &x = a.s, &y = b.s;
    auto field = [](const char* name, uint64_t u, uint64_t v) {
        return QString("%1: interpreter %2, JIT %3").arg(name).arg(u, 0, 16).arg(v, 0, 16);
    };
    for (unsigned i = 0; i < 32; ++i)
        if (x.gpr[i] != y.gpr[i]) return field(qPrintable(QString("r%1").arg(i)), x.gpr[i], y.gpr[i]);
    for (unsigned i = 0; i < 32; ++i)
        if (x.fpr[i] != y.fpr[i]) return field(qPrintable(QString("f%1").arg(i)), x.fpr[i], y.fpr[i]);
    const std::pair<const char*, std::pair<uint64_t, uint64_t>> fields[] = {
        {"pc", {x.pc, y.pc}},
        {"cr", {x.cr, y.cr}},
        {"xer", {x.xer, y.xer}},
        {"lr", {x.lr, y.lr}},
        {"ctr", {x.ctr, y.ctr}},
        {"msr", {x.msr, y.msr}},
        {"fpscr", {x.fpscr, y.fpscr}},
        {"srr0", {x.srr0, y.srr0}},
        {"srr1", {x.srr1, y.srr1}},
        {"dar", {x.dar, y.dar}},
        {"dsisr", {x.dsisr, y.dsisr}},
        {"retired", {x.retired, y.retired}},
        {"reservation", {x.reservationValid, y.reservationValid}}};
    for (const auto& [name, values] : fields)
        if (values.first != values.second) return field(name, values.first, values.second);
    return {};
}

// Random words of decode-table rows that never write r1 and do not store (a store could hit the
// program itself, which the PowerPC only promises to see after icbi/isync)
// and do not write DEC (its interrupt comes at a block boundary in the JIT,
// at the exact instruction in the interpreter).
uint32_t randomRowWord(std::mt19937& rng) {
    const auto rows = decodeTable();
    for (;;) {
        const InsnRow& row = rows[rng() % rows.size()];
        const std::string_view name = row.name;
        if (name.starts_with("st") || name == "dcbz" || name == "dcbi" || name == "ecowx") continue;
        if (name == "lmw" || name.starts_with("lsw")) continue;  // they write r1 too
        uint32_t insn = uint32_t{row.primary} << 26 | (rng() & 0x03ffffff);
        // Neither register field is r1 (the data pointer stores rely on).
        if (((insn >> 21) & 31) == 1) insn ^= 3u << 21;
        if (((insn >> 16) & 31) == 1) insn ^= 3u << 16;
        switch (row.form) {
            case XoForm::None:
                break;
            case XoForm::X:
                insn = (insn & ~0x7feu) | uint32_t{row.xo} << 1;
                break;
            case XoForm::XO:
                insn = (insn & ~0x3feu) | uint32_t{row.xo} << 1;
                break;
            case XoForm::A:
                insn = (insn & ~0x3eu) | uint32_t{row.xo} << 1;
                break;
        }
        if (name == "mtspr" && ((insn >> 16) & 31) == 22 && ((insn >> 11) & 31) == 0) continue;  // DEC
        if (lookup(insn) != row.semantic) continue;
        return insn;
    }
}

// A program of `length` words: inline rows with random registers (never r1,
// the data pointer), loads and stores at r1 + small offsets, branches inside
// the program, and random rows.
std::vector<uint32_t> randomProgram(std::mt19937& rng, unsigned length) {
    auto reg = [&] { return 2 + rng() % 30; };
    auto any = [&] { return rng() % 32; };
    std::vector<uint32_t> words;
    for (unsigned i = 0; i < length; ++i) {
        const bool rc = rng() % 4 == 0, oe = rng() % 6 == 0;
        const int32_t back = -static_cast<int32_t>(4 * (rng() % (i + 1)));
        const int32_t forward = static_cast<int32_t>(4 * (rng() % (length - i + 1)));
        const int32_t displacement = rng() % 3 ? forward : back;
        switch (rng() % 25) {
            case 0:
                words.push_back(D(14, reg(), any(), rng()));
                break;  // addi
            case 1:
                words.push_back(D(15, reg(), any(), rng()));
                break;  // addis
            case 2:
                words.push_back(XO(reg(), any(), any(), 266, oe, rc));
                break;  // add
            case 3:
                words.push_back(XO(reg(), any(), any(), 40, oe, rc));
                break;  // subf
            case 4:
                words.push_back(X(31, any(), reg(), any(), 28, rc));
                break;  // and
            case 5:
                words.push_back(X(31, any(), reg(), any(), 444, rc));
                break;  // or
            case 6:
                words.push_back(X(31, any(), reg(), any(), 316, rc));
                break;  // xor
            case 7:
                words.push_back(D(24, any(), reg(), rng()));
                break;  // ori
            case 8:
                words.push_back(M(21, any(), reg(), any(), any(), any(), rc));
                break;  // rlwinm
            case 9:
                words.push_back(D(11, (rng() % 8) << 2, any(), rng()));
                break;  // cmpi
            case 10:
                words.push_back(D(10, (rng() % 8) << 2, any(), rng()));
                break;  // cmpli
            case 11:
                words.push_back(X(31, (rng() % 8) << 2, any(), any(), rng() % 2 ? 0 : 32));
                break;
            case 12: {  // bc: every BO the ISA defines, BI anywhere, LK sometimes
                const unsigned bos[] = {0, 2, 4, 8, 10, 12, 16, 18, 20};
                words.push_back(bc(bos[rng() % 9], any(), static_cast<int16_t>(displacement)) |
                                (rng() % 5 == 0 ? 1u : 0u));
                break;
            }
            case 13:  // b (and bl)
                words.push_back(18u << 26 | (static_cast<uint32_t>(displacement) & 0x03fffffc) |
                                (rng() % 4 == 0 ? 1u : 0u));
                break;
            case 14: {  // lwz/lbz/lhz/lha/lwzu? never: r1 stays the data pointer
                const unsigned ops[] = {32, 34, 40, 42};
                words.push_back(D(ops[rng() % 4], reg(), 1, 4 * (rng() % 60) + rng() % 4));
                break;
            }
            case 15: {  // stw/stb/sth
                const unsigned ops[] = {36, 38, 44};
                words.push_back(D(ops[rng() % 3], any(), 1, 4 * (rng() % 60) + rng() % 4));
                break;
            }
            case 16:  // mtlr, mtctr
                words.push_back(mtspr(8 + rng() % 2, reg()));
                break;
            case 17:  // mflr, mfctr
                words.push_back(mfspr(reg(), 8 + rng() % 2));
                break;
            case 18: {  // lwzu/lbzu/lhzu/stwu/stbu/sthu on r1: it only moves up, away from the code
                const unsigned ops[] = {33, 35, 41, 37, 39, 45};
                const unsigned op = ops[rng() % 6];
                words.push_back(D(op, op < 37 || op == 41 ? reg() : any(), 1, 4 * (rng() % 16) + rng() % 2));
                break;
            }
            case 19:  // oris, xori, xoris, andi., andis.
                words.push_back(D(25 + rng() % 5, any(), reg(), rng()));
                break;
            case 20: {  // stwx/sthx/stbx rS,0,r1 (at the data pointer); lwzx/lhzx/lbzx rD,0,r1
                const unsigned xos[] = {151, 407, 215, 23, 279, 87};
                const unsigned xo = xos[rng() % 6];
                words.push_back(X(31, xo == 23 || xo == 279 || xo == 87 ? reg() : any(), 0, 1, xo));
                break;
            }
            case 21:  // rlwimi, neg, mullw (with Rc sometimes)
                words.push_back(rng() % 3 == 0   ? M(20, any(), reg(), any(), any(), any(), rc)
                                : rng() % 2 == 0 ? XO(reg(), any(), 0, 104, false, rc)
                                                 : XO(reg(), any(), any(), 235, false, rc));
                break;
            default:
                words.push_back(randomRowWord(rng));
                break;
        }
    }
    return words;
}

// Runs the interpreter for the `retired` instructions the JIT retired, plus
// the exceptions the JIT took after the last of them (they retire nothing,
// so run() stops before them; a vector outside RAM raises one after another).
void catchUp(Side& interp, const Side& jit, uint64_t retired) {
    if (retired) interp.engine->run(retired);
    for (unsigned n = 0;
         n < 8 && (interp.cpu->s.pc != jit.cpu->s.pc || interp.cpu->s.srr0 != jit.cpu->s.srr0); ++n)
        interp.engine->step();
}

}  // namespace

class PpcJitTest : public QObject {
    Q_OBJECT
private slots:
    void randomProgramsEndInTheInterpretersState() {
        std::mt19937 rng(20261207);
        unsigned blocksTranslated = 0;
        for (unsigned n = 0; n < 400; ++n) {
            const std::vector<uint32_t> program = randomProgram(rng, 24 + rng() % 120);
            const uint32_t seed = rng();
            Side interp(false), jit(true);
            interp.load(program, seed);
            jit.load(program, seed);
            // The JIT stops at a block boundary; the interpreter then runs
            // exactly as many instructions.
            const cpu::RunResult ran = jit.engine->run(5000);
            catchUp(interp, jit, ran.executed);
            const QString diff = difference(*interp.cpu, *jit.cpu);
            QVERIFY2(diff.isEmpty(), qPrintable(QString("program %1: %2").arg(n).arg(diff)));
            QVERIFY2(std::memcmp(interp.ram, jit.ram, kRamBytes) == 0,
                     qPrintable(QString("program %1: memory").arg(n)));
            blocksTranslated += static_cast<unsigned>(jit.engine->translationStats().blocks);
        }
        QVERIFY(blocksTranslated > 400);
    }

    // Block by block (step) too: the lockstep view a debugger or tester uses.
    void steppingBlockByBlockMatchesTheInterpreterAtEveryBoundary() {
        std::mt19937 rng(7);
        for (unsigned n = 0; n < 100; ++n) {
            const std::vector<uint32_t> program = randomProgram(rng, 64);
            const uint32_t seed = rng();
            Side interp(false), jit(true);
            interp.load(program, seed);
            jit.load(program, seed);
            for (unsigned step = 0; step < 200; ++step) {
                const uint64_t before = jit.cpu->s.retired;
                jit.engine->step();
                const uint64_t ran = jit.cpu->s.retired - before;
                catchUp(interp, jit, ran);
                const QString diff = difference(*interp.cpu, *jit.cpu);
                QVERIFY2(diff.isEmpty(),
                         qPrintable(QString("program %1 step %2: %3").arg(n).arg(step).arg(diff)));
            }
        }
    }

    // A trap in the middle of a block: SRR0 is the trapping instruction,
    // everything before it retired, nothing after it ran.
    void anExceptionInsideABlockIsPrecise() {
        Side jit(true);
        const uint32_t trapAlways = X(31, 31, 0, 0, 4);  // tw 31,r0,r0
        jit.load({li(3, 1), D(14, 3, 3, 1), trapAlways, li(3, 99)}, 1);
        jit.cpu->s.msr = msr::FP | msr::EE;
        jit.engine->run(100);
        QCOMPARE(jit.cpu->s.gpr[3], 2u);
        QCOMPARE(jit.cpu->s.srr0, kProgram + 8);
        QCOMPARE(jit.cpu->s.srr1 & program::Trap, program::Trap);
        QCOMPARE(jit.cpu->s.srr1 & 0xffff, msr::FP | msr::EE);
        QCOMPARE(jit.cpu->s.pc, 0x700u);
    }

    // Self-modifying code: a block that ran is patched by a store, and after
    // icbi + isync the new instruction runs, not the stale translation.
    void aStoreIntoTranslatedCodeIsSeenAfterIcbiAndIsync() {
        Side jit(true);
        const uint32_t x = kProgram + 0x0c;
        const uint32_t patched = D(14, 3, 3, 100);                  // addi r3,r3,100
        jit.load({li(3, 0), li(5, 2), mtspr(9, 5), D(14, 3, 3, 1),  // X: addi r3,r3,1
                  bc(16, 0, -4),                                    // bdnz X: X runs twice, translated
                  lis(6, patched >> 16), ori(6, 6, patched & 0xffff), lis(7, x >> 16), ori(7, 7, x & 0xffff),
                  D(36, 6, 7, 0),         // stw r6,0(r7)
                  X(31, 0, 0, 7, 982),    // icbi 0,r7
                  19u << 26 | 150u << 1,  // isync
                  li(5, 1), mtspr(9, 5),
                  18u << 26 | ((x - (kProgram + 0x38)) & 0x03fffffc)},  // b X (once more; ends at bdnz)
                 1);
        // After the second visit to X, bdnz falls through into the patch
        // code again: stop at the first time r3 has the patched value.
        jit.cpu->s.gpr[3] = 0;
        for (unsigned i = 0; i < 40 && jit.cpu->s.gpr[3] < 100; ++i) jit.engine->step();
        QCOMPARE(jit.cpu->s.gpr[3], 102u);
    }

    // A board re-places firmware and kernel with plain RAM writes before a
    // reset (mac99 reboot): the code that runs after the reset is the new one.
    void resetDropsTranslationsOfCodeRewrittenBehindTheCpusBack() {
        Side jit(true);
        jit.load({li(3, 1)}, 1);
        jit.engine->run(10);
        QCOMPARE(jit.cpu->s.gpr[3], 1u);
        jit.write32(kProgram, li(3, 2));  // host write: no store the CPU could report
        jit.engine->reset(kProgram);
        jit.cpu->s.msr = msr::FP;  // the mode the first translation was made in
        jit.engine->run(10);
        QCOMPARE(jit.cpu->s.gpr[3], 2u);
    }

    // A level raised while translated code loops chained to itself is taken
    // within the same run: generated code polls the interrupt word.
    void anExternalInterruptStopsAChainedLoop() {
        Side jit(true);
        jit.load({li(3, 0), D(14, 3, 3, 1), 18u << 26 | (static_cast<uint32_t>(-4) & 0x03fffffc)}, 1);
        jit.cpu->s.msr = msr::FP | msr::EE;
        jit.engine->run(10000);             // loops (chained) for the whole budget
        QVERIFY(jit.cpu->s.gpr[3] > 4000);  // two instructions a turn
        jit.engine->setInterruptLevel(0, true);
        jit.engine->run(10000);
        QCOMPARE(jit.cpu->s.pc, 0x500u);
        QVERIFY(jit.cpu->s.srr0 == kProgram + 4 || jit.cpu->s.srr0 == kProgram + 8);
    }
};

QTEST_GUILESS_MAIN(PpcJitTest)
#include "ppc_jit_test.moc"
