#pragma once
// InstructionClock: a deterministic mtime, derived from the CPU's retired
// instruction count (mtime = instructions / instructionsPerTick + offset).
// Wall-clock time differs from run to run and between engines of different
// speed; the instruction count is an architectural quantity both the
// interpreter and the JIT keep exact at every point where the guest can read
// time (the `time` CSR, the CLINT's mtime register), so a program that reads
// time, or whose timer fires, does so at the same instruction in every engine
// and every run. Used by the lockstep tester (tests/lockstep/README.md).
//
// A guest that waits (WFI) retires nothing, so its time would stand still
// forever: the owner skips time forward to the next deadline with
// advanceTo(), which is deterministic too, because it happens at the same
// instruction count in every run.

#include <functional>

#include "core/hw/guest_clock.h"

namespace tessera::hw {

class InstructionClock final : public GuestClock {
public:
    // `retired` reads the CPU's retired-instruction count; it is set once the
    // CPU exists (the clock is made before the CPU it counts for).
    explicit InstructionClock(uint64_t instructionsPerTick) : instructionsPerTick_(instructionsPerTick) {}
    void setInstructionSource(std::function<uint64_t()> retired) { retired_ = std::move(retired); }

    uint64_t mtime() const override { return ticks() + offset_; }
    void setMtime(uint64_t value) override { offset_ = value - ticks(); }
    // Moves time forward to `target` (never backwards).
    void advanceTo(uint64_t target) {
        if (target > mtime()) setMtime(target);
    }

private:
    uint64_t ticks() const { return retired_ ? retired_() / instructionsPerTick_ : 0; }

    uint64_t instructionsPerTick_;
    std::function<uint64_t()> retired_;
    uint64_t offset_ = 0;  // guest writes to mtime and WFI skips
};

}  // namespace tessera::hw
