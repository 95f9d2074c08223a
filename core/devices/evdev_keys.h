#pragma once
// Host keys to Linux input event codes (linux/input-event-codes.h), as tables:
// Qt::Key values (QtCore's qnamespace.h; the GUI passes QKeyEvent::key()),
// X11/Wayland native scan codes, and QEMU-monitor key names for `sendkey`.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace tessera::devices {

// Event types and a few codes (linux/input-event-codes.h).
inline constexpr uint16_t kEvSyn = 0x00;
inline constexpr uint16_t kEvKey = 0x01;
inline constexpr uint16_t kEvAbs = 0x03;
inline constexpr uint16_t kSynReport = 0;
inline constexpr uint16_t kAbsX = 0x00;
inline constexpr uint16_t kAbsY = 0x01;
inline constexpr uint16_t kBtnLeft = 0x110;
inline constexpr uint16_t kBtnRight = 0x111;
inline constexpr uint16_t kBtnMiddle = 0x112;
inline constexpr uint16_t kKeyMax = 0x2ff;

// evdev code for a Qt::Key (US layout for shifted symbols), or nullopt.
// `keypad` is QKeyEvent's Qt::KeypadModifier (digits, operators and Enter on
// the numeric keypad have their own codes).
std::optional<uint16_t> evdevFromQtKey(int qtKey, bool keypad = false);

// On X11 (xcb) and Wayland, QKeyEvent::nativeScanCode() is an XKB keycode:
// evdev code + 8. Layout independent, so the GUI prefers it when available.
std::optional<uint16_t> evdevFromXkbKeycode(unsigned keycode);

// QEMU monitor key names ("ctrl", "alt", "delete", "ret", "a", "f1", ...).
std::optional<uint16_t> evdevFromKeyName(std::string_view name);
// "ctrl-alt-delete" → codes in press order; nullopt if any name is unknown.
std::optional<std::vector<uint16_t>> parseKeyCombination(std::string_view combination);

// Every evdev key code the keyboard device advertises in EV_BITS.
const std::vector<uint16_t>& keyboardKeyCodes();

}  // namespace tessera::devices
