#include "core/devices/adb_mouse.h"

#include <algorithm>

namespace tessera::devices {

namespace {
constexpr int64_t kMaxStep = 63;          // 7-bit signed motion per report
constexpr int64_t kMaxBacklog = 1 << 20;  // pixels; a flood of motion is clamped, not stored
constexpr int kDefaultWidth = 800, kDefaultHeight = 600;
}  // namespace

void AdbMouse::injectPointer(uint32_t x, uint32_t y, unsigned buttons) {
    QSize screen = screen_ ? screen_() : QSize();
    if (screen.isEmpty()) screen = QSize(kDefaultWidth, kDefaultHeight);
    const int64_t px = int64_t(std::min(x, kAbsMax)) * screen.width() / (int64_t(kAbsMax) + 1);
    const int64_t py = int64_t(std::min(y, kAbsMax)) * screen.height() / (int64_t(kAbsMax) + 1);
    std::lock_guard lock(mutex_);
    if (last_) {
        dx_ = std::clamp<int64_t>(dx_ + px - last_->first, -kMaxBacklog, kMaxBacklog);
        dy_ = std::clamp<int64_t>(dy_ + py - last_->second, -kMaxBacklog, kMaxBacklog);
    }
    last_ = std::make_pair(px, py);
    buttons_ = buttons & (kButtonLeft | kButtonRight);
}

bool AdbMouse::hasData() const {
    std::lock_guard lock(mutex_);
    return dx_ != 0 || dy_ != 0 || buttons_ != reportedButtons_;
}

void AdbMouse::flush() {
    std::lock_guard lock(mutex_);
    dx_ = dy_ = 0;
    reportedButtons_ = buttons_;
}

std::optional<std::vector<uint8_t>> AdbMouse::talkRegister(unsigned reg) {
    if (reg != 0) return std::nullopt;
    std::lock_guard lock(mutex_);
    if (dx_ == 0 && dy_ == 0 && buttons_ == reportedButtons_) return std::nullopt;
    const int64_t stepX = std::clamp(dx_, -kMaxStep, kMaxStep), stepY = std::clamp(dy_, -kMaxStep, kMaxStep);
    dx_ -= stepX;
    dy_ -= stepY;
    reportedButtons_ = buttons_;
    const uint8_t first = uint8_t((buttons_ & kButtonLeft) ? 0 : 0x80) | uint8_t(stepY & 0x7f);
    const uint8_t second = uint8_t((buttons_ & kButtonRight) ? 0 : 0x80) | uint8_t(stepX & 0x7f);
    return std::vector<uint8_t>{first, second};
}

}  // namespace tessera::devices
