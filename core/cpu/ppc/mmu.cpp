// The 750's MMU (PowerPC OEA chapter 7, 32-bit): block address translation
// first, then segment registers and the hashed page table, with the
// reference/change bits kept in the page table entries. Page-table
// translations are cached (tlb_, cpu.h) until tlbie or a write to a segment
// register or SDR1; BATs are checked before the cache, so BAT writes need no
// invalidation.
#include "core/cpu/ppc/cpu.h"

namespace tessera::ppc {

// OEA 7.4.2: a BAT matches if its valid bit for the current mode is set and
// the effective address's block bits equal BEPI under the block-length mask.
bool Cpu::batTranslate(const uint32_t (*bats)[2], uint32_t ea, Access access, uint32_t& pa,
                       Fault& fault) const {
    const bool user = (s.msr & msr::PR) != 0;
    for (unsigned i = 0; i < 4; ++i) {
        const uint32_t upper = bats[i][0], lower = bats[i][1];
        if (!(upper & (user ? 1u : 2u))) continue;
        const uint32_t blockMask = (((upper >> 2) & 0x7ffu) << 17) | 0x1ffffu;
        if ((ea & ~blockMask) != (upper & 0xfffe0000u & ~blockMask)) continue;
        const uint32_t pp = lower & 3;
        if (pp == 0 || (access == Access::Store && (pp & 1))) {
            fault = Fault::Protection;
        } else {
            fault = Fault::None;
            pa = (lower & 0xfffe0000u & ~blockMask) | (ea & blockMask);
        }
        return true;
    }
    return false;
}

// OEA table 7-10 (page protection): with key 0, PP 00/01/10 are read/write
// and 11 is read-only; with key 1, 00 is no access, 01 and 11 are read-only
// and 10 is read/write. Linux 6.1 gives user segments Kp = 0 and maps
// read-only, copy-on-write and not yet dirty user pages as PP 11, so a store
// there must take the DSI for fork and dirty tracking to work.
static bool pageAccessAllowed(unsigned key, uint32_t pp, Access access) {
    if (access == Access::Store) return pp == 2 || (key == 0 && pp != 3);
    return key == 0 || pp != 0;
}

// OEA 7.6: segment register -> virtual address -> primary/secondary hash ->
// PTE group search; the page protection follows from the key and PP.
Cpu::Fault Cpu::pageTranslate(uint32_t ea, Access access, uint32_t& pa) {
    const uint32_t sr = s.sr[ea >> 28];
    if (sr & 0x80000000u) return Fault::DirectStore;  // T=1: the 750 has no direct-store segments
    if (access == Access::Fetch && (sr & 0x10000000u)) return Fault::NoExecute;
    const bool user = (s.msr & msr::PR) != 0;
    const unsigned key = user ? (sr >> 29) & 1 : (sr >> 30) & 1;
    const uint32_t vsid = sr & 0x00ffffffu;
    const uint32_t pageIndex = (ea >> 12) & 0xffffu;
    const uint32_t api = (ea >> 22) & 0x3fu;
    const uint32_t hash = (vsid & 0x7ffffu) ^ pageIndex;
    const uint32_t htabOrg = s.sdr1 & 0xffff0000u;
    const uint32_t htabMask = s.sdr1 & 0x1ffu;
    for (uint32_t secondary = 0; secondary < 2; ++secondary) {
        const uint32_t h = (secondary ? ~hash : hash) & 0x7ffffu;
        const uint32_t pteg = htabOrg | (((h >> 10) & htabMask) << 16) | ((h & 0x3ffu) << 6);
        const uint32_t want = 0x80000000u | (vsid << 7) | (secondary << 6) | api;
        for (uint32_t i = 0; i < 8; ++i) {
            uint64_t w0 = 0, w1 = 0;
            physRead(pteg + 8 * i, 4, w0);
            if (static_cast<uint32_t>(w0) != want) continue;
            physRead(pteg + 8 * i + 4, 4, w1);
            const uint32_t pte = static_cast<uint32_t>(w1);
            if (!pageAccessAllowed(key, pte & 3, access)) return Fault::Protection;
            if (access == Access::Fetch && (pte & 0x8u)) return Fault::NoExecute;  // guarded
            uint32_t updated = pte | 0x100u;                                       // R
            if (access == Access::Store) updated |= 0x80u;                         // C
            if (updated != pte) physWrite(pteg + 8 * i + 4, 4, updated);
            pa = (pte & 0xfffff000u) | (ea & 0xfffu);
            return Fault::None;
        }
    }
    return Fault::NoTranslation;
}

Cpu::Fault Cpu::translate(uint32_t ea, Access access, uint32_t& pa) {
    const bool on = (s.msr & (access == Access::Fetch ? msr::IR : msr::DR)) != 0;
    if (!on) {
        pa = ea;
        return Fault::None;
    }
    Fault fault = Fault::None;
    if (batTranslate(access == Access::Fetch ? s.ibat : s.dbat, ea, access, pa, fault)) return fault;
    TlbEntry& entry =
        tlb_[(s.msr & msr::PR) ? 1 : 0][static_cast<unsigned>(access)][(ea >> 12) % kTlbEntries];
    const uint32_t tag = (ea & 0xfffff000u) | 1u;
    if (entry.tag == tag) {
        pa = entry.page | (ea & 0xfffu);
        return Fault::None;
    }
    fault = pageTranslate(ea, access, pa);
    if (fault == Fault::None) entry = {tag, pa & 0xfffff000u};
    return fault;
}

void Cpu::flushTranslations() {
    for (auto& privilege : tlb_)
        for (auto& kind : privilege)
            for (TlbEntry& entry : kind) entry.tag = 0;
    if (codeObserver_) codeObserver_->translationsChanged();
    for (auto& kind : s.hostTlb)
        for (HostTlbEntry& entry : kind) entry.tag = 0;
}

void Cpu::fillHostTlb(unsigned kind, uint32_t ea, uint32_t pa) {
    if (kind == 1 && !codePages_.empty() && codePages_[pa >> 12]) return;  // stores there must report
    if (uint8_t* host = bus_.ramPointer(pa & 0xfffff000u, 0x1000))
        s.hostTlb[kind][(ea >> 12) % kHostTlbEntries] = {(ea & 0xfffff000u) | hostTlbModeBits(s.msr),
                                                         pa & 0xfffff000u, host};
}

bool Cpu::translateData(uint32_t ea, Access access, uint32_t& pa) {
    const Fault fault = translate(ea, access, pa);
    if (fault == Fault::None) return true;
    accessFault(ea, access, fault);
    return false;
}

// ISI reports the cause in SRR1, DSI in DSISR with the faulting address in
// DAR (OEA 6.4.3, 6.4.4).
ExecStatus Cpu::accessFault(uint32_t ea, Access access, Fault fault) {
    if (access == Access::Fetch) {
        const uint32_t bits = fault == Fault::NoTranslation ? 0x40000000u
                              : fault == Fault::Protection  ? 0x08000000u
                                                            : 0x10000000u;
        return raise(Vector::Isi, bits);
    }
    uint32_t dsisr = fault == Fault::NoTranslation ? 0x40000000u
                     : fault == Fault::Protection  ? 0x08000000u
                                                   : 0x04000000u;
    if (access == Access::Store) dsisr |= 0x02000000u;
    s.dsisr = dsisr;
    s.dar = ea;
    return raise(Vector::Dsi);
}

}  // namespace tessera::ppc
