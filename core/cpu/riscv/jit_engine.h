#pragma once
// JitEngine: the RISC-V JIT behind the cpu::CpuEngine interface. A Hart
// still holds the architectural state, the MMU, the CSRs and trap entry (so
// both engines share one reference for everything but instruction
// dispatch); this class adds the dispatcher loop around translated blocks
// (core/jit for the ISA-neutral machinery, jit_frontend.h for the lowering).
//
// Interrupts are taken between blocks: generated code polls
// HartState.exitRequest/interruptPoll and the instruction budget at every
// block entry, chained or not, so a loop inside chained blocks still
// returns within one block.

#include <memory>

#include "core/cpu/riscv/hart_engine.h"
#include "core/cpu/riscv/jit_code_snapshot.h"
#include "core/jit/block_cache.h"
#include "core/jit/code_buffer.h"
#include "core/jit/emitter.h"
#include "core/jit/jump_cache.h"
#include "core/util/result.h"

namespace tessera::riscv {

// CodeObserver comes first: behind HartEngine (whose Hart holds the 1.5 MiB
// software TLB) its offset from the object's start would exceed what
// UBSan's vptr check accepts (1 MiB) and every observer call would be reported.
class JitEngine final : private CodeObserver, public HartEngine {
public:
    // Virtual address space for translated code. Pages are only backed once
    // written; when it is full every translation is dropped and it is reused.
    static constexpr size_t kDefaultCodeBytes = 64u << 20;
    // Fails (with the reason) when the host refuses executable memory.
    static Result<std::unique_ptr<JitEngine>> create(hw::MemoryBus& bus, HartConfig config,
                                                     size_t codeBytes = kDefaultCodeBytes);
    ~JitEngine() override;

    cpu::EngineKind kind() const override { return cpu::EngineKind::Jit; }
    cpu::RunResult run(uint64_t budget) override;
    // For the lockstep tester (interpreter vs JIT): runs exactly one translated block
    // without following chains, including a trap or interrupt taken at its
    // start (the block then is the handler's first) or inside it.
    cpu::RunResult step() override;
    // Also makes chained generated code come back to the dispatcher.
    void setInterruptLevel(unsigned line, bool level) override;

    // Introspection for tests.
    size_t translatedBlocks() const { return cache_.size(); }
    uint64_t codeBufferFlushes() const { return cache_.flushCount(); }
    uint64_t translations() const { return translations_; }  // blocks translated since creation
    cpu::TranslationStats translationStats() const override { return translated_; }

private:
    JitEngine(hw::MemoryBus& bus, HartConfig config, size_t codeBytes);

    // What generated code may assume, beyond the page it came from: the
    // privilege and the data-TLB context its inline accesses index.
    uint64_t modeWord() const { return hart_.s.priv | (uint64_t{hart_.s.dataTlbContext} << 8); }
    // More blocks than this and all are dropped (hostile code could
    // otherwise grow the metadata up to what the code buffer holds).
    static constexpr size_t kMaxBlocks = 1u << 17;
    // The block at the current pc, translating it if needed. nullptr with
    // status Trap (fetch fault), Continue (a straddling instruction) or Stop
    // (the block could not be translated).
    jit::TranslationBlock* blockAtPc(ExecStatus& status);
    // Runs what blockAtPc could not give a block for.
    ExecStatus runWithoutTranslation(ExecStatus lookup);
    void flushTranslations();
    // Runs one block (and what it chains to unless `single`) and handles
    // how it left. Returns the status the dispatcher acts on.
    ExecStatus runFrom(jit::TranslationBlock* block);
    void takeInterruptIfAny();

    // CodeObserver (see hart.h).
    bool codeWritten(uint64_t paddr, uint64_t length) override { return cache_.invalidate(paddr, length); }
    void allCodeDropped() override;
    void translationsChanged() override { jumps_.clear(); }
    void translationChanged(uint64_t vaddr) override { jumps_.forgetPage(vaddr & ~uint64_t{0xfff}, 0x1000); }
    void instructionFence() override;

    jit::CodeBuffer code_;
    jit::Trampoline trampoline_;
    jit::BlockCache cache_;
    jit::JumpCache jumps_;
    // With other harts (HartConfig::sharedRam) only. Each hart has its own
    // code cache: a shared one would need a lock or a concurrent cache on
    // every lookup, chaining and invalidation, and unlinking a chain another
    // thread may be jumping through; per hart, all of that stays
    // single-threaded and the cost is translating shared kernel code once per
    // hart (a few MiB). Coherence then is FENCE.I's job (jit_code_snapshot.h).
    std::unique_ptr<JitCodeSnapshot> snapshot_;
    uint64_t translations_ = 0;
    cpu::TranslationStats translated_;
    bool inGeneratedCode_ = false;
    bool flushPending_ = false;
    // The exit slot the last block left through unlinked, and the cache's
    // flush count then (a flush makes the slot dangling).
    jit::ExitSlot* pendingLink_ = nullptr;
    uint64_t pendingLinkFlushes_ = 0;
};

}  // namespace tessera::riscv
