#pragma once
// Instruction fields and the condition-register/XER helpers every group of
// semantic functions uses (PowerPC Book I 1.7, bit 0 = most significant).

#include <bit>
#include <cstdint>

#include "core/cpu/ppc/cpu.h"

namespace tessera::ppc {

inline unsigned rD(uint32_t i) {
    return (i >> 21) & 31;
}  // also rS, frD, BO, TO
inline unsigned rA(uint32_t i) {
    return (i >> 16) & 31;
}  // also BI
inline unsigned rB(uint32_t i) {
    return (i >> 11) & 31;
}
inline unsigned rC(uint32_t i) {
    return (i >> 6) & 31;
}
inline unsigned crfD(uint32_t i) {
    return (i >> 23) & 7;
}
inline unsigned crfS(uint32_t i) {
    return (i >> 18) & 7;
}
inline uint32_t simm(uint32_t i) {
    return static_cast<uint32_t>(static_cast<int32_t>(static_cast<int16_t>(i)));
}
inline uint32_t uimm(uint32_t i) {
    return i & 0xffff;
}
inline bool rc(uint32_t i) {
    return (i & 1) != 0;
}
inline bool oe(uint32_t i) {
    return (i & 0x400) != 0;
}
inline unsigned sprNumber(uint32_t i) {
    return ((i >> 16) & 0x1f) | ((i >> 6) & 0x3e0);
}

// (rA|0): register 0 as a base reads as zero.
inline uint32_t baseOrZero(const Cpu& c, unsigned r) {
    return r ? c.s.gpr[r] : 0;
}

inline void setCrField(Cpu& c, unsigned field, uint32_t bits) {
    const unsigned shift = 28 - 4 * field;
    c.s.cr = (c.s.cr & ~(0xfu << shift)) | ((bits & 0xf) << shift);
}
inline uint32_t crField(const Cpu& c, unsigned field) {
    return (c.s.cr >> (28 - 4 * field)) & 0xf;
}
inline bool crBit(const Cpu& c, unsigned bit) {
    return (c.s.cr >> (31 - bit)) & 1;
}
inline void setCrBit(Cpu& c, unsigned bit, bool v) {
    const uint32_t m = 1u << (31 - bit);
    c.s.cr = v ? (c.s.cr | m) : (c.s.cr & ~m);
}
// LT/GT/EQ of a signed comparison plus XER[SO].
inline uint32_t compareBits(const Cpu& c, bool lt, bool gt) {
    return (lt ? 8u : gt ? 4u : 2u) | ((c.s.xer & xer::SO) ? 1u : 0u);
}
inline void setCr0(Cpu& c, uint32_t v) {
    setCrField(c, 0, compareBits(c, static_cast<int32_t>(v) < 0, static_cast<int32_t>(v) > 0));
}
inline void setCarry(Cpu& c, bool ca) {
    c.s.xer = ca ? (c.s.xer | xer::CA) : (c.s.xer & ~xer::CA);
}
inline bool carry(const Cpu& c) {
    return (c.s.xer & xer::CA) != 0;
}
// OE=1: XER[OV] = overflow, and SO accumulates it.
inline void setOverflow(Cpu& c, bool ov) {
    c.s.xer = ov ? (c.s.xer | xer::OV | xer::SO) : (c.s.xer & ~xer::OV);
}

// The mask of rlwinm & co.: ones from bit mb to bit me, wrapping if mb > me.
inline uint32_t rotateMask(unsigned mb, unsigned me) {
    const uint32_t fromMb = 0xffffffffu >> mb;
    const uint32_t afterMe = me == 31 ? 0 : 0xffffffffu >> (me + 1);
    return mb <= me ? (fromMb & ~afterMe) : (fromMb | ~afterMe);
}

}  // namespace tessera::ppc
