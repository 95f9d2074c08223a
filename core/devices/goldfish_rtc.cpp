#include "core/devices/goldfish_rtc.h"

#include <chrono>

namespace tessera::devices {

GoldfishRtc::GoldfishRtc() { reset(); }

void GoldfishRtc::reset() {
    latchedHigh_ = 0;
    alarmNs_ = 0;
    alarmArmed_ = irqEnabled_ = irqPending_ = false;
    irq_.set(false);
}

uint64_t GoldfishRtc::hostNs() {
    const auto wall = std::chrono::system_clock::now().time_since_epoch();
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(wall).count());
}

// Unsigned arithmetic: the guest may set any 64-bit time; it wraps, never overflows.
uint64_t GoldfishRtc::nowNs() const { return hostNs() + offsetNs_; }

uint64_t GoldfishRtc::read(uint64_t offset, unsigned) {
    switch (offset) {
        case TIME_LOW: {
            const uint64_t now = nowNs();
            latchedHigh_ = static_cast<uint32_t>(now >> 32);
            return static_cast<uint32_t>(now);
        }
        case TIME_HIGH:
            return latchedHigh_;
        case ALARM_LOW:
            return static_cast<uint32_t>(alarmNs_);
        case ALARM_HIGH:
            return static_cast<uint32_t>(alarmNs_ >> 32);
        case IRQ_ENABLED:
            return irqEnabled_;
        case ALARM_STATUS:
            return alarmArmed_;
        default:
            return 0;
    }
}

void GoldfishRtc::write(uint64_t offset, unsigned, uint64_t value) {
    const uint32_t v = static_cast<uint32_t>(value);
    switch (offset) {
        case TIME_LOW: {
            // The driver writes TIME_HIGH first, then TIME_LOW commits.
            const uint64_t wanted = (uint64_t(latchedHigh_) << 32) | v;
            offsetNs_ = wanted - hostNs();
            break;
        }
        case TIME_HIGH:
            latchedHigh_ = v;
            break;
        case ALARM_HIGH:
            alarmNs_ = (uint64_t(v) << 32) | (alarmNs_ & 0xFFFFFFFFu);
            break;
        case ALARM_LOW:
            // Writing the low half arms the alarm (rtc-goldfish writes HIGH then LOW).
            alarmNs_ = (alarmNs_ & ~uint64_t(0xFFFFFFFFu)) | v;
            alarmArmed_ = true;
            updateAlarm();
            break;
        case IRQ_ENABLED:
            irqEnabled_ = v & 1;
            updateAlarm();
            break;
        case CLEAR_ALARM:
            alarmArmed_ = false;
            break;
        case CLEAR_INTERRUPT:
            irqPending_ = false;
            irq_.set(false);
            break;
        default:
            break;
    }
}

void GoldfishRtc::updateAlarm() {
    if (alarmArmed_ && nowNs() >= alarmNs_) {
        alarmArmed_ = false;
        irqPending_ = true;
    }
    irq_.set(irqPending_ && irqEnabled_);
}

}  // namespace tessera::devices
