#pragma once
// Linux evdev key codes (linux/input-event-codes.h) to Apple Desktop Bus
// keyboard codes (the Apple Extended Keyboard's, which Linux's adbhid maps
// back with its adb_to_linux_keycodes table; handler 3 tells the right-hand
// modifiers apart).

#include <cstdint>
#include <optional>

namespace tessera::devices {

std::optional<uint8_t> adbKeyFromEvdev(uint16_t evdevCode);

}  // namespace tessera::devices
