#include "core/cpu/ppc/jit_frontend.h"

#include <cstddef>
#include <cstring>
#include <string_view>

#include "core/cpu/ppc/decode_table.h"
#include "core/cpu/ppc/exec_integer.h"
#include "core/jit/emitter.h"

namespace tessera::ppc {

namespace {

namespace x86 = asmjit::x86;
using jit::Emitter;

constexpr int32_t kPc = offsetof(CpuState, pc);
constexpr int32_t kRetired = offsetof(CpuState, retired);
constexpr int32_t kCr = offsetof(CpuState, cr);
constexpr int32_t kXer = offsetof(CpuState, xer);
constexpr int32_t kLr = offsetof(CpuState, lr);
constexpr int32_t kCtr = offsetof(CpuState, ctr);
constexpr jit::PollLayout kPoll{kRetired, static_cast<int32_t>(offsetof(CpuState, retiredLimit)),
                                static_cast<int32_t>(offsetof(CpuState, exitRequest)),
                                static_cast<int32_t>(offsetof(CpuState, interruptPoll))};

int32_t gpr(unsigned n) {
    return static_cast<int32_t>(offsetof(CpuState, gpr) + 4 * n);
}

// Rows emitted inline; every other row (and an inline row's rare forms: OE)
// calls its semantic function. Rc forms are inline too (CR0 from the result).
enum class Kind : uint8_t {
    Helper,
    Addi,
    Addis,
    Add,
    Subf,
    And,
    Or,
    Xor,
    Ori,
    LogicalImmediate,  // oris, xori, xoris, andi., andis.
    Rlwinm,
    Rlwimi,
    Neg,
    Mullw,
    IndexedAccess,  // lwzx, lhzx, lbzx, stwx, sthx, stbx
    Cmp,
    Cmpl,
    Cmpi,
    Cmpli,
    Load,           // lwz, lhz, lbz and their update forms: host-pointer cache hit inline, else the helper
    Store,          // stw, sth, stb and their update forms
    MoveFromLrCtr,  // mflr, mfctr
    MoveToLrCtr,    // mtlr, mtctr (the semantic function returns Stop for every mtspr)
    B,
    Bc,
    EndsBlock,  // a helper after which nothing of the block runs (control transfer, isync)
};

Kind inlineKind(uint32_t insn) {
    const char* name = mnemonic(insn);
    if (!name) return Kind::EndsBlock;  // illegal: the program interrupt
    const std::string_view n = name;
    const bool oe = (insn & 0x400) != 0;
    if (n == "addi") return Kind::Addi;
    if (n == "addis") return Kind::Addis;
    if (n == "add" && !oe) return Kind::Add;
    if (n == "subf" && !oe) return Kind::Subf;
    if (n == "and") return Kind::And;
    if (n == "or") return Kind::Or;
    if (n == "xor") return Kind::Xor;
    if (n == "ori") return Kind::Ori;
    if (n == "rlwinm") return Kind::Rlwinm;
    if (n == "rlwimi") return Kind::Rlwimi;
    if (n == "neg" && !oe) return Kind::Neg;
    if (n == "mullw" && !oe) return Kind::Mullw;
    if (n == "lwzx" || n == "lhzx" || n == "lbzx" || n == "stwx" || n == "sthx" || n == "stbx")
        return Kind::IndexedAccess;
    if (n == "oris" || n == "xori" || n == "xoris" || n == "andi." || n == "andis.")
        return Kind::LogicalImmediate;
    if (n == "lwz" || n == "lhz" || n == "lbz") return Kind::Load;
    if (n == "stw" || n == "sth" || n == "stb") return Kind::Store;
    // The update forms' invalid encodings (rA = 0, or rA = rD for loads) raise
    // the program interrupt in the helper.
    const bool updateValid = rA(insn) != 0 && (n.starts_with("st") || rA(insn) != rD(insn));
    if ((n == "lwzu" || n == "lhzu" || n == "lbzu") && updateValid) return Kind::Load;
    if ((n == "stwu" || n == "sthu" || n == "stbu") && updateValid) return Kind::Store;
    const unsigned spr = sprNumber(insn);
    if (n == "mfspr" && (spr == 8 || spr == 9)) return Kind::MoveFromLrCtr;
    if (n == "mtspr" && (spr == 8 || spr == 9)) return Kind::MoveToLrCtr;
    if (n == "cmp") return Kind::Cmp;
    if (n == "cmpl") return Kind::Cmpl;
    if (n == "cmpi") return Kind::Cmpi;
    if (n == "cmpli") return Kind::Cmpli;
    if (n == "b") return Kind::B;
    if (n == "bc") return Kind::Bc;
    if (n == "bclr" || n == "bcctr" || n == "rfi" || n == "sc" || n == "isync") return Kind::EndsBlock;
    return Kind::Helper;
}

class Translator {
public:
    Translator(const JitSource& source, jit::TranslationBlock& block) : source_(source), e_(block) {}

