#include "core/cpu/riscv/jit_frontend.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "core/cpu/riscv/decode_table.h"
#include "core/cpu/riscv/decoded_insn.h"
#include "core/cpu/riscv/fpu.h"
#include "core/jit/emitter.h"
#include "core/jit/register_cache.h"

namespace tessera::riscv {

namespace {

namespace x86 = asmjit::x86;
using jit::Emitter;

constexpr unsigned kMaxBlockInstructions = 128;
constexpr int32_t kPcOffset = offsetof(HartState, pc);
constexpr int32_t kInstretOffset = offsetof(HartState, instret);

int32_t xOffset(unsigned reg) {
    return static_cast<int32_t>(offsetof(HartState, x) + 8 * reg);
}

// The decoded instructions stay alive as long as the block: generated code
// passes their addresses to the semantic functions.
struct DecodedBlock : jit::BlockPayload {
    std::vector<DecodedInsn> insns;
};

enum class Kind : uint8_t {
    Helper,
    AluReg,
    AluImm,
    Lui,
    Auipc,
    Jal,
    Jalr,
    Branch,
    Load,
    Store,
    FpLoad,
    FpStore,
    FpArith,
    FpFma
};
enum class Alu : uint8_t {
    Add,
    Sub,
    Sll,
    Slt,
    Sltu,
    Xor,
    Srl,
    Sra,
    Or,
    And,
    Addw,
    Subw,
    Sllw,
    Srlw,
    Sraw,
    Mul,
    Mulw
};
enum class Cond : uint8_t { Eq, Ne, Lt, Ge, Ltu, Geu };
enum class FpOp : uint8_t { Add, Sub, Mul, Div };
// FMA variants (11.6): bit 0 negates the product, bit 1 the addend.
enum FmaNegate : uint8_t { kNegateProduct = 1, kNegateAddend = 2 };
struct Lowering {
    Kind kind = Kind::Helper;
    uint8_t op = 0;         // Alu, Cond, FpOp or FmaNegate bits
    uint8_t size = 0;       // access bytes; FP: 4 single, 8 double
    bool isSigned = false;  // loads: sign-extend
};

bool hostHasFma() {
    return asmjit::CpuInfo::host().hasFeature(asmjit::CpuFeatures::X86::kFMA);
}

// Rows lowered inline, by decode-table name; every other row is a helper call.
const std::unordered_map<std::string_view, Lowering>& inlineRows() {
    static const std::unordered_map<std::string_view, Lowering> rows = [] {
        std::unordered_map<std::string_view, Lowering> m;
        auto alu = [&](const char* reg, const char* imm, Alu op) {
            if (reg) m[reg] = {Kind::AluReg, static_cast<uint8_t>(op)};
            if (imm) m[imm] = {Kind::AluImm, static_cast<uint8_t>(op)};
        };
        alu("add", "addi", Alu::Add);
        alu("sub", nullptr, Alu::Sub);
        alu("sll", "slli", Alu::Sll);
        alu("slt", "slti", Alu::Slt);
        alu("sltu", "sltiu", Alu::Sltu);
        alu("xor", "xori", Alu::Xor);
        alu("srl", "srli", Alu::Srl);
        alu("sra", "srai", Alu::Sra);
        alu("or", "ori", Alu::Or);
        alu("and", "andi", Alu::And);
        alu("addw", "addiw", Alu::Addw);
        alu("subw", nullptr, Alu::Subw);
        alu("sllw", "slliw", Alu::Sllw);
        alu("srlw", "srliw", Alu::Srlw);
        alu("sraw", "sraiw", Alu::Sraw);
        alu("mul", nullptr, Alu::Mul);
        alu("mulw", nullptr, Alu::Mulw);
        m["lui"] = {Kind::Lui};
        m["auipc"] = {Kind::Auipc};
        m["jal"] = {Kind::Jal};
        m["jalr"] = {Kind::Jalr};
        const std::pair<const char*, Cond> branches[] = {{"beq", Cond::Eq},   {"bne", Cond::Ne},
                                                         {"blt", Cond::Lt},   {"bge", Cond::Ge},
                                                         {"bltu", Cond::Ltu}, {"bgeu", Cond::Geu}};
        for (auto [name, cond] : branches) m[name] = {Kind::Branch, static_cast<uint8_t>(cond)};
        const std::tuple<const char*, uint8_t, bool> loads[] = {
            {"lb", 1, true},   {"lh", 2, true},   {"lw", 4, true},  {"ld", 8, true},
            {"lbu", 1, false}, {"lhu", 2, false}, {"lwu", 4, false}};
        for (auto [name, size, isSigned] : loads) m[name] = {Kind::Load, 0, size, isSigned};
        const std::pair<const char*, uint8_t> stores[] = {{"sb", 1}, {"sh", 2}, {"sw", 4}, {"sd", 8}};
        for (auto [name, size] : stores) m[name] = {Kind::Store, 0, size};
        m["flw"] = {Kind::FpLoad, 0, 4};
        m["fld"] = {Kind::FpLoad, 0, 8};
        m["fsw"] = {Kind::FpStore, 0, 4};
        m["fsd"] = {Kind::FpStore, 0, 8};
        const std::tuple<const char*, FpOp, uint8_t> arith[] = {
            {"fadd.s", FpOp::Add, 4}, {"fsub.s", FpOp::Sub, 4}, {"fmul.s", FpOp::Mul, 4},
            {"fdiv.s", FpOp::Div, 4}, {"fadd.d", FpOp::Add, 8}, {"fsub.d", FpOp::Sub, 8},
            {"fmul.d", FpOp::Mul, 8}, {"fdiv.d", FpOp::Div, 8}};
        for (auto [name, op, size] : arith) m[name] = {Kind::FpArith, static_cast<uint8_t>(op), size};
        if (hostHasFma()) {  // else the semantic function (exact in software)
            const std::tuple<const char*, uint8_t, uint8_t> fma[] = {
                {"fmadd.s", 0, 4},
                {"fmsub.s", kNegateAddend, 4},
                {"fnmsub.s", kNegateProduct, 4},
                {"fnmadd.s", kNegateProduct | kNegateAddend, 4},
                {"fmadd.d", 0, 8},
                {"fmsub.d", kNegateAddend, 8},
                {"fnmsub.d", kNegateProduct, 8},
                {"fnmadd.d", kNegateProduct | kNegateAddend, 8}};
            for (auto [name, negate, size] : fma) m[name] = {Kind::FpFma, negate, size};
        }
        return m;
    }();
    return rows;
}

Lowering loweringOf(const DecodedInsn& d) {
    // Indexed by row once; the illegal encoding (row == table size) is a helper.
    static const std::vector<Lowering> byRow = [] {
        const auto table = decodeTable();
        std::vector<Lowering> v(table.size() + 1);
        for (size_t i = 0; i < table.size(); ++i) {
            auto it = inlineRows().find(table[i].name);
            if (it != inlineRows().end()) v[i] = it->second;
        }
        return v;
    }();
    return byRow[d.row < byRow.size() ? d.row : byRow.size() - 1];
}

// Conditional branches a block continues past (on the not-taken path, so the
// block's bytes stay contiguous): the taken path of each jumps inside the
// block when its target is one of the block's instructions, else it takes
// one direct exit; the instruction that ends the block needs up to two more.
constexpr unsigned kMaxBranchExits = jit::TranslationBlock::kMaxExits - 2;

// Decodes the instructions of one block: up to a control transfer or state
// change other than conditional branches while their exits fit (a branch
// back into the block needs none, one forward may), an illegal encoding,
// the end of the readable bytes or kMaxBlockInstructions. A 32-bit
// instruction straddling the end is left out.
std::vector<DecodedInsn> decodeRun(const JitSource& source) {
    std::vector<DecodedInsn> insns;
    std::vector<uint64_t> offsets;  // of each instruction, for backward targets
    const auto rows = decodeTable();
    unsigned branchExits = 0;
    uint64_t offset = 0;
    while (offset + 2 <= source.available && insns.size() < kMaxBlockInstructions) {
        uint16_t low;
        std::memcpy(&low, source.host + offset, 2);
        DecodedInsn insn;
        if ((low & 3) == 3) {
            if (offset + 4 > source.available) break;
            uint32_t raw;
            std::memcpy(&raw, source.host + offset, 4);
            insn = decodeInstruction(raw);
        } else {
            insn = decodeInstruction(expandCompressed(low));  // 0 decodes as illegal
            insn.length = 2;
            insn.rawCompressed = low;
        }
        insns.push_back(insn);
        offsets.push_back(offset);
        const int64_t target = static_cast<int64_t>(offset) + insn.imm;
        offset += insn.length;
        if (insn.row >= rows.size()) break;
        if (loweringOf(insn).kind == Kind::Branch && branchExits < kMaxBranchExits) {
            const bool backInside = target >= 0 && std::binary_search(offsets.begin(), offsets.end(),
                                                                      static_cast<uint64_t>(target));
            if (!backInside) ++branchExits;  // a forward target may still land inside
            continue;
        }
        if (rows[insn.row].flags & EndsBlock) break;
    }
    return insns;
}

// FP registers the block's inline code wrote (or loaded) recently, also
// kept in xmm2-xmm7, so a later inline FP instruction reads them without a
// store-to-load round trip through the state struct (which stays the truth:
// every write goes there too). A value counts for the size it was written
// as: a single written by inline code is NaN-boxed. Forgotten where paths
// join and after helpers (which clobber every xmm); a slow path reloads
// what the inline code after it expects.
class FpCache {
public:
    const x86::Xmm* find(unsigned reg, bool single) const {
        for (const Slot& slot : slots_)
            if (slot.reg == static_cast<int>(reg) && slot.single == single) return &slot.xmm;
        return nullptr;
    }
    // The xmm to put f[reg] in (written as `single` or double).
    const x86::Xmm& put(unsigned reg, bool single) {
        Slot* target = nullptr;
        for (Slot& slot : slots_)
            if (slot.reg == static_cast<int>(reg)) target = &slot;
        if (!target) {
            target = &slots_[next_];
            next_ = (next_ + 1) % kSlots;
        }
        target->reg = static_cast<int>(reg);
        target->single = single;
        return target->xmm;
    }
    template <typename FieldOf>
    void reload(x86::Assembler& a, FieldOf fieldOf) const {
        for (const Slot& slot : slots_)
            if (slot.reg >= 0) a.movq(slot.xmm, fieldOf(static_cast<unsigned>(slot.reg)));
    }

private:
    static constexpr unsigned kSlots = 6;
    struct Slot {
        x86::Xmm xmm;
        int reg = -1;
        bool single = false;
    };
    std::array<Slot, kSlots> slots_{Slot{x86::xmm2}, Slot{x86::xmm3}, Slot{x86::xmm4},
                                    Slot{x86::xmm5}, Slot{x86::xmm6}, Slot{x86::xmm7}};
    unsigned next_ = 0;
};

class Translator {
public:
    Translator(const JitSource& source, jit::TranslationBlock& block, const DecodedBlock& payload,
               const jit::JumpCache& jumps)
        : source_(source),
          insns_(payload.insns),
          jumps_(jumps),
          e_(block),
          // x0 (always zero) and x[32], the write sink, stay in memory
          regs_(e_, xOffset, [](unsigned r) { return r > 0 && r < 32; }) {}

