// Physical memory protection (privileged spec 1.12, 3.7). Checked when a
// translation is cached, not per access: the answer is cached only when it is
// the same for every byte of the 4 KiB page, otherwise the page stays on the
// slow path and every access is checked exactly.

#include <bit>

#include "core/cpu/riscv/hart.h"

namespace tessera::riscv {

namespace {
enum : uint8_t { PmpR = 1, PmpW = 2, PmpX = 4, PmpLock = 0x80 };
enum : unsigned { PmpOff = 0, PmpTor = 1, PmpNa4 = 2, PmpNapot = 3 };

bool overlaps(uint64_t aLow, uint64_t aHigh, uint64_t bLow, uint64_t bHigh) {
    return aLow < bHigh && bLow < aHigh;
}
}  // namespace

Hart::PmpResult Hart::pmpCheck(uint64_t paddr, unsigned size, AccessType type, unsigned priv) const {
    const uint64_t pageLow = paddr & ~0xfffull;
    const uint64_t pageHigh = pageLow + 0x1000;
    const uint64_t accessHigh = paddr + size;
    bool anyActive = false;
    bool uniform = true;
    for (unsigned i = 0; i < kPmpEntries; ++i) {
        const uint8_t cfg = s.pmpcfg[i];
        const unsigned mode = (cfg >> 3) & 3;
        if (mode == PmpOff) continue;
        anyActive = true;
        uint64_t low, high;
        if (mode == PmpTor) {
            low = i == 0 ? 0 : s.pmpaddr[i - 1] << 2;
            high = s.pmpaddr[i] << 2;
        } else if (mode == PmpNa4) {
            low = s.pmpaddr[i] << 2;
            high = low + 4;
        } else {
            const unsigned ones = static_cast<unsigned>(std::countr_one(s.pmpaddr[i]));
            const uint64_t regionSize = 8ull << ones;  // ones <= 54, so this cannot overflow
            low = (s.pmpaddr[i] << 2) & ~(regionSize - 1);
            high = low + regionSize;
        }
        if (low >= high) continue;
        if (!overlaps(paddr, accessHigh, low, high)) {
            if (overlaps(pageLow, pageHigh, low, high)) uniform = false;
            continue;
        }
        // The first matching entry decides; an access only partly inside it fails (3.7.1.4).
        if (paddr < low || accessHigh > high) return {false, false};
        const bool pageInside = pageLow >= low && pageHigh <= high;
        bool allowed;
        if (priv == PrivMachine && !(cfg & PmpLock)) {
            allowed = true;
        } else {
            const uint8_t needed = type == AccessType::Load ? PmpR : type == AccessType::Store ? PmpW : PmpX;
            allowed = (cfg & needed) != 0;
        }
        return {allowed, uniform && pageInside};
    }
    // No entry matched: M-mode succeeds; S/U fail once any entry is active.
    // (With no entry active at all S/U are allowed too, as QEMU does, so bare
    // programs that never program PMP can still drop to S.)
    return {priv == PrivMachine || !anyActive, uniform};
}

}  // namespace tessera::riscv
