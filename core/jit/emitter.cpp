#include "core/jit/emitter.h"

#include <bit>
#include <cstring>

namespace tessera::jit {

namespace x86 = asmjit::x86;

Emitter::Emitter(TranslationBlock& block) : block_(block) {
    code_.init(asmjit::Environment::host());
    code_.setErrorHandler(&errors_);
    code_.attach(&as_);
    entry_ = as_.newLabel();
    body_ = as_.newLabel();
}

void Emitter::pollTest(const PollLayout& poll, int32_t pending, asmjit::Label leave) {
    as_.mov(x86::rax, stateField(poll.counter));
    if (pending) as_.add(x86::rax, pending);
    as_.cmp(x86::rax, stateField(poll.limit));
    as_.jae(leave);
    if (poll.word2 == poll.word1 + 4) {
        as_.cmp(stateField(poll.word1, 8), 0);  // both words in one load
    } else {
        as_.mov(x86::eax, stateField(poll.word1, 4));
        as_.or_(x86::eax, stateField(poll.word2, 4));
    }
}

void Emitter::beginBlock(const PollLayout& poll) {
    asmjit::Label leave = as_.newLabel();
    as_.bind(entry_);
    pollTest(poll, 0, leave);
    as_.jz(body_);
    as_.bind(leave);
    exitWith(kExitPoll);
    as_.bind(body_);
}

void Emitter::pollCheck(const PollLayout& poll, int32_t pending, asmjit::Label leave) {
    pollTest(poll, pending, leave);
    as_.jnz(leave);
}

void Emitter::addStateImm(int32_t offset, int32_t value) {
    if (value != 0) as_.add(stateField(offset), value);
}

void Emitter::storeStateImm(int32_t offset, uint64_t value) {
    as_.mov(x86::rax, value);
    as_.mov(stateField(offset), x86::rax);
}

void Emitter::callHelper(const void* helper, const void* arg) {
    as_.mov(x86::rdi, kContext);
    as_.mov(x86::rsi, reinterpret_cast<uint64_t>(arg));
    as_.mov(x86::rax, reinterpret_cast<uint64_t>(helper));
    as_.call(x86::rax);
}

void Emitter::exitWith(uint32_t reason) {
    as_.mov(x86::eax, reason);
    as_.xor_(x86::edx, x86::edx);
    as_.ret();
}

void Emitter::chainExit(uint64_t targetPhysPc) {
    ExitSlot& slot = block_.exits.at(block_.exitCount++);
    slot.owner = &block_;
    slot.targetPhysPc = targetPhysPc;
    asmjit::Label site = as_.newLabel();
    as_.bind(site);
    exitSites_.push_back(site);
    // jmp rel32 to the next instruction: patched by BlockCache::link.
    as_.db(0xe9);
    as_.dd(0);
    as_.mov(x86::eax, kExitChain);
    as_.mov(x86::rdx, reinterpret_cast<uint64_t>(&slot));
    as_.ret();
}

void Emitter::jumpThroughCache(const JumpCache& cache, int32_t pcOffset, uint64_t mode, asmjit::Label miss) {
    static_assert(sizeof(JumpCache::Entry) == 32);
    as_.mov(x86::rax, stateField(pcOffset));
    as_.mov(x86::rcx, x86::rax);
    as_.shr(x86::rcx, 1);
    as_.and_(x86::ecx, static_cast<uint32_t>(JumpCache::kMask));
    as_.shl(x86::rcx, 5);
    as_.mov(x86::rdx, reinterpret_cast<uint64_t>(cache.data()));
    as_.add(x86::rcx, x86::rdx);
    as_.cmp(x86::rax, x86::qword_ptr(x86::rcx, offsetof(JumpCache::Entry, pc)));
    as_.jne(miss);
    as_.mov(x86::rdx, mode);
    as_.cmp(x86::rdx, x86::qword_ptr(x86::rcx, offsetof(JumpCache::Entry, mode)));
    as_.jne(miss);
    as_.jmp(x86::qword_ptr(x86::rcx, offsetof(JumpCache::Entry, entry)));
}

x86::Mem Emitter::tlbLookup(const TlbLayout& tlb, const Gp& vaddr, unsigned size, const Gp& addend,
                            asmjit::Label miss) {
    // rcx = the entry's offset, ((vaddr >> pageBits) % entryCount) << entryShift,
    // in two steps when the index bits lie in vaddr's low 32.
    const int indexBits = std::bit_width(tlb.entryCount - 1);
    if (tlb.pageBits >= tlb.entryShift && tlb.pageBits + indexBits <= 32) {
        as_.mov(x86::ecx, vaddr.r32());
        as_.shr(x86::ecx, tlb.pageBits - tlb.entryShift);
        as_.and_(x86::ecx, (tlb.entryCount - 1) << tlb.entryShift);
    } else {
        as_.mov(x86::rcx, vaddr);
        as_.shr(x86::rcx, tlb.pageBits);
        as_.and_(x86::ecx, tlb.entryCount - 1);
        as_.shl(x86::rcx, tlb.entryShift);
    }
    // rdx = the key: page bits plus the alignment bits of this size.
    const int64_t keyMask = static_cast<int64_t>(~((1ull << tlb.pageBits) - 1) | (size - 1));
    as_.mov(x86::rdx, vaddr);
    as_.and_(x86::rdx, keyMask);
    as_.cmp(x86::rdx, x86::qword_ptr(kState, x86::rcx, 0, tlb.tableOffset + tlb.tagOffset));
    as_.jne(miss);
    as_.mov(addend, x86::qword_ptr(kState, x86::rcx, 0, tlb.tableOffset + tlb.addendOffset));
    return x86::ptr(vaddr, addend, 0, 0, size);
}

bool Emitter::finish(CodeBuffer& buffer) {
    if (failed()) return false;
    if (code_.flatten() != asmjit::kErrorOk || code_.resolveUnresolvedLinks() != asmjit::kErrorOk)
        return false;
    const asmjit::CodeBuffer& text = code_.textSection()->buffer();
    if (text.size() == 0 || code_.hasUnresolvedLinks()) return false;
    CodeSpan span = buffer.allocate(text.size());
    if (!span.rx) return false;
    std::memcpy(span.rw, text.data(), text.size());
    block_.entry = span.rx + code_.labelOffset(entry_);
    block_.body = span.rx + code_.labelOffset(body_);
    block_.hostBytes = static_cast<uint32_t>(text.size());
    for (size_t i = 0; i < exitSites_.size(); ++i)
        block_.exits[i].site = span.rx + code_.labelOffset(exitSites_[i]);
    return true;
}

Status Trampoline::install(CodeBuffer& buffer) {
    if (!buffer.valid())
        return makeError("the JIT engine cannot map its code buffer (" + buffer.error() + "); use --engine interp.");
    if (!create(buffer)) return makeError("the JIT engine cannot generate its entry code; use --engine interp.");
    buffer.sealPermanent();
    return Status::success();
}

bool Trampoline::create(CodeBuffer& buffer) {
    asmjit::CodeHolder code;
    code.init(asmjit::Environment::host());
    x86::Assembler a(&code);
    // SysV: state in rdi, context in rsi, code in rdx. Six pushes leave the
    // stack 8 bytes off 16; the call makes it aligned inside the block.
    const x86::Gp saved[] = {x86::rbx, x86::rbp, x86::r12, x86::r13, x86::r14, x86::r15};
    for (const x86::Gp& r : saved) a.push(r);
    a.mov(Emitter::kState, x86::rdi);
    a.mov(Emitter::kContext, x86::rsi);
    a.call(x86::rdx);
    for (int i = 5; i >= 0; --i) a.pop(saved[i]);
    a.ret();
    const asmjit::CodeBuffer& text = code.textSection()->buffer();
    CodeSpan span = buffer.allocate(text.size());
    if (!span.rx) return false;
    std::memcpy(span.rw, text.data(), text.size());
    fn_ = reinterpret_cast<Fn>(const_cast<uint8_t*>(span.rx));
    return true;
}

}  // namespace tessera::jit
