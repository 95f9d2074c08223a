#pragma once
// TranslationBlock: one run of guest code translated to host code, as the
// ISA-neutral engine sees it. The front end decides what a block covers
// (guest bytes [physPc, physPc + guestBytes) on one guest page) and what its
// mode word means (privilege, translation context, ... whatever the
// generated code assumed); the engine only compares it.

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace tessera::jit {

struct TranslationBlock;

// A direct jump out of a block whose target is known when translating: a
// `jmp rel32` that first falls through to an exit to the dispatcher and, once
// the dispatcher has found the target block, is patched to jump straight to it.
struct ExitSlot {
    TranslationBlock* owner = nullptr;
    const uint8_t* site = nullptr;  // the jmp rel32 (executable view)
    uint64_t targetPhysPc = 0;      // guest physical address the exit leads to
    TranslationBlock* linkedTo = nullptr;
};

// What a front end keeps alive as long as its block (e.g. the decoded
// instructions whose addresses the generated code passes to helpers).
struct BlockPayload {
    virtual ~BlockPayload() = default;
};

struct TranslationBlock {
    uint64_t physPc = 0;
    uint64_t mode = 0;
    uint32_t guestBytes = 0;
    uint32_t guestInstructions = 0;
    const uint8_t* entry = nullptr;  // checks the poll words first (chained jumps land here)
    const uint8_t* body = nullptr;   // skips the check (the dispatcher has just done it)
    uint32_t hostBytes = 0;
    // Set by the engine for its sample of blocks (cpu::TranslationStats)
    // before the front end emits; the emitter then counts hostInstructions.
    bool countHostInstructions = false;
    uint32_t hostInstructions = 0;
    // Direct exits: a front end may continue a block past conditional
    // branches (each taken path one exit) up to this many.
    static constexpr size_t kMaxExits = 6;
    std::array<ExitSlot, kMaxExits> exits{};
    uint8_t exitCount = 0;
    std::vector<ExitSlot*> incoming;  // slots of other blocks linked to this one
    // Guest virtual pcs under which jump caches hold this block (usually one;
    // kMaxJumpCacheSlots+ means "many": removal then clears the caches).
    std::vector<uint64_t> jumpCacheSlots;
    static constexpr size_t kMaxJumpCacheSlots = 8;
    void noteJumpCacheSlot(uint64_t pc) {
        for (uint64_t known : jumpCacheSlots)
            if (known == pc) return;
        if (jumpCacheSlots.size() <= kMaxJumpCacheSlots) jumpCacheSlots.push_back(pc);
    }
    std::unique_ptr<BlockPayload> payload;

    bool overlaps(uint64_t paddr, uint64_t length) const {
        return paddr < physPc + guestBytes && physPc < paddr + length;
    }
};

}  // namespace tessera::jit