    // Returns the number of guest instructions the block covers.
    uint32_t emit() {
        e_.beginBlock(kPoll);
        statusExit_ = e_.newLabel();
        uint32_t count = 0;
        bool ended = false;
        for (uint32_t offset = 0; offset + 4 <= source_.available && count < kMaxBlockInstructions;
             offset += 4) {
            uint32_t insn;
            std::memcpy(&insn, source_.host + offset, 4);
            insn = __builtin_bswap32(insn);  // big-endian guest
            ++count;
            ended = lower(insn, offset);
            if (ended) break;
        }
        if (!ended) goTo(count * 4);
        // A semantic function returned something other than Continue: hand
        // its status to the dispatcher, which completes the instruction.
        as().bind(statusExit_);
        as().movzx(x86::eax, x86::al);
        as().xor_(x86::edx, x86::edx);
        as().ret();
        return count;
    }

    bool finish(jit::CodeBuffer& buffer) { return e_.finish(buffer); }
    bool failed() const { return e_.failed(); }

private:
    x86::Assembler& as() { return e_.as(); }
    x86::Mem field(int32_t offset) const { return e_.stateField(offset, 4); }

    // pc and retired are updated lazily: pcAt is the block offset the state's
    // pc holds, unretired the instructions completed since retired was stored.
    void syncPc(int64_t offset) {
        if (offset != pcAt_) as().add(field(kPc), static_cast<int32_t>(offset - pcAt_));
        pcAt_ = offset;
    }
    void flushRetired() {
        if (unretired_) as().add(e_.stateField(kRetired), static_cast<int32_t>(unretired_));
        unretired_ = 0;
    }

    void callHelper(uint32_t insn, uint32_t offset) {
        syncPc(offset);
        flushRetired();
        e_.callHelper(reinterpret_cast<const void*>(lookup(insn)),
                      reinterpret_cast<const void*>(static_cast<uintptr_t>(insn)));
        as().test(x86::al, x86::al);  // ExecStatus::Continue == 0
        as().jnz(statusExit_);
    }

    // Leaves for the instruction at block offset `target` (everything before
    // it retired): chained when it is on the block's page, else through the
    // dispatcher (which translates the new page).
    void goTo(int64_t target) {
        syncPc(target);
        flushRetired();
        leaveFor(static_cast<int64_t>(source_.physPc & 0xfff) + target);
    }
    void leaveFor(int64_t inPage) {
        if (inPage >= 0 && inPage < 0x1000 && exits_ < jit::TranslationBlock::kMaxExits) {
            ++exits_;
            e_.chainExit((source_.physPc & ~0xfffu) + static_cast<uint64_t>(inPage));
        } else {
            e_.exitWith(jit::kExitPoll);
        }
    }

    // Loads gpr[n] (or 0 for rA = 0 where the form says so) into eax.
    void loadGpr(const x86::Gp& dst, unsigned n) { as().mov(dst, field(gpr(n))); }

