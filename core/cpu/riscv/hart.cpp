#include "core/cpu/riscv/hart.h"

#include <algorithm>
#include <cinttypes>
#include <cstddef>
#include <cstdio>

#include "core/cpu/riscv/decode_table.h"
#include "core/cpu/riscv/decoded_insn.h"

namespace tessera::riscv {

namespace {
constexpr unsigned kMaxBlockInstructions = 128;
constexpr uint64_t kPageMask = ~0xfffull;

uint64_t misaFor(const HartConfig& config) {
    auto letter = [](char c) { return 1ull << (c - 'A'); };
    uint64_t misa =
        (2ull << 62) | letter('I') | letter('M') | letter('A') | letter('C') | letter('S') | letter('U');
    if (config.enableFpu) misa |= letter('F') | letter('D');
    return misa;
}
}  // namespace

Hart::Hart(hw::MemoryBus& bus, HartConfig config)
    : bus_(bus), config_(config), blockCache_(kBlockCacheEntries) {
    reset(0x80000000);
}

Hart::~Hart() = default;

void Hart::reset(uint64_t pc) {
    // Every field but the exit-request word, which another thread may be
    // writing right now (a stop request racing with a guest reset).
    static const HartState kResetState{};
    std::memcpy(static_cast<void*>(&s), &kResetState, offsetof(HartState, exitRequest));
    s.pc = pc;
    s.priv = PrivMachine;
    s.misa = misaFor(config_);
    s.mhartid = config_.hartId;
    // UXL = SXL = 2 (64-bit), read-only (privileged 3.1.6.2).
    s.mstatus = (2ull << 32) | (2ull << 34);
    wires_.store(0);
    flushTlb();
    updateTlbContexts();
    flushDecodedBlocks();
    retiredBlocks_.clear();
}

void Hart::setInterruptLevel(unsigned mipBit, bool level) {
    // Only the device-driven bits; SSIP/STIP are software-writable via mip.
    if (mipBit != irq::MSI && mipBit != irq::MTI && mipBit != irq::SEI && mipBit != irq::MEI) return;
    const uint64_t bit = 1ull << mipBit;
    if (level)
        wires_.fetch_or(bit, std::memory_order_relaxed);
    else
        wires_.fetch_and(~bit, std::memory_order_relaxed);
}

bool Hart::interruptPending() const {
    return (readMip() & s.mie) != 0;
}

void Hart::setTimeSource(std::function<uint64_t()> readMtime) {
    timeSource_ = std::move(readMtime);
}

ExecStatus Hart::illegal(const DecodedInsn& insn) {
    // mtval holds the faulting instruction bits (privileged 3.1.16).
    return raise(cause::IllegalInstruction, insn.length == 2 ? insn.rawCompressed : insn.raw);
}

inline bool Hart::stillValid(Block& block) {
    return block.generation == codeGeneration_ || revalidate(block);
}

RunResult Hart::run(uint64_t maxInstructions) {
    RunResult result;
    const uint64_t start = s.instret;
    s.hostMxcsrClean = 0;  // host code ran since the last slice
    // Traps count against the budget too: a trap retires nothing, and a guest
    // whose trap vector itself faults would otherwise never return from run().
    uint64_t budget = maxInstructions;
    while (s.instret - start < budget) {
        if (exitRequested()) {
            exitWord().store(0, std::memory_order_relaxed);
            result.reason = StopReason::ExitRequested;
            break;
        }
        retiredBlocks_.clear();  // nothing executes from them any more
        if (readMip() & s.mie) {
            const int interrupt = pendingInterrupt();
            if (interrupt >= 0) enterTrap(cause::InterruptBit | static_cast<unsigned>(interrupt), 0);
        }
        if (breakpoints_.contains(s.pc)) {
            result.reason = StopReason::Breakpoint;
            break;
        }
        ExecStatus status = ExecStatus::Continue;
        Block* block = lookupBlock(s.pc, status);
        if (block && !stillValid(*block)) block = lookupBlock(s.pc, status);
        if (block) {
            // Run a chain of blocks on this page until something needs the
            // outer loop: a trap, a state change, another page, a pending
            // interrupt or the end of the budget.
            for (;;) {
                const uint64_t page = s.pc & kPageMask;
                const uint8_t priv = s.priv;
                status = runBlock(*block);
                if (status != ExecStatus::Continue && status != ExecStatus::Jump) break;
                if ((s.pc & kPageMask) != page || s.priv != priv || s.instret - start >= budget ||
                    (readMip() & s.mie) || exitRequested())
                    break;
                const uint32_t offset = static_cast<uint32_t>(s.pc & 0xfff);
                Block* next = block->linkedSuccessor(offset);
                if (!next) {
                    next = blockAt(s.pc, block->startPage + offset);
                    if (!next) break;
                    block->link(offset, next);
                }
                if (!stillValid(*next) || breakpoints_.contains(s.pc)) break;
                block = next;
            }
        } else if (status != ExecStatus::Trap) {
            // A 32-bit instruction straddling a page boundary: fetched and run alone, never cached.
            status = executeAlone(s.pc);
        }
        if (status == ExecStatus::Trap) {
            enterTrap(s.trapCause, s.trapValue);
            if (budget > 0) --budget;
        } else if (status == ExecStatus::Wfi) {
            result.reason = StopReason::WaitForInterrupt;
            break;
        }
    }
    result.executed = s.instret - start;
    return result;
}

RunResult Hart::step() {
    RunResult result;
    s.hostMxcsrClean = 0;  // host code ran since the last step
    if (exitRequested()) {
        exitWord().store(0, std::memory_order_relaxed);
        result.reason = StopReason::ExitRequested;
        return result;
    }
    retiredBlocks_.clear();
    // The same order as run(): a pending interrupt is taken before the next
    // instruction, and its entry is a step of its own.
    if (readMip() & s.mie) {
        const int interrupt = pendingInterrupt();
        if (interrupt >= 0) {
            enterTrap(cause::InterruptBit | static_cast<unsigned>(interrupt), 0);
            return result;
        }
    }
    const uint64_t before = s.instret;
    const ExecStatus status = executeAlone(s.pc);
    if (status == ExecStatus::Trap)
        enterTrap(s.trapCause, s.trapValue);
    else if (status == ExecStatus::Wfi)
        result.reason = StopReason::WaitForInterrupt;
    result.executed = s.instret - before;
    return result;
}

ExecStatus Hart::executeAlone(uint64_t pc) {
    // The handler ends by dispatching to its successor: a sentinel stops it.
    DecodedInsn insn[2];
    insn[1].handler = endOfBlock;
    ExecStatus status = fetchAlone(pc, insn[0]);
    if (status == ExecStatus::Trap) return status;
    status = insn[0].handler(*this, insn[0]);
    if (status != ExecStatus::Trap) ++s.instret;
    return status;
}

ExecStatus endOfBlock(Hart&, const DecodedInsn&) {
    return ExecStatus::Continue;
}

bool Hart::revalidate(Block& block) {
    if (std::memcmp(reinterpret_cast<const void*>(block.hostStart), block.bytes.data(), block.bytes.size()) ==
        0) {
        block.generation = codeGeneration_;
        return true;
    }
    // Retired, freed at the top of the run loop.
    auto pageIt = codePages_.find(block.startPage);
    if (pageIt != codePages_.end()) dropDecodedBlocks(pageIt->second);
    return false;
}

ExecStatus Hart::runBlock(const Block& block) {
    const uint64_t startPc = s.pc;
    currentBlock_ = &block;
    currentBlockPc_ = startPc;
    const DecodedInsn& first = block.insns[0];
    const ExecStatus status = first.handler(*this, first);
    currentBlock_ = nullptr;
    // Jumps end a block, so Continue (sentinel reached) and Jump retired all
    // of it; otherwise the pc tells how far execution got.
    if (status == ExecStatus::Continue || status == ExecStatus::Jump)
        s.instret += block.instructionCount();
    else
        s.instret += retiredBefore(block, s.pc - startPc);
    return status;
}

uint64_t Hart::retiredBefore(const Block& block, uint64_t byteOffset) {
    // Instructions that start before byteOffset: for a trap, the pc is the
    // faulting instruction (not retired); for Stop/Wfi it is just past the
    // last retired one.
    uint64_t count = 0, at = 0;
    const size_t n = block.instructionCount();
    while (count < n && at < byteOffset) at += block.insns[count++].length;
    return count;
}

uint64_t Hart::instructionsRetiredNow() const {
    // Inside a block, instret is only brought up to date at the block's end.
    if (!currentBlock_) return s.instret;
    return s.instret + retiredBefore(*currentBlock_, s.pc - currentBlockPc_);
}

MemResult Hart::fetch16(uint64_t vaddr, uint16_t& out) {
    uint64_t paddr = 0;
    if (translate(vaddr, AccessType::Fetch, 2, paddr) != MemResult::Ok) return MemResult::Fault;
    const uint8_t* host = bus_.ramPointer(paddr, 2);
    if (!host) return accessFault(AccessType::Fetch, vaddr);
    std::memcpy(&out, host, 2);
    return MemResult::Ok;
}

ExecStatus Hart::fetchAlone(uint64_t pc, DecodedInsn& insn) {
    uint16_t low = 0, high = 0;
    if (fetch16(pc, low) != MemResult::Ok) return ExecStatus::Trap;
    if ((low & 3) != 3) {
        const uint32_t expanded = expandCompressed(low);
        insn = expanded ? decodeInstruction(expanded) : decodeInstruction(0);
        insn.length = 2;
        insn.rawCompressed = low;
        return ExecStatus::Continue;
    }
    if (fetch16(pc + 2, high) != MemResult::Ok) return ExecStatus::Trap;
    insn = decodeInstruction(low | (static_cast<uint32_t>(high) << 16));
    return ExecStatus::Continue;
}

Block* Hart::lookupBlock(uint64_t pc, ExecStatus& status) {
    const TlbEntry& e = s.tlb[s.fetchTlbContext][TlbFetch][(pc >> 12) % kTlbEntries];
    const uint8_t* host;
    if (e.tag == (pc & kPageMask)) {
        host = reinterpret_cast<const uint8_t*>(pc + e.addend);
    } else {
        uint64_t paddr = 0;
        if (translate(pc, AccessType::Fetch, 2, paddr) != MemResult::Ok) {
            status = ExecStatus::Trap;
            return nullptr;
        }
        host = bus_.ramPointer(paddr, 2);
        if (!host) {
            // Executing from a device or from nothing: instruction access fault.
            status = raise(cause::InstructionAccessFault, pc);
            return nullptr;
        }
    }
    return blockAt(pc, reinterpret_cast<uintptr_t>(host));
}

Block* Hart::blockAt(uint64_t pc, uintptr_t key) {
    BlockCacheSlot& slot = blockCache_[blockCacheIndex(key)];
    if (slot.key == key) return slot.block;
    auto it = blocks_.find(key);
    Block* block =
        it != blocks_.end() ? it->second.get() : decodeBlock(pc, reinterpret_cast<const uint8_t*>(key), key);
    if (block) {
        slot.key = key;
        slot.block = block;
    }
    return block;
}

Block* Hart::decodeBlock(uint64_t pc, const uint8_t* host, uint64_t hostKey) {
    // Bytes available: to the end of the page, or of the RAM region if it ends earlier.
    uint64_t available = 0x1000 - (pc & 0xfff);
    uint64_t paddr = 0;
    if (translate(pc, AccessType::Fetch, 2, paddr) == MemResult::Ok) {
        if (const auto* region = bus_.ramRegionAt(paddr))
            available = std::min(available, region->base + region->size - paddr);
    }
    available = breakpoints_.bytesBeforeNext(pc, available);
    auto block = std::make_unique<Block>();
    block->startPage = hostKey & kPageMask;
    const auto rows = decodeTable();
    uint64_t offset = 0;
    while (offset + 2 <= available && block->insns.size() < kMaxBlockInstructions) {
        uint16_t low;
        std::memcpy(&low, host + offset, 2);
        DecodedInsn insn;
        if ((low & 3) == 3) {
            if (offset + 4 > available) break;  // straddles the page: runs alone
            uint32_t raw;
            std::memcpy(&raw, host + offset, 4);
            insn = decodeInstruction(raw);
        } else {
            const uint32_t expanded = expandCompressed(low);
            insn = decodeInstruction(expanded);  // 0 decodes as illegal
            insn.length = 2;
            insn.rawCompressed = low;
        }
        block->insns.push_back(insn);
        offset += insn.length;
        const bool isIllegal = insn.row >= rows.size();
        if (isIllegal || (rows[insn.row].flags & EndsBlock)) break;
    }
    if (block->insns.empty()) return nullptr;
    DecodedInsn sentinel;
    sentinel.handler = endOfBlock;
    block->insns.push_back(sentinel);
    block->hostStart = hostKey;
    block->generation = codeGeneration_;
    block->bytes.assign(host, host + offset);

    Block* raw = block.get();
    const uintptr_t page = hostKey & kPageMask;
    markCodePage(page);
    codePages_[page].push_back(hostKey);
    blocks_.emplace(hostKey, std::move(block));
    return raw;
}

void Hart::markCodePage(uintptr_t hostPage) {
    if (!codePages_.try_emplace(hostPage).second) return;
    // Stores to this page must now take the slow path so they invalidate
    // the code: drop write-TLB entries that point at it.
    for (auto& context : s.tlb)
        for (TlbEntry& w : context[TlbWrite])
            if (!w.empty() && ((w.tag + w.addend) & kPageMask) == hostPage) w.clear();
}

void Hart::dropDecodedBlocks(std::vector<uintptr_t>& keys) {
    for (uintptr_t key : keys) {
        auto it = blocks_.find(key);
        if (it == blocks_.end()) continue;
        retiredBlocks_.push_back(std::move(it->second));
        blocks_.erase(it);
        BlockCacheSlot& slot = blockCache_[blockCacheIndex(key)];
        if (slot.key == key) slot = {};
    }
    keys.clear();
}

void Hart::codeWritten(uintptr_t hostPage, uint64_t paddr, uint64_t length) {
    auto pageIt = codePages_.find(hostPage);
    if (pageIt == codePages_.end()) return;
    dropDecodedBlocks(pageIt->second);
    // The JIT invalidates only the blocks the bytes overlap; while it keeps
    // code on the page, stores there keep coming through here.
    const bool stillCode = codeObserver_ && codeObserver_->codeWritten(paddr, length);
    if (!stillCode) codePages_.erase(pageIt);
}

void Hart::flushDecodedBlocks() {
    for (auto& [key, block] : blocks_) retiredBlocks_.push_back(std::move(block));
    blocks_.clear();
    codePages_.clear();
    for (auto& slot : blockCache_) slot = {};
    if (codeObserver_) codeObserver_->allCodeDropped();
}

void Hart::invalidateCode(uint64_t paddr, uint64_t length) {
    if (length == 0) return;
    const uint64_t end = paddr + length;  // may wrap to 0 at the top of the address space
    const uint64_t first = paddr & kPageMask;
    const uint64_t last = (end - 1) & kPageMask;
    for (uint64_t page = first; page <= last && page >= first; page += 0x1000) {
        const uint64_t from = std::max(page, paddr);
        const uint64_t to = page == last ? end - 1 : page + 0xfff;  // inclusive: no overflow
        if (const uint8_t* host = bus_.ramPointer(page, 1))
            codeWritten(reinterpret_cast<uintptr_t>(host) & kPageMask, from, to - from + 1);
    }
}

std::string Hart::dumpRegisters() const {
    static const char* const names[32] = {
        "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",  "a1",  "a2", "a3", "a4", "a5",
        "a6",   "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
    std::string out;
    char line[160];
    const char* privName = s.priv == PrivMachine ? "M" : s.priv == PrivSupervisor ? "S" : "U";
    std::snprintf(line, sizeof line, "pc=%016" PRIx64 " priv=%s instret=%" PRIu64 "\n", s.pc, privName,
                  s.instret);
    out += line;
    for (unsigned r = 1; r < 32; ++r) {
        std::snprintf(line, sizeof line, "%-4s=%016" PRIx64 "%s", names[r], s.x[r],
                      (r % 4 == 3) ? "\n" : "  ");
        out += line;
    }
    std::snprintf(line, sizeof line,
                  "\nmstatus=%016" PRIx64 " mcause=%016" PRIx64 " mepc=%016" PRIx64 " mtval=%016" PRIx64 "\n",
                  s.mstatus, s.mcause, s.mepc, s.mtval);
    out += line;
    std::snprintf(line, sizeof line,
                  "scause=%016" PRIx64 " sepc=%016" PRIx64 " stval=%016" PRIx64 " satp=%016" PRIx64 "\n",
                  s.scause, s.sepc, s.stval, s.satp);
    out += line;
    std::snprintf(line, sizeof line,
                  "mie=%016" PRIx64 " mip=%016" PRIx64 " mideleg=%016" PRIx64 " medeleg=%016" PRIx64 "\n",
                  s.mie, readMip(), s.mideleg, s.medeleg);
    out += line;
    return out;
}

}  // namespace tessera::riscv
