#pragma once
// SpinBackoff: what a hart does at a PAUSE hint (Zihintpause) when other
// harts share the machine. Linux's cpu_relax() executes PAUSE in every
// spin-wait (spinlocks, cross-call and stop_machine waits). The hart it waits
// for runs on another host thread, which may have no host core right now
// (more busy harts than free cores, or a loaded host): spinning on then burns
// exactly the core that hart needs. Short waits are left alone (the awaited
// hart is running and a host yield would only add latency); a wait that goes
// on gives the core to other threads (yield), and a long one sleeps in short
// steps, so it costs neither host CPU nor guest instructions.

#include <chrono>
#include <cstdint>

namespace tessera::riscv {

class SpinBackoff {
public:
    using Clock = std::chrono::steady_clock;
    enum class Action { Spin, Yield, Sleep };

    // Spin-waits shorter than this are left alone.
    static constexpr std::chrono::microseconds kSpinFor{20};
    // Then the host thread yields until the wait is this long, then sleeps.
    static constexpr std::chrono::microseconds kYieldUntil{100};
    // One sleep step: short, since the wait may end at any moment.
    static constexpr std::chrono::microseconds kSleepStep{50};
    // A PAUSE at the same pc within this time of the previous one (which may
    // have slept) continues the same wait; otherwise a new wait starts.
    static constexpr std::chrono::microseconds kSameWait{1000};

    // A PAUSE at guest `pc` at host time `now`: what to do about it.
    Action onPause(uint64_t pc, Clock::time_point now);
    // Does it: onPause with the current time, then yields or sleeps; returns
    // what it did.
    Action pause(uint64_t pc);
    // Host time pause() has given away so far (yields and sleeps), in
    // nanoseconds: the hart's thread was not executing guest code then, so
    // run statistics count it as idle, not busy. Owner thread only.
    uint64_t backedOffNanos() const { return backedOffNanos_; }

private:
    uint64_t pc_ = 0;
    Clock::time_point waitStart_{};
    Clock::time_point lastPause_{};
    uint64_t backedOffNanos_ = 0;
};

}  // namespace tessera::riscv
