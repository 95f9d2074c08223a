// Specification of the CPU engine interface a board drives (core/cpu/cpu_engine.h):
// engines are chosen by name and made by the ISA's factory, a run slice ends
// on request from another thread at a block boundary, code written behind the
// CPU's back (DMA) is re-read, and the state dump names the registers. The
// interpreter and the JIT are driven here only through cpu::CpuEngine, as a
// board does.

#include "core/cpu/cpu_engine.h"

#include <QtTest>
#include <atomic>
#include <chrono>
#include <thread>

#include "core/cpu/riscv/encoding.h"
#include "core/cpu/riscv/engine_factory.h"
#include "core/cpu/riscv/hart.h"
#include "core/hw/memory_bus.h"

using namespace tessera;
namespace enc = tessera::riscv::encode;

namespace {

constexpr uint64_t kRamBase = 0x80000000;
constexpr uint32_t kSelfLoop = 0x0000006f;  // jal x0, 0
constexpr unsigned kA0 = 10;
constexpr unsigned kA1 = 11;
constexpr unsigned kT0 = 5;
constexpr unsigned kMtvec = 0x305, kMie = 0x304, kMstatus = 0x300;
constexpr uint64_t kTrapVector = kRamBase + 0x1000;
constexpr uint64_t kUnmapped = 0x40000000;  // nothing on this bus answers there

// Guest RAM plus an engine made by the RISC-V factory, as the board makes it.
struct EngineRig {
    hw::MemoryBus bus;
    uint8_t* ram = bus.addRam(kRamBase, 1 << 20);
    std::unique_ptr<cpu::CpuEngine> engine;

    explicit EngineRig(cpu::EngineKind kind = cpu::EngineKind::Interpreter) {
        auto made = riscv::createEngine(kind, bus, riscv::HartConfig{});
        if (made) engine = std::move(*made);
    }
    const riscv::HartState& state() const { return riscv::hartOf(*engine).state(); }
    void place(uint64_t addr, std::initializer_list<uint32_t> words) {
        for (uint32_t w : words) {
            std::memcpy(ram + (addr - kRamBase), &w, 4);
            addr += 4;
        }
    }
};

}  // namespace

// Every behaviour below holds for both engines.
void engines() {
    QTest::addColumn<int>("engine");
    QTest::newRow("interp") << int(cpu::EngineKind::Interpreter);
    QTest::newRow("jit") << int(cpu::EngineKind::Jit);
}

class CpuEngineTest : public QObject {
    Q_OBJECT
private slots:
    void enginesAreChosenByTheirCommandLineNames() {
        QCOMPARE(cpu::engineKindFromName("interp"), std::optional(cpu::EngineKind::Interpreter));
        QCOMPARE(cpu::engineKindFromName("jit"), std::optional(cpu::EngineKind::Jit));
        QVERIFY(!cpu::engineKindFromName("tcg"));
        QCOMPARE(std::string(cpu::engineName(cpu::EngineKind::Interpreter)), std::string("interp"));
        QCOMPARE(cpu::availableEngineNames(), std::string("interp, jit"));
    }

    void theFactoryMakesEachEngine_data() { engines(); }
    void theFactoryMakesEachEngine() {
        QFETCH(int, engine);
        const auto kind = cpu::EngineKind(engine);
        QVERIFY(cpu::engineAvailable(kind));
        EngineRig rig(kind);
        QVERIFY(rig.engine);
        QCOMPARE(rig.engine->kind(), kind);
    }

    void aSliceRunsItsBudgetInWholeBlocks_data() { engines(); }
    void aSliceRunsItsBudgetInWholeBlocks() {
        QFETCH(int, engine);
        const auto kind = cpu::EngineKind(engine);
        EngineRig rig(kind);
        rig.place(kRamBase, {kSelfLoop});
        rig.engine->reset(kRamBase);
        const cpu::RunResult result = rig.engine->run(1000);
        QCOMPARE(result.reason, cpu::StopReason::BudgetExhausted);
        QVERIFY(result.executed >= 1000);
        QCOMPARE(rig.engine->instructionsRetired(), result.executed);
        QCOMPARE(rig.engine->pc(), kRamBase);
    }