    bool lower(uint32_t insn, uint32_t offset) {
        const unsigned d = rD(insn), a = rA(insn), b = rB(insn);
        switch (inlineKind(insn)) {
            case Kind::Helper:
                callHelper(insn, offset);
                break;
            case Kind::EndsBlock:
                callHelper(insn, offset);
                // Only reached if it returned Continue (an illegal word never
                // does): go on at the next instruction through the dispatcher.
                ++unretired_;
                goTo(offset + 4);
                return true;
            case Kind::Addi:
            case Kind::Addis: {
                const uint32_t imm = inlineKind(insn) == Kind::Addi ? simm(insn) : insn << 16;
                if (a == 0) {
                    as().mov(field(gpr(d)), imm);
                } else {
                    loadGpr(x86::eax, a);
                    as().add(x86::eax, imm);
                    as().mov(field(gpr(d)), x86::eax);
                }
                break;
            }
            case Kind::Add:
                loadGpr(x86::eax, a);
                as().add(x86::eax, field(gpr(b)));
                as().mov(field(gpr(d)), x86::eax);
                recordIfRc(insn);
                break;
            case Kind::Subf:  // rD = rB - rA
                loadGpr(x86::eax, b);
                as().sub(x86::eax, field(gpr(a)));
                as().mov(field(gpr(d)), x86::eax);
                recordIfRc(insn);
                break;
            case Kind::And:
            case Kind::Or:
            case Kind::Xor: {  // rA = rS op rB
                const Kind k = inlineKind(insn);
                loadGpr(x86::eax, d);
                if (k == Kind::And) as().and_(x86::eax, field(gpr(b)));
                if (k == Kind::Or) as().or_(x86::eax, field(gpr(b)));
                if (k == Kind::Xor) as().xor_(x86::eax, field(gpr(b)));
                as().mov(field(gpr(a)), x86::eax);
                recordIfRc(insn);
                break;
            }
            case Kind::Ori:
                loadGpr(x86::eax, d);
                as().or_(x86::eax, uimm(insn));
                as().mov(field(gpr(a)), x86::eax);
                break;
            case Kind::LogicalImmediate: {  // rA = rS op (uimm, or uimm << 16 for the "is" forms)
                const unsigned primary = insn >> 26;
                const uint32_t imm =
                    (primary == 25 || primary == 27 || primary == 29) ? uimm(insn) << 16 : uimm(insn);
                loadGpr(x86::eax, d);
                if (primary == 25) as().or_(x86::eax, imm);
                if (primary == 26 || primary == 27) as().xor_(x86::eax, imm);
                if (primary == 28 || primary == 29) as().and_(x86::eax, imm);
                as().mov(field(gpr(a)), x86::eax);
                if (primary == 28 || primary == 29) {  // andi., andis. always record
                    as().test(x86::eax, x86::eax);
                    setCrField(0, true);
                }
                break;
            }
            case Kind::Rlwinm:
                loadGpr(x86::eax, d);
                if (b) as().rol(x86::eax, b);
                as().and_(x86::eax, exec::rotateMaskOf(insn));
                as().mov(field(gpr(a)), x86::eax);
                recordIfRc(insn);
                break;
            case Kind::Load:
            case Kind::Store: {
                const unsigned primary = (insn >> 26) & ~1u;  // the update form is the next opcode
                const bool isStore = primary == 36 || primary == 38 || primary == 44;
                const unsigned size = (primary == 32 || primary == 36)   ? 4
                                      : (primary == 40 || primary == 44) ? 2
                                                                         : 1;
                access(insn, offset, size, isStore, ((insn >> 26) & 1) != 0, false);
                break;
            }
            case Kind::IndexedAccess: {
                const std::string_view n = mnemonic(insn);
                const bool isStore = n[0] == 's';
                const char width = n[isStore ? 2 : 1];  // lwzx, stwx: w, h or b
                access(insn, offset, width == 'w' ? 4 : width == 'h' ? 2 : 1, isStore, false, true);
                break;
            }
            case Kind::Rlwimi:  // rA = (rotl(rS, sh) & m) | (rA & ~m)
                loadGpr(x86::eax, d);
                if (b) as().rol(x86::eax, b);
                as().and_(x86::eax, exec::rotateMaskOf(insn));
                loadGpr(x86::ecx, a);
                as().and_(x86::ecx, ~exec::rotateMaskOf(insn));
                as().or_(x86::eax, x86::ecx);
                as().mov(field(gpr(a)), x86::eax);
                recordIfRc(insn);
                break;
            case Kind::Neg:
                loadGpr(x86::eax, a);
                as().neg(x86::eax);
                as().mov(field(gpr(d)), x86::eax);
                recordIfRc(insn);
                break;
            case Kind::Mullw:
                loadGpr(x86::eax, a);
                as().imul(x86::eax, field(gpr(b)));
                as().mov(field(gpr(d)), x86::eax);
                recordIfRc(insn);
                break;
            case Kind::MoveFromLrCtr:
                as().mov(x86::eax, field(sprNumber(insn) == 8 ? kLr : kCtr));
                as().mov(field(gpr(d)), x86::eax);
                break;
            case Kind::MoveToLrCtr:
                loadGpr(x86::eax, d);
                as().mov(field(sprNumber(insn) == 8 ? kLr : kCtr), x86::eax);
                break;
            case Kind::Cmp:
            case Kind::Cmpl:
            case Kind::Cmpi:
            case Kind::Cmpli:
                compare(insn);
                break;
            case Kind::B:
                branch(insn, offset);
                return true;
            case Kind::Bc:
                if (conditionalBranch(insn, offset)) return true;
                break;
        }
        ++unretired_;
        return false;
    }

