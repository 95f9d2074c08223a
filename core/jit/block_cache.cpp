#include "core/jit/block_cache.h"

#include <algorithm>
#include <cstring>

namespace tessera::jit {

namespace {
// `jmp rel32` at `site` aimed at `target` (both in the executable view).
void patchJump(CodeBuffer& code, const uint8_t* site, const uint8_t* target) {
    const auto rel = static_cast<int32_t>(target - (site + 5));
    std::memcpy(code.writableAlias(site) + 1, &rel, 4);
}
}  // namespace

TranslationBlock* BlockCache::find(uint64_t physPc, uint64_t mode) const {
    Recent& recent = recent_[recentIndex(physPc)];
    if (recent.physPc == physPc && recent.mode == mode) return recent.block;
    auto it = blocks_.find({physPc, mode});
    if (it == blocks_.end()) return nullptr;
    recent = {physPc, mode, it->second.get()};
    return recent.block;
}

TranslationBlock* BlockCache::insert(std::unique_ptr<TranslationBlock> block) {
    TranslationBlock* raw = block.get();
    // Same key translated again: the old translation goes (it may be running).
    if (TranslationBlock* old = find(raw->physPc, raw->mode)) remove(old);
    blocks_.emplace(Key{raw->physPc, raw->mode}, std::move(block));
    pages_[raw->physPc >> kPageBits].push_back(raw);
    return raw;
}

void BlockCache::link(ExitSlot& slot, TranslationBlock& target) {
    if (slot.linkedTo) unlink(slot);
    patchJump(code_, slot.site, target.entry);
    slot.linkedTo = &target;
    target.incoming.push_back(&slot);
}

void BlockCache::unlink(ExitSlot& slot) {
    // Back to falling through into the exit that follows the jump.
    patchJump(code_, slot.site, slot.site + 5);
    auto& in = slot.linkedTo->incoming;
    in.erase(std::remove(in.begin(), in.end(), &slot), in.end());
    slot.linkedTo = nullptr;
}

void BlockCache::remove(TranslationBlock* block) {
    // Jump caches must not name it: only its own slots, unless it was
    // cached under too many addresses to have kept them all.
    if (block->jumpCacheSlots.size() > TranslationBlock::kMaxJumpCacheSlots)
        clearJumpCaches();
    else
        for (JumpCache* cache : jumpCaches_) cache->forgetBlock(*block);
    for (ExitSlot* slot : std::vector<ExitSlot*>(block->incoming)) unlink(*slot);
    for (uint8_t i = 0; i < block->exitCount; ++i)
        if (block->exits[i].linkedTo) unlink(block->exits[i]);
    auto pageIt = pages_.find(block->physPc >> kPageBits);
    if (pageIt != pages_.end()) {
        auto& list = pageIt->second;
        list.erase(std::remove(list.begin(), list.end(), block), list.end());
        if (list.empty()) pages_.erase(pageIt);
    }
    Recent& recent = recent_[recentIndex(block->physPc)];
    if (recent.block == block) recent = Recent{};
    auto it = blocks_.find({block->physPc, block->mode});
    if (it != blocks_.end() && it->second.get() == block) {
        retired_.push_back(std::move(it->second));
        blocks_.erase(it);
    }
}

bool BlockCache::invalidate(uint64_t paddr, uint64_t length) {
    if (length == 0) return false;
    const uint64_t first = paddr >> kPageBits;
    const uint64_t last = (paddr + length - 1) >> kPageBits;
    bool remaining = false;
    for (uint64_t page = first; page <= last && page >= first; ++page) {
        auto pageIt = pages_.find(page);
        if (pageIt == pages_.end()) continue;
        std::vector<TranslationBlock*> hit;
        for (TranslationBlock* block : pageIt->second)
            if (block->overlaps(paddr, length)) hit.push_back(block);
        for (TranslationBlock* block : hit) remove(block);
        remaining = remaining || pages_.count(page) != 0;
    }
    return remaining;
}

void BlockCache::flush() {
    for (auto& [key, block] : blocks_) retired_.push_back(std::move(block));
    blocks_.clear();
    pages_.clear();
    for (Recent& recent : recent_) recent = Recent{};
    clearJumpCaches();
    releaseRetired();
    code_.reset();
    ++flushes_;
}

void BlockCache::clearJumpCaches() {
    for (JumpCache* cache : jumpCaches_) cache->clear();
}

}  // namespace tessera::jit
