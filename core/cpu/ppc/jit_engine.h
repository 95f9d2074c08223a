#pragma once
// JitEngine: the PowerPC JIT behind cpu::CpuEngine. A ppc::Cpu still holds
// the architectural state, the MMU, the SPRs and exception entry (one
// reference for both engines); this class adds the dispatcher loop around
// translated blocks (core/jit for the ISA-neutral machinery, jit_frontend.h
// for the lowering).
//
// Blocks are keyed by guest physical pc plus the MSR bits the code may assume
// (modeWord). Interrupts are taken between blocks: generated code polls
// CpuState.exitRequest/interruptPoll and retiredLimit at every block entry;
// the dispatcher looks for interrupts when the input changed, after
// instructions that may enable one (MSR[EE], DEC) and at least every
// kDecrementerPoll instructions (it caps retiredLimit to come back then).

#include <memory>
#include <vector>

#include "core/cpu/ppc/cpu_engine_base.h"
#include "core/jit/block_cache.h"
#include "core/jit/code_buffer.h"
#include "core/jit/emitter.h"
#include "core/util/result.h"

namespace tessera::ppc {

class JitEngine final : private CodeObserver, public CpuEngineBase {
public:
    static constexpr size_t kDefaultCodeBytes = 64u << 20;
    // Fails (with the reason) when the host refuses executable memory.
    static Result<std::unique_ptr<JitEngine>> create(hw::MemoryBus& bus, CpuConfig config,
                                                     size_t codeBytes = kDefaultCodeBytes);
    ~JitEngine() override;

    cpu::EngineKind kind() const override { return cpu::EngineKind::Jit; }
    cpu::RunResult run(uint64_t budget) override;
    // Exactly one translated block (not following chains), or one interrupt entry.
    cpu::RunResult step() override;
    // Also drops every translation: a board re-places its firmware and kernel
    // in RAM behind the CPU's back before a reset.
    void reset(uint64_t pc) override;
    void setInterruptLevel(unsigned line, bool level) override;
    void setBreakpoints(std::vector<uint64_t> pcs) override {
        cpu_.breakpoints.assign(std::move(pcs));
        flushTranslations();
    }
    cpu::RunResult stepInstruction() override {
        lookForInterrupts_ = true;  // the instruction may have enabled one
        return cpu_.step();
    }
    cpu::TranslationStats translationStats() const override { return translated_; }

    size_t translatedBlocks() const { return cache_.size(); }

    // The decrementer is checked by the dispatcher: chained blocks come back
    // to it at least this often.
    static constexpr uint64_t kDecrementerPoll = 4096;

private:
    JitEngine(hw::MemoryBus& bus, CpuConfig config, size_t codeBytes);

    // What generated code may assume beyond the bytes of its page. The
    // inline rows read none of these, but inline loads and stores will
    // (privilege, data translation, FP available, byte order).
    uint64_t modeWord() const { return cpu_.s.msr & (msr::PR | msr::IR | msr::DR | msr::FP | msr::LE); }
    static constexpr size_t kMaxBlocks = 1u << 17;
    // The block at pc, translating it if needed; nullptr with `trapped` set
    // when the fetch raised an ISI, or clear when the code is not in RAM
    // (then the interpreter runs it).
    jit::TranslationBlock* blockAtPc(bool& trapped);
    jit::TranslationBlock* lookUpOrTranslate(uint32_t pc, uint64_t mode, bool& trapped);
    void flushTranslations();
    // Runs `block` and what it chains to; returns the status of an
    // instruction it stopped at (already completed) or Continue.
    ExecStatus runFrom(jit::TranslationBlock* block);
    // One dispatch: an interrupt, a block, or one interpreted instruction.
    ExecStatus dispatch();

    bool codeWritten(uint32_t paddr, uint32_t length) override {
        ++fetchGeneration_;  // blocks may be gone
        return cache_.invalidate(paddr, length);
    }
    void translationsChanged() override { ++fetchGeneration_; }

    // Effective pc + mode -> block, so a dispatch needs no fetch translation
    // (BATs, segment, TLB) and no block-cache probe. An entry is valid only
    // for the generation it was made in: any translation change or code
    // invalidation starts a new one (an O(1) flush: tlbie is frequent).
    struct FetchEntry {
        uint32_t pc = 0;
        uint64_t mode = 0;
        uint64_t generation = 0;
        jit::TranslationBlock* block = nullptr;
    };
    static constexpr unsigned kFetchEntries = 4096;
    std::vector<FetchEntry> fetchCache_ = std::vector<FetchEntry>(kFetchEntries);
    uint64_t fetchGeneration_ = 1;
    bool lookForInterrupts_ = true;
    uint64_t nextInterruptLook_ = 0;

    hw::MemoryBus& bus_;
    jit::CodeBuffer code_;
    jit::Trampoline trampoline_;
    jit::BlockCache cache_;
    cpu::TranslationStats translated_;
    // The exit slot the last block left through unlinked, and the cache's
    // flush count then (a flush makes the slot dangling).
    jit::ExitSlot* pendingLink_ = nullptr;
    uint64_t pendingLinkFlushes_ = 0;
};

}  // namespace tessera::ppc
