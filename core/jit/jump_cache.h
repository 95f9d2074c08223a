#pragma once
// JumpCache: per-CPU map from a guest *virtual* pc (plus mode word) to the
// block that runs there, so most block lookups need neither an address
// translation nor a hash-map probe. Generated code probes it inline for
// indirect jumps (Emitter::jumpThroughCache), so its layout is fixed.
// Entries are only valid while the virtual-to-physical mapping and the
// blocks they name are: the owner clears it on a TLB flush, and the block
// cache clears it on every invalidation.

#include <cstdint>
#include <vector>

#include "core/jit/translation_block.h"

namespace tessera::jit {

class JumpCache {
public:
    struct Entry {
        uint64_t pc = ~0ull;  // no guest pc is all ones and even
        uint64_t mode = 0;
        const uint8_t* entry = nullptr;
        TranslationBlock* block = nullptr;
    };
    static_assert(sizeof(Entry) == 32);
    static constexpr unsigned kBits = 12;
    static constexpr uint64_t kMask = (1u << kBits) - 1;

    JumpCache() : entries_(1u << kBits) {}

    // Guest instructions are at least 2-byte aligned: pc bit 0 carries no information.
    static uint64_t indexOf(uint64_t pc) { return (pc >> 1) & kMask; }
    TranslationBlock* find(uint64_t pc, uint64_t mode) const {
        const Entry& e = entries_[indexOf(pc)];
        return e.pc == pc && e.mode == mode ? e.block : nullptr;
    }
    void insert(uint64_t pc, uint64_t mode, TranslationBlock* block) {
        entries_[indexOf(pc)] = {pc, mode, block->entry, block};
        block->noteJumpCacheSlot(pc);
    }
    void clear() {
        for (Entry& e : entries_) e = Entry{};
    }
    // Drops the entries for guest virtual page [page, page + pageSize)
    // (a single-page TLB flush), not the whole cache.
    void forgetPage(uint64_t page, uint64_t pageSize) {
        const uint64_t count = pageSize / 2 < kMask + 1 ? pageSize / 2 : kMask + 1;
        for (uint64_t i = 0; i < count; ++i) {
            Entry& e = entries_[indexOf(page + 2 * i)];
            if (e.pc - page < pageSize) e = Entry{};
        }
    }
    // Drops the entries naming `block` (it is being removed).
    void forgetBlock(const TranslationBlock& block) {
        for (uint64_t pc : block.jumpCacheSlots) {
            Entry& e = entries_[indexOf(pc)];
            if (e.block == &block) e = Entry{};
        }
    }
    const Entry* data() const { return entries_.data(); }

private:
    std::vector<Entry> entries_;
};

}  // namespace tessera::jit
