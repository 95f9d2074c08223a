#include "core/cpu/riscv/spin_backoff.h"

#include <thread>

namespace tessera::riscv {

SpinBackoff::Action SpinBackoff::onPause(uint64_t pc, Clock::time_point now) {
    if (pc != pc_ || lastPause_ == Clock::time_point{} || now - lastPause_ > kSameWait) {
        pc_ = pc;
        waitStart_ = now;
    }
    lastPause_ = now;
    const auto waited = now - waitStart_;
    if (waited < kSpinFor) return Action::Spin;
    if (waited < kYieldUntil) return Action::Yield;
    return Action::Sleep;
}

SpinBackoff::Action SpinBackoff::pause(uint64_t pc) {
    const Clock::time_point now = Clock::now();
    const Action action = onPause(pc, now);
    switch (action) {
        case Action::Spin:
            return action;  // executing guest code: busy time
        case Action::Yield:
            std::this_thread::yield();
            break;
        case Action::Sleep:
            std::this_thread::sleep_for(kSleepStep);
            break;
    }
    backedOffNanos_ +=
        uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - now).count());
    return action;
}

}  // namespace tessera::riscv
