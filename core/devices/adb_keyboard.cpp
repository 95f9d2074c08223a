#include "core/devices/adb_keyboard.h"

#include "core/devices/adb_keys.h"

namespace tessera::devices {

namespace {
constexpr uint8_t kReleased = 0x80, kNoKey = 0xff;
}

void AdbKeyboard::injectKey(uint16_t evdevCode, bool pressed) {
    const auto code = adbKeyFromEvdev(evdevCode);
    if (!code) return;
    std::lock_guard lock(mutex_);
    if (pending_.size() >= kMaxPending) pending_.pop_front();
    pending_.push_back(uint8_t(*code | (pressed ? 0 : kReleased)));
}

bool AdbKeyboard::hasData() const {
    std::lock_guard lock(mutex_);
    return !pending_.empty();
}

void AdbKeyboard::flush() {
    std::lock_guard lock(mutex_);
    pending_.clear();
}

std::optional<std::vector<uint8_t>> AdbKeyboard::talkRegister(unsigned reg) {
    std::lock_guard lock(mutex_);
    if (reg == 0) {
        if (pending_.empty()) return std::nullopt;  // nothing new: the keyboard stays silent
        std::vector<uint8_t> data{pending_.front(), kNoKey};
        pending_.pop_front();
        if (!pending_.empty()) {
            data[1] = pending_.front();
            pending_.pop_front();
        }
        return data;
    }
    if (reg == 2) return std::vector<uint8_t>{0xff, uint8_t(0xf8 | (leds_ & 7))};  // no modifier held
    return std::nullopt;
}

void AdbKeyboard::listenRegister(unsigned reg, std::span<const uint8_t> data) {
    if (reg != 2 || data.size() < 2) return;
    std::lock_guard lock(mutex_);
    leds_ = data[1] & 7;  // Linux's adbhid sets Num/Caps/Scroll Lock here
}

}  // namespace tessera::devices
