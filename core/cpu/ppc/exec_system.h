#pragma once
// Processor control: MSR, SPRs, the time base, segment registers, and the
// synchronisation, cache and TLB instructions (OEA chapter 2, 5, 7).

#include "core/cpu/ppc/fields.h"

namespace tessera::ppc::exec {

inline ExecStatus sprError(Cpu& c, Cpu::SprResult r) {
    return r == Cpu::SprResult::Privileged ? c.privileged() : c.illegal();
}
inline ExecStatus mfspr(Cpu& c, uint32_t i) {
    uint32_t v = 0;
    const Cpu::SprResult r = c.readSpr(sprNumber(i), v);
    if (r == Cpu::SprResult::Ignored) return ExecStatus::Continue;
    if (r != Cpu::SprResult::Ok) return sprError(c, r);
    c.s.gpr[rD(i)] = v;
    return ExecStatus::Continue;
}
inline ExecStatus mtspr(Cpu& c, uint32_t i) {
    const Cpu::SprResult r = c.writeSpr(sprNumber(i), c.s.gpr[rD(i)]);
    if (r == Cpu::SprResult::Ignored) return ExecStatus::Continue;
    if (r != Cpu::SprResult::Ok) return sprError(c, r);
    return ExecStatus::Stop;  // DEC or translation state may have changed
}
inline ExecStatus mftb(Cpu& c, uint32_t i) {
    const unsigned tbr = sprNumber(i);
    if (tbr != 268 && tbr != 269) return c.illegal();
    const uint64_t tb = c.timeBase();
    c.s.gpr[rD(i)] = static_cast<uint32_t>(tbr == 268 ? tb : tb >> 32);
    return ExecStatus::Continue;
}
inline ExecStatus mfmsr(Cpu& c, uint32_t i) {
    if (!c.supervisor()) return c.privileged();
    c.s.gpr[rD(i)] = c.s.msr;
    return ExecStatus::Continue;
}
// MSR[POW] set: the 750 dozes/naps until an interrupt; the engine idles.
inline ExecStatus mtmsr(Cpu& c, uint32_t i) {
    if (!c.supervisor()) return c.privileged();
    c.writeMsr(c.s.gpr[rD(i)]);
    if (c.s.msr & msr::POW) {
        c.s.msr &= ~msr::POW;
        return ExecStatus::Idle;
    }
    return ExecStatus::Stop;
}
inline ExecStatus mfsr(Cpu& c, uint32_t i) {
    if (!c.supervisor()) return c.privileged();
    c.s.gpr[rD(i)] = c.s.sr[rA(i) & 15];
    return ExecStatus::Continue;
}
inline ExecStatus mfsrin(Cpu& c, uint32_t i) {
    if (!c.supervisor()) return c.privileged();
    c.s.gpr[rD(i)] = c.s.sr[c.s.gpr[rB(i)] >> 28];
    return ExecStatus::Continue;
}
inline ExecStatus mtsr(Cpu& c, uint32_t i) {
    if (!c.supervisor()) return c.privileged();
    c.s.sr[rA(i) & 15] = c.s.gpr[rD(i)];
    c.flushTranslations();
    return ExecStatus::Stop;
}
inline ExecStatus mtsrin(Cpu& c, uint32_t i) {
    if (!c.supervisor()) return c.privileged();
    c.s.sr[c.s.gpr[rB(i)] >> 28] = c.s.gpr[rD(i)];
    c.flushTranslations();
    return ExecStatus::Stop;
}
inline ExecStatus tlbie(Cpu& c, uint32_t) {
    if (!c.supervisor()) return c.privileged();
    c.flushTranslations();
    return ExecStatus::Stop;
}
inline ExecStatus tlbsync(Cpu& c, uint32_t) {
    if (!c.supervisor()) return c.privileged();
    return ExecStatus::Continue;
}
// sync, isync, eieio: the interpreter completes every access in order.
inline ExecStatus barrier(Cpu&, uint32_t) {
    return ExecStatus::Stop;
}

// Cache control: there is no cache to model, but the address is translated
// with the access type the architecture gives each (faults are real).
inline uint32_t indexedEa(const Cpu& c, uint32_t i) {
    return baseOrZero(c, rA(i)) + c.s.gpr[rB(i)];
}
inline ExecStatus cacheHint(Cpu&, uint32_t) {
    return ExecStatus::Continue;
}  // dcbt, dcbtst: never fault
inline ExecStatus cacheLoadLike(Cpu& c, uint32_t i) {  // dcbf, dcbst, icbi
    uint32_t pa = 0;
    return c.translateData(indexedEa(c, i), Access::Load, pa) ? ExecStatus::Continue : ExecStatus::Trap;
}
inline ExecStatus dcbi(Cpu& c, uint32_t i) {
    if (!c.supervisor()) return c.privileged();
    uint32_t pa = 0;
    return c.translateData(indexedEa(c, i), Access::Store, pa) ? ExecStatus::Continue : ExecStatus::Trap;
}
inline ExecStatus dcbz(Cpu& c, uint32_t i) {
    return c.zeroBlock(indexedEa(c, i)) ? ExecStatus::Continue : ExecStatus::Trap;
}

}  // namespace tessera::ppc::exec
