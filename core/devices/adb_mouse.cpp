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
    buttons &= kButtonLeft | kButtonRight;
    std::lock_guard lock(mutex_);
    if (pending_.empty()) pending_.push_back({0, 0, reportedButtons_});
    // The motion first, with the buttons as they were; then the buttons change.
    if (last_) {
        Pending& now = pending_.back();
        now.dx = std::clamp<int64_t>(now.dx + px - last_->first, -kMaxBacklog, kMaxBacklog);
        now.dy = std::clamp<int64_t>(now.dy + py - last_->second, -kMaxBacklog, kMaxBacklog);
    }
    last_ = std::make_pair(px, py);
    if (buttons != pending_.back().buttons) {
        if (pending_.size() >= kMaxPending) pending_.pop_front();
        pending_.push_back({0, 0, buttons});
    }
}

bool AdbMouse::hasData() const {
    std::lock_guard lock(mutex_);
    if (pending_.empty()) return false;
    const Pending& first = pending_.front();
    return pending_.size() > 1 || first.dx != 0 || first.dy != 0 || first.buttons != reportedButtons_;
}

void AdbMouse::flush() {
    std::lock_guard lock(mutex_);
    if (!pending_.empty()) reportedButtons_ = pending_.back().buttons;
    pending_.clear();
}

std::optional<std::vector<uint8_t>> AdbMouse::talkRegister(unsigned reg) {
    if (reg != 0) return std::nullopt;
    std::lock_guard lock(mutex_);
    // Entries that only repeat the reported buttons have nothing to say.
    while (!pending_.empty() && pending_.front().dx == 0 && pending_.front().dy == 0 &&
           pending_.front().buttons == reportedButtons_)
        pending_.pop_front();
    if (pending_.empty()) return std::nullopt;
    Pending& first = pending_.front();
    const int64_t stepX = std::clamp(first.dx, -kMaxStep, kMaxStep);
    const int64_t stepY = std::clamp(first.dy, -kMaxStep, kMaxStep);
    first.dx -= stepX;
    first.dy -= stepY;
    reportedButtons_ = first.buttons;
    const uint8_t byte0 = uint8_t((first.buttons & kButtonLeft) ? 0 : 0x80) | uint8_t(stepY & 0x7f);
    const uint8_t byte1 = uint8_t((first.buttons & kButtonRight) ? 0 : 0x80) | uint8_t(stepX & 0x7f);
    if (first.dx == 0 && first.dy == 0 && pending_.size() > 1) pending_.pop_front();
    return std::vector<uint8_t>{byte0, byte1};
}

}  // namespace tessera::devices
