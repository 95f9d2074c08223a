#include "core/hw/virtual_clock.h"

namespace tessera::hw {

namespace {
constexpr uint64_t kNsPerTick = 1'000'000'000 / VirtualClock::kFrequencyHz;
}

VirtualClock::VirtualClock() : start_(Clock::now()) {}

uint64_t VirtualClock::hostTicks() const {
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start_).count();
    return static_cast<uint64_t>(ns) / kNsPerTick;
}

uint64_t VirtualClock::mtime() const {
    if (paused_.load(std::memory_order_acquire)) return pausedAt_.load(std::memory_order_relaxed);
    return hostTicks() + static_cast<uint64_t>(offsetTicks_.load(std::memory_order_relaxed));
}

void VirtualClock::setMtime(uint64_t value) {
    if (paused_.load(std::memory_order_acquire)) {
        pausedAt_.store(value, std::memory_order_relaxed);
        return;
    }
    offsetTicks_.store(static_cast<int64_t>(value - hostTicks()), std::memory_order_relaxed);
}

std::chrono::nanoseconds VirtualClock::untilMtime(uint64_t target) const {
    const uint64_t now = mtime();
    if (target <= now) return std::chrono::nanoseconds(0);
    const uint64_t ticks = target - now;
    if (ticks > uint64_t(3600) * kFrequencyHz) return std::chrono::hours(1);
    return std::chrono::nanoseconds(ticks * kNsPerTick);
}

void VirtualClock::pause() {
    if (paused()) return;
    pausedAt_.store(mtime(), std::memory_order_relaxed);
    paused_.store(true, std::memory_order_release);
}

void VirtualClock::resume() {
    if (!paused()) return;
    offsetTicks_.store(static_cast<int64_t>(pausedAt_.load() - hostTicks()), std::memory_order_relaxed);
    paused_.store(false, std::memory_order_release);
}

}  // namespace tessera::hw
