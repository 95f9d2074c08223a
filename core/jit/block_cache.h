#pragma once
// BlockCache: every live translation, keyed by guest physical pc plus the
// front end's mode word, indexed by guest page for invalidation, and the
// owner of direct chaining between blocks.
//
// Invalidation is per block, not per page: a write to [paddr, paddr+length)
// drops only the blocks whose guest bytes it overlaps (and unlinks every jump
// into them), so a page that mixes code and data does not recompile its code
// each time the data is written.
//
// Dropped blocks may still be executing (a helper inside one wrote code), so
// they are retired and freed by releaseRetired(), which the dispatcher calls
// when no generated code runs. flush() drops everything and resets the code
// buffer: only call it from the dispatcher.

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "core/jit/code_buffer.h"
#include "core/jit/jump_cache.h"
#include "core/jit/translation_block.h"

namespace tessera::jit {

class BlockCache {
public:
    explicit BlockCache(CodeBuffer& code) : code_(code) {}

    TranslationBlock* find(uint64_t physPc, uint64_t mode) const;
    TranslationBlock* insert(std::unique_ptr<TranslationBlock> block);

    // Patches `slot` to jump straight to `target` (same mode, target.physPc ==
    // slot.targetPhysPc; the caller checks).
    void link(ExitSlot& slot, TranslationBlock& target);

    // Drops the blocks overlapping [paddr, paddr+length). Returns true if
    // blocks remain on the guest pages the range touches.
    bool invalidate(uint64_t paddr, uint64_t length);
    bool hasCodeOnPage(uint64_t physPage) const { return pages_.count(physPage) != 0; }
    // Drops every block and resets the code buffer.
    void flush();
    void releaseRetired() { retired_.clear(); }

    // Jump caches naming blocks of this cache: a block's entries go with it.
    void attach(JumpCache& cache) { jumpCaches_.push_back(&cache); }

    size_t size() const { return blocks_.size(); }
    // Bumped by flush(): a block pointer taken before a flush is dangling.
    uint64_t flushCount() const { return flushes_; }
    static constexpr uint64_t kPageBits = 12;

private:
    struct Key {
        uint64_t physPc, mode;
        bool operator==(const Key&) const = default;
    };
    struct KeyHash {
        size_t operator()(const Key& k) const { return (k.physPc * 0x9e3779b97f4a7c15ull) ^ k.mode; }
    };
    // A direct-mapped front for the hash map: most lookups (every jump-cache
    // miss, and the jump cache is cleared on each full TLB flush) hit here.
    struct Recent {
        uint64_t physPc = ~0ull;  // never a block's pc (odd)
        uint64_t mode = 0;
        TranslationBlock* block = nullptr;
    };
    static constexpr unsigned kRecentBits = 16;
    static size_t recentIndex(uint64_t physPc) {
        return static_cast<size_t>((physPc >> 1) & ((1u << kRecentBits) - 1));
    }
    void remove(TranslationBlock* block);
    void unlink(ExitSlot& slot);
    void clearJumpCaches();

    CodeBuffer& code_;
    std::unordered_map<Key, std::unique_ptr<TranslationBlock>, KeyHash> blocks_;
    std::unordered_map<uint64_t, std::vector<TranslationBlock*>>
        pages_;  // guest page -> blocks starting there
    std::vector<std::unique_ptr<TranslationBlock>> retired_;
    mutable std::vector<Recent> recent_ = std::vector<Recent>(1u << kRecentBits);
    std::vector<JumpCache*> jumpCaches_;
    uint64_t flushes_ = 0;
};

}  // namespace tessera::jit
