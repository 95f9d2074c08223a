#pragma once
// Integer arithmetic, logical, rotate/shift, compare, trap and condition
// register instructions (Book I chapter 3.3, 2.4).

#include "core/cpu/ppc/fields.h"

namespace tessera::ppc::exec {

// ---- Arithmetic with carry/overflow: every add/subtract form is x + y + cin ----
struct Sum {
    uint32_t value;
    bool carry;
    bool overflow;
};
inline Sum addWithCarry(uint32_t x, uint32_t y, uint32_t cin) {
    const uint64_t wide = uint64_t{x} + y + cin;
    const uint32_t r = static_cast<uint32_t>(wide);
    return {r, (wide >> 32) != 0, (((x ^ r) & (y ^ r)) >> 31) != 0};
}
// XO form: rD = result; CA if it is a carrying form; OV with OE; CR0 with Rc.
inline ExecStatus finishXo(Cpu& c, uint32_t i, Sum r, bool setsCarry) {
    c.s.gpr[rD(i)] = r.value;
    if (setsCarry) setCarry(c, r.carry);
    if (oe(i)) setOverflow(c, r.overflow);
    if (rc(i)) setCr0(c, r.value);
    return ExecStatus::Continue;
}
inline uint32_t A(const Cpu& c, uint32_t i) {
    return c.s.gpr[rA(i)];
}
inline uint32_t B(const Cpu& c, uint32_t i) {
    return c.s.gpr[rB(i)];
}
inline uint32_t S(const Cpu& c, uint32_t i) {
    return c.s.gpr[rD(i)];
}

inline ExecStatus add(Cpu& c, uint32_t i) {
    return finishXo(c, i, addWithCarry(A(c, i), B(c, i), 0), false);
}
inline ExecStatus addc(Cpu& c, uint32_t i) {
    return finishXo(c, i, addWithCarry(A(c, i), B(c, i), 0), true);
}
inline ExecStatus adde(Cpu& c, uint32_t i) {
    return finishXo(c, i, addWithCarry(A(c, i), B(c, i), carry(c)), true);
}
inline ExecStatus addme(Cpu& c, uint32_t i) {
    return finishXo(c, i, addWithCarry(A(c, i), ~0u, carry(c)), true);
}
inline ExecStatus addze(Cpu& c, uint32_t i) {
    return finishXo(c, i, addWithCarry(A(c, i), 0, carry(c)), true);
}
inline ExecStatus subf(Cpu& c, uint32_t i) {
    return finishXo(c, i, addWithCarry(~A(c, i), B(c, i), 1), false);
}
inline ExecStatus subfc(Cpu& c, uint32_t i) {
    return finishXo(c, i, addWithCarry(~A(c, i), B(c, i), 1), true);
}
inline ExecStatus subfe(Cpu& c, uint32_t i) {
    return finishXo(c, i, addWithCarry(~A(c, i), B(c, i), carry(c)), true);
}
inline ExecStatus subfme(Cpu& c, uint32_t i) {
    return finishXo(c, i, addWithCarry(~A(c, i), ~0u, carry(c)), true);
}
inline ExecStatus subfze(Cpu& c, uint32_t i) {
    return finishXo(c, i, addWithCarry(~A(c, i), 0, carry(c)), true);
}
inline ExecStatus neg(Cpu& c, uint32_t i) {
    return finishXo(c, i, addWithCarry(~A(c, i), 0, 1), false);
}

inline ExecStatus mullw(Cpu& c, uint32_t i) {
    const int64_t p = int64_t{static_cast<int32_t>(A(c, i))} * static_cast<int32_t>(B(c, i));
    return finishXo(c, i, {static_cast<uint32_t>(p), false, p != static_cast<int32_t>(p)}, false);
}
inline ExecStatus mulhw(Cpu& c, uint32_t i) {
    const int64_t p = int64_t{static_cast<int32_t>(A(c, i))} * static_cast<int32_t>(B(c, i));
    return finishXo(c, i & ~0x400u, {static_cast<uint32_t>(static_cast<uint64_t>(p) >> 32), false, false},
                    false);
}
inline ExecStatus mulhwu(Cpu& c, uint32_t i) {
    const uint64_t p = uint64_t{A(c, i)} * B(c, i);
    return finishXo(c, i & ~0x400u, {static_cast<uint32_t>(p >> 32), false, false}, false);
}
// Division by zero and INT_MIN / -1 leave rD undefined (Book I 3.3.8); this
// gives rA, as QEMU does (it divides by 1 instead), and sets OV with OE.
inline ExecStatus divw(Cpu& c, uint32_t i) {
    const int32_t a = static_cast<int32_t>(A(c, i)), b = static_cast<int32_t>(B(c, i));
    const bool bad = b == 0 || (a == INT32_MIN && b == -1);
    return finishXo(c, i, {bad ? static_cast<uint32_t>(a) : static_cast<uint32_t>(a / b), false, bad}, false);
}
inline ExecStatus divwu(Cpu& c, uint32_t i) {
    const uint32_t a = A(c, i), b = B(c, i);
    return finishXo(c, i, {b == 0 ? a : a / b, false, b == 0}, false);
}

// ---- D-form arithmetic ----
inline ExecStatus addi(Cpu& c, uint32_t i) {
    c.s.gpr[rD(i)] = baseOrZero(c, rA(i)) + simm(i);
    return ExecStatus::Continue;
}
inline ExecStatus addis(Cpu& c, uint32_t i) {
    c.s.gpr[rD(i)] = baseOrZero(c, rA(i)) + (i << 16);
    return ExecStatus::Continue;
}
inline ExecStatus addic(Cpu& c, uint32_t i) {
    const Sum r = addWithCarry(A(c, i), simm(i), 0);
    c.s.gpr[rD(i)] = r.value;
    setCarry(c, r.carry);
    return ExecStatus::Continue;
}
inline ExecStatus addicRecord(Cpu& c, uint32_t i) {
    addic(c, i);
    setCr0(c, c.s.gpr[rD(i)]);
    return ExecStatus::Continue;
}
inline ExecStatus subfic(Cpu& c, uint32_t i) {
    const Sum r = addWithCarry(~A(c, i), simm(i), 1);
    c.s.gpr[rD(i)] = r.value;
    setCarry(c, r.carry);
    return ExecStatus::Continue;
}
inline ExecStatus mulli(Cpu& c, uint32_t i) {
    c.s.gpr[rD(i)] =
        static_cast<uint32_t>(static_cast<int32_t>(A(c, i)) * int64_t{static_cast<int32_t>(simm(i))});
    return ExecStatus::Continue;
}

// ---- Logical (X form: rA = rS op rB) ----
template <uint32_t (*Op)(uint32_t, uint32_t)>
ExecStatus logical(Cpu& c, uint32_t i) {
    const uint32_t r = Op(S(c, i), B(c, i));
    c.s.gpr[rA(i)] = r;
    if (rc(i)) setCr0(c, r);
    return ExecStatus::Continue;
}
inline uint32_t opAnd(uint32_t a, uint32_t b) {
    return a & b;
}
inline uint32_t opAndc(uint32_t a, uint32_t b) {
    return a & ~b;
}
inline uint32_t opOr(uint32_t a, uint32_t b) {
    return a | b;
}
inline uint32_t opOrc(uint32_t a, uint32_t b) {
    return a | ~b;
}
inline uint32_t opXor(uint32_t a, uint32_t b) {
    return a ^ b;
}
inline uint32_t opNand(uint32_t a, uint32_t b) {
    return ~(a & b);
}
inline uint32_t opNor(uint32_t a, uint32_t b) {
    return ~(a | b);
}
inline uint32_t opEqv(uint32_t a, uint32_t b) {
    return ~(a ^ b);
}
inline uint32_t opSlw(uint32_t a, uint32_t b) {
    return (b & 0x20) ? 0 : a << (b & 31);
}
inline uint32_t opSrw(uint32_t a, uint32_t b) {
    return (b & 0x20) ? 0 : a >> (b & 31);
}
inline uint32_t opExtsb(uint32_t a, uint32_t) {
    return static_cast<uint32_t>(static_cast<int8_t>(a));
}
inline uint32_t opExtsh(uint32_t a, uint32_t) {
    return static_cast<uint32_t>(static_cast<int16_t>(a));
}
inline uint32_t opCntlzw(uint32_t a, uint32_t) {
    return static_cast<uint32_t>(std::countl_zero(a));
}

// Algebraic right shift: CA is set if the source is negative and one bits
// were shifted out.
inline ExecStatus shiftRightAlgebraic(Cpu& c, uint32_t i, unsigned n) {
    const int32_t v = static_cast<int32_t>(S(c, i));
    uint32_t r;
    bool ca;
    if (n > 31) {
        r = v < 0 ? ~0u : 0;
        ca = v < 0;
    } else {
        r = static_cast<uint32_t>(v >> n);
        ca = v < 0 && n && (static_cast<uint32_t>(v) & ((1u << n) - 1)) != 0;
    }
    c.s.gpr[rA(i)] = r;
    setCarry(c, ca);
    if (rc(i)) setCr0(c, r);
    return ExecStatus::Continue;
}
inline ExecStatus sraw(Cpu& c, uint32_t i) {
    return shiftRightAlgebraic(c, i, B(c, i) & 0x3f);
}
inline ExecStatus srawi(Cpu& c, uint32_t i) {
    return shiftRightAlgebraic(c, i, rB(i));
}

// ---- D-form logical (andi./andis. always record) ----
inline ExecStatus ori(Cpu& c, uint32_t i) {
    c.s.gpr[rA(i)] = S(c, i) | uimm(i);
    return ExecStatus::Continue;
}
inline ExecStatus oris(Cpu& c, uint32_t i) {
    c.s.gpr[rA(i)] = S(c, i) | (uimm(i) << 16);
    return ExecStatus::Continue;
}
inline ExecStatus xori(Cpu& c, uint32_t i) {
    c.s.gpr[rA(i)] = S(c, i) ^ uimm(i);
    return ExecStatus::Continue;
}
inline ExecStatus xoris(Cpu& c, uint32_t i) {
    c.s.gpr[rA(i)] = S(c, i) ^ (uimm(i) << 16);
    return ExecStatus::Continue;
}
inline ExecStatus andiRecord(Cpu& c, uint32_t i) {
    c.s.gpr[rA(i)] = S(c, i) & uimm(i);
    setCr0(c, c.s.gpr[rA(i)]);
    return ExecStatus::Continue;
}
inline ExecStatus andisRecord(Cpu& c, uint32_t i) {
    c.s.gpr[rA(i)] = S(c, i) & (uimm(i) << 16);
    setCr0(c, c.s.gpr[rA(i)]);
    return ExecStatus::Continue;
}

// ---- Rotates (M form: SH in bits 16-20, MB 21-25, ME 26-30) ----
inline ExecStatus rotateFinish(Cpu& c, uint32_t i, uint32_t r) {
    c.s.gpr[rA(i)] = r;
    if (rc(i)) setCr0(c, r);
    return ExecStatus::Continue;
}
inline uint32_t rotateMaskOf(uint32_t i) {
    return rotateMask((i >> 6) & 31, (i >> 1) & 31);
}
inline ExecStatus rlwinm(Cpu& c, uint32_t i) {
    return rotateFinish(c, i, std::rotl(S(c, i), static_cast<int>(rB(i))) & rotateMaskOf(i));
}
inline ExecStatus rlwnm(Cpu& c, uint32_t i) {
    return rotateFinish(c, i, std::rotl(S(c, i), static_cast<int>(B(c, i) & 31)) & rotateMaskOf(i));
}
inline ExecStatus rlwimi(Cpu& c, uint32_t i) {
    const uint32_t m = rotateMaskOf(i);
    return rotateFinish(c, i, (std::rotl(S(c, i), static_cast<int>(rB(i))) & m) | (A(c, i) & ~m));
}

// ---- Compare (the L bit is ignored on a 32-bit CPU, as QEMU does) ----
inline ExecStatus compareSigned(Cpu& c, uint32_t i, uint32_t b) {
    const int32_t a = static_cast<int32_t>(A(c, i)), sb = static_cast<int32_t>(b);
    setCrField(c, crfD(i), compareBits(c, a<sb, a> sb));
    return ExecStatus::Continue;
}
inline ExecStatus compareUnsigned(Cpu& c, uint32_t i, uint32_t b) {
    setCrField(c, crfD(i), compareBits(c, A(c, i) < b, A(c, i) > b));
    return ExecStatus::Continue;
}
inline ExecStatus cmp(Cpu& c, uint32_t i) {
    return compareSigned(c, i, B(c, i));
}
inline ExecStatus cmpi(Cpu& c, uint32_t i) {
    return compareSigned(c, i, simm(i));
}
inline ExecStatus cmpl(Cpu& c, uint32_t i) {
    return compareUnsigned(c, i, B(c, i));
}
inline ExecStatus cmpli(Cpu& c, uint32_t i) {
    return compareUnsigned(c, i, uimm(i));
}

// ---- Trap (TO bits: <, >, ==, <u, >u) ----
inline ExecStatus trapIf(Cpu& c, uint32_t i, uint32_t b) {
    const unsigned to = rD(i);
    const int32_t sa = static_cast<int32_t>(A(c, i)), sb = static_cast<int32_t>(b);
    const uint32_t ua = A(c, i);
    const bool hit = ((to & 16) && sa < sb) || ((to & 8) && sa > sb) || ((to & 4) && sa == sb) ||
                     ((to & 2) && ua < b) || ((to & 1) && ua > b);
    return hit ? c.raise(Vector::Program, program::Trap) : ExecStatus::Continue;
}
inline ExecStatus tw(Cpu& c, uint32_t i) {
    return trapIf(c, i, B(c, i));
}
inline ExecStatus twi(Cpu& c, uint32_t i) {
    return trapIf(c, i, simm(i));
}

// ---- Condition register logic (XL form: crbD, crbA, crbB) ----
template <bool (*Op)(bool, bool)>
ExecStatus crLogical(Cpu& c, uint32_t i) {
    setCrBit(c, rD(i), Op(crBit(c, rA(i)), crBit(c, rB(i))));
    return ExecStatus::Continue;
}
inline bool crAnd(bool a, bool b) {
    return a && b;
}
inline bool crOr(bool a, bool b) {
    return a || b;
}
inline bool crXor(bool a, bool b) {
    return a != b;
}
inline bool crNand(bool a, bool b) {
    return !(a && b);
}
inline bool crNor(bool a, bool b) {
    return !(a || b);
}
inline bool crEqv(bool a, bool b) {
    return a == b;
}
inline bool crAndc(bool a, bool b) {
    return a && !b;
}
inline bool crOrc(bool a, bool b) {
    return a || !b;
}

inline ExecStatus mcrf(Cpu& c, uint32_t i) {
    setCrField(c, crfD(i), crField(c, crfS(i)));
    return ExecStatus::Continue;
}
// mcrxr: CR field = SO, OV, CA, 0; those three are cleared. XER bit 3 is
// reserved: neither copied nor cleared (as QEMU).
inline ExecStatus mcrxr(Cpu& c, uint32_t i) {
    setCrField(c, crfD(i), (c.s.xer >> 28) & 0xe);
    c.s.xer &= ~(xer::SO | xer::OV | xer::CA);
    return ExecStatus::Continue;
}
inline ExecStatus mfcr(Cpu& c, uint32_t i) {
    c.s.gpr[rD(i)] = c.s.cr;
    return ExecStatus::Continue;
}
inline ExecStatus mtcrf(Cpu& c, uint32_t i) {
    const unsigned fxm = (i >> 12) & 0xff;
    uint32_t mask = 0;
    for (unsigned f = 0; f < 8; ++f)
        if (fxm & (0x80u >> f)) mask |= 0xf0000000u >> (4 * f);
    c.s.cr = (c.s.cr & ~mask) | (S(c, i) & mask);
    return ExecStatus::Continue;
}

}  // namespace tessera::ppc::exec
