#pragma once
// Integer loads and stores: D and X forms with and without update, algebraic
// and byte-reversed forms, multiple and string transfers, lwarx/stwcx.
// (Book I 3.3.2-3.3.6, Book II 1.7.2). A faulting access has entered its
// exception already; its semantic function returns Trap with nothing written.

#include <bit>

#include "core/cpu/ppc/fields.h"

namespace tessera::ppc::exec {

inline uint32_t dFormEa(const Cpu& c, uint32_t i) {
    return baseOrZero(c, rA(i)) + simm(i);
}
inline uint32_t xFormEa(const Cpu& c, uint32_t i) {
    return baseOrZero(c, rA(i)) + c.s.gpr[rB(i)];
}

inline uint32_t extend(uint64_t v, unsigned size, bool algebraic) {
    if (!algebraic) return static_cast<uint32_t>(v);
    return size == 2 ? static_cast<uint32_t>(static_cast<int16_t>(v)) : static_cast<uint32_t>(v);
}
inline uint64_t byteReverse(uint64_t v, unsigned size) {
    return size == 2 ? __builtin_bswap16(static_cast<uint16_t>(v))
                     : __builtin_bswap32(static_cast<uint32_t>(v));
}

// Update forms with rA = 0 (and loads with rA = rD) are invalid; QEMU
// raises the illegal-instruction program interrupt for them.
template <unsigned Size, bool Algebraic, bool Update, bool Indexed, bool Reversed = false>
ExecStatus loadInt(Cpu& c, uint32_t i) {
    if (Update && (rA(i) == 0 || rA(i) == rD(i))) return c.illegal();
    const uint32_t ea = Indexed ? xFormEa(c, i) : dFormEa(c, i);
    uint64_t v = 0;
    if (!c.load(ea, Size, v)) return ExecStatus::Trap;
    if (Reversed) v = byteReverse(v, Size);
    c.s.gpr[rD(i)] = extend(v, Size, Algebraic);
    if (Update) c.s.gpr[rA(i)] = ea;
    return ExecStatus::Continue;
}
template <unsigned Size, bool Update, bool Indexed, bool Reversed = false>
ExecStatus storeInt(Cpu& c, uint32_t i) {
    if (Update && rA(i) == 0) return c.illegal();
    const uint32_t ea = Indexed ? xFormEa(c, i) : dFormEa(c, i);
    uint64_t v = c.s.gpr[rD(i)];
    if (Reversed) v = byteReverse(v, Size);
    if (!c.store(ea, Size, v)) return ExecStatus::Trap;
    if (Update) c.s.gpr[rA(i)] = ea;
    return ExecStatus::Continue;
}

// lmw/stmw: registers rD..r31 from/to consecutive words. A fault part-way
// leaves the registers already loaded (the instruction restarts).
inline ExecStatus lmw(Cpu& c, uint32_t i) {
    uint32_t ea = dFormEa(c, i);
    for (unsigned r = rD(i); r < 32; ++r, ea += 4) {
        uint32_t v = 0;
        if (!c.load32(ea, v)) return ExecStatus::Trap;
        c.s.gpr[r] = v;
    }
    return ExecStatus::Continue;
}
inline ExecStatus stmw(Cpu& c, uint32_t i) {
    uint32_t ea = dFormEa(c, i);
    for (unsigned r = rD(i); r < 32; ++r, ea += 4)
        if (!c.store(ea, 4, c.s.gpr[r])) return ExecStatus::Trap;
    return ExecStatus::Continue;
}

// String transfers: `count` bytes packed big-endian into rD, rD+1, ...
// (wrapping r31 -> r0); the last register's unused low bytes are zeroed.
inline ExecStatus loadString(Cpu& c, uint32_t i, uint32_t ea, unsigned count) {
    unsigned reg = rD(i);
    for (unsigned n = 0; n < count; ++n) {
        uint32_t byte = 0;
        if (!c.load8(ea + n, byte)) return ExecStatus::Trap;
        const unsigned shift = 24 - 8 * (n % 4);
        if (n % 4 == 0) c.s.gpr[reg] = 0;
        c.s.gpr[reg] |= byte << shift;
        if (n % 4 == 3) reg = (reg + 1) % 32;
    }
    return ExecStatus::Continue;
}
inline ExecStatus storeString(Cpu& c, uint32_t i, uint32_t ea, unsigned count) {
    unsigned reg = rD(i);
    for (unsigned n = 0; n < count; ++n) {
        const uint32_t byte = (c.s.gpr[reg] >> (24 - 8 * (n % 4))) & 0xff;
        if (!c.store(ea + n, 1, byte)) return ExecStatus::Trap;
        if (n % 4 == 3) reg = (reg + 1) % 32;
    }
    return ExecStatus::Continue;
}
inline unsigned immediateCount(uint32_t i) {
    return rB(i) ? rB(i) : 32;
}
inline ExecStatus lswi(Cpu& c, uint32_t i) {
    return loadString(c, i, baseOrZero(c, rA(i)), immediateCount(i));
}
inline ExecStatus stswi(Cpu& c, uint32_t i) {
    return storeString(c, i, baseOrZero(c, rA(i)), immediateCount(i));
}
inline ExecStatus lswx(Cpu& c, uint32_t i) {
    return loadString(c, i, xFormEa(c, i), c.s.xer & 0x7f);
}
inline ExecStatus stswx(Cpu& c, uint32_t i) {
    return storeString(c, i, xFormEa(c, i), c.s.xer & 0x7f);
}

// Alignment interrupt (OEA 6.4.6): DAR = EA; DSISR bits 15-21 identify the
// instruction (from its extended opcode), 22-31 are its rD and rA fields.
inline ExecStatus alignmentFault(Cpu& c, uint32_t i, uint32_t ea) {
    const uint32_t xo = (((i >> 1) & 3) << 5) | (((i >> 6) & 1) << 4) | ((i >> 7) & 0xf);
    c.s.dsisr = (xo << 10) | ((i >> 16) & 0x3ff);
    c.s.dar = ea;
    return c.raise(Vector::Alignment);
}

inline ExecStatus lwarx(Cpu& c, uint32_t i) {
    const uint32_t ea = xFormEa(c, i);
    if (ea & 3) return alignmentFault(c, i, ea);
    uint32_t pa = 0, v = 0;
    if (!c.translateData(ea, Access::Load, pa) || !c.load32(ea, v)) return ExecStatus::Trap;
    c.s.gpr[rD(i)] = v;
    c.s.reservationAddress = pa;
    c.s.reservationValid = 1;
    return ExecStatus::Continue;
}
// stwcx.: stores only while the reservation on its real address holds;
// CR0 = 00 || success || SO, and the reservation is gone either way.
// Without a reservation nothing is accessed, so a misaligned stwcx. then
// only fails (as in QEMU) instead of taking the alignment interrupt.
inline ExecStatus stwcx(Cpu& c, uint32_t i) {
    const uint32_t ea = xFormEa(c, i);
    bool stored = false;
    if (c.s.reservationValid) {
        if (ea & 3) return alignmentFault(c, i, ea);
        uint32_t pa = 0;
        if (!c.translateData(ea, Access::Store, pa)) return ExecStatus::Trap;
        if (pa == c.s.reservationAddress) {
            if (!c.store(ea, 4, c.s.gpr[rD(i)])) return ExecStatus::Trap;
            stored = true;
        }
    }
    c.s.reservationValid = 0;
    setCrField(c, 0, (stored ? 2u : 0u) | ((c.s.xer & xer::SO) ? 1u : 0u));
    return ExecStatus::Continue;
}

}  // namespace tessera::ppc::exec
