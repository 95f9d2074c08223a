#pragma once
// Goldfish RTC (Android emulator "goldfish" platform, as used by QEMU's virt
// board and Linux drivers/rtc/rtc-goldfish.c): a 64-bit nanosecond wall
// clock read low-then-high (reading TIME_LOW latches TIME_HIGH), and one
// alarm raising an interrupt.

#include <cstdint>

#include "core/hw/irq_line.h"
#include "core/hw/mmio_device.h"

namespace tessera::devices {

class GoldfishRtc : public hw::MmioDevice {
public:
    static constexpr uint64_t kSize = 0x1000;
    enum : uint64_t { TIME_LOW = 0x00, TIME_HIGH = 0x04, ALARM_LOW = 0x08, ALARM_HIGH = 0x0C,
                      IRQ_ENABLED = 0x10, CLEAR_ALARM = 0x14, ALARM_STATUS = 0x18, CLEAR_INTERRUPT = 0x1C };

    GoldfishRtc();

    std::string name() const override { return "goldfish_rtc"; }
    uint64_t mmioSize() const override { return kSize; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;
    void reset() override;

    hw::IrqLine& irq() { return irq_; }
    // Called by the run loop between slices: fires a due alarm.
    void updateAlarm();

private:
    uint64_t nowNs() const;
    static uint64_t hostNs();

    hw::IrqLine irq_;
    uint64_t offsetNs_ = 0;  // guest-set time minus host wall clock (mod 2^64)
    uint32_t latchedHigh_ = 0;
    uint64_t alarmNs_ = 0;
    bool alarmArmed_ = false;
    bool irqEnabled_ = false;
    bool irqPending_ = false;
};

}  // namespace tessera::devices
