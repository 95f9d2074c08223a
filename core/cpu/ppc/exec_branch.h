#pragma once
// Branches and system-level flow: b, bc, bclr, bcctr, sc, rfi (Book I 2.4,
// OEA 6.4.15).

#include "core/cpu/ppc/fields.h"

namespace tessera::ppc::exec {

inline ExecStatus b(Cpu& c, uint32_t i) {
    const uint32_t li = static_cast<uint32_t>(static_cast<int32_t>(i << 6) >> 6) & ~3u;
    const uint32_t target = (i & 2) ? li : c.s.pc + li;
    if (i & 1) c.s.lr = c.s.pc + 4;
    c.s.pc = target;
    return ExecStatus::Jump;
}

// BO: bit 0x10 ignore CR, 0x08 the CR value wanted, 0x04 do not decrement
// CTR, 0x02 branch if CTR == 0 (else != 0).
inline bool branchTaken(Cpu& c, uint32_t i) {
    const unsigned bo = rD(i);
    if (!(bo & 4)) --c.s.ctr;
    const bool ctrOk = (bo & 4) || ((c.s.ctr == 0) == ((bo & 2) != 0));
    const bool condOk = (bo & 16) || (crBit(c, rA(i)) == ((bo & 8) != 0));
    return ctrOk && condOk;
}
inline ExecStatus branchTo(Cpu& c, uint32_t i, bool taken, uint32_t target) {
    if (i & 1) c.s.lr = c.s.pc + 4;
    c.s.pc = taken ? target : c.s.pc + 4;
    return ExecStatus::Jump;
}
inline ExecStatus bc(Cpu& c, uint32_t i) {
    const uint32_t bd = simm(i & 0xfffc);
    const uint32_t target = (i & 2) ? bd : c.s.pc + bd;
    return branchTo(c, i, branchTaken(c, i), target);
}
inline ExecStatus bclr(Cpu& c, uint32_t i) {
    const uint32_t target = c.s.lr & ~3u;  // read before LK updates LR
    return branchTo(c, i, branchTaken(c, i), target);
}
// bcctr with the decrement bit clear is an invalid form (it would use the CTR
// it decrements); QEMU raises the illegal-instruction program interrupt.
inline ExecStatus bcctr(Cpu& c, uint32_t i) {
    if (!(rD(i) & 4)) return c.illegal();
    return branchTo(c, i, branchTaken(c, i), c.s.ctr & ~3u);
}

inline ExecStatus sc(Cpu& c, uint32_t) {
    return c.raise(Vector::SystemCall, 0, true);
}

inline ExecStatus rfi(Cpu& c, uint32_t) {
    if (!c.supervisor()) return c.privileged();
    c.writeMsr(c.s.srr1 & ~msr::POW);  // rfi never sets POW
    c.s.pc = c.s.srr0 & ~3u;
    return ExecStatus::Jump;
}

}  // namespace tessera::ppc::exec