    void emit() {
        e_.beginBlock(kPoll);
        trapExit_ = e_.newLabel();
        jumpExit_ = e_.newLabel();
        statusStubs_.assign(insns_.size(), {});
        prepareJumpsInside();
        int64_t offset = 0;
        bool ended = false;
        for (size_t i = 0; i < insns_.size(); ++i) {
            if (labels_[i].isValid()) bindLabel(i);
            ended = lower(i, offset);
            offset += insns_[i].length;
        }
        if (!ended) goTo(offset);
        emitBranchStubs();
        emitMissStubs();
        emitStatusStubs();
        as().bind(trapExit_);
        e_.exitWith(static_cast<uint32_t>(ExecStatus::Trap));
        as().bind(jumpExit_);
        e_.exitWith(static_cast<uint32_t>(ExecStatus::Jump));
    }
    bool finish(jit::CodeBuffer& buffer) { return e_.finish(buffer); }
    bool failed() const { return e_.failed(); }

private:
    static constexpr jit::PollLayout kPoll{kInstretOffset,
                                           static_cast<int32_t>(offsetof(HartState, instretLimit)),
                                           static_cast<int32_t>(offsetof(HartState, exitRequest)),
                                           static_cast<int32_t>(offsetof(HartState, interruptPoll))};

    x86::Assembler& as() { return e_.as(); }

