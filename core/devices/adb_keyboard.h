#pragma once
// The ADB keyboard (address 2) as an Apple Extended Keyboard: register 0
// gives up to two key transitions (bit 7 set on release, 0xff for none),
// register 2 the modifier and LED state. Handlers 1 (standard), 2 and 3
// (extended; 3 reports the right-hand modifiers apart) are supported, as on
// QEMU. Keys arrive as evdev codes (InputSink); unmapped ones are dropped.

#include <deque>
#include <mutex>

#include "core/devices/adb_bus.h"
#include "core/devices/input_sink.h"

namespace tessera::devices {

class AdbKeyboard final : public AdbDevice, public InputSink {
public:
    static constexpr uint8_t kAddress = 2, kDefaultHandler = 1;
    static constexpr size_t kMaxPending = 256;  // key bytes; older input is dropped beyond this

    AdbKeyboard() : AdbDevice(kAddress, kDefaultHandler) {}

    void injectKey(uint16_t evdevCode, bool pressed) override;
    void injectPointer(uint32_t, uint32_t, unsigned) override {}
    bool hasData() const override;
    void flush() override;

protected:
    std::optional<std::vector<uint8_t>> talkRegister(unsigned reg) override;
    void listenRegister(unsigned reg, std::span<const uint8_t> data) override;
    bool supportsHandler(uint8_t handler) const override { return handler >= 1 && handler <= 3; }

private:
    mutable std::mutex mutex_;
    std::deque<uint8_t> pending_;  // ADB key bytes
    uint16_t leds_ = 0x0007;       // register 2's LED bits (1 = off)
};

}  // namespace tessera::devices
