// Specification of the debugger's hold on a CPU engine (cpu_engine.h,
// setBreakpoints / stepInstruction / debugTranslate), which the GDB stub
// relies on, for both ISAs and both engines: run() stops *before* an
// instruction at a breakpoint, even in the middle of a loop that the JIT has
// already translated as one block chained to itself; stepInstruction runs
// exactly one instruction (not a JIT block); clearing the breakpoints lets
// the loop run at full speed again.

#include <QtTest>
#include <cstring>
#include <memory>

#include "core/cpu/cpu_engine.h"
#include "core/cpu/ppc/engine_factory.h"
#include "core/cpu/riscv/encoding.h"
#include "core/cpu/riscv/engine_factory.h"
#include "core/hw/memory_bus.h"

using namespace tessera;

namespace {

constexpr uint64_t kRiscvBase = 0x80000000;
constexpr uint64_t kPpcBase = 0x10000;

// A four-instruction loop: three counters and the branch back. Element 2 of
// `counters` counts the third instruction, where the breakpoint goes.
struct Rig {
    hw::MemoryBus bus;
    std::unique_ptr<cpu::CpuEngine> engine;
    bool riscv = true;
    uint64_t base = 0;

    Rig(bool isRiscv, cpu::EngineKind kind) : riscv(isRiscv), base(isRiscv ? kRiscvBase : kPpcBase) {
        if (riscv) {
            uint8_t* ram = bus.addRam(kRiscvBase, 1 << 20);
            namespace enc = riscv::encode;
            const uint32_t loop[] = {enc::addi(10, 10, 1), enc::addi(11, 11, 1), enc::addi(12, 12, 1),
                                     enc::jal(0, -12)};
            std::memcpy(ram, loop, sizeof loop);
            auto made = riscv::createEngine(kind, bus, riscv::HartConfig{});
            if (made) engine = std::move(*made);
        } else {
            uint8_t* ram = bus.addRam(0, 1 << 20);
            auto addi = [](unsigned r) { return 14u << 26 | r << 21 | r << 16 | 1u; };
            const uint32_t loop[] = {addi(3), addi(4), addi(5), 18u << 26 | (uint32_t(-12) & 0x03fffffc)};
            for (size_t i = 0; i < 4; ++i)
                for (int b = 0; b < 4; ++b) ram[kPpcBase + 4 * i + b] = uint8_t(loop[i] >> (24 - 8 * b));
            auto made = ppc::createEngine(kind, bus, ppc::CpuConfig{});
            if (made) engine = std::move(*made);
        }
        if (engine) engine->reset(base);
    }
    uint64_t counter(unsigned index) {
        if (riscv) return riscv::hartOf(*engine).state().x[10 + index];
        return ppc::cpuOf(*engine).s.gpr[3 + index];
    }
};

}  // namespace

class CpuBreakpointsTest : public QObject {
    Q_OBJECT

    void cases() {
        QTest::addColumn<bool>("riscv");
        QTest::addColumn<int>("engine");
        QTest::newRow("riscv-interp") << true << int(cpu::EngineKind::Interpreter);
        QTest::newRow("riscv-jit") << true << int(cpu::EngineKind::Jit);
        QTest::newRow("ppc-interp") << false << int(cpu::EngineKind::Interpreter);
        QTest::newRow("ppc-jit") << false << int(cpu::EngineKind::Jit);
    }

private slots:
    void runStopsBeforeABreakpointInsideAChainedLoop_data() { cases(); }
    void runStopsBeforeABreakpointInsideAChainedLoop() {
        QFETCH(bool, riscv);
        QFETCH(int, engine);
        Rig rig(riscv, cpu::EngineKind(engine));
        QVERIFY(rig.engine);
        // Warm up: the JIT translates the loop and chains it to itself.
        QCOMPARE(rig.engine->run(4000).reason, cpu::StopReason::BudgetExhausted);
        const uint64_t before = rig.counter(2);
        QVERIFY(before >= 1000);
        QCOMPARE(rig.counter(0), before);  // whole loops: every engine stops at a block boundary

        const uint64_t breakpoint = rig.base + 8;
        rig.engine->setBreakpoints({breakpoint});
        cpu::RunResult result = rig.engine->run(1'000'000);
        QCOMPARE(result.reason, cpu::StopReason::Breakpoint);
        QCOMPARE(rig.engine->pc(), breakpoint);
        QCOMPARE(rig.counter(2), before);  // the instruction at the breakpoint has not run
        QCOMPARE(rig.counter(1), before + 1);

        // Still there: run() checks the first instruction too.
        result = rig.engine->run(1'000'000);
        QCOMPARE(result.reason, cpu::StopReason::Breakpoint);
        QCOMPARE(result.executed, uint64_t(0));

        // One instruction, whatever the engine.
        result = rig.engine->stepInstruction();
        QCOMPARE(result.executed, uint64_t(1));
        QCOMPARE(rig.engine->pc(), rig.base + 12);
        QCOMPARE(rig.counter(2), before + 1);

        // Once round the loop and there again.
        result = rig.engine->run(1'000'000);
        QCOMPARE(result.reason, cpu::StopReason::Breakpoint);
        QCOMPARE(result.executed, uint64_t(3));
        QCOMPARE(rig.engine->pc(), breakpoint);

        // Without breakpoints the loop runs its budget out.
        rig.engine->setBreakpoints({});
        QCOMPARE(rig.engine->run(4000).reason, cpu::StopReason::BudgetExhausted);
        QVERIFY(rig.counter(2) >= before + 1000);
    }

    void aBreakpointAtTheLoopHeadIsHitEveryIteration_data() { cases(); }
    void aBreakpointAtTheLoopHeadIsHitEveryIteration() {
        QFETCH(bool, riscv);
        QFETCH(int, engine);
        Rig rig(riscv, cpu::EngineKind(engine));
        QVERIFY(rig.engine);
        QCOMPARE(rig.engine->run(4000).reason, cpu::StopReason::BudgetExhausted);
        rig.engine->setBreakpoints({rig.base});
        for (int i = 0; i < 5; ++i) {
            const uint64_t count = rig.counter(0);
            QCOMPARE(rig.engine->run(1'000'000).reason, cpu::StopReason::Breakpoint);
            QCOMPARE(rig.engine->pc(), rig.base);
            rig.engine->stepInstruction();  // as GDB steps over a breakpoint before continuing
            QCOMPARE(rig.counter(0), count + 1);
        }
    }

    void debugTranslateFollowsTheCpusCurrentTranslation_data() { cases(); }
    void debugTranslateFollowsTheCpusCurrentTranslation() {
        QFETCH(bool, riscv);
        QFETCH(int, engine);
        Rig rig(riscv, cpu::EngineKind(engine));
        QVERIFY(rig.engine);
        // Reset state: no translation (M-mode / MSR[DR] clear), virtual = physical.
        QCOMPARE(rig.engine->debugTranslate(rig.base + 0x123), std::optional<uint64_t>(rig.base + 0x123));
        if (!riscv)  // beyond a 32-bit CPU's addresses
            QVERIFY(!rig.engine->debugTranslate(0x100000000ull).has_value());
    }
};

QTEST_APPLESS_MAIN(CpuBreakpointsTest)
#include "cpu_breakpoints_test.moc"
