#pragma once
// VirtualClock: the board's notion of time. mtime counts at 10 MHz from the
// host monotonic clock (never from instruction counts) so that time measured
// by the guest matches the wall clock however fast the CPU engine is
// (docs/ARCHITECTURE.md, "Time"). While the VM is paused the clock stands
// still, and the guest may write mtime (privileged spec 3.2.1), which moves an
// offset rather than the host clock. Reads are lock-free: the hart's `time`
// CSR comes straight from here.

#include <atomic>
#include <chrono>
#include <cstdint>

#include "core/hw/guest_clock.h"

namespace tessera::hw {

class VirtualClock final : public GuestClock {
public:
    static constexpr uint64_t kFrequencyHz = 10'000'000;

    VirtualClock();

    uint64_t mtime() const override;
    void setMtime(uint64_t value) override;

    // Host duration until mtime reaches `target` (zero if already there;
    // capped at one hour for "never" deadlines such as mtimecmp = ~0).
    std::chrono::nanoseconds untilMtime(uint64_t target) const;

    // Pause/resume come from the VM thread's control path only.
    void pause();
    void resume();
    bool paused() const { return paused_.load(std::memory_order_acquire); }

private:
    using Clock = std::chrono::steady_clock;
    uint64_t hostTicks() const;

    Clock::time_point start_;
    std::atomic<int64_t> offsetTicks_{0};  // guest writes to mtime and paused intervals
    std::atomic<bool> paused_{false};
    std::atomic<uint64_t> pausedAt_{0};
};

}  // namespace tessera::hw