    // State of the lazily updated pc and instret at a point of the code.
    struct Sync {
        int64_t pcAt;        // HartState.pc == block start + pcAt
        uint32_t unretired;  // instructions completed but not yet added to instret
    };

    // The index of the block's instruction at block offset `target`, or -1.
    int insnAt(int64_t target) const {
        auto it = std::lower_bound(offsets_.begin(), offsets_.end(), target);
        return it != offsets_.end() && *it == target ? static_cast<int>(it - offsets_.begin()) : -1;
    }

    // Branches and JALs whose target is one of the block's own instructions
    // jump there without leaving the block (a loop runs inside it, its
    // registers staying in host registers). Such targets get a label; with
    // any, the registers the block uses most are loaded up front and the
    // allocation is frozen, so every point of the block keeps each guest
    // register in the same place and a jump needs no register moves.
    void prepareJumpsInside() {
        int64_t offset = 0;
        for (const DecodedInsn& d : insns_) {
            offsets_.push_back(offset);
            offset += d.length;
        }
        labels_.assign(insns_.size(), {});
        labelSync_.assign(insns_.size(), Sync{0, 0});
        bool any = false;
        std::array<unsigned, 32> uses{};
        std::vector<unsigned> order;  // by first use
        auto use = [&](unsigned r, bool written = false) {
            if (r == 0 || r >= 32) return;  // x0 reads as the zero in memory, x[32] is the write sink
            if (uses[r]++ == 0) order.push_back(r);
            if (written) written_[r] = true;
        };
        for (size_t i = 0; i < insns_.size(); ++i) {
            const DecodedInsn& d = insns_[i];
            const Kind kind = loweringOf(d).kind;
            if (kind == Kind::Branch || kind == Kind::Jal) {
                const int target = insnAt(offsets_[i] + d.imm);
                if (target >= 0) {
                    if (!labels_[target].isValid()) labels_[target] = e_.newLabel();
                    any = true;
                }
            }
            switch (kind) {
                case Kind::AluReg:
                    use(d.rs1), use(d.rs2), use(d.rd, true);
                    break;
                case Kind::AluImm:
                case Kind::Jalr:
                case Kind::Load:
                    use(d.rs1), use(d.rd, true);
                    break;
                case Kind::Lui:
                case Kind::Auipc:
                case Kind::Jal:
                    use(d.rd, true);
                    break;
                case Kind::Branch:
                case Kind::Store:
                    use(d.rs1), use(d.rs2);
                    break;
                case Kind::FpLoad:
                case Kind::FpStore:
                    use(d.rs1);
                    break;
                case Kind::FpArith:
                case Kind::FpFma:
                    hasInlineFp_ = hasInlineFp_ || d.rm == fpu::RNE || d.rm == fpu::DYN;
                    break;
                default:
                    break;
            }
        }
        if (!any) return;
        std::stable_sort(order.begin(), order.end(),
                         [&](unsigned a, unsigned b) { return uses[a] > uses[b]; });
        if (order.size() > jit::RegisterCache::kHostRegisters)
            order.resize(jit::RegisterCache::kHostRegisters);
        regs_.preload(order);
    }

    // Instruction i is a jump target inside the block: paths join here.
    void bindLabel(size_t i) {
        as().bind(labels_[i]);
        labelSync_[i] = sync_;
        fpReady_ = false;                // not checked on every way in
        fpFlagsPending_ = hasInlineFp_;  // maybe on some way in
        fpCache_ = {};
        regs_.joinPoint(written_);  // modified on some way in
    }

    // Jumps back to instruction `target` (bound already) from here: a loop,
    // so the poll check of a block entry comes first; when it fires, the
    // block leaves with the guest at `target`. Clobbers the compile-time
    // state (the caller restores it if code follows).
    void jumpBack(size_t target) {
        auto& a = as();
        const Sync to = labelSync_[target];
        const int32_t retire = static_cast<int32_t>(sync_.unretired) - static_cast<int32_t>(to.unretired);
        if (retire) a.add(e_.stateField(kInstretOffset), retire);
        if (to.pcAt != sync_.pcAt)
            a.add(e_.stateField(kPcOffset), static_cast<int32_t>(to.pcAt - sync_.pcAt));
        asmjit::Label leave = e_.newLabel();
        e_.pollCheck(kPoll, static_cast<int32_t>(to.unretired), leave);
        a.jmp(labels_[target]);
        a.bind(leave);
        regs_.writeBack();
        foldFpFlags();
        sync_ = to;
        syncPc(offsets_[target]);
        flushInstret();
        e_.exitWith(jit::kExitPoll);
    }

    // A branch's taken path, emitted after the block's main path.
    struct BranchStub {
        asmjit::Label from;
        int64_t target;  // block offset
        Sync sync;       // at the branch, which has retired
        jit::RegisterCache::Snapshot regs;
        bool backward;  // to an instruction of the block at or before the branch
        bool fpFlagsPending;
    };
    void emitBranchStubs() {
        for (const BranchStub& stub : branchStubs_) {
            as().bind(stub.from);
            sync_ = stub.sync;
            regs_.restore(stub.regs);
            fpFlagsPending_ = stub.fpFlagsPending;
            const int target = insnAt(stub.target);
            if (target < 0) {
                goTo(stub.target);
            } else if (stub.backward) {
                jumpBack(static_cast<size_t>(target));
            } else {
                // Forward inside the block: bring pc and instret to what
                // the target's label expects (registers stay as they are).
                const Sync to = labelSync_[static_cast<size_t>(target)];
                const int32_t retire =
                    static_cast<int32_t>(sync_.unretired) - static_cast<int32_t>(to.unretired);
                if (retire) as().add(e_.stateField(kInstretOffset), retire);
                if (to.pcAt != sync_.pcAt)
                    as().add(e_.stateField(kPcOffset), static_cast<int32_t>(to.pcAt - sync_.pcAt));
                as().jmp(labels_[static_cast<size_t>(target)]);
            }
        }
    }

