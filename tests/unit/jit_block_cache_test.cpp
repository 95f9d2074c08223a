// Specification of the ISA-neutral block cache (core/jit/block_cache.h):
// blocks found by guest physical pc and mode, direct chains patched in and
// unlinked when their target goes, invalidation by byte range so data next
// to code does not drop it, the jump cache cleared with it, and the
// emitter's software-TLB fast path hitting only aligned, mapped accesses.

#include <QtTest>

#include "core/jit/block_cache.h"
#include "core/jit/emitter.h"

using namespace tessera::jit;

namespace {

struct TlbEntry {
    uint64_t tag = ~0ull, addend = 0;
};
struct State {
    uint64_t counter = 0, limit = ~0ull;
    uint32_t exitWord = 0, otherWord = 0;
    uint64_t pc = 0;
    uint64_t value = 0;
    TlbEntry tlb[256];
};
const PollLayout kPoll{offsetof(State, counter), offsetof(State, limit), offsetof(State, exitWord),
                       offsetof(State, otherWord)};

struct Rig {
    CodeBuffer buffer{1 << 20};
    Trampoline trampoline;
    BlockCache cache{buffer};
    JumpCache jumps;
    State state;
    Rig() {
        trampoline.create(buffer);
        buffer.sealPermanent();
        cache.attach(jumps);
    }
    // A block at physPc covering `bytes` guest bytes that exits with `reason`,
    // or, when chainTo is set, chains there.
    TranslationBlock* add(uint64_t physPc, uint32_t bytes, uint32_t reason, uint64_t chainTo = 0) {
        auto block = std::make_unique<TranslationBlock>();
        block->physPc = physPc;
        block->guestBytes = bytes;
        Emitter e(*block);
        e.beginBlock(kPoll);
        if (chainTo)
            e.chainExit(chainTo);
        else
            e.exitWith(reason);
        if (!e.finish(buffer)) return nullptr;
        return cache.insert(std::move(block));
    }
    ExitResult run(TranslationBlock* block) { return trampoline.enter(&state, nullptr, block->entry); }
};

}  // namespace

class JitBlockCacheTest : public QObject {
    Q_OBJECT
private slots:
    void blocksAreFoundByPhysicalPcAndMode() {
        Rig rig;
        TranslationBlock* block = rig.add(0x80001000, 8, 1);
        QCOMPARE(rig.cache.find(0x80001000, 0), block);
        QCOMPARE(rig.cache.find(0x80001000, 1), nullptr);
        QCOMPARE(rig.cache.find(0x80001004, 0), nullptr);
    }

    void chainIsPatchedInAndUnlinkedWhenTheTargetIsInvalidated() {
        Rig rig;
        TranslationBlock* target = rig.add(0x80002000, 16, 7);
        TranslationBlock* source = rig.add(0x80001000, 16, 0, 0x80002000);
        ExitResult r = rig.run(source);
        QCOMPARE(r.reason, uint64_t{kExitChain});
        auto* slot = reinterpret_cast<ExitSlot*>(r.payload);
        QCOMPARE(slot, &source->exits[0]);
        QCOMPARE(slot->targetPhysPc, uint64_t{0x80002000});
        rig.cache.link(*slot, *target);
        QCOMPARE(rig.run(source).reason, 7u);  // straight through into the target

        // A write to the target's bytes drops it and the chain into it.
        QVERIFY(!rig.cache.invalidate(0x8000200c, 4));
        QCOMPARE(rig.cache.find(0x80002000, 0), nullptr);
        QCOMPARE(slot->linkedTo, nullptr);
        QCOMPARE(rig.run(source).reason, uint64_t{kExitChain});
        rig.cache.releaseRetired();
    }

    void chainedTargetEntryStillPolls() {
        Rig rig;
        TranslationBlock* target = rig.add(0x80002000, 16, 7);
        TranslationBlock* source = rig.add(0x80001000, 16, 0, 0x80002000);
        rig.cache.link(source->exits[0], *target);
        rig.state.exitWord = 1;  // bounded delay: the next block boundary leaves
        QCOMPARE(rig.trampoline.enter(&rig.state, nullptr, source->body).reason, uint64_t{kExitPoll});
    }

    void dataWrittenBesideCodeKeepsTheCode() {
        Rig rig;
        TranslationBlock* code = rig.add(0x80003100, 0x40, 1);
        // Bytes before and after the block on the same page: the page still has code.
        QVERIFY(rig.cache.invalidate(0x80003000, 0x100));
        QVERIFY(rig.cache.invalidate(0x80003140, 0x10));
        QCOMPARE(rig.cache.find(0x80003100, 0), code);
        QVERIFY(rig.cache.hasCodeOnPage(0x80003));
        QVERIFY(!rig.cache.invalidate(0x8000313e, 8));  // overlaps its last bytes
        QVERIFY(!rig.cache.hasCodeOnPage(0x80003));
    }

