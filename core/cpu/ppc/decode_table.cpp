// The 750's instruction set as rows (opcode numbers from Book I appendix A
// and the 750 user's manual appendix A). AltiVec (the 7400's) and the
// 64-bit instructions are not here: they decode as illegal, as on a 750.
#include "core/cpu/ppc/decode_table.h"

#include <array>

#include "core/cpu/ppc/exec_branch.h"
#include "core/cpu/ppc/exec_float.h"
#include "core/cpu/ppc/exec_integer.h"
#include "core/cpu/ppc/exec_memory.h"
#include "core/cpu/ppc/exec_system.h"

namespace tessera::ppc {

namespace {

using namespace exec;
using F = XoForm;
using fpu::Op;

constexpr InsnRow kRows[] = {
    // ---- Primary opcodes ----
    {3, 0, F::None, twi, "twi"},
    {7, 0, F::None, mulli, "mulli"},
    {8, 0, F::None, subfic, "subfic"},
    {10, 0, F::None, cmpli, "cmpli"},
    {11, 0, F::None, cmpi, "cmpi"},
    {12, 0, F::None, addic, "addic"},
    {13, 0, F::None, addicRecord, "addic."},
    {14, 0, F::None, addi, "addi"},
    {15, 0, F::None, addis, "addis"},
    {16, 0, F::None, bc, "bc"},
    {17, 0, F::None, sc, "sc"},
    {18, 0, F::None, b, "b"},
    {20, 0, F::None, rlwimi, "rlwimi"},
    {21, 0, F::None, rlwinm, "rlwinm"},
    {23, 0, F::None, rlwnm, "rlwnm"},
    {24, 0, F::None, ori, "ori"},
    {25, 0, F::None, oris, "oris"},
    {26, 0, F::None, xori, "xori"},
    {27, 0, F::None, xoris, "xoris"},
    {28, 0, F::None, andiRecord, "andi."},
    {29, 0, F::None, andisRecord, "andis."},
    {32, 0, F::None, loadInt<4, false, false, false>, "lwz"},
    {33, 0, F::None, loadInt<4, false, true, false>, "lwzu"},
    {34, 0, F::None, loadInt<1, false, false, false>, "lbz"},
    {35, 0, F::None, loadInt<1, false, true, false>, "lbzu"},
    {36, 0, F::None, storeInt<4, false, false>, "stw"},
    {37, 0, F::None, storeInt<4, true, false>, "stwu"},
    {38, 0, F::None, storeInt<1, false, false>, "stb"},
    {39, 0, F::None, storeInt<1, true, false>, "stbu"},
    {40, 0, F::None, loadInt<2, false, false, false>, "lhz"},
    {41, 0, F::None, loadInt<2, false, true, false>, "lhzu"},
    {42, 0, F::None, loadInt<2, true, false, false>, "lha"},
    {43, 0, F::None, loadInt<2, true, true, false>, "lhau"},
    {44, 0, F::None, storeInt<2, false, false>, "sth"},
    {45, 0, F::None, storeInt<2, true, false>, "sthu"},
    {46, 0, F::None, lmw, "lmw"},
    {47, 0, F::None, stmw, "stmw"},
    {48, 0, F::None, loadFloat<true, false, false>, "lfs"},
    {49, 0, F::None, loadFloat<true, true, false>, "lfsu"},
    {50, 0, F::None, loadFloat<false, false, false>, "lfd"},
    {51, 0, F::None, loadFloat<false, true, false>, "lfdu"},
    {52, 0, F::None, storeFloat<true, false, false>, "stfs"},
    {53, 0, F::None, storeFloat<true, true, false>, "stfsu"},
    {54, 0, F::None, storeFloat<false, false, false>, "stfd"},
    {55, 0, F::None, storeFloat<false, true, false>, "stfdu"},

    // ---- 19: branch to LR/CTR, CR logic, rfi, isync ----
    {19, 0, F::X, mcrf, "mcrf"},
    {19, 16, F::X, bclr, "bclr"},
    {19, 33, F::X, crLogical<crNor>, "crnor"},
    {19, 50, F::X, rfi, "rfi"},
    {19, 129, F::X, crLogical<crAndc>, "crandc"},
    {19, 150, F::X, barrier, "isync"},
    {19, 193, F::X, crLogical<crXor>, "crxor"},
    {19, 225, F::X, crLogical<crNand>, "crnand"},
    {19, 257, F::X, crLogical<crAnd>, "crand"},
    {19, 289, F::X, crLogical<crEqv>, "creqv"},
    {19, 417, F::X, crLogical<crOrc>, "crorc"},
    {19, 449, F::X, crLogical<crOr>, "cror"},
    {19, 528, F::X, bcctr, "bcctr"},

    // ---- 31: integer arithmetic (XO form, OE free) ----
    {31, 8, F::XO, subfc, "subfc"},
    {31, 10, F::XO, addc, "addc"},
    {31, 40, F::XO, subf, "subf"},
    {31, 104, F::XO, neg, "neg"},
    {31, 136, F::XO, subfe, "subfe"},
    {31, 138, F::XO, adde, "adde"},
    {31, 200, F::XO, subfze, "subfze"},
    {31, 202, F::XO, addze, "addze"},
    {31, 232, F::XO, subfme, "subfme"},
    {31, 234, F::XO, addme, "addme"},
    {31, 235, F::XO, mullw, "mullw"},
    {31, 266, F::XO, add, "add"},
    {31, 459, F::XO, divwu, "divwu"},
    {31, 491, F::XO, divw, "divw"},
    {31, 11, F::X, mulhwu, "mulhwu"},
    {31, 75, F::X, mulhw, "mulhw"},
    // compare, trap, logical, shifts
    {31, 0, F::X, cmp, "cmp"},
    {31, 4, F::X, tw, "tw"},
    {31, 24, F::X, logical<opSlw>, "slw"},
    {31, 26, F::X, logical<opCntlzw>, "cntlzw"},
    {31, 28, F::X, logical<opAnd>, "and"},
    {31, 32, F::X, cmpl, "cmpl"},
    {31, 60, F::X, logical<opAndc>, "andc"},
    {31, 124, F::X, logical<opNor>, "nor"},
    {31, 284, F::X, logical<opEqv>, "eqv"},
    {31, 316, F::X, logical<opXor>, "xor"},
    {31, 412, F::X, logical<opOrc>, "orc"},
    {31, 444, F::X, logical<opOr>, "or"},
    {31, 476, F::X, logical<opNand>, "nand"},
    {31, 536, F::X, logical<opSrw>, "srw"},
    {31, 792, F::X, sraw, "sraw"},
    {31, 824, F::X, srawi, "srawi"},
    {31, 922, F::X, logical<opExtsh>, "extsh"},
    {31, 954, F::X, logical<opExtsb>, "extsb"},
    // CR, XER, MSR, SPR, SR, TB
    {31, 19, F::X, mfcr, "mfcr"},
    {31, 83, F::X, mfmsr, "mfmsr"},
    {31, 144, F::X, mtcrf, "mtcrf"},
    {31, 146, F::X, mtmsr, "mtmsr"},
    {31, 210, F::X, mtsr, "mtsr"},
    {31, 242, F::X, mtsrin, "mtsrin"},
    {31, 339, F::X, mfspr, "mfspr"},
    {31, 371, F::X, mftb, "mftb"},
    {31, 467, F::X, mtspr, "mtspr"},
    {31, 512, F::X, mcrxr, "mcrxr"},
    {31, 595, F::X, mfsr, "mfsr"},
    {31, 659, F::X, mfsrin, "mfsrin"},
    // loads and stores, indexed
    {31, 20, F::X, lwarx, "lwarx"},
    {31, 23, F::X, loadInt<4, false, false, true>, "lwzx"},
    {31, 55, F::X, loadInt<4, false, true, true>, "lwzux"},
    {31, 87, F::X, loadInt<1, false, false, true>, "lbzx"},
    {31, 119, F::X, loadInt<1, false, true, true>, "lbzux"},
    {31, 150, F::X, stwcx, "stwcx."},
    {31, 151, F::X, storeInt<4, false, true>, "stwx"},
    {31, 183, F::X, storeInt<4, true, true>, "stwux"},
    {31, 215, F::X, storeInt<1, false, true>, "stbx"},
    {31, 247, F::X, storeInt<1, true, true>, "stbux"},
    {31, 279, F::X, loadInt<2, false, false, true>, "lhzx"},
    {31, 311, F::X, loadInt<2, false, true, true>, "lhzux"},
    {31, 343, F::X, loadInt<2, true, false, true>, "lhax"},
    {31, 375, F::X, loadInt<2, true, true, true>, "lhaux"},
    {31, 407, F::X, storeInt<2, false, true>, "sthx"},
    {31, 439, F::X, storeInt<2, true, true>, "sthux"},
    {31, 533, F::X, lswx, "lswx"},
    {31, 534, F::X, loadInt<4, false, false, true, true>, "lwbrx"},
    {31, 597, F::X, lswi, "lswi"},
    {31, 661, F::X, stswx, "stswx"},
    {31, 662, F::X, storeInt<4, false, true, true>, "stwbrx"},
    {31, 725, F::X, stswi, "stswi"},
    {31, 790, F::X, loadInt<2, false, false, true, true>, "lhbrx"},
    {31, 918, F::X, storeInt<2, false, true, true>, "sthbrx"},
    {31, 535, F::X, loadFloat<true, false, true>, "lfsx"},
    {31, 567, F::X, loadFloat<true, true, true>, "lfsux"},
    {31, 599, F::X, loadFloat<false, false, true>, "lfdx"},
    {31, 631, F::X, loadFloat<false, true, true>, "lfdux"},
    {31, 663, F::X, storeFloat<true, false, true>, "stfsx"},
    {31, 695, F::X, storeFloat<true, true, true>, "stfsux"},
    {31, 727, F::X, storeFloat<false, false, true>, "stfdx"},
    {31, 759, F::X, storeFloat<false, true, true>, "stfdux"},
    {31, 983, F::X, stfiwx, "stfiwx"},
    // cache, TLB and ordering
    {31, 54, F::X, cacheLoadLike, "dcbst"},
    {31, 86, F::X, cacheLoadLike, "dcbf"},
    {31, 246, F::X, cacheHint, "dcbtst"},
    {31, 278, F::X, cacheHint, "dcbt"},
    {31, 306, F::X, tlbie, "tlbie"},
    {31, 470, F::X, dcbi, "dcbi"},
    {31, 566, F::X, tlbsync, "tlbsync"},
    {31, 598, F::X, barrier, "sync"},
    {31, 854, F::X, barrier, "eieio"},
    {31, 982, F::X, cacheLoadLike, "icbi"},
    {31, 1014, F::X, dcbz, "dcbz"},

    // ---- 59: single-precision arithmetic (A form); fsqrts is not on a 750 ----
    {59, 18, F::A, farith<Op::Div, true>, "fdivs"},
    {59, 20, F::A, farith<Op::Sub, true>, "fsubs"},
    {59, 21, F::A, farith<Op::Add, true>, "fadds"},
    {59, 24, F::A, farith<Op::Reciprocal, true>, "fres"},
    {59, 25, F::A, farith<Op::Mul, true>, "fmuls"},
    {59, 28, F::A, farith<Op::MulSub, true>, "fmsubs"},
    {59, 29, F::A, farith<Op::MulAdd, true>, "fmadds"},
    {59, 30, F::A, farith<Op::MulSub, true, true>, "fnmsubs"},
    {59, 31, F::A, farith<Op::MulAdd, true, true>, "fnmadds"},

    // ---- 63: double precision, conversions, compares, FPSCR; fsqrt is not on a 750 ----
    {63, 18, F::A, farith<Op::Div, false>, "fdiv"},
    {63, 20, F::A, farith<Op::Sub, false>, "fsub"},
    {63, 21, F::A, farith<Op::Add, false>, "fadd"},
    {63, 23, F::A, fsel, "fsel"},
    {63, 25, F::A, farith<Op::Mul, false>, "fmul"},
    {63, 26, F::A, farith<Op::ReciprocalSqrt, false>, "frsqrte"},
    {63, 28, F::A, farith<Op::MulSub, false>, "fmsub"},
    {63, 29, F::A, farith<Op::MulAdd, false>, "fmadd"},
    {63, 30, F::A, farith<Op::MulSub, false, true>, "fnmsub"},
    {63, 31, F::A, farith<Op::MulAdd, false, true>, "fnmadd"},
    {63, 0, F::X, fcmp<false>, "fcmpu"},
    {63, 12, F::X, farith<Op::RoundToSingle, true>, "frsp"},
    {63, 14, F::X, fctiw<false>, "fctiw"},
    {63, 15, F::X, fctiw<true>, "fctiwz"},
    {63, 32, F::X, fcmp<true>, "fcmpo"},
    {63, 38, F::X, mtfsb1, "mtfsb1"},
    {63, 40, F::X, fmove<moveNeg>, "fneg"},
    {63, 64, F::X, mcrfs, "mcrfs"},
    {63, 70, F::X, mtfsb0, "mtfsb0"},
    {63, 72, F::X, fmove<moveCopy>, "fmr"},
    {63, 134, F::X, mtfsfi, "mtfsfi"},
    {63, 136, F::X, fmove<moveNabs>, "fnabs"},
    {63, 264, F::X, fmove<moveAbs>, "fabs"},
    {63, 583, F::X, mffs, "mffs"},
    {63, 711, F::X, mtfsf, "mtfsf"},
};

ExecStatus illegalInstruction(Cpu& c, uint32_t) {
    return c.illegal();
}

// The two-level lookup built from the rows: for each primary opcode either a
// row or a 1024-entry table indexed by bits 21-30.
struct Tables {
    std::array<const InsnRow*, 64> primary{};
    std::array<std::array<const InsnRow*, 1024>, 64> extended{};
    std::array<bool, 64> hasExtended{};
    std::vector<std::string> conflicts;