    void syncPc(int64_t offset) {
        if (offset != sync_.pcAt)
            as().add(e_.stateField(kPcOffset), static_cast<int32_t>(offset - sync_.pcAt));
        sync_.pcAt = offset;
    }
    void flushInstret() {
        if (sync_.unretired) as().add(e_.stateField(kInstretOffset), static_cast<int32_t>(sync_.unretired));
        sync_.unretired = 0;
    }
    // rax = guest pc of the instruction at `offset` + delta.
    void pcPlus(const x86::Gp& dst, int64_t offset, int64_t delta) {
        e_.loadState(dst, kPcOffset);
        const int64_t add = offset - sync_.pcAt + delta;
        if (add >= INT32_MIN && add <= INT32_MAX) {
            if (add) as().add(dst, static_cast<int32_t>(add));
        } else {
            as().mov(x86::rcx, static_cast<uint64_t>(add));
            as().add(dst, x86::rcx);
        }
    }

    // The semantic function of insn i, with pc and instret exact (the
    // caller has put the guest registers back into HartState).
    void callHelper(size_t i, int64_t offset) {
        const DecodedInsn& d = insns_[i];
        foldFpFlags();  // the helper may read fflags or reset the MXCSR
        syncPc(offset);
        flushInstret();
        e_.callHelper(reinterpret_cast<const void*>(semanticOf(d)), &d);
        as().test(x86::al, x86::al);  // ExecStatus::Continue == 0
        as().jnz(statusStub(i));
    }
    // A helper on the block's main path: it may read any guest register and
    // writes at most rd (every semantic function does; one that traps or
    // stops leaves through its status stub).
    void callHelperInline(size_t i, int64_t offset) {
        regs_.writeBack();
        callHelper(i, offset);
        regs_.afterCall(insns_[i].rd);
        fpFlagsPending_ = false;
        fpCache_ = {};  // the helper may write any FP register and clobbers every xmm
    }
    asmjit::Label statusStub(size_t i) {
        if (!statusStubs_[i].isValid()) statusStubs_[i] = e_.newLabel();
        return statusStubs_[i];
    }

    // Leaves the block for the instruction at block offset `target`: a
    // chainable exit on the same guest page, the jump cache otherwise.
    void goTo(int64_t target) {
        regs_.writeBack();
        foldFpFlags();
        syncPc(target);
        flushInstret();
        const int64_t inPage = static_cast<int64_t>(source_.physPc & 0xfff) + target;
        if (inPage >= 0 && inPage < 0x1000) {
            e_.chainExit((source_.physPc & ~0xfffull) + static_cast<uint64_t>(inPage));
        } else {
            e_.jumpThroughCache(jumps_, kPcOffset, source_.mode, jumpExit_);
        }
    }

    // Returns true if the instruction ended the block's code path.
    bool lower(size_t i, int64_t offset) {
        const DecodedInsn& d = insns_[i];
        const Lowering l = loweringOf(d);
        switch (l.kind) {
            case Kind::Helper:
                callHelperInline(i, offset);
                fpReady_ = false;  // it may change frm, fflags, mstatus or the host MXCSR
                ++sync_.unretired;
                return false;
            case Kind::AluReg:
            case Kind::AluImm:
                aluInstruction(d, static_cast<Alu>(l.op), l.kind == Kind::AluImm);
                ++sync_.unretired;
                return false;
            case Kind::Lui:
                loadImmediate(d.rd, d.imm);
                ++sync_.unretired;
                return false;
            case Kind::Auipc:
                pcPlus(x86::rax, offset, d.imm);
                regs_.write(d.rd, x86::rax);
                ++sync_.unretired;
                return false;
            case Kind::Jal:
                if (d.rd != kZeroSink) {
                    pcPlus(x86::rax, offset, d.length);
                    regs_.write(d.rd, x86::rax);
                }
                ++sync_.unretired;
                if (const int target = insnAt(offset + d.imm); target >= 0) {
                    jumpBack(static_cast<size_t>(target));  // the block ends here: any target is behind
                } else {
                    goTo(offset + d.imm);
                }
                return true;
            case Kind::Jalr:
                regs_.load(x86::rax, d.rs1);
                if (d.imm) as().add(x86::rax, static_cast<int32_t>(d.imm));
                as().and_(x86::rax, -2);
                if (d.rd != kZeroSink) {
                    pcPlus(x86::rdx, offset, d.length);
                    regs_.write(d.rd, x86::rdx);
                }
                as().mov(e_.stateField(kPcOffset), x86::rax);
                regs_.writeBack();
                foldFpFlags();
                ++sync_.unretired;
                flushInstret();
                e_.jumpThroughCache(jumps_, kPcOffset, source_.mode, jumpExit_);
                return true;
            case Kind::Branch: {
                compare(d);
                static constexpr x86::CondCode kTaken[] = {x86::CondCode::kE, x86::CondCode::kNE,
                                                           x86::CondCode::kL, x86::CondCode::kGE,
                                                           x86::CondCode::kB, x86::CondCode::kAE};
                const x86::CondCode taken = kTaken[l.op];
                ++sync_.unretired;
                const int64_t targetOffset = offset + d.imm;
                const int target = insnAt(targetOffset);
                const bool backward = target >= 0 && static_cast<size_t>(target) <= i;
                const bool last = i + 1 == insns_.size();
                if (last && backward) {
                    // The loop's back edge ends the block: the jump back
                    // first, then the way out for the not-taken path.
                    asmjit::Label out = e_.newLabel();
                    as().j(x86::negateCond(taken), out);
                    const Sync before = sync_;
                    const jit::RegisterCache::Snapshot regs = regs_.snapshot();
                    jumpBack(static_cast<size_t>(target));
                    sync_ = before;
                    regs_.restore(regs);
                    as().bind(out);
                    goTo(offset + d.length);
                    return true;
                }
                // The taken path after the block's main path (an exit, or
                // a jump inside the block); the main path goes on.
                BranchStub stub{e_.newLabel(),    targetOffset, sync_,
                                regs_.snapshot(), backward,     fpFlagsPending_};
                as().j(taken, stub.from);
                branchStubs_.push_back(stub);
                if (last) {
                    goTo(offset + d.length);
                    return true;
                }
                return false;
            }
            case Kind::Load:
            case Kind::Store:
                access(i, offset, l);
                return false;
            case Kind::FpLoad:
            case Kind::FpStore:
                fpAccess(i, offset, l);
                return false;
            case Kind::FpArith:
            case Kind::FpFma:
                // Inline in round-to-nearest only (static, or dynamic with
                // frm checked at run time); the other modes in the helper.
                if (d.rm != fpu::RNE && d.rm != fpu::DYN) {
                    callHelperInline(i, offset);
                    fpReady_ = false;
                    ++sync_.unretired;
                    return false;
                }
                fpArith(i, offset, l);
                return false;
        }
        return false;
    }

