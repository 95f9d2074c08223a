#pragma once
// IrqLine: one level-triggered interrupt wire from a device to an interrupt
// controller (PLIC source) or to a hart's mip bit. Devices raise and lower the
// level; what is connected on the other side is the board's business, so a
// device never knows about the PLIC or the CPU.

#include <functional>
#include <utility>

namespace tessera::hw {

class IrqLine {
public:
    IrqLine() = default;
    explicit IrqLine(std::function<void(bool)> sink) : sink_(std::move(sink)) {}

    void set(bool level) {
        if (level == level_) return;  // edges only: controllers see each change once
        level_ = level;
        if (sink_) sink_(level);
    }
    bool level() const { return level_; }
    void connect(std::function<void(bool)> sink) {
        sink_ = std::move(sink);
        if (sink_) sink_(level_);
    }

private:
    std::function<void(bool)> sink_;
    bool level_ = false;
};

}  // namespace tessera::hw
