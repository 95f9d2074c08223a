#include "core/devices/clint.h"

#include "core/hw/mmio_access.h"

namespace tessera::devices {

Clint::Clint(hw::GuestClock& clock, unsigned harts) : clock_(clock), harts_(harts) {}

void Clint::reset() {
    for (auto& hart : harts_) {
        hart.msip = 0;
        hart.mtimecmp = UINT64_MAX;
        hart.msipLine.set(false);
        hart.mtipLine.set(false);
    }
}

uint64_t Clint::read(uint64_t offset, unsigned size) {
    if (offset >= kMsipBase && offset < kMsipBase + 4 * harts_.size()) {
        const auto& hart = harts_[(offset - kMsipBase) / 4];
        return hw::extractLanes(hart.msip, offset % 4, size);
    }
    if (offset >= kMtimecmpBase && offset < kMtimecmpBase + 8 * harts_.size()) {
        const auto& hart = harts_[(offset - kMtimecmpBase) / 8];
        return hw::extractLanes(hart.mtimecmp, offset % 8, size);
    }
    if (offset >= kMtime && offset < kMtime + 8)
        return hw::extractLanes(clock_.mtime(), offset - kMtime, size);
    return 0;
}

void Clint::write(uint64_t offset, unsigned size, uint64_t value) {
    if (offset >= kMsipBase && offset < kMsipBase + 4 * harts_.size()) {
        auto& hart = harts_[(offset - kMsipBase) / 4];
        // Only bit 0 of msip is implemented; the rest reads as zero.
        hart.msip = static_cast<uint32_t>(hw::mergeLanes(hart.msip, offset % 4, size, value)) & 1;
        hart.msipLine.set(hart.msip != 0);
        return;
    }
    if (offset >= kMtimecmpBase && offset < kMtimecmpBase + 8 * harts_.size()) {
        auto& hart = harts_[(offset - kMtimecmpBase) / 8];
        hart.mtimecmp = hw::mergeLanes(hart.mtimecmp, offset % 8, size, value);
        updateTimers();
        return;
    }
    if (offset >= kMtime && offset < kMtime + 8) {
        clock_.setMtime(hw::mergeLanes(clock_.mtime(), offset - kMtime, size, value));
        updateTimers();
    }
}

uint64_t Clint::updateTimers() {
    const uint64_t now = clock_.mtime();
    uint64_t next = UINT64_MAX;
    for (auto& hart : harts_) {
        const bool expired = now >= hart.mtimecmp;
        hart.mtipLine.set(expired);
        if (!expired && hart.mtimecmp < next) next = hart.mtimecmp;
    }
    return next;
}

uint64_t Clint::nextDeadline(unsigned hart) const {
    const uint64_t deadline = harts_.at(hart).mtimecmp;
    return clock_.mtime() < deadline ? deadline : UINT64_MAX;
}

}  // namespace tessera::devices