    // Flags = rs1 - rs2 for a branch.
    void compare(const DecodedInsn& d) {
        const asmjit::Operand rs1 = regs_.read(d.rs1);
        if (d.rs2 == 0) {  // against zero: the flags of cmp x, 0 (CF = OF = 0)
            if (!rs1.isReg()) regs_.load(x86::rax, d.rs1);
            const x86::Gp value = rs1.isReg() ? rs1.as<x86::Gp>() : x86::rax;
            as().test(value, value);
            return;
        }
        const asmjit::Operand rs2 = regs_.read(d.rs2);
        if (rs1.isReg()) {
            as().emit(x86::Inst::kIdCmp, rs1, rs2);
        } else {
            regs_.load(x86::rax, d.rs1);
            as().emit(x86::Inst::kIdCmp, x86::rax, rs2);
        }
    }

    // rd = value.
    void loadImmediate(unsigned rd, int64_t value) {
        const x86::Gp dst = regs_.destination(rd);
        as().mov(dst.isValid() ? dst : x86::rax, value);
        dst.isValid() ? regs_.wrote(rd) : regs_.write(rd, x86::rax);
    }
    // rd = rs.
    void move(unsigned rd, unsigned rs) {
        if (rs == 0) return loadImmediate(rd, 0);
        if (rd == rs) return;
        const asmjit::Operand src = regs_.read(rs);
        const x86::Gp dst = regs_.destination(rd);
        if (dst.isValid() && src.isReg()) {
            as().mov(dst, src.as<x86::Gp>());
            regs_.wrote(rd);
        } else {
            regs_.load(x86::rax, rs);
            regs_.write(rd, x86::rax);
        }
    }

    // An OP/OP-IMM row: computed in rd's host register when it has one
    // (rd = rs1 first, unless rd is the second source), else in rax. The
    // compiler's moves and constants (ADD/OR/XOR with x0 or 0) are moves.
    void aluInstruction(const DecodedInsn& d, Alu op, bool immediate) {
        if (op == Alu::Add || op == Alu::Or || op == Alu::Xor) {
            if (immediate && d.rs1 == 0) return loadImmediate(d.rd, d.imm);
            if (immediate && d.imm == 0) return move(d.rd, d.rs1);
            if (!immediate && d.rs1 == 0) return move(d.rd, d.rs2);
            if (!immediate && d.rs2 == 0) return move(d.rd, d.rs1);
        }
        const bool inPlace = op != Alu::Slt && op != Alu::Sltu && (immediate || d.rs2 != d.rd);
        if (inPlace && d.rs1 == d.rd) regs_.read(d.rs1);  // loaded before it is updated in place
        const x86::Gp dst = inPlace ? regs_.destination(d.rd) : x86::Gp();
        if (dst.isValid()) {
            if (d.rs1 != d.rd) regs_.load(dst, d.rs1);
            alu(op, immediate, d, dst);
            regs_.wrote(d.rd);
        } else {
            regs_.load(x86::rax, d.rs1);
            alu(op, immediate, d, x86::rax);
            regs_.write(d.rd, x86::rax);
        }
    }

    // t = t op (rs2 or the immediate); t is rax or rd's host register.
    void alu(Alu op, bool immediate, const DecodedInsn& d, const x86::Gp& t) {
        auto& a = as();
        const x86::Gp t32 = t.r32();
        const auto imm = static_cast<int32_t>(d.imm);  // 12-bit immediates and shift amounts
        // The second operand: the immediate, or rs2 (a host register or its state field).
        const asmjit::Operand rs2 = immediate ? asmjit::Operand(asmjit::Imm(imm)) : regs_.read(d.rs2);
        const asmjit::Operand rs2w = immediate ? asmjit::Operand(asmjit::Imm(imm)) : regs_.read(d.rs2, 4);
        auto op64 = [&](x86::Inst::Id id) { a.emit(id, t, rs2); };
        auto op32 = [&](x86::Inst::Id id) {
            a.emit(id, t32, rs2w);
            a.movsxd(t, t32);
        };
        // x86 masks shift counts as RISC-V does (63 for 64-bit, 31 for 32-bit operations).
        auto shift = [&](x86::Inst::Id id, bool word) {
            const x86::Gp value = word ? t32 : t;
            if (immediate) {
                a.emit(id, value, asmjit::Imm(imm & (word ? 31 : 63)));
            } else {
                a.emit(x86::Inst::kIdMov, x86::rcx, rs2);
                a.emit(id, value, x86::cl);
            }
            if (word) a.movsxd(t, t32);
        };
        switch (op) {
            case Alu::Add:
                op64(x86::Inst::kIdAdd);
                break;
            case Alu::Sub:
                op64(x86::Inst::kIdSub);
                break;
            case Alu::Xor:
                op64(x86::Inst::kIdXor);
                break;
            case Alu::Or:
                op64(x86::Inst::kIdOr);
                break;
            case Alu::And:
                op64(x86::Inst::kIdAnd);
                break;
            case Alu::Slt:
            case Alu::Sltu:
                op64(x86::Inst::kIdCmp);  // an immediate is sign-extended, as SLTIU's is (t is rax)
                op == Alu::Slt ? a.setl(x86::al) : a.setb(x86::al);
                a.movzx(x86::eax, x86::al);
                break;
            case Alu::Sll:
                shift(x86::Inst::kIdShl, false);
                break;
            case Alu::Srl:
                shift(x86::Inst::kIdShr, false);
                break;
            case Alu::Sra:
                shift(x86::Inst::kIdSar, false);
                break;
            case Alu::Sllw:
                shift(x86::Inst::kIdShl, true);
                break;
            case Alu::Srlw:
                shift(x86::Inst::kIdShr, true);
                break;
            case Alu::Sraw:
                shift(x86::Inst::kIdSar, true);
                break;
            case Alu::Addw:
                op32(x86::Inst::kIdAdd);
                break;
            case Alu::Subw:
                op32(x86::Inst::kIdSub);
                break;
            case Alu::Mul:
                a.emit(x86::Inst::kIdImul, t, rs2);
                break;
            case Alu::Mulw:
                op32(x86::Inst::kIdImul);
                break;
        }
    }