    // D-form lwz/lhz/lbz/stw/sth/stb (and update forms), X-form lwzx ... stbx: an aligned access whose page
    // hits the host-pointer cache (CpuState::hostTlb, with the MSR bits this block assumes) is done inline;
    // anything else calls the semantic function, which fills the cache or raises the DSI. pc and retired are
    // made exact before the split, so both paths leave the same sync state.
    void access(uint32_t insn, uint32_t offset, unsigned size, bool isStore, bool update, bool indexed) {
        const int32_t table =
            static_cast<int32_t>(offsetof(CpuState, hostTlb) + (isStore ? sizeof(CpuState::hostTlb[0]) : 0));
        syncPc(offset);
        flushRetired();
        asmjit::Label slow = e_.newLabel(), done = e_.newLabel();
        auto& a = as();
        if (indexed) {  // (rA|0) + rB
            loadGpr(x86::eax, rB(insn));
            if (rA(insn) != 0) a.add(x86::eax, field(gpr(rA(insn))));
        } else if (rA(insn) == 0) {
            a.mov(x86::eax, simm(insn));
        } else {
            loadGpr(x86::eax, rA(insn));
            a.add(x86::eax, simm(insn));
        }
        a.mov(x86::edx, x86::eax);
        a.shr(x86::edx, 12);
        a.and_(x86::edx, kHostTlbEntries - 1);
        a.shl(x86::edx, 4);  // sizeof(HostTlbEntry)
        a.mov(x86::ecx, x86::eax);
        a.and_(x86::ecx, 0xfffff000u);
        a.or_(x86::ecx, hostTlbModeBits(static_cast<uint32_t>(source_.mode)));
        a.cmp(x86::ecx, x86::dword_ptr(Emitter::kState, x86::rdx, 0, table + offsetof(HostTlbEntry, tag)));
        a.jne(slow);
        if (size > 1) {
            a.test(x86::eax, size - 1);  // aligned: never crosses the page
            a.jnz(slow);
        }
        a.mov(x86::rdx, x86::qword_ptr(Emitter::kState, x86::rdx, 0, table + offsetof(HostTlbEntry, host)));
        if (update) a.mov(x86::esi, x86::eax);
        a.and_(x86::eax, 0xfff);
        if (isStore) {
            a.mov(x86::ecx, field(gpr(rD(insn))));
            if (size == 4) {
                a.bswap(x86::ecx);
                a.mov(x86::dword_ptr(x86::rdx, x86::rax), x86::ecx);
            } else if (size == 2) {
                a.rol(x86::cx, 8);
                a.mov(x86::word_ptr(x86::rdx, x86::rax), x86::cx);
            } else {
                a.mov(x86::byte_ptr(x86::rdx, x86::rax), x86::cl);
            }
        } else {
            if (size == 4) {
                a.mov(x86::ecx, x86::dword_ptr(x86::rdx, x86::rax));
                a.bswap(x86::ecx);
            } else if (size == 2) {
                a.movzx(x86::ecx, x86::word_ptr(x86::rdx, x86::rax));
                a.rol(x86::cx, 8);
            } else {
                a.movzx(x86::ecx, x86::byte_ptr(x86::rdx, x86::rax));
            }
            a.mov(field(gpr(rD(insn))), x86::ecx);
        }
        if (update) a.mov(field(gpr(rA(insn))), x86::esi);  // rA = ea (rA != rD for loads)
        a.jmp(done);
        a.bind(slow);
        callHelper(insn, offset);
        a.bind(done);
    }

    // CR field crfD = LT/GT/EQ of rA against rB or the immediate, plus XER[SO].
    void compare(uint32_t insn) {
        const Kind k = inlineKind(insn);
        const bool isSigned = k == Kind::Cmp || k == Kind::Cmpi;
        loadGpr(x86::eax, rA(insn));
        if (k == Kind::Cmp || k == Kind::Cmpl)
            as().cmp(x86::eax, field(gpr(rB(insn))));
        else
            as().cmp(x86::eax, isSigned ? simm(insn) : uimm(insn));
        setCrField(crfD(insn), isSigned);
    }

    // Rc = 1: CR0 = the result in eax compared with zero, plus XER[SO].
    void recordIfRc(uint32_t insn) {
        if (!rc(insn)) return;
        as().test(x86::eax, x86::eax);
        setCrField(0, true);
    }

