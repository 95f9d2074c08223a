#include "core/cpu/riscv/jit_engine.h"

#include <algorithm>
#include <atomic>

#include "core/cpu/riscv/jit_frontend.h"

namespace tessera::riscv {

Result<std::unique_ptr<JitEngine>> JitEngine::create(hw::MemoryBus& bus, HartConfig config,
                                                     size_t codeBytes) {
    std::unique_ptr<JitEngine> engine(new JitEngine(bus, config, codeBytes));
    TESSERA_TRY(engine->trampoline_.install(engine->code_));
    return engine;
}

JitEngine::JitEngine(hw::MemoryBus& bus, HartConfig config, size_t codeBytes)
    : HartEngine(bus, config), code_(codeBytes), cache_(code_) {
    cache_.attach(jumps_);
    hart_.setCodeObserver(this);
    if (config.sharedRam) snapshot_ = std::make_unique<JitCodeSnapshot>(bus);
}

JitEngine::~JitEngine() {
    hart_.setCodeObserver(nullptr);
}

void JitEngine::setInterruptLevel(unsigned line, bool level) {
    hart_.setInterruptLevel(line, level);
    // Generated code chained in a loop never passes through the dispatcher:
    // make it come back and look at the new level.
    std::atomic_ref<uint32_t>(hart_.s.interruptPoll).store(1, std::memory_order_relaxed);
}

void JitEngine::allCodeDropped() {
    jumps_.clear();
    pendingLink_ = nullptr;
    if (inGeneratedCode_)
        flushPending_ = true;  // the code still runs: flush when it has returned
    else
        flushTranslations();
}

void JitEngine::flushTranslations() {
    cache_.flush();
    pendingLink_ = nullptr;
    if (snapshot_) snapshot_->clear();
}

void JitEngine::instructionFence() {
    if (snapshot_)
        snapshot_->fence([this](uint64_t paddr, uint64_t length) { cache_.invalidate(paddr, length); });
}

ExecStatus JitEngine::runWithoutTranslation(ExecStatus lookup) {
    if (lookup == ExecStatus::Continue) return hart_.executeAlone(hart_.state().pc);
    // One interpreter block (it takes its own traps).
    return hart_.run(1).reason == cpu::StopReason::WaitForInterrupt ? ExecStatus::Wfi : ExecStatus::Continue;
}

void JitEngine::takeInterruptIfAny() {
    // Cleared before looking, so a level change racing with the look is
    // seen again at the next block entry.
    std::atomic_ref<uint32_t>(hart_.s.interruptPoll).store(0, std::memory_order_relaxed);
    if ((hart_.readMip() & hart_.s.mie) == 0) return;
    const int interrupt = hart_.pendingInterrupt();
    if (interrupt >= 0) hart_.enterTrap(cause::InterruptBit | static_cast<unsigned>(interrupt), 0);
}

jit::TranslationBlock* JitEngine::blockAtPc(ExecStatus& status) {
    HartState& s = hart_.s;
    const uint64_t pc = s.pc;
    const uint64_t mode = modeWord();
    if (jit::TranslationBlock* cached = jumps_.find(pc, mode)) return cached;

    uint64_t paddr = 0;
    const uint8_t* host = nullptr;
    const TlbEntry& fetch = s.tlb[s.fetchTlbContext][TlbFetch][(pc >> 12) % kTlbEntries];
    if (fetch.tag == (pc & ~0xfffull)) {
        // The fetch TLB only maps RAM pages that passed the checks.
        host = reinterpret_cast<const uint8_t*>(pc + fetch.addend);
        paddr = hart_.bus().ramAddressOf(host);
    } else {
        if (hart_.translate(pc, AccessType::Fetch, 2, paddr) != MemResult::Ok) {
            status = ExecStatus::Trap;
            return nullptr;
        }
        host = hart_.bus().ramPointer(paddr, 2);
        if (!host) {
            // Executing from a device or from nothing: instruction access fault.
            status = hart_.raise(cause::InstructionAccessFault, pc);
            return nullptr;
        }
    }
    jit::TranslationBlock* block = cache_.find(paddr, mode);
    if (!block) {
        // Blocks stay on one guest page (and inside the RAM region), so a
        // mapping change can never leave half a block stale.
        JitSource source{paddr, host, 0x1000 - (pc & 0xfff), mode, s.dataTlbContext};
        if (const auto* region = hart_.bus().ramRegionAt(paddr))
            source.available = std::min(source.available, region->base + region->size - paddr);
        source.available = hart_.breakpoints().bytesBeforeNext(pc, source.available);
        std::unique_ptr<jit::TranslationBlock> made;
        // Bounded: the block metadata too, not only the code buffer.
        if (cache_.size() >= kMaxBlocks) flushTranslations();
        // Copied before translating, so the copy is never newer than the block.
        if (snapshot_) snapshot_->noteTranslated(paddr);
        source.countHostInstructions = translated_.sampling();
        TranslateResult result = translateBlock(source, code_, jumps_, made);
        if (result == TranslateResult::BufferFull) {
            flushTranslations();  // recycle the whole buffer (we are in the dispatcher: nothing runs)
            if (snapshot_) snapshot_->noteTranslated(paddr);
            result = translateBlock(source, code_, jumps_, made);
        }
        if (result != TranslateResult::Ok) {
            // Straddling; or (a bug, never seen) untranslatable: interpreted.
            status = result == TranslateResult::Straddles ? ExecStatus::Continue : ExecStatus::Stop;
            return nullptr;
        }
        translated_.add(made->guestInstructions, made->hostBytes, made->countHostInstructions,
                        made->hostInstructions);
        block = cache_.insert(std::move(made));
        ++translations_;
        hart_.markCodePage(reinterpret_cast<uintptr_t>(host) & ~uintptr_t{0xfff});
    }
    jumps_.insert(pc, mode, block);
    return block;
}

ExecStatus JitEngine::runFrom(jit::TranslationBlock* block) {
    inGeneratedCode_ = true;
    const jit::ExitResult exit = trampoline_.enter(&hart_.s, &hart_, block->body);
    inGeneratedCode_ = false;
    if (flushPending_) {
        flushPending_ = false;
        flushTranslations();
    }
    switch (exit.reason) {
        case jit::kExitChain:
            pendingLink_ = reinterpret_cast<jit::ExitSlot*>(exit.payload);
            pendingLinkFlushes_ = cache_.flushCount();
            return ExecStatus::Continue;
        case jit::kExitPoll:
            return ExecStatus::Continue;
        default:
            return static_cast<ExecStatus>(exit.reason);  // Jump, Stop, Trap or Wfi
    }
}

cpu::RunResult JitEngine::run(uint64_t budget) {
    cpu::RunResult result;
    HartState& s = hart_.s;
    const uint64_t start = s.instret;
    s.hostMxcsrClean = 0;  // host code ran since the last slice
    pendingLink_ = nullptr;
    while (s.instret - start < budget) {
        cache_.releaseRetired();  // nothing executes from them any more
        if (hart_.consumeExitRequest()) {
            result.reason = cpu::StopReason::ExitRequested;
            break;
        }
        takeInterruptIfAny();
        // A breakpoint's pc never gets a block (so no jump cache entry) and
        // blocks end before it; with breakpoints nothing is chained (a chain
        // is physical, a breakpoint virtual), so every block boundary comes
        // back here.
        if (hart_.breakpoints().contains(s.pc)) {
            result.reason = cpu::StopReason::Breakpoint;
            break;
        }
        s.instretLimit = budget > ~0ull - start ? ~0ull : start + budget;  // saturating
        ExecStatus status = ExecStatus::Continue;
        jit::TranslationBlock* block = blockAtPc(status);
        if (block) {
            // The previous block left through an unlinked direct exit to
            // this one: link it so next time it jumps straight here.
            jit::ExitSlot* slot = pendingLink_;
            if (slot && pendingLinkFlushes_ == cache_.flushCount() && slot->targetPhysPc == block->physPc &&
                slot->owner->mode == block->mode && hart_.breakpoints().empty())
                cache_.link(*slot, *block);
            pendingLink_ = nullptr;
            status = runFrom(block);
        } else if (status != ExecStatus::Trap) {
            pendingLink_ = nullptr;
            status = runWithoutTranslation(status);
        }
        if (status == ExecStatus::Trap) {
            hart_.enterTrap(s.trapCause, s.trapValue);
            // A trap retires nothing: count it, or a guest whose trap vector
            // faults would never return from run().
            if (budget > 0) --budget;
        } else if (status == ExecStatus::Wfi) {
            result.reason = cpu::StopReason::WaitForInterrupt;
            break;
        }
    }
    pendingLink_ = nullptr;
    result.executed = s.instret - start;
    return result;
}

cpu::RunResult JitEngine::step() {
    cpu::RunResult result;
    HartState& s = hart_.s;
    const uint64_t start = s.instret;
    s.hostMxcsrClean = 0;
    cache_.releaseRetired();
    if (hart_.consumeExitRequest()) {
        result.reason = cpu::StopReason::ExitRequested;
        return result;
    }
    takeInterruptIfAny();
    s.instretLimit = s.instret;  // any block entered after the first leaves at once
    ExecStatus status = ExecStatus::Continue;
    if (jit::TranslationBlock* block = blockAtPc(status))
        status = runFrom(block);
    else if (status != ExecStatus::Trap)
        status = runWithoutTranslation(status);
    pendingLink_ = nullptr;
    if (status == ExecStatus::Trap)
        hart_.enterTrap(s.trapCause, s.trapValue);
    else if (status == ExecStatus::Wfi)
        result.reason = cpu::StopReason::WaitForInterrupt;
    result.executed = s.instret - start;
    return result;
}

}  // namespace tessera::riscv