    // dst = rs1 + imm, a load's or store's address.
    void address(const x86::Gp& dst, const DecodedInsn& d) {
        const asmjit::Operand base = regs_.read(d.rs1);
        if (base.isReg() && d.imm) {
            as().lea(dst, x86::ptr(base.as<x86::Gp>(), static_cast<int32_t>(d.imm)));
        } else {
            as().emit(x86::Inst::kIdMov, dst, base);
            if (d.imm) as().add(dst, static_cast<int32_t>(d.imm));
        }
    }

    jit::TlbLayout dataTlb(TlbKind kind) const {
        const size_t table = offsetof(HartState, tlb) +
                             (source_.dataTlbContext * TlbKindCount + kind) * kTlbEntries * sizeof(TlbEntry);
        jit::TlbLayout layout{static_cast<int32_t>(table)};
        layout.tagOffset = offsetof(TlbEntry, tag);
        layout.addendOffset = offsetof(TlbEntry, addend);
        layout.entryShift = 4;
        static_assert(sizeof(TlbEntry) == 16);
        layout.entryCount = kTlbEntries;
        return layout;
    }

    // Integer load/store: the TLB fast path inline; on a miss the semantic
    // function (slow path, faults, devices, code pages) out of line.
    void access(size_t i, int64_t offset, const Lowering& l) {
        const DecodedInsn& d = insns_[i];
        auto& a = as();
        const bool load = l.kind == Kind::Load;
        address(x86::rsi, d);
        // Every register this access caches is allocated before the slow
        // path branches off, so both paths agree on where each one lives.
        if (load)
            regs_.reserve(d.rd);
        else
            regs_.read(d.rs2);
        MissStub stub{e_.newLabel(), e_.newLabel(),    i,        offset,
                      sync_,         regs_.snapshot(), fpReady_, fpFlagsPending_};
        const x86::Mem m =
            e_.tlbLookup(dataTlb(load ? TlbRead : TlbWrite), x86::rsi, l.size, x86::rdi, stub.miss);
        if (load) {
            switch (l.size) {
                case 1:
                case 2:
                    l.isSigned ? a.movsx(x86::rax, m) : a.movzx(x86::eax, m);
                    break;
                case 4:
                    l.isSigned ? a.movsxd(x86::rax, m) : a.mov(x86::eax, m);
                    break;
                default:
                    a.mov(x86::rax, m);
                    break;
            }
            regs_.write(d.rd, x86::rax);
        } else {
            regs_.load(x86::rax, d.rs2);
            switch (l.size) {
                case 1:
                    a.mov(m, x86::al);
                    break;
                case 2:
                    a.mov(m, x86::ax);
                    break;
                case 4:
                    a.mov(m, x86::eax);
                    break;
                default:
                    a.mov(m, x86::rax);
                    break;
            }
        }
        a.bind(stub.resume);
        ++sync_.unretired;
        stub.fpCache = fpCache_;  // what the code after `resume` expects
        missStubs_.push_back(stub);
    }

    int32_t fOffset(unsigned reg) const { return static_cast<int32_t>(offsetof(HartState, f) + 8 * reg); }

    // What inline FP code assumes ("FP ready"), checked at the block's
    // first inline FP instruction and again after every helper: mstatus.FS
    // is Dirty (else the helper raises the illegal instruction or marks FS
    // Dirty, so inline code never writes mstatus), the host MXCSR is clean
    // (fpu.h: round-to-nearest, no flag fflags lacks) and frm is RNE (a
    // dynamic rounding mode is RNE). Jumps to `fail` otherwise; clobbers eax.
    void checkFpReady(asmjit::Label fail) {
        auto& a = as();
        a.mov(x86::eax, e_.stateField(offsetof(HartState, mstatus), 4));
        a.and_(x86::eax, static_cast<uint32_t>(mstatus::FS));
        a.cmp(x86::eax, static_cast<uint32_t>(mstatus::FS));
        a.jne(fail);
        a.cmp(e_.stateField(offsetof(HartState, hostMxcsrClean), 1), 0);
        a.je(fail);
        a.cmp(e_.stateField(offsetof(HartState, frm), 1), fpu::RNE);
        a.jne(fail);
    }
    // Before an inline FP instruction: the check unless already done. Its
    // slow path (the helper, then the check again) returns FP ready too.
    void ensureFpReady(asmjit::Label slow) {
        if (!fpReady_) checkFpReady(slow);
        fpReady_ = true;
    }

