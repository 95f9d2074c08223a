#pragma once
// RegisterCache: keeps guest registers in host registers within one block,
// so a run of instructions on the same registers does not go through the
// state struct for each. The state struct stays the truth at every point
// where anything else may look at it: the front end calls writeBack() before
// an exit and before a helper call (which may read any guest register), and
// afterCall() after it.
//
// Allocation is first come, first served, without eviction: once the eight
// host registers are taken, further guest registers are used in memory. A
// block with jumps inside it preloads its registers and freezes the
// allocation, so every point of the block sees the same guest register in
// the same host register (a jump needs no moves).
// Out-of-line slow paths take a Snapshot at the branch-off point and
// restore the host registers from memory after their helper (leaveSlowPath).

#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/jit/emitter.h"

namespace tessera::jit {

class RegisterCache {
public:
    static constexpr unsigned kMaxGuestRegisters = 64;
    static constexpr unsigned kHostRegisters = 8;

    // Guest register r lives at state offset offsetOf(r); registers for
    // which cacheable(r) is false (e.g. a write sink) always stay in memory.
    RegisterCache(Emitter& e, std::function<int32_t(unsigned)> offsetOf,
                  std::function<bool(unsigned)> cacheable);

    // Guest register r as an instruction operand (host register or state
    // field), loading it into a free host register on first use.
    asmjit::Operand read(unsigned r, uint32_t size = 8);
    // dst = guest register r.
    void load(const asmjit::x86::Gp& dst, unsigned r);
    // Guest register r = src (64-bit).
    void write(unsigned r, const asmjit::x86::Gp& src);
    // Gives r a host register (if any is free) without loading it, for an
    // instruction that will write it on all paths.
    void reserve(unsigned r);
    // For an instruction that computes guest register r in place: its host
    // register (allocated without loading, as reserve()), or an invalid Gp
    // if r lives in memory. Call wrote(r) once the value is there.
    asmjit::x86::Gp destination(unsigned r);
    void wrote(unsigned r) { dirty_[r] = true; }

    // Stores every modified cached register to the state struct.
    void writeBack();
    // After a helper call (preceded by writeBack()) that changed guest
    // register `written` in the state struct, if any: reloads it and every
    // cached register the call clobbered (the caller-saved host ones).
    void afterCall(unsigned written);
    // Loads each of `regs` into a host register (as far as there are
    // free ones), then allocates no more: registers not cached by now stay
    // in memory for the rest of the block.
    void preload(const std::vector<unsigned>& regs);
    // At a point several paths join: treat every cached register in
    // `maybeDirty` as modified (stored at the next write back).
    void joinPoint(const std::array<bool, kMaxGuestRegisters>& maybeDirty);

    struct Snapshot {
        std::array<int8_t, kMaxGuestRegisters> host;
        std::array<bool, kMaxGuestRegisters> dirty;
    };
    Snapshot snapshot() const { return {host_, dirty_}; }
    // Slow path branched off at `at`: write back what was modified there.
    void enterSlowPath(const Snapshot& at);
    // After the slow path's helper: reload every register cached at `at`.
    void leaveSlowPath(const Snapshot& at);
    // Emitting an out-of-line path that branched off at `at`: continue from
    // that point's dirty state (registers allocated since were clean there,
    // and nothing is evicted, so every host register still holds what it
    // held at `at`).
    void restore(const Snapshot& at) { dirty_ = at.dirty; }

private:
    asmjit::x86::Gp hostReg(unsigned r, uint32_t size = 8) const;
    int allocate(unsigned r);

    Emitter& e_;
    std::function<int32_t(unsigned)> offsetOf_;
    std::function<bool(unsigned)> cacheable_;
    std::array<int8_t, kMaxGuestRegisters> host_;  // host register index, or -1
    std::array<bool, kMaxGuestRegisters> dirty_{};
    std::array<bool, kHostRegisters> used_{};
    bool frozen_ = false;
};

}  // namespace tessera::jit