    void invalidationClearsTheJumpCache() {
        Rig rig;
        TranslationBlock* block = rig.add(0x80004000, 4, 1);
        rig.jumps.insert(0x4000, 0, block);
        QCOMPARE(rig.jumps.find(0x4000, 0), block);
        rig.cache.invalidate(0x80004000, 4);
        QCOMPARE(rig.jumps.find(0x4000, 0), nullptr);
    }

    void aSinglePageFlushForgetsOnlyThatPage() {
        Rig rig;
        TranslationBlock* a = rig.add(0x80004000, 4, 1);
        TranslationBlock* b = rig.add(0x80005000, 4, 1);
        rig.jumps.insert(0x10ffe, 0, a);  // last slot of virtual page 0x10000
        rig.jumps.insert(0x11000, 0, b);  // first slot of the next page
        rig.jumps.forgetPage(0x10000, 0x1000);
        QCOMPARE(rig.jumps.find(0x10ffe, 0), nullptr);
        QCOMPARE(rig.jumps.find(0x11000, 0), b);
    }

    void aBlockCachedUnderManyAddressesIsForgottenEverywhere() {
        Rig rig;
        TranslationBlock* block = rig.add(0x80004000, 4, 1);
        for (uint64_t alias = 0; alias < 20; ++alias) rig.jumps.insert(0x4000 + (alias << 12), 0, block);
        rig.cache.invalidate(0x80004000, 4);
        for (uint64_t alias = 0; alias < 20; ++alias)
            QCOMPARE(rig.jumps.find(0x4000 + (alias << 12), 0), nullptr);
    }

    void flushEmptiesTheCacheAndTheBuffer() {
        Rig rig;
        const size_t permanent = rig.buffer.used();
        for (uint64_t i = 0; i < 100; ++i) QVERIFY(rig.add(0x80000000 + 0x1000 * i, 4, 1));
        rig.cache.flush();
        QCOMPARE(rig.cache.size(), size_t{0});
        QCOMPARE(rig.buffer.used(), permanent);
        QCOMPARE(rig.cache.flushCount(), uint64_t{1});
    }

    void jumpCacheDispatchReachesTheBlockOrMisses() {
        Rig rig;
        TranslationBlock* target = rig.add(0x80005000, 4, 9);
        rig.jumps.insert(0x1234, 3, target);
        TranslationBlock jumper;
        Emitter e(jumper);
        e.beginBlock(kPoll);
        asmjit::Label miss = e.newLabel();
        e.jumpThroughCache(rig.jumps, offsetof(State, pc), 3, miss);
        e.as().bind(miss);
        e.exitWith(5);
        QVERIFY(e.finish(rig.buffer));
        rig.state.pc = 0x1234;
        QCOMPARE(rig.trampoline.enter(&rig.state, nullptr, jumper.entry).reason, 9u);
        rig.state.pc = 0x1236;
        QCOMPARE(rig.trampoline.enter(&rig.state, nullptr, jumper.entry).reason, 5u);
    }

    void tlbFastPathHitsOnlyMappedAlignedAccesses() {
        Rig rig;
        alignas(8) static uint8_t page[4096];
        const uint64_t vpage = 0x7000;
        TlbEntry& entry = rig.state.tlb[(vpage >> 12) % 256];
        entry.tag = vpage;
        entry.addend = reinterpret_cast<uint64_t>(page) - vpage;
        uint64_t word = 0x1122334455667788;
        std::memcpy(page + 0x40, &word, 8);

        TranslationBlock loader;
        Emitter e(loader);
        namespace x86 = asmjit::x86;
        e.beginBlock(kPoll);
        asmjit::Label miss = e.newLabel();
        e.loadState(x86::rsi, offsetof(State, pc));
        e.as().mov(x86::rax, e.tlbLookup(TlbLayout{offsetof(State, tlb)}, x86::rsi, 8, x86::rdi, miss));
        e.storeState(offsetof(State, value), x86::rax);
        e.exitWith(1);
        e.as().bind(miss);
        e.exitWith(2);
        QVERIFY(e.finish(rig.buffer));

        rig.state.pc = vpage + 0x40;
        QCOMPARE(rig.trampoline.enter(&rig.state, nullptr, loader.entry).reason, 1u);
        QCOMPARE(rig.state.value, word);
        rig.state.pc = vpage + 0x41;  // misaligned: slow path
        QCOMPARE(rig.trampoline.enter(&rig.state, nullptr, loader.entry).reason, 2u);
        rig.state.pc = vpage + 0x1000 + 0x40;  // another page, same slot
        QCOMPARE(rig.trampoline.enter(&rig.state, nullptr, loader.entry).reason, 2u);
        entry = TlbEntry{};  // an empty entry never hits
        rig.state.pc = vpage + 0x40;
        QCOMPARE(rig.trampoline.enter(&rig.state, nullptr, loader.entry).reason, 2u);
    }
};

QTEST_APPLESS_MAIN(JitBlockCacheTest)
#include "jit_block_cache_test.moc"