    void claim(const InsnRow*& slot, const InsnRow& row) {
        if (slot) conflicts.push_back(std::string(slot->name) + " and " + row.name + " share an encoding");
        slot = &row;
    }
    Tables() {
        for (const InsnRow& row : kRows) {
            auto& ext = extended[row.primary];
            switch (row.form) {
                case XoForm::None:
                    claim(primary[row.primary], row);
                    break;
                case XoForm::X:
                    hasExtended[row.primary] = true;
                    claim(ext[row.xo], row);
                    break;
                case XoForm::XO:
                    hasExtended[row.primary] = true;
                    claim(ext[row.xo], row);
                    claim(ext[row.xo | 0x200], row);
                    break;
                case XoForm::A:
                    hasExtended[row.primary] = true;
                    for (unsigned high = 0; high < 32; ++high) claim(ext[(high << 5) | row.xo], row);
                    break;
            }
        }
        for (unsigned p = 0; p < 64; ++p)
            if (hasExtended[p] && primary[p])
                conflicts.push_back("primary opcode " + std::to_string(p) + " has a row and a group");
    }
};

const Tables& tables() {
    static const Tables t;
    return t;
}

const InsnRow* rowOf(uint32_t insn) {
    const Tables& t = tables();
    const unsigned p = insn >> 26;
    return t.hasExtended[p] ? t.extended[p][(insn >> 1) & 0x3ff] : t.primary[p];
}

}  // namespace

std::span<const InsnRow> decodeTable() {
    return kRows;
}

Semantic lookup(uint32_t insn) {
    const InsnRow* row = rowOf(insn);
    return row ? row->semantic : illegalInstruction;
}

const char* mnemonic(uint32_t insn) {
    const InsnRow* row = rowOf(insn);
    return row ? row->name : nullptr;
}

std::vector<std::string> decodeConflicts() {
    return tables().conflicts;
}

}  // namespace tessera::ppc
