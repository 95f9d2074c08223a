#pragma once
// InputSink: a guest keyboard or pointer the host feeds (the VM window, the
// monitor's sendkey/mouse_move/mouse_button), whichever board has it:
// virtio-input on RISC-V virt, the ADB keyboard and mouse on PowerPC mac99.
// Both entry points are safe from any thread.

#include <cstdint>

namespace tessera::devices {

class InputSink {
public:
    static constexpr uint32_t kAbsMax = 32767;  // pointer coordinates are 0..kAbsMax across the screen
    // Button bits for injectPointer.
    static constexpr unsigned kButtonLeft = 1, kButtonRight = 2, kButtonMiddle = 4;

    virtual ~InputSink() = default;
    // `evdevCode` from linux/input-event-codes.h (evdev_keys.h).
    virtual void injectKey(uint16_t evdevCode, bool pressed) = 0;
    // The absolute pointer position and the buttons held (kButton* bits).
    virtual void injectPointer(uint32_t x, uint32_t y, unsigned buttons) = 0;
};

}  // namespace tessera::devices