    // FLW/FLD/FSW/FSD: the TLB fast path as for integer accesses; FLW
    // NaN-boxes, FSW stores the low 32 bits unchecked (12.2).
    void fpAccess(size_t i, int64_t offset, const Lowering& l) {
        const DecodedInsn& d = insns_[i];
        auto& a = as();
        const bool load = l.kind == Kind::FpLoad;
        address(x86::rsi, d);
        MissStub stub{e_.newLabel(), e_.newLabel(),    i,    offset,
                      sync_,         regs_.snapshot(), true, fpFlagsPending_};
        ensureFpReady(stub.miss);
        x86::Mem m = e_.tlbLookup(dataTlb(load ? TlbRead : TlbWrite), x86::rsi, l.size, x86::rdi, stub.miss);
        if (load) {
            if (l.size == 4) {
                a.mov(x86::eax, m);
                a.mov(x86::rcx, fpu::kBox);
                a.or_(x86::rax, x86::rcx);
            } else {
                a.mov(x86::rax, m);
            }
            a.mov(e_.stateField(fOffset(d.rd)), x86::rax);
            a.movq(fpCache_.put(d.rd, l.size == 4), x86::rax);
        } else if (l.size == 4) {
            a.mov(x86::eax, e_.stateField(fOffset(d.rs2), 4));
            a.mov(m, x86::eax);
        } else {
            a.mov(x86::rax, e_.stateField(fOffset(d.rs2)));
            a.mov(m, x86::rax);
        }
        a.bind(stub.resume);
        ++sync_.unretired;
        stub.fpCache = fpCache_;  // what the code after `resume` expects
        missStubs_.push_back(stub);
    }

    // FADD/FSUB/FMUL/FDIV and the FMAs on the host's SSE/FMA unit, exact as
    // fpu.h's helpers are: the host MXCSR is in round-to-nearest and holds
    // only flags fflags already has (hostMxcsrClean), so the flags the
    // operation raises are read back and OR-ed into fflags. Whatever this
    // cannot do exactly goes to the semantic function, which redoes the
    // instruction from the unchanged sources: an MXCSR that is not clean, a
    // dynamic rounding mode other than RNE, a single operand that is not
    // NaN-boxed, and every NaN result (RISC-V wants the canonical NaN where
    // x86 propagates an operand; the host raised exactly the invalid flag
    // the helper raises again).
    void fpArith(size_t i, int64_t offset, const Lowering& l) {
        const DecodedInsn& d = insns_[i];
        auto& a = as();
        const bool single = l.size == 4;
        MissStub stub{e_.newLabel(), e_.newLabel(),    i,    offset,
                      sync_,         regs_.snapshot(), true, fpFlagsPending_};
        ensureFpReady(stub.miss);
        const bool fma = l.kind == Kind::FpFma;
        if (single) {
            const unsigned sources[] = {d.rs1, d.rs2, d.rs3};
            for (unsigned k = 0; k < (fma ? 3u : 2u); ++k) {
                if (fpCache_.find(sources[k], true)) continue;  // written boxed by this block
                a.cmp(e_.stateField(fOffset(sources[k]) + 4, 4), -1);
                a.jne(stub.miss);
            }
        }
        const uint32_t size = single ? 4 : 8;
        // A source in the FP cache is a register, else its state field.
        auto src = [&](unsigned reg) -> asmjit::Operand {
            if (const x86::Xmm* cached = fpCache_.find(reg, single)) return *cached;
            return e_.stateField(fOffset(reg), size);
        };
        auto load = [&](const x86::Xmm& dst, unsigned reg) {
            const asmjit::Operand from = src(reg);
            if (from.isReg())
                a.movaps(dst, from.as<x86::Xmm>());
            else
                single ? a.movss(dst, from.as<x86::Mem>()) : a.movsd(dst, from.as<x86::Mem>());
        };
        load(x86::xmm0, d.rs1);
        if (fma) {
            load(x86::xmm1, d.rs2);
            // xmm0 = ±(xmm0 * xmm1) ± rs3; RISC-V's FNMSUB is x86's FNMADD and vice versa.
            static constexpr x86::Inst::Id kSingle[4] = {
                x86::Inst::kIdVfmadd213ss, x86::Inst::kIdVfnmadd213ss, x86::Inst::kIdVfmsub213ss,
                x86::Inst::kIdVfnmsub213ss};
            static constexpr x86::Inst::Id kDouble[4] = {
                x86::Inst::kIdVfmadd213sd, x86::Inst::kIdVfnmadd213sd, x86::Inst::kIdVfmsub213sd,
                x86::Inst::kIdVfnmsub213sd};
            a.emit((single ? kSingle : kDouble)[l.op], x86::xmm0, x86::xmm1, src(d.rs3));
        } else {
            static constexpr x86::Inst::Id kSingle[4] = {x86::Inst::kIdAddss, x86::Inst::kIdSubss,
                                                         x86::Inst::kIdMulss, x86::Inst::kIdDivss};
            static constexpr x86::Inst::Id kDouble[4] = {x86::Inst::kIdAddsd, x86::Inst::kIdSubsd,
                                                         x86::Inst::kIdMulsd, x86::Inst::kIdDivsd};
            a.emit((single ? kSingle : kDouble)[l.op], x86::xmm0, src(d.rs2));
        }
        // A NaN result is unordered with itself (a quiet NaN: no flag).
        single ? a.ucomiss(x86::xmm0, x86::xmm0) : a.ucomisd(x86::xmm0, x86::xmm0);
        a.jp(stub.miss);
        fpFlagsPending_ = true;  // in the MXCSR until foldFpFlags()
        if (single) {
            a.movss(e_.stateField(fOffset(d.rd), 4), x86::xmm0);
            a.mov(e_.stateField(fOffset(d.rd) + 4, 4), -1);  // NaN-box
        } else {
            a.movsd(e_.stateField(fOffset(d.rd)), x86::xmm0);
        }
        a.movaps(fpCache_.put(d.rd, single), x86::xmm0);
        a.bind(stub.resume);
        ++sync_.unretired;
        stub.fpCache = fpCache_;  // what the code after `resume` expects
        missStubs_.push_back(stub);
    }
    // The flags inline FP instructions raise stay in the (sticky) MXCSR
    // until code that may look at fflags or leave: before every helper and
    // every exit, fflags |= flags(MXCSR) (IE ZE OE UE PE, bits 0, 2-5,
    // through a table). Only while hostMxcsrClean: else the MXCSR holds
    // host flags and no inline FP instruction has run since (each needs it
    // clean, and a helper comes after a fold). Clobbers rax, rcx.
    void foldFpFlags() {
        if (!fpFlagsPending_) return;
        auto& a = as();
        asmjit::Label skip = e_.newLabel();
        a.cmp(e_.stateField(offsetof(HartState, hostMxcsrClean), 1), 0);
        a.je(skip);
        const x86::Mem scratch = x86::dword_ptr(x86::rsp, -8);  // the red zone: nothing runs below rsp
        a.stmxcsr(scratch);
        a.mov(x86::eax, scratch);
        a.and_(x86::eax, 0x3d);
        a.mov(x86::rcx, reinterpret_cast<uint64_t>(mxcsrToFflags().data()));
        a.movzx(x86::eax, x86::byte_ptr(x86::rcx, x86::rax));
        a.or_(e_.stateField(offsetof(HartState, fflags), 1), x86::al);
        a.bind(skip);
    }
    static const std::array<uint8_t, 64>& mxcsrToFflags() {
        static const std::array<uint8_t, 64> table = [] {
            std::array<uint8_t, 64> t{};
            for (uint32_t m = 0; m < t.size(); ++m) t[m] = fpu::flagsFromMxcsr(m);
            return t;
        }();
        return table;
    }

