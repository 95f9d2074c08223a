#pragma once
// The ADB mouse (address 3), Apple's classic protocol (handlers 1 and 2, as
// on QEMU): register 0 is two bytes, each bit 7 a button (0 = pressed: the
// first byte the main button, the second the next one) and bits 6-0 the
// motion in Y then X as 7-bit two's complement. The host gives absolute
// positions (InputSink, 0..kAbsMax over the screen); the mouse reports the
// differences in screen pixels, at most 63 per report, the rest following.
// Motion between two polls adds up, as on a real mouse, but every button
// change is reported in order, so a click faster than the guest polls still
// arrives as a press and a release.

#include <QSize>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>

#include "core/devices/adb_bus.h"
#include "core/devices/input_sink.h"

namespace tessera::devices {

class AdbMouse final : public AdbDevice, public InputSink {
public:
    static constexpr uint8_t kAddress = 3, kDefaultHandler = 2;
    static constexpr size_t kMaxPending = 64;  // button changes waiting; older ones are dropped beyond this
    // The screen the pointer moves over (the board's display), for the
    // conversion from absolute coordinates to pixels.
    using ScreenSize = std::function<QSize()>;

    explicit AdbMouse(ScreenSize screen) : AdbDevice(kAddress, kDefaultHandler), screen_(std::move(screen)) {}

    void injectKey(uint16_t, bool) override {}
    void injectPointer(uint32_t x, uint32_t y, unsigned buttons) override;
    bool hasData() const override;
    void flush() override;

protected:
    std::optional<std::vector<uint8_t>> talkRegister(unsigned reg) override;
    bool supportsHandler(uint8_t handler) const override { return handler == 1 || handler == 2; }

private:
    ScreenSize screen_;
    mutable std::mutex mutex_;
    // Motion not yet reported, made with `buttons` held.
    struct Pending {
        int64_t dx = 0, dy = 0;
        unsigned buttons = 0;
    };
    std::optional<std::pair<int64_t, int64_t>> last_;  // the last position, in pixels
    std::deque<Pending> pending_;
    unsigned reportedButtons_ = 0;
};

}  // namespace tessera::devices
