#pragma once
// Helpers for registers wider than the guest access: a guest may read or
// write any byte lane of a 64-bit register (e.g. the two 32-bit halves of
// mtimecmp on RV32-style code), so devices merge by byte lane.

#include <cstdint>

namespace tessera::hw {

// Bits [lane*8, lane*8 + size*8) of a register of `regBytes` bytes, as the
// guest sees them when it reads `size` bytes at byte `lane` of the register.
inline uint64_t extractLanes(uint64_t reg, unsigned lane, unsigned size) {
    if (lane >= 8) return 0;
    const uint64_t shifted = reg >> (lane * 8);
    return size >= 8 ? shifted : shifted & ((uint64_t(1) << (size * 8)) - 1);
}

// Register after a guest write of `size` bytes of `value` at byte `lane`.
inline uint64_t mergeLanes(uint64_t reg, unsigned lane, unsigned size, uint64_t value) {
    if (lane >= 8) return reg;
    unsigned bits = size * 8;
    if (lane * 8 + bits > 64) bits = 64 - lane * 8;
    const uint64_t mask = (bits >= 64 ? ~uint64_t(0) : ((uint64_t(1) << bits) - 1)) << (lane * 8);
    return (reg & ~mask) | ((value << (lane * 8)) & mask);
}

}  // namespace tessera::hw
