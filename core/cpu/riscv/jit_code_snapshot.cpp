#include "core/cpu/riscv/jit_code_snapshot.h"

#include <cstring>

namespace tessera::riscv {

void JitCodeSnapshot::noteTranslated(uint64_t paddr) {
    const uint64_t page = paddr & ~(kPage - 1);
    if (pages_.count(page)) return;
    const uint8_t* host = bus_.ramPointer(page, kPage);
    if (!host) return;  // RAM regions are whole pages; nothing else is translated
    auto copy = std::make_unique<std::array<uint8_t, kPage>>();
    std::memcpy(copy->data(), host, kPage);
    pages_.emplace(page, std::move(copy));
}

void JitCodeSnapshot::fence(const std::function<void(uint64_t, uint64_t)>& invalidate) {
    for (auto& [page, copy] : pages_) {
        const uint8_t* host = bus_.ramPointer(page, kPage);
        if (!host || std::memcmp(copy->data(), host, kPage) == 0) continue;
        uint64_t first = 0, last = kPage - 1;
        while (first < kPage && (*copy)[first] == host[first]) ++first;
        if (first == kPage) continue;  // a racing store put the old bytes back
        while (last > first && (*copy)[last] == host[last]) --last;
        invalidate(page + first, last - first + 1);
        // Only after the invalidation: a byte copied here has no block left.
        std::memcpy(copy->data() + first, host + first, last - first + 1);
    }
}

}  // namespace tessera::riscv
