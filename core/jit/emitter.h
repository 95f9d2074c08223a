#pragma once
// Emitter: the x86-64 back end a front end lowers guest instructions with.
// It wraps an asmjit x86::Assembler and adds the engine's conventions, so a
// front end never needs to know how blocks are entered, left or chained:
//
//   rbx (kState)   the front end's flat CPU state struct, pinned for the whole block;
//   r12 (kContext) the first argument of every helper (e.g. the CPU object);
//   rax rcx rdx rsi rdi r8-r11: scratch, clobbered by helper calls;
//   the stack is 16-byte aligned inside a block, so helpers are called as is.
//
// A block starts with beginBlock() (the poll check at its entry), emits the
// guest instructions, and ends every path with exitWith(), chainExit() or
// jumpThroughCache(). finish() copies it into the code buffer.

// Qt defines `emit` as a macro; asmjit has methods of that name.
#pragma push_macro("emit")
#undef emit
#include <asmjit/x86.h>
#pragma pop_macro("emit")

#include <cstdint>
#include <vector>

#include "core/jit/code_buffer.h"
#include "core/jit/jump_cache.h"
#include "core/jit/translation_block.h"
#include "core/util/result.h"

namespace tessera::jit {

// Exit reasons the engine reserves; a front end uses any other value (below
// kExitChain) for its own.
inline constexpr uint32_t kExitChain = 0xffff0001;  // payload: the ExitSlot* not linked yet
inline constexpr uint32_t kExitPoll = 0xffff0002;   // a poll word was set or the budget is spent

// What generated code returns to the dispatcher (rax:rdx).
struct ExitResult {
    uint64_t reason;
    uint64_t payload;
};

// State offsets of the words the entry of every block checks: leave when
// counter >= limit (an instruction budget) or when either word is nonzero
// (another thread asks the CPU loop to look: exit request, interrupt).
struct PollLayout {
    int32_t counter, limit;
    int32_t word1, word2;  // 32-bit words
};

// A software TLB in the state struct, one direct-mapped array for the access:
// entry i at tableOffset + (i << entryShift) holds a tag (the page-aligned
// guest virtual address, compared with the address masked to the page plus
// its low alignment bits, so misaligned accesses miss) and an addend
// (host = vaddr + addend).
struct TlbLayout {
    int32_t tableOffset;
    int32_t tagOffset = 0;
    int32_t addendOffset = 8;
    uint32_t entryShift = 4;
    uint32_t entryCount = 256;  // a power of two
    uint32_t pageBits = 12;
};

class Emitter {
public:
    using Gp = asmjit::x86::Gp;
    static inline const Gp kState = asmjit::x86::rbx;
    static inline const Gp kContext = asmjit::x86::r12;

    explicit Emitter(TranslationBlock& block);
    asmjit::x86::Assembler& as() { return as_; }
    asmjit::Label newLabel() { return as_.newLabel(); }

    // The block's entry: leave with kExitPoll if the poll layout says so,
    // else fall into the body.
    void beginBlock(const PollLayout& poll);
    // The same test anywhere in a block (a jump back inside it): jumps to
    // `leave` when counter + pending >= limit or a poll word is set, falls
    // through otherwise. Clobbers rax.
    void pollCheck(const PollLayout& poll, int32_t pending, asmjit::Label leave);

    void loadState(const Gp& dst, int32_t offset) { as_.mov(dst, stateField(offset)); }
    void storeState(int32_t offset, const Gp& src) { as_.mov(stateField(offset), src); }
    void addStateImm(int32_t offset, int32_t value);
    void storeStateImm(int32_t offset, uint64_t value);
    asmjit::x86::Mem stateField(int32_t offset, uint32_t size = 8) const {
        return asmjit::x86::Mem(kState, offset, size);
    }

    // helper(context, arg); the result is in eax.
    void callHelper(const void* helper, const void* arg);
    // Returns to the dispatcher with `reason`.
    void exitWith(uint32_t reason);
    // A direct jump to the block at guest physical `targetPhysPc`: an exit
    // to the dispatcher (kExitChain) until the block cache links it. At most
    // TranslationBlock::kMaxExits per block. The front end sets the guest pc before.
    void chainExit(uint64_t targetPhysPc);
    // Indirect jump: looks the guest pc (at state offset pcOffset) up in
    // `cache` with `mode` and jumps to the block, or to `miss`. Clobbers rax, rcx, rdx.
    void jumpThroughCache(const JumpCache& cache, int32_t pcOffset, uint64_t mode, asmjit::Label miss);
    // Software-TLB fast path for an access of `size` bytes at guest virtual
    // address `vaddr`: on a hit returns the host memory operand (vaddr plus
    // the entry's addend, which `addend` holds); else jumps to `miss`.
    // Clobbers rcx, rdx (vaddr and addend must be other registers).
    asmjit::x86::Mem tlbLookup(const TlbLayout& tlb, const Gp& vaddr, unsigned size, const Gp& addend,
                               asmjit::Label miss);

    // Copies the code into `buffer` and fills the block's entry, body, size
    // and exit sites. False when the buffer is full or assembling failed.
    bool finish(CodeBuffer& buffer);
    // An instruction could not be encoded (a front-end bug): the block must
    // not run. finish() then fails too.
    bool failed() const { return errors_.count != 0; }

private:
    // asmjit reports encoding errors here instead of dropping the
    // instruction silently.
    struct ErrorCounter : asmjit::ErrorHandler {
        unsigned count = 0;
        void handleError(asmjit::Error, const char*, asmjit::BaseEmitter*) override { ++count; }
    };
    ErrorCounter errors_;
    TranslationBlock& block_;
    asmjit::CodeHolder code_;
    asmjit::x86::Assembler as_;
    // Jumps to `leave` when counter + pending >= limit; then leaves ZF clear
    // when a poll word is set.
    void pollTest(const PollLayout& poll, int32_t pending, asmjit::Label leave);
    asmjit::Label entry_, body_;
    std::vector<asmjit::Label> exitSites_;
};

// Enters generated code: saves the callee-saved registers, pins state and
// context, calls `code` and returns what the block returned. It lives in the
// permanent part of the code buffer.
class Trampoline {
public:
    // False if the buffer has no room (create it first, before any block).
    bool create(CodeBuffer& buffer);
    // A JIT engine's start: checks that `buffer` is mapped, creates the
    // trampoline in it and makes that part permanent; the error tells the
    // user to fall back to the interpreter.
    Status install(CodeBuffer& buffer);
    ExitResult enter(void* state, void* context, const uint8_t* code) const {
        return fn_(state, context, code);
    }

private:
    using Fn = ExitResult (*)(void*, void*, const uint8_t*);
    Fn fn_ = nullptr;
};

}  // namespace tessera::jit
