#pragma once
// JitCodeSnapshot: what FENCE.I needs from a JIT whose guest shares RAM with
// other harts. Each hart has its own JIT code cache (jit_engine.h says why);
// its own stores to translated code are caught by the Hart's code-page
// tracking, device DMA is reported by the board, but another hart's plain
// stores take that hart's software-TLB fast path and are reported to no one.
// The ISA promises them to this hart only after its FENCE.I (Zifencei; Linux
// and OpenSBI send a remote FENCE.I as an IPI, and the handler executes
// FENCE.I here), so at FENCE.I every page holding translations is compared
// with the copy taken when its first block was translated; changed byte
// ranges are invalidated and the copy refreshed.
//
// Correct under racing stores: a copy is refreshed only over bytes whose
// blocks were just invalidated, and never when a later block is translated
// on the page, so bytes a live block came from always equal the copy or
// differ from memory (and are caught at the next FENCE.I). A stale copy
// costs a needless invalidation, never a stale block.

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>

#include "core/hw/memory_bus.h"

namespace tessera::riscv {

class JitCodeSnapshot {
public:
    explicit JitCodeSnapshot(const hw::MemoryBus& bus) : bus_(bus) {}

    // A block is about to be translated from guest-physical paddr: copy its
    // page if it has none yet (before, so the copy is never newer than a block).
    void noteTranslated(uint64_t paddr);
    // FENCE.I: calls invalidate(paddr, length) for every changed range.
    void fence(const std::function<void(uint64_t paddr, uint64_t length)>& invalidate);
    // Every translation was dropped.
    void clear() { pages_.clear(); }
    size_t pages() const { return pages_.size(); }

private:
    static constexpr uint64_t kPage = 0x1000;
    const hw::MemoryBus& bus_;
    std::unordered_map<uint64_t, std::unique_ptr<std::array<uint8_t, kPage>>> pages_;
};

}  // namespace tessera::riscv