    // The board's stop, pause and reset end a slice at the next block boundary
    // instead of after the whole budget: a guest spinning forever is left at
    // once when another thread asks.
    void anExitRequestFromAnotherThreadEndsARunningSlice_data() { engines(); }
    void anExitRequestFromAnotherThreadEndsARunningSlice() {
        QFETCH(int, engine);
        const auto kind = cpu::EngineKind(engine);
        EngineRig rig(kind);
        rig.place(kRamBase, {kSelfLoop});
        rig.engine->reset(kRamBase);
        std::atomic<bool> started{false};
        std::thread requester([&] {
            while (!started.load()) std::this_thread::yield();
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            rig.engine->requestExit();
        });
        started = true;
        const auto begin = std::chrono::steady_clock::now();
        const cpu::RunResult result = rig.engine->run(~0ull >> 1);  // years of guest time
        requester.join();
        QCOMPARE(result.reason, cpu::StopReason::ExitRequested);
        QVERIFY(result.executed > 0);
        QVERIFY(std::chrono::steady_clock::now() - begin < std::chrono::seconds(20));
        // Consumed: the next slice runs its budget again.
        QCOMPARE(rig.engine->run(100).reason, cpu::StopReason::BudgetExhausted);
    }

    // A request made between slices (the VM thread busy servicing devices) is
    // not lost: the next run() returns before executing anything, and a guest
    // reset in between does not clear it.
    void aRequestBetweenSlicesEndsTheNextOne_data() { engines(); }
    void aRequestBetweenSlicesEndsTheNextOne() {
        QFETCH(int, engine);
        const auto kind = cpu::EngineKind(engine);
        EngineRig rig(kind);
        rig.place(kRamBase, {kSelfLoop});
        rig.engine->reset(kRamBase);
        rig.engine->requestExit();
        rig.engine->reset(kRamBase);
        const cpu::RunResult result = rig.engine->run(1000);
        QCOMPARE(result.reason, cpu::StopReason::ExitRequested);
        QCOMPARE(result.executed, uint64_t(0));
    }

    // Device DMA (or a loader) that rewrites code the CPU already ran: after
    // invalidateCode the engine runs the new instructions, not a stale copy.
    void codeRewrittenBehindTheCpusBackRunsAfterInvalidation_data() { engines(); }
    void codeRewrittenBehindTheCpusBackRunsAfterInvalidation() {
        QFETCH(int, engine);
        const auto kind = cpu::EngineKind(engine);
        EngineRig rig(kind);
        rig.place(kRamBase, {enc::addi(kA0, 0, 1), kSelfLoop});
        rig.engine->reset(kRamBase);
        rig.engine->run(10);
        QVERIFY(QString::fromStdString(rig.engine->dumpState()).contains("a0  =0000000000000001"));

        rig.place(kRamBase, {enc::addi(kA0, 0, 2)});
        rig.engine->invalidateCode(kRamBase, 4);
        rig.engine->reset(kRamBase);
        rig.engine->run(10);
        QVERIFY2(QString::fromStdString(rig.engine->dumpState()).contains("a0  =0000000000000002"),
                 rig.engine->dumpState().c_str());
    }

    // WFI returns the slice to the board (which sleeps the host thread) until
    // an enabled interrupt line rises; the board asks interruptPending().
    void aWaitingGuestIsWokenByAnEnabledInterruptLine_data() { engines(); }
    void aWaitingGuestIsWokenByAnEnabledInterruptLine() {
        QFETCH(int, engine);
        const auto kind = cpu::EngineKind(engine);
        EngineRig rig(kind);
        constexpr unsigned kT0 = 5, kMie = 0x304, kMti = 7;
        rig.place(kRamBase, {enc::addi(kT0, 0, 1 << kMti), enc::csrrs(0, kMie, kT0), enc::wfi(), kSelfLoop});
        rig.engine->reset(kRamBase);
        QCOMPARE(rig.engine->run(1000).reason, cpu::StopReason::WaitForInterrupt);
        QVERIFY(!rig.engine->interruptPending());
        rig.engine->setInterruptLevel(kMti, true);
        QVERIFY(rig.engine->interruptPending());
    }

    // ---- step(): the unit of a lockstep comparison (tests/lockstep/) ----

    void aStepRetiresExactlyOneInstruction() {
        EngineRig rig;
        rig.place(kRamBase, {enc::addi(kA0, 0, 1), enc::addi(kA0, kA0, 2), kSelfLoop});
        rig.engine->reset(kRamBase);
        const cpu::RunResult first = rig.engine->step();
        QCOMPARE(first.reason, cpu::StopReason::BudgetExhausted);
        QCOMPARE(first.executed, uint64_t(1));
        QCOMPARE(rig.engine->pc(), kRamBase + 4);
        QCOMPARE(rig.state().x[kA0], uint64_t(1));
        QCOMPARE(rig.engine->step().executed, uint64_t(1));
        QCOMPARE(rig.state().x[kA0], uint64_t(3));
        QCOMPARE(rig.engine->instructionsRetired(), uint64_t(2));
    }

    void aCompressedInstructionIsOneStepOfTwoBytes() {
        EngineRig rig;
        const uint32_t cLiA0Seven = 0x451d;  // c.li a0, 7
        rig.place(kRamBase, {cLiA0Seven | (0x0001u << 16) /* c.nop */});
        rig.engine->reset(kRamBase);
        QCOMPARE(rig.engine->step().executed, uint64_t(1));
        QCOMPARE(rig.engine->pc(), kRamBase + 2);
        QCOMPARE(rig.state().x[kA0], uint64_t(7));
    }