    struct MissStub {
        asmjit::Label miss, resume;
        size_t insn;
        int64_t offset;
        Sync sync;  // at the access, before it retired
        jit::RegisterCache::Snapshot regs;
        bool fpReady;  // the inline code after `resume` assumes FP ready (checkFpReady)
        bool fpFlagsPending;
        FpCache fpCache = {};
    };
    void emitMissStubs() {
        for (const MissStub& stub : missStubs_) {
            as().bind(stub.miss);
            sync_ = stub.sync;
            regs_.enterSlowPath(stub.regs);
            fpFlagsPending_ = stub.fpFlagsPending;
            callHelper(stub.insn, stub.offset);
            asmjit::Label notReady;
            if (stub.fpReady) {
                // The helper may have left the host MXCSR unclean (device
                // code) or been the FP instruction whose check failed.
                notReady = e_.newLabel();
                checkFpReady(notReady);
            }
            regs_.leaveSlowPath(stub.regs);
            stub.fpCache.reload(as(), [&](unsigned r) { return e_.stateField(fOffset(r)); });
            // Back to the inline path's view of pc and instret.
            if (stub.offset != stub.sync.pcAt)
                as().add(e_.stateField(kPcOffset), static_cast<int32_t>(stub.sync.pcAt - stub.offset));
            if (stub.sync.unretired)
                as().sub(e_.stateField(kInstretOffset), static_cast<int32_t>(stub.sync.unretired));
            as().jmp(stub.resume);
            if (stub.fpReady) {
                // Not FP ready after the helper: leave after this instruction
                // (the state struct holds every register here) and let the
                // dispatcher go on from the next one.
                as().bind(notReady);
                as().add(e_.stateField(kInstretOffset), 1);
                as().add(e_.stateField(kPcOffset), static_cast<int32_t>(insns_[stub.insn].length));
                e_.exitWith(static_cast<uint32_t>(ExecStatus::Stop));
            }
        }
    }

    // After a helper returned anything but Continue (al): pc is at the
    // instruction and instret counts up to it.
    void emitStatusStubs() {
        for (size_t i = 0; i < statusStubs_.size(); ++i) {
            if (!statusStubs_[i].isValid()) continue;
            auto& a = as();
            a.bind(statusStubs_[i]);
            a.cmp(x86::al, static_cast<uint8_t>(ExecStatus::Trap));
            a.je(trapExit_);
            a.add(e_.stateField(kInstretOffset), 1);
            a.cmp(x86::al, static_cast<uint8_t>(ExecStatus::Jump));
            a.je(jumpExit_);                                                          // pc holds the target
            a.add(e_.stateField(kPcOffset), static_cast<int32_t>(insns_[i].length));  // Stop, Wfi
            a.movzx(x86::eax, x86::al);
            a.xor_(x86::edx, x86::edx);
            a.ret();
        }
    }

    const JitSource& source_;
    const std::vector<DecodedInsn>& insns_;
    const jit::JumpCache& jumps_;
    Emitter e_;
    jit::RegisterCache regs_;
    Sync sync_{0, 0};
    bool fpReady_ = false;         // checkFpReady holds here (inline path)
    bool fpFlagsPending_ = false;  // inline FP flags may be in the MXCSR only (foldFpFlags)
    FpCache fpCache_;
    bool hasInlineFp_ = false;  // the block has inline FP arithmetic
    asmjit::Label trapExit_, jumpExit_;
    std::vector<asmjit::Label> statusStubs_;
    std::vector<MissStub> missStubs_;
    std::vector<BranchStub> branchStubs_;
    std::vector<int64_t> offsets_;       // block offset of each instruction
    std::vector<asmjit::Label> labels_;  // per instruction: valid if a jump inside the block leads there
    std::vector<Sync> labelSync_;        // pc and instret state at each bound label
    std::array<bool, jit::RegisterCache::kMaxGuestRegisters>
        written_{};  // written by the block's inline code
};

}  // namespace

TranslateResult translateBlock(const JitSource& source, jit::CodeBuffer& buffer, const jit::JumpCache& jumps,
                               std::unique_ptr<jit::TranslationBlock>& out) {
    auto payload = std::make_unique<DecodedBlock>();
    payload->insns = decodeRun(source);
    if (payload->insns.empty()) return TranslateResult::Straddles;
    auto block = std::make_unique<jit::TranslationBlock>();
    block->physPc = source.physPc;
    block->mode = source.mode;
    block->countHostInstructions = source.countHostInstructions;
    for (const DecodedInsn& d : payload->insns) block->guestBytes += d.length;
    block->guestInstructions = static_cast<uint32_t>(payload->insns.size());
    Translator translator(source, *block, *payload, jumps);
    translator.emit();
    if (!translator.finish(buffer))
        return translator.failed() ? TranslateResult::Failed : TranslateResult::BufferFull;
    block->payload = std::move(payload);
    out = std::move(block);
    return TranslateResult::Ok;
}

}  // namespace tessera::riscv
