#include "core/cpu/ppc/jit_engine.h"

#include <algorithm>
#include <atomic>

#include "core/cpu/ppc/jit_frontend.h"

namespace tessera::ppc {

Result<std::unique_ptr<JitEngine>> JitEngine::create(hw::MemoryBus& bus, CpuConfig config, size_t codeBytes) {
    std::unique_ptr<JitEngine> engine(new JitEngine(bus, config, codeBytes));
    TESSERA_TRY(engine->trampoline_.install(engine->code_));
    return engine;
}

JitEngine::JitEngine(hw::MemoryBus& bus, CpuConfig config, size_t codeBytes)
    : CpuEngineBase(bus, config), bus_(bus), code_(codeBytes), cache_(code_) {
    cpu_.setCodeObserver(this);
}

JitEngine::~JitEngine() {
    cpu_.setCodeObserver(nullptr);
}

void JitEngine::reset(uint64_t pc) {
    cpu_.reset(static_cast<uint32_t>(pc));
    flushTranslations();
}

void JitEngine::setInterruptLevel(unsigned line, bool level) {
    cpu_.setInterruptLevel(line, level);
    // Chained generated code never passes through the dispatcher: make it
    // come back and look at the new level.
    std::atomic_ref<uint32_t>(cpu_.s.interruptPoll).store(1, std::memory_order_relaxed);
}

void JitEngine::flushTranslations() {
    ++fetchGeneration_;
    cache_.flush();
    pendingLink_ = nullptr;
}

jit::TranslationBlock* JitEngine::blockAtPc(bool& trapped) {
    const uint32_t pc = cpu_.s.pc;
    const uint64_t mode = modeWord();
    FetchEntry& fetch = fetchCache_[(pc >> 2) % kFetchEntries];
    if (fetch.pc == pc && fetch.mode == mode && fetch.generation == fetchGeneration_) return fetch.block;
    jit::TranslationBlock* block = lookUpOrTranslate(pc, mode, trapped);
    if (block) fetch = {pc, mode, fetchGeneration_, block};
    return block;
}

jit::TranslationBlock* JitEngine::lookUpOrTranslate(uint32_t pc, uint64_t mode, bool& trapped) {
    uint32_t paddr = 0;
    trapped = !cpu_.translateFetch(pc, paddr);
    if (trapped) return nullptr;
    const uint8_t* host = bus_.ramPointer(paddr, 4);
    if (!host || (pc & 3)) return nullptr;
    if (jit::TranslationBlock* block = cache_.find(paddr, mode)) return block;

    // Blocks stay on one guest page and inside the RAM region.
    JitSource source{paddr, host, 0x1000 - (paddr & 0xfff), mode, translated_.sampling()};
    if (const auto* region = bus_.ramRegionAt(paddr))
        source.available =
            static_cast<uint32_t>(std::min<uint64_t>(source.available, region->base + region->size - paddr));
    source.available = static_cast<uint32_t>(cpu_.breakpoints.bytesBeforeNext(pc, source.available));
    if (cache_.size() >= kMaxBlocks) flushTranslations();  // bounded metadata too
    std::unique_ptr<jit::TranslationBlock> made;
    TranslateResult result = translateBlock(source, code_, made);
    if (result == TranslateResult::BufferFull) {
        flushTranslations();  // recycle the whole buffer (in the dispatcher: nothing runs)
        result = translateBlock(source, code_, made);
    }
    if (result != TranslateResult::Ok) return nullptr;  // (a bug, never seen) interpreted
    translated_.add(made->guestInstructions, made->hostBytes, made->countHostInstructions, made->hostInstructions);
    cpu_.markCodePage(paddr);
    return cache_.insert(std::move(made));
}

ExecStatus JitEngine::runFrom(jit::TranslationBlock* block) {
    const uint64_t generation = fetchGeneration_;
    const jit::ExitResult exit = trampoline_.enter(&cpu_.s, &cpu_, block->body);
    switch (exit.reason) {
        case jit::kExitChain:
            // Not when code was invalidated meanwhile: the slot's block may
            // be retired, and releaseRetired() frees it before the next link.
            pendingLink_ =
                generation == fetchGeneration_ ? reinterpret_cast<jit::ExitSlot*>(exit.payload) : nullptr;
            pendingLinkFlushes_ = cache_.flushCount();
            return ExecStatus::Continue;
        case jit::kExitPoll:
            return ExecStatus::Continue;
        default: {
            // A semantic function's status, its instruction not yet completed.
            const auto status = static_cast<ExecStatus>(exit.reason);
            cpu_.complete(status);
            return status;
        }
    }
}

ExecStatus JitEngine::dispatch() {
    cache_.releaseRetired();  // no generated code runs now
    CpuState& s = cpu_.s;
    // Looking reads the clock (the decrementer), so not at every block: when
    // the input changed, when MSR[EE] or DEC may have changed, and at least
    // every kDecrementerPoll instructions.
    std::atomic_ref<uint32_t> poll(s.interruptPoll);
    if (lookForInterrupts_ || poll.load(std::memory_order_relaxed) || s.retired >= nextInterruptLook_) {
        // Cleared before looking, so a level change racing with the look is
        // seen again at the next block entry.
        poll.store(0, std::memory_order_relaxed);
        lookForInterrupts_ = false;
        nextInterruptLook_ = s.retired + kDecrementerPoll;
        if (cpu_.takeInterrupt()) {
            pendingLink_ = nullptr;
            return ExecStatus::Trap;
        }
    }
    bool trapped = false;
    jit::TranslationBlock* block = blockAtPc(trapped);
    if (trapped) {
        pendingLink_ = nullptr;
        return ExecStatus::Trap;
    }
    if (!block) {
        pendingLink_ = nullptr;
        lookForInterrupts_ = true;
        return cpu_.executeOne();  // code outside RAM: interpreted
    }
    // The previous block left through an unlinked direct exit to this one:
    // link it so next time it jumps straight here.
    jit::ExitSlot* slot = pendingLink_;
    if (slot && pendingLinkFlushes_ == cache_.flushCount() && slot->targetPhysPc == block->physPc &&
        slot->owner->mode == block->mode && cpu_.breakpoints.empty())
        cache_.link(*slot, *block);
    pendingLink_ = nullptr;
    const uint32_t msrBefore = s.msr;
    const ExecStatus status = runFrom(block);
    // Stop: mtmsr, mtspr (DEC) and the like; rfi returns Jump with a new MSR.
    if (status == ExecStatus::Stop || status == ExecStatus::Idle || ((s.msr ^ msrBefore) & msr::EE))
        lookForInterrupts_ = true;
    return status;
}

cpu::RunResult JitEngine::run(uint64_t budget) {
    cpu::RunResult result;
    CpuState& s = cpu_.s;
    const uint64_t start = s.retired;
    const uint64_t end = budget > ~0ull - start ? ~0ull : start + budget;  // saturating
    uint64_t exceptions = 0;
    pendingLink_ = nullptr;
    while (s.retired < end) {
        if (std::atomic_ref<uint32_t>(s.exitRequest).load(std::memory_order_relaxed)) {
            std::atomic_ref<uint32_t>(s.exitRequest).store(0, std::memory_order_relaxed);
            result.reason = cpu::StopReason::ExitRequested;
            break;
        }
        // As on the RISC-V JIT: a breakpoint's pc gets no block, blocks end
        // before it and nothing is chained while there are breakpoints.
        if (cpu_.breakpoints.contains(s.pc)) {
            result.reason = cpu::StopReason::Breakpoint;
            break;
        }
        s.retiredLimit = std::min(end, s.retired + kDecrementerPoll);
        const ExecStatus status = dispatch();
        if (status == ExecStatus::Idle && !cpu_.interruptPending()) {
            result.reason = cpu::StopReason::WaitForInterrupt;
            break;
        }
        // A storm of exceptions that retire nothing still ends the slice.
        if (status == ExecStatus::Trap && ++exceptions > budget) break;
    }
    pendingLink_ = nullptr;
    result.executed = s.retired - start;
    return result;
}

cpu::RunResult JitEngine::step() {
    cpu::RunResult result;
    const uint64_t start = cpu_.s.retired;
    cpu_.s.retiredLimit = start;  // a chained block leaves at once
    lookForInterrupts_ = true;    // as the interpreter's step() does
    if (std::atomic_ref<uint32_t>(cpu_.s.exitRequest).exchange(0, std::memory_order_relaxed)) {
        result.reason = cpu::StopReason::ExitRequested;
        return result;
    }
    pendingLink_ = nullptr;
    if (dispatch() == ExecStatus::Idle && !cpu_.interruptPending())
        result.reason = cpu::StopReason::WaitForInterrupt;
    pendingLink_ = nullptr;
    result.executed = cpu_.s.retired - start;
    return result;
}

}  // namespace tessera::ppc
