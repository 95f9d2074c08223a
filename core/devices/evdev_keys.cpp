#include "core/devices/evdev_keys.h"

#include <QtCore/qnamespace.h>

#include <algorithm>
#include <cstdint>
#include <string>

namespace tessera::devices {

namespace {

struct KeyRow {
    int qtKey;
    uint16_t evdev;
    const char* name;  // QEMU qcode-style name, or nullptr
};

// Linux KEY_* values. Shifted symbols map to the key that produces them on a
// US layout, so text typed through Qt arrives as the right key press.
constexpr KeyRow kKeyTable[] = {
    {Qt::Key_Escape, 1, "esc"},        {Qt::Key_1, 2, "1"},           {Qt::Key_Exclam, 2, nullptr},
    {Qt::Key_2, 3, "2"},               {Qt::Key_At, 3, nullptr},       {Qt::Key_3, 4, "3"},
    {Qt::Key_NumberSign, 4, nullptr},  {Qt::Key_4, 5, "4"},           {Qt::Key_Dollar, 5, nullptr},
    {Qt::Key_5, 6, "5"},               {Qt::Key_Percent, 6, nullptr},  {Qt::Key_6, 7, "6"},
    {Qt::Key_AsciiCircum, 7, nullptr}, {Qt::Key_7, 8, "7"},           {Qt::Key_Ampersand, 8, nullptr},
    {Qt::Key_8, 9, "8"},               {Qt::Key_Asterisk, 9, nullptr}, {Qt::Key_9, 10, "9"},
    {Qt::Key_ParenLeft, 10, nullptr},  {Qt::Key_0, 11, "0"},          {Qt::Key_ParenRight, 11, nullptr},
    {Qt::Key_Minus, 12, "minus"},      {Qt::Key_Underscore, 12, nullptr}, {Qt::Key_Equal, 13, "equal"},
    {Qt::Key_Plus, 13, nullptr},       {Qt::Key_Backspace, 14, "backspace"}, {Qt::Key_Tab, 15, "tab"},
    {Qt::Key_Backtab, 15, nullptr},    {Qt::Key_Q, 16, "q"},          {Qt::Key_W, 17, "w"},
    {Qt::Key_E, 18, "e"},              {Qt::Key_R, 19, "r"},          {Qt::Key_T, 20, "t"},
    {Qt::Key_Y, 21, "y"},              {Qt::Key_U, 22, "u"},          {Qt::Key_I, 23, "i"},
    {Qt::Key_O, 24, "o"},              {Qt::Key_P, 25, "p"},          {Qt::Key_BracketLeft, 26, "bracket_left"},
    {Qt::Key_BraceLeft, 26, nullptr},  {Qt::Key_BracketRight, 27, "bracket_right"}, {Qt::Key_BraceRight, 27, nullptr},
    {Qt::Key_Return, 28, "ret"},       {Qt::Key_Control, 29, "ctrl"}, {Qt::Key_A, 30, "a"},
    {Qt::Key_S, 31, "s"},              {Qt::Key_D, 32, "d"},          {Qt::Key_F, 33, "f"},
    {Qt::Key_G, 34, "g"},              {Qt::Key_H, 35, "h"},          {Qt::Key_J, 36, "j"},
    {Qt::Key_K, 37, "k"},              {Qt::Key_L, 38, "l"},          {Qt::Key_Semicolon, 39, "semicolon"},
    {Qt::Key_Colon, 39, nullptr},      {Qt::Key_Apostrophe, 40, "apostrophe"}, {Qt::Key_QuoteDbl, 40, nullptr},
    {Qt::Key_QuoteLeft, 41, "grave_accent"}, {Qt::Key_AsciiTilde, 41, nullptr}, {Qt::Key_Shift, 42, "shift"},
    {Qt::Key_Backslash, 43, "backslash"}, {Qt::Key_Bar, 43, nullptr}, {Qt::Key_Z, 44, "z"},
    {Qt::Key_X, 45, "x"},              {Qt::Key_C, 46, "c"},          {Qt::Key_V, 47, "v"},
    {Qt::Key_B, 48, "b"},              {Qt::Key_N, 49, "n"},          {Qt::Key_M, 50, "m"},
    {Qt::Key_Comma, 51, "comma"},      {Qt::Key_Less, 51, nullptr},   {Qt::Key_Period, 52, "dot"},
    {Qt::Key_Greater, 52, nullptr},    {Qt::Key_Slash, 53, "slash"},  {Qt::Key_Question, 53, nullptr},
    {Qt::Key_Alt, 56, "alt"},          {Qt::Key_Space, 57, "spc"},    {Qt::Key_CapsLock, 58, "caps_lock"},
    {Qt::Key_F1, 59, "f1"},            {Qt::Key_F2, 60, "f2"},        {Qt::Key_F3, 61, "f3"},
    {Qt::Key_F4, 62, "f4"},            {Qt::Key_F5, 63, "f5"},        {Qt::Key_F6, 64, "f6"},
    {Qt::Key_F7, 65, "f7"},            {Qt::Key_F8, 66, "f8"},        {Qt::Key_F9, 67, "f9"},
    {Qt::Key_F10, 68, "f10"},          {Qt::Key_NumLock, 69, "num_lock"}, {Qt::Key_ScrollLock, 70, "scroll_lock"},
    {Qt::Key_F11, 87, "f11"},          {Qt::Key_F12, 88, "f12"},      {Qt::Key_Enter, 96, "kp_enter"},
    {Qt::Key_SysReq, 99, "sysrq"},     {Qt::Key_Print, 99, "print"},  {Qt::Key_AltGr, 100, "alt_r"},
    {Qt::Key_Home, 102, "home"},       {Qt::Key_Up, 103, "up"},       {Qt::Key_PageUp, 104, "pgup"},
    {Qt::Key_Left, 105, "left"},       {Qt::Key_Right, 106, "right"}, {Qt::Key_End, 107, "end"},
    {Qt::Key_Down, 108, "down"},       {Qt::Key_PageDown, 109, "pgdn"}, {Qt::Key_Insert, 110, "insert"},
    {Qt::Key_Delete, 111, "delete"},   {Qt::Key_Pause, 119, "pause"}, {Qt::Key_Meta, 125, "meta_l"},
    {Qt::Key_Super_L, 125, nullptr},   {Qt::Key_Super_R, 126, "meta_r"}, {Qt::Key_Menu, 127, "menu"},
};

// Numeric keypad (Qt reports the same key values with KeypadModifier).
constexpr KeyRow kKeypadTable[] = {
    {Qt::Key_7, 71, "kp_7"},        {Qt::Key_8, 72, "kp_8"},        {Qt::Key_9, 73, "kp_9"},
    {Qt::Key_Minus, 74, "kp_subtract"}, {Qt::Key_4, 75, "kp_4"},    {Qt::Key_5, 76, "kp_5"},
    {Qt::Key_6, 77, "kp_6"},        {Qt::Key_Plus, 78, "kp_add"},   {Qt::Key_1, 79, "kp_1"},
    {Qt::Key_2, 80, "kp_2"},        {Qt::Key_3, 81, "kp_3"},        {Qt::Key_0, 82, "kp_0"},
    {Qt::Key_Period, 83, "kp_decimal"}, {Qt::Key_Enter, 96, nullptr}, {Qt::Key_Slash, 98, "kp_divide"},
    {Qt::Key_Asterisk, 55, "kp_multiply"},
};

// Names that have no Qt key of their own, or QEMU aliases.
constexpr KeyRow kExtraNames[] = {
    {0, 97, "ctrl_r"}, {0, 54, "shift_r"}, {0, 100, "altgr"}, {0, 28, "enter"}, {0, 1, "escape"},
    {0, 57, "space"},  {0, 111, "del"},    {0, 99, "sys_rq"},
};

}  // namespace

std::optional<uint16_t> evdevFromQtKey(int qtKey, bool keypad) {
    if (keypad)
        for (const KeyRow& row : kKeypadTable)
            if (row.qtKey == qtKey) return row.evdev;
    for (const KeyRow& row : kKeyTable)
        if (row.qtKey == qtKey) return row.evdev;
    return std::nullopt;
}

std::optional<uint16_t> evdevFromXkbKeycode(unsigned keycode) {
    // XKB keycodes are evdev codes offset by 8 (xkeyboard-config "evdev" rules).
    if (keycode < 9 || keycode - 8 > kKeyMax) return std::nullopt;
    return static_cast<uint16_t>(keycode - 8);
}

std::optional<uint16_t> evdevFromKeyName(std::string_view name) {
    auto search = [&](const auto& rows) -> std::optional<uint16_t> {
        for (const KeyRow& row : rows)
            if (row.name && name == row.name) return row.evdev;
        return std::nullopt;
    };
    if (auto code = search(kKeyTable)) return code;
    if (auto code = search(kKeypadTable)) return code;
    return search(kExtraNames);
}

std::optional<std::vector<uint16_t>> parseKeyCombination(std::string_view combination) {
    std::vector<uint16_t> codes;
    while (!combination.empty()) {
        const size_t dash = combination.find('-');
        const std::string_view name = combination.substr(0, dash);
        const std::optional<uint16_t> code = evdevFromKeyName(name);
        if (!code) return std::nullopt;
        codes.push_back(*code);
        if (dash == std::string_view::npos) break;
        combination.remove_prefix(dash + 1);
        if (combination.empty()) return std::nullopt;  // trailing '-'
    }
    if (codes.empty()) return std::nullopt;
    return codes;
}

const std::vector<uint16_t>& keyboardKeyCodes() {
    static const std::vector<uint16_t> codes = [] {
        std::vector<uint16_t> all;
        for (uint16_t code = 1; code <= 255; ++code) all.push_back(code);  // the full PC keyboard range
        return all;
    }();
    return codes;
}

}  // namespace tessera::devices