    // CR field `crf` = LT/GT/EQ from the host flags of a compare (signed or
    // not), plus XER[SO]. Clobbers rax, rcx, rdx.
    void setCrField(unsigned crf, bool isSigned) {
        if (isSigned) {
            as().setl(x86::cl);
            as().setg(x86::dl);
        } else {
            as().setb(x86::cl);
            as().seta(x86::dl);
        }
        as().movzx(x86::ecx, x86::cl);
        as().movzx(x86::edx, x86::dl);
        // lt -> 8, gt -> 4, eq -> 2: 2 * (3 lt + gt) + 2.
        as().lea(x86::eax, x86::ptr(x86::rcx, x86::rcx, 1));
        as().add(x86::eax, x86::edx);
        as().add(x86::eax, x86::eax);
        as().add(x86::eax, 2);
        as().mov(x86::edx, field(kXer));
        as().shr(x86::edx, 31);  // SO
        as().or_(x86::eax, x86::edx);
        const unsigned shift = 28 - 4 * crf;
        if (shift) as().shl(x86::eax, shift);
        as().mov(x86::edx, field(kCr));
        as().and_(x86::edx, ~(0xfu << shift));
        as().or_(x86::edx, x86::eax);
        as().mov(field(kCr), x86::edx);
    }

    void setLinkRegister(uint32_t offset) {
        syncPc(offset);
        as().mov(x86::eax, field(kPc));
        as().add(x86::eax, 4);
        as().mov(field(kLr), x86::eax);
    }

    // The taken path of b/bc at `offset` (which retires): pc = target, leave.
    void takeBranch(uint32_t insn, uint32_t offset, uint32_t displacement) {
        // Emitted on a side path: the fall-through keeps this sync state.
        const int64_t pcAt = pcAt_;
        const unsigned unretired = unretired_;
        ++unretired_;
        if (insn & 2) {  // AA: absolute (a virtual address; its physical page is unknown here)
            flushRetired();
            as().mov(field(kPc), displacement);
            e_.exitWith(jit::kExitPoll);
        } else {
            const int64_t target = static_cast<int64_t>(offset) + static_cast<int32_t>(displacement);
            goTo(target);
        }
        pcAt_ = pcAt;
        unretired_ = unretired;
    }

    void branch(uint32_t insn, uint32_t offset) {
        if (insn & 1) setLinkRegister(offset);
        takeBranch(insn, offset, static_cast<uint32_t>(static_cast<int32_t>(insn << 6) >> 6) & ~3u);
    }

    // Returns true if the block ends here (always taken, or no exits left
    // for its fall-through).
    bool conditionalBranch(uint32_t insn, uint32_t offset) {
        const unsigned bo = rD(insn), bi = rA(insn);
        if (insn & 1) setLinkRegister(offset);  // LK writes LR taken or not
        asmjit::Label notTaken = e_.newLabel();
        if (!(bo & 4)) {
            as().sub(field(kCtr), 1);
            if (bo & 2)
                as().jnz(notTaken);  // branch if CTR == 0
            else
                as().jz(notTaken);
        }
        if (!(bo & 16)) {
            as().test(field(kCr), 1u << (31 - bi));
            if (bo & 8)
                as().jz(notTaken);
            else
                as().jnz(notTaken);
        }
        takeBranch(insn, offset, simm(insn & 0xfffc));
        as().bind(notTaken);
        if ((bo & 0x14) == 0x14) return true;  // always taken
        if (exits_ + 1 >= jit::TranslationBlock::kMaxExits) {
            ++unretired_;
            goTo(offset + 4);
            return true;
        }
        return false;
    }

    const JitSource& source_;
    Emitter e_;
    asmjit::Label statusExit_;
    int64_t pcAt_ = 0;
    unsigned unretired_ = 0;
    unsigned exits_ = 0;
};

}  // namespace

TranslateResult translateBlock(const JitSource& source, jit::CodeBuffer& buffer,
                               std::unique_ptr<jit::TranslationBlock>& out) {
    auto block = std::make_unique<jit::TranslationBlock>();
    block->physPc = source.physPc;
    block->mode = source.mode;
    block->countHostInstructions = source.countHostInstructions;
    Translator translator(source, *block);
    const uint32_t count = translator.emit();
    block->guestInstructions = count;
    block->guestBytes = 4 * count;
    if (!translator.finish(buffer))
        return translator.failed() ? TranslateResult::Failed : TranslateResult::BufferFull;
    out = std::move(block);
    return TranslateResult::Ok;
}

}  // namespace tessera::ppc