    // A faulting instruction retires nothing: its step is the trap entry.
    void aFaultingInstructionIsOneStepThatEntersTheTrapAndRetiresNothing() {
        EngineRig rig;
        rig.place(kRamBase, {enc::lui(kA1, kUnmapped >> 12), enc::ld(kA0, kA1, 0)});
        rig.engine->reset(kRamBase);
        riscv::hartOf(*rig.engine).state().mtvec = kTrapVector;
        QCOMPARE(rig.engine->step().executed, uint64_t(1));
        const cpu::RunResult fault = rig.engine->step();
        QCOMPARE(fault.executed, uint64_t(0));
        QCOMPARE(rig.engine->pc(), kTrapVector);
        QCOMPARE(rig.state().mcause, riscv::cause::LoadAccessFault);
        QCOMPARE(rig.state().mepc, kRamBase + 4);
        QCOMPARE(rig.engine->instructionsRetired(), uint64_t(1));
    }

    // A pending, enabled interrupt is taken before the next instruction, in a
    // step of its own; the handler's first instruction is the step after.
    void anInterruptEntryIsAStepOfItsOwn() {
        EngineRig rig;
        rig.place(kRamBase, {enc::addi(kT0, 0, 1 << riscv::irq::MTI), enc::csrrs(0, kMie, kT0),
                             enc::csrrwi(0, kMstatus, 8 /* MIE */), kSelfLoop});
        rig.place(kTrapVector, {enc::addi(kA0, 0, 42), kSelfLoop});
        rig.engine->reset(kRamBase);
        riscv::hartOf(*rig.engine).state().mtvec = kTrapVector;
        rig.engine->setInterruptLevel(riscv::irq::MTI, true);
        for (int i = 0; i < 3; ++i) QCOMPARE(rig.engine->step().executed, uint64_t(1));
        const cpu::RunResult entry = rig.engine->step();
        QCOMPARE(entry.executed, uint64_t(0));
        QCOMPARE(rig.engine->pc(), kTrapVector);
        QCOMPARE(rig.state().mcause, riscv::cause::InterruptBit | riscv::irq::MTI);
        QCOMPARE(rig.state().mepc, kRamBase + 12);
        QCOMPARE(rig.engine->step().executed, uint64_t(1));
        QCOMPARE(rig.state().x[kA0], uint64_t(42));
    }

    void aWaitingGuestEndsItsStepWithWaitForInterrupt() {
        EngineRig rig;
        rig.place(kRamBase, {enc::wfi(), kSelfLoop});
        rig.engine->reset(kRamBase);
        const cpu::RunResult result = rig.engine->step();
        QCOMPARE(result.reason, cpu::StopReason::WaitForInterrupt);
        QCOMPARE(result.executed, uint64_t(1));
        QCOMPARE(rig.engine->pc(), kRamBase + 4);
    }

    // Stepping and running are the same machine: a loop with loads, stores
    // and branches ends in the same state whichever way it is driven.
    void steppingAProgramEndsWhereRunningItEnds() {
        auto program = [](EngineRig& rig) {
            rig.place(kRamBase, {enc::addi(kA0, 0, 10),             // a0 = 10
                                 enc::u(0x17 /* auipc */, kA1, 2),  // a1 = buffer
                                 enc::sd(kA0, kA1, 0),              // loop: *a1 = a0
                                 enc::ld(kT0, kA1, 0),              //   t0 = *a1
                                 enc::add(kA1, kA1, kT0),           //   a1 += t0
                                 enc::addi(kA0, kA0, -1),           //   --a0
                                 enc::b(1 /* bne */, kA0, 0, -16), kSelfLoop});
            rig.engine->reset(kRamBase);
        };
        EngineRig running, stepping;
        program(running);
        program(stepping);
        const uint64_t executed = running.engine->run(2 + 5 * 10).executed;
        QCOMPARE(executed, uint64_t(2 + 5 * 10));
        for (uint64_t i = 0; i < executed; ++i) QCOMPARE(stepping.engine->step().executed, uint64_t(1));
        QCOMPARE(stepping.engine->pc(), running.engine->pc());
        QVERIFY(std::memcmp(stepping.state().x, running.state().x, sizeof running.state().x) == 0);
        QVERIFY(std::memcmp(stepping.ram, running.ram, 1 << 20) == 0);
        QCOMPARE(stepping.engine->dumpState(), running.engine->dumpState());
    }
};

QTEST_GUILESS_MAIN(CpuEngineTest)
#include "cpu_engine_test.moc"
