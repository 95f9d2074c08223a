#include "core/devices/adb_keys.h"

#include <array>
#include <utility>

namespace tessera::devices {

namespace {
constexpr uint8_t kNone = 0xff;

// {evdev, ADB}: the US layout's keys by position.
constexpr std::pair<uint16_t, uint8_t> kPairs[] = {
    {1, 0x35},   {2, 0x12},   {3, 0x13},   {4, 0x14},   {5, 0x15},   {6, 0x17},   {7, 0x16},   {8, 0x1a},
    {9, 0x1c},   {10, 0x19},  {11, 0x1d},  {12, 0x1b},  {13, 0x18},  {14, 0x33},  {15, 0x30},  {16, 0x0c},
    {17, 0x0d},  {18, 0x0e},  {19, 0x0f},  {20, 0x11},  {21, 0x10},  {22, 0x20},  {23, 0x22},  {24, 0x1f},
    {25, 0x23},  {26, 0x21},  {27, 0x1e},  {28, 0x24},  {29, 0x36},  {30, 0x00},  {31, 0x01},  {32, 0x02},
    {33, 0x03},  {34, 0x05},  {35, 0x04},  {36, 0x26},  {37, 0x28},  {38, 0x25},  {39, 0x29},  {40, 0x27},
    {41, 0x32},  {42, 0x38},  {43, 0x2a},  {44, 0x06},  {45, 0x07},  {46, 0x08},  {47, 0x09},  {48, 0x0b},
    {49, 0x2d},  {50, 0x2e},  {51, 0x2b},  {52, 0x2f},  {53, 0x2c},  {54, 0x7b},  {55, 0x43},  {56, 0x3a},
    {57, 0x31},  {58, 0x39},  {59, 0x7a},  {60, 0x78},  {61, 0x63},  {62, 0x76},  {63, 0x60},  {64, 0x61},
    {65, 0x62},  {66, 0x64},  {67, 0x65},  {68, 0x6d},  {69, 0x47},  {70, 0x6b},  {71, 0x59},  {72, 0x5b},
    {73, 0x5c},  {74, 0x4e},  {75, 0x56},  {76, 0x57},  {77, 0x58},  {78, 0x45},  {79, 0x53},  {80, 0x54},
    {81, 0x55},  {82, 0x52},  {83, 0x41},  {86, 0x0a},  {87, 0x67},  {88, 0x6f},  {96, 0x4c},  {97, 0x7d},
    {98, 0x4b},  {99, 0x69},  {100, 0x7c}, {102, 0x73}, {103, 0x3e}, {104, 0x74}, {105, 0x3b}, {106, 0x3c},
    {107, 0x77}, {108, 0x3d}, {109, 0x79}, {110, 0x72}, {111, 0x75}, {117, 0x51}, {119, 0x71}, {125, 0x37},
    {126, 0x37}, {183, 0x69}, {184, 0x6b}, {185, 0x71},
};
// evdev: 1 ESC, 2-11 digits, 59-68 F1-F10, 87/88 F11/F12, 99 SYSRQ (F13's place), 70 SCROLLLOCK
// (F14's), 119 PAUSE (F15's), 110 INSERT (Help), 125/126 the Meta keys (Command).

constexpr std::array<uint8_t, 256> buildTable() {
    std::array<uint8_t, 256> table{};
    for (auto& entry : table) entry = kNone;
    for (const auto& [evdev, adb] : kPairs) table[evdev] = adb;
    return table;
}
constexpr std::array<uint8_t, 256> kTable = buildTable();
}  // namespace

std::optional<uint8_t> adbKeyFromEvdev(uint16_t evdevCode) {
    if (evdevCode >= kTable.size() || kTable[evdevCode] == kNone) return std::nullopt;
    return kTable[evdevCode];
}

}  // namespace tessera::devices
