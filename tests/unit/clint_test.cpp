// Specification: the CLINT exposes mtime from the board clock, raises MTIP
// while mtime >= mtimecmp and MSIP while msip bit 0 is set. On the lockstep
// tester's instruction clock, mtime is a function of retired instructions.

#include "core/devices/clint.h"

#include <QtTest>

#include "core/hw/instruction_clock.h"
#include "core/hw/virtual_clock.h"

using tessera::devices::Clint;
using tessera::hw::InstructionClock;
using tessera::hw::VirtualClock;

class ClintTest : public QObject {
    Q_OBJECT
private slots:
    void mtimeCountsAtTenMegahertzFromTheHostClock() {
        VirtualClock clock;
        Clint clint(clock, 1);
        const uint64_t before = clint.read(Clint::kMtime, 8);
        QThread::msleep(20);
        const uint64_t after = clint.read(Clint::kMtime, 8);
        QVERIFY(after - before >= 150'000);  // at least 15 ms worth of 100 ns ticks
    }
    void timerInterruptFollowsMtimecmp() {
        VirtualClock clock;
        Clint clint(clock, 1);
        bool mtip = false;
        clint.timerIrq(0).connect([&](bool level) { mtip = level; });
        QVERIFY(!mtip);  // reset value of mtimecmp is "never"
        clint.write(Clint::kMtimecmpBase, 8, 0);
        QVERIFY(mtip);  // mtime >= 0 at once
        clint.write(Clint::kMtimecmpBase, 8, clock.mtime() + 10'000'000);
        QVERIFY(!mtip);  // one second in the future
        const uint64_t next = clint.updateTimers();
        QCOMPARE(next, clint.mtimecmp(0));
    }
    void mtimecmpHalvesCanBeWrittenSeparately() {
        VirtualClock clock;
        Clint clint(clock, 1);
        clint.write(Clint::kMtimecmpBase, 4, 0x11223344);
        clint.write(Clint::kMtimecmpBase + 4, 4, 0x55667788);
        QCOMPARE(clint.read(Clint::kMtimecmpBase, 8), 0x5566778811223344ull);
        QCOMPARE(clint.read(Clint::kMtimecmpBase + 4, 4), 0x55667788ull);
    }
    void softwareInterruptIsBitZeroOfMsip() {
        VirtualClock clock;
        Clint clint(clock, 1);
        bool msip = false;
        clint.softwareIrq(0).connect([&](bool level) { msip = level; });
        clint.write(Clint::kMsipBase, 4, 0xFFFFFFFE);
        QVERIFY(!msip);
        QCOMPARE(clint.read(Clint::kMsipBase, 4), 0ull);
        clint.write(Clint::kMsipBase, 4, 1);
        QVERIFY(msip);
        clint.write(Clint::kMsipBase, 4, 0);
        QVERIFY(!msip);
    }
    void everyHartHasItsOwnMsipAndMtimecmp() {
        // As on QEMU's virt with -smp 4: msip[h] at 4h, mtimecmp[h] at
        // 0x4000 + 8h; an IPI or a timer of one hart touches no other.
        VirtualClock clock;
        Clint clint(clock, 4);
        bool msip[4] = {}, mtip[4] = {};
        for (unsigned h = 0; h < 4; ++h) {
            clint.softwareIrq(h).connect([&msip, h](bool level) { msip[h] = level; });
            clint.timerIrq(h).connect([&mtip, h](bool level) { mtip[h] = level; });
        }
        clint.write(Clint::kMsipBase + 4 * 2, 4, 1);  // hart 0 sends hart 2 an IPI
        QCOMPARE((std::vector<bool>{msip[0], msip[1], msip[2], msip[3]}),
                 (std::vector<bool>{false, false, true, false}));
        QCOMPARE(clint.read(Clint::kMsipBase + 4 * 2, 4), 1ull);
        QCOMPARE(clint.read(Clint::kMsipBase + 4 * 1, 4), 0ull);
        clint.write(Clint::kMsipBase + 4 * 2, 4, 0);
        QVERIFY(!msip[2]);

        const uint64_t later = clock.mtime() + 10'000'000;
        clint.write(Clint::kMtimecmpBase + 8 * 3, 8, 0);      // hart 3: due now
        clint.write(Clint::kMtimecmpBase + 8 * 1, 8, later);  // hart 1: in a second
        QCOMPARE((std::vector<bool>{mtip[0], mtip[1], mtip[2], mtip[3]}),
                 (std::vector<bool>{false, false, false, true}));
        QCOMPARE(clint.read(Clint::kMtimecmpBase + 8 * 1, 8), later);
        // Each hart sleeps in WFI until its own deadline only.
        QCOMPARE(clint.nextDeadline(1), later);
        QCOMPARE(clint.nextDeadline(0), UINT64_MAX);  // never set
        QCOMPARE(clint.nextDeadline(3), UINT64_MAX);  // already due
        QCOMPARE(clint.updateTimers(), later);        // the earliest future deadline of any hart
        // Past the last hart: not a register.
        clint.write(Clint::kMsipBase + 4 * 4, 4, 1);
        QCOMPARE(clint.read(Clint::kMsipBase + 4 * 4, 4), 0ull);
    }
    void guestWriteToMtimeMovesTheClock() {
        VirtualClock clock;
        Clint clint(clock, 1);
        clint.write(Clint::kMtime, 8, 1ull << 40);
        QVERIFY(clock.mtime() >= (1ull << 40));
        QVERIFY(clock.mtime() < (1ull << 40) + 10'000'000);
    }
    void hostileOffsetsAreHarmless() {
        VirtualClock clock;
        Clint clint(clock, 1);
        for (uint64_t offset : {uint64_t(4), uint64_t(0x4008), uint64_t(0xBFF0), uint64_t(0xFFFF),
                                uint64_t(0x10000), ~uint64_t(0)}) {
            for (unsigned size : {1u, 2u, 4u, 8u}) {
                clint.write(offset, size, ~uint64_t(0));
                (void)clint.read(offset, size);
            }
        }
        QCOMPARE(clint.read(Clint::kMsipBase, 4), 0ull);
    }
    void pausedClockStandsStill() {
        VirtualClock clock;
        clock.pause();
        const uint64_t a = clock.mtime();
        QThread::msleep(5);
        QCOMPARE(clock.mtime(), a);
        clock.resume();
        QThread::msleep(5);
        QVERIFY(clock.mtime() > a);
        QVERIFY(clock.mtime() < a + 10'000'000);  // the pause did not count
    }

    // Deterministic mode: time is retired instructions / 10, so the timer
    // fires at the same instruction in every run and every engine.
    void onAnInstructionClockTimeIsTheInstructionCount() {
        uint64_t retired = 0;
        InstructionClock clock(10);
        clock.setInstructionSource([&] { return retired; });
        Clint clint(clock, 1);
        bool mtip = false;
        clint.timerIrq(0).connect([&](bool level) { mtip = level; });
        retired = 1234;
        QCOMPARE(clint.read(Clint::kMtime, 8), uint64_t(123));
        clint.write(Clint::kMtimecmpBase, 8, 200);
        QVERIFY(!mtip);
        retired = 1999;
        clint.updateTimers();
        QVERIFY(!mtip);
        retired = 2000;
        clint.updateTimers();
        QVERIFY(mtip);
        // A guest write moves an offset; time keeps counting instructions from there.
        clint.write(Clint::kMtime, 8, 5000);
        retired = 2100;
        QCOMPARE(clint.read(Clint::kMtime, 8), uint64_t(5010));
        // A waiting guest retires nothing: its owner skips time to the deadline, never back.
        clock.advanceTo(7000);
        QCOMPARE(clock.mtime(), uint64_t(7000));
        clock.advanceTo(6000);
        QCOMPARE(clock.mtime(), uint64_t(7000));
    }
};

QTEST_APPLESS_MAIN(ClintTest)
#include "clint_test.moc"
