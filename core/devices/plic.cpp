#include "core/devices/plic.h"

#include "core/hw/mmio_access.h"

namespace tessera::devices {

Plic::Plic(unsigned harts) : contexts_(2 * harts) {}

void Plic::reset() {
    for (unsigned id = 0; id < kSources; ++id) {
        priority_[id] = 0;
        pending_[id] = level_[id];  // devices keep their levels across reset
        inService_[id] = false;
    }
    pending_[0] = false;
    for (auto& context : contexts_) {
        for (auto& word : context.enable) word = 0;
        context.threshold = 0;
    }
    update();
}

void Plic::setSourceLevel(unsigned id, bool level) {
    if (id == 0 || id >= kSources) return;
    level_[id] = level;
    // The gateway forwards a new request only while none is in flight.
    if (level && !inService_[id]) pending_[id] = true;
    if (!level) pending_[id] = false;
    update();
}

unsigned Plic::bestPending(const Context& context) const {
    unsigned best = 0;
    uint32_t bestPriority = context.threshold;
    for (unsigned id = 1; id < kSources; ++id) {
        // Ties go to the lowest id (spec: "Interrupt Priorities").
        if (pending_[id] && isEnabled(context, id) && priority_[id] > bestPriority) {
            best = id;
            bestPriority = priority_[id];
        }
    }
    return best;
}

void Plic::update() {
    for (auto& context : contexts_) context.line.set(bestPending(context) != 0);
}

uint32_t Plic::claim(Context& context) {
    const unsigned id = bestPending(context);
    if (id != 0) {
        pending_[id] = false;
        inService_[id] = true;
        update();
    }
    return id;
}

void Plic::complete(Context& context, uint32_t id) {
    // Completion for a source not enabled for this context is ignored (spec:
    // "Interrupt Completion").
    if (id == 0 || id >= kSources || !isEnabled(context, id)) return;
    inService_[id] = false;
    if (level_[id]) pending_[id] = true;
    update();
}

uint32_t Plic::read32(uint64_t offset) {
    if (offset < kPendingBase) {
        const uint64_t id = offset / 4;
        return id < kSources ? priority_[id] : 0;
    }
    if (offset < kPendingBase + 4 * kWords) {
        const unsigned first = static_cast<unsigned>(offset - kPendingBase) * 8;
        uint32_t bits = 0;
        for (unsigned i = 0; i < 32 && first + i < kSources; ++i) bits |= uint32_t(pending_[first + i]) << i;
        return bits;
    }
    if (offset >= kEnableBase && offset < kEnableBase + kEnableStride * contexts_.size()) {
        const uint64_t word = (offset - kEnableBase) % kEnableStride / 4;
        if (word >= kWords) return 0;
        return contexts_[(offset - kEnableBase) / kEnableStride].enable[word];
    }
    if (offset >= kContextBase && offset < kContextBase + kContextStride * contexts_.size()) {
        Context& context = contexts_[(offset - kContextBase) / kContextStride];
        const uint64_t reg = (offset - kContextBase) % kContextStride;
        if (reg == 0) return context.threshold;
        if (reg == 4) return claim(context);
    }
    return 0;
}

void Plic::write32(uint64_t offset, uint32_t value) {
    if (offset < kPendingBase) {
        const uint64_t id = offset / 4;
        if (id > 0 && id < kSources) priority_[id] = value & kPriorityMask;
        update();
        return;
    }
    if (offset >= kEnableBase && offset < kEnableBase + kEnableStride * contexts_.size()) {
        const uint64_t word = (offset - kEnableBase) % kEnableStride / 4;
        if (word >= kWords) return;
        uint32_t& enable = contexts_[(offset - kEnableBase) / kEnableStride].enable[word];
        enable = word == 0 ? value & ~1u : value;  // source 0 does not exist
        update();
        return;
    }
    if (offset >= kContextBase && offset < kContextBase + kContextStride * contexts_.size()) {
        Context& context = contexts_[(offset - kContextBase) / kContextStride];
        const uint64_t reg = (offset - kContextBase) % kContextStride;
        if (reg == 0) {
            context.threshold = value & kPriorityMask;
            update();
        } else if (reg == 4) {
            complete(context, value);
        }
    }
    // Pending bits are read-only; everything else is reserved.
}

uint64_t Plic::read(uint64_t offset, unsigned size) {
    // Registers are 32 bits wide; a 64-bit access covers two of them.
    const uint64_t aligned = offset & ~uint64_t(3);
    if (size == 8 && (offset & 7) == 0) return read32(aligned) | (uint64_t(read32(aligned + 4)) << 32);
    return hw::extractLanes(read32(aligned), offset & 3, size);
}

void Plic::write(uint64_t offset, unsigned size, uint64_t value) {
    const uint64_t aligned = offset & ~uint64_t(3);
    if (size == 8 && (offset & 7) == 0) {
        write32(aligned, static_cast<uint32_t>(value));
        write32(aligned + 4, static_cast<uint32_t>(value >> 32));
        return;
    }
    if (size == 4 && (offset & 3) == 0) {
        write32(aligned, static_cast<uint32_t>(value));
        return;
    }
    // Narrow writes: merge into the current value, except for claim/complete
    // where a read would have the side effect of claiming.
    const bool claimRegister = aligned >= kContextBase && (aligned - kContextBase) % kContextStride == 4;
    const uint32_t current = claimRegister ? 0 : read32(aligned);
    write32(aligned, static_cast<uint32_t>(hw::mergeLanes(current, offset & 3, size, value)));
}

}  // namespace tessera::devices
