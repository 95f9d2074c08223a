// SpinBackoff (core/cpu/riscv/spin_backoff.h): a hart spinning on PAUSE with
// other harts around leaves short waits alone, yields its host core once a
// wait goes on, and sleeps through a long one; a new wait starts over.

#include <QtTest>

#include "core/cpu/riscv/spin_backoff.h"

using tessera::riscv::SpinBackoff;
using Action = SpinBackoff::Action;
using namespace std::chrono_literals;

class RiscvSpinBackoffTest : public QObject {
    Q_OBJECT

    static constexpr uint64_t kLockPc = 0xffffffff803485c2;
    const SpinBackoff::Clock::time_point t0 = SpinBackoff::Clock::time_point{} + 1h;

    // Pauses at `pc` every `every` from `from` on for `count` times; the last action.
    static Action spin(SpinBackoff& b, uint64_t pc, SpinBackoff::Clock::time_point from,
                       std::chrono::nanoseconds every, int count) {
        Action last = Action::Spin;
        for (int i = 0; i < count; ++i) last = b.onPause(pc, from + i * every);
        return last;
    }

private slots:
    void aShortWaitOnlySpins() {
        SpinBackoff b;
        QCOMPARE(spin(b, kLockPc, t0, 50ns, 300), Action::Spin);  // 15 us
    }
    void aLongerWaitYieldsThenSleeps() {
        SpinBackoff b;
        QCOMPARE(spin(b, kLockPc, t0, 1us, 20), Action::Spin);  // 0..19 us
        QCOMPARE(b.onPause(kLockPc, t0 + 20us), Action::Yield);
        QCOMPARE(b.onPause(kLockPc, t0 + 99us), Action::Yield);
        QCOMPARE(b.onPause(kLockPc, t0 + 100us), Action::Sleep);
    }
    void aSleepingWaitStaysOneWait() {
        // The previous PAUSE slept (a 50 us step and more): the same spin-wait.
        SpinBackoff b;
        QCOMPARE(b.onPause(kLockPc, t0), Action::Spin);
        QCOMPARE(b.onPause(kLockPc, t0 + 150us), Action::Sleep);
        QCOMPARE(b.onPause(kLockPc, t0 + 400us), Action::Sleep);
    }
    void aNewWaitStartsOver() {
        SpinBackoff b;
        QCOMPARE(b.onPause(kLockPc, t0), Action::Spin);
        QCOMPARE(b.onPause(kLockPc, t0 + 200us), Action::Sleep);
        // Another spin-wait (another pc), or the same one long after: spin first.
        QCOMPARE(b.onPause(kLockPc + 0x40, t0 + 201us), Action::Spin);
        QCOMPARE(b.onPause(kLockPc + 0x40, t0 + 5ms), Action::Spin);
    }
};

QTEST_GUILESS_MAIN(RiscvSpinBackoffTest)
#include "riscv_spin_backoff_test.moc"
