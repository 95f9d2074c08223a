// Address translation: Sv39/Sv48 page-table walks (privileged spec 1.12,
// 4.3.2 and 4.5), the software TLB that caches their results as host-pointer
// addends, and the slow paths of loads and stores (MMIO, misaligned accesses,
// writes to pages holding decoded code).

#include "core/cpu/riscv/hart.h"

namespace tessera::riscv {

namespace {
constexpr uint64_t kPageMask = ~0xfffull;
namespace pte {
constexpr uint64_t V = 1, R = 2, W = 4, X = 8, U = 16, A = 64, D = 128;
}
uint64_t pageFaultCause(AccessType type) {
    return type == AccessType::Fetch  ? cause::InstructionPageFault
           : type == AccessType::Load ? cause::LoadPageFault
                                      : cause::StorePageFault;
}
uint64_t accessFaultCause(AccessType type) {
    return type == AccessType::Fetch  ? cause::InstructionAccessFault
           : type == AccessType::Load ? cause::LoadAccessFault
                                      : cause::StoreAccessFault;
}
}  // namespace

MemResult Hart::pageFault(AccessType type, uint64_t vaddr) {
    raise(pageFaultCause(type), vaddr);
    return MemResult::Fault;
}
MemResult Hart::accessFault(AccessType type, uint64_t vaddr) {
    raise(accessFaultCause(type), vaddr);
    return MemResult::Fault;
}

// With mstatus.MPRV=1, M-mode loads and stores use the privilege in MPP (3.1.6.3).
unsigned Hart::effectiveDataPrivilege() const {
    if (s.priv == PrivMachine && (s.mstatus & mstatus::MPRV))
        return static_cast<unsigned>((s.mstatus & mstatus::MPP) >> mstatus::MPP_SHIFT);
    return s.priv;
}

void Hart::updateTlbContexts() {
    auto context = [this](unsigned priv) -> uint32_t {
        if (priv == PrivMachine) return TlbMachine;
        if (priv == PrivUser) return TlbUser;
        return (s.mstatus & mstatus::SUM) ? TlbSupervisorSum : TlbSupervisor;
    };
    s.fetchTlbContext = context(s.priv);
    s.dataTlbContext = context(effectiveDataPrivilege());
}

void Hart::flushTlb() {
    if (filledTlbOverflow_) {
        for (auto& context : s.tlb)
            for (auto& kind : context)
                for (TlbEntry& e : kind) e.clear();  // addend too: nothing stale to reach
    } else {
        for (TlbEntry* e : filledTlb_) e->clear();
    }
    filledTlb_.clear();
    filledTlbOverflow_ = false;
    for (auto& bases : cachedSuperpages_) bases.clear();
    if (codeObserver_) codeObserver_->translationsChanged();
}

void Hart::flushTlbPage(uint64_t vaddr) {
    // A superpage is cached as many 4 KiB entries; SFENCE.VMA of an address
    // inside it must drop the whole leaf, so fall back to a full flush then.
    for (unsigned level = 1; level < 4; ++level) {
        if (cachedSuperpages_[level].empty()) continue;
        const uint64_t base = vaddr & ~((1ull << (12 + 9 * level)) - 1);
        if (cachedSuperpages_[level].count(base)) {
            flushTlb();
            return;
        }
    }
    const uint64_t page = vaddr & kPageMask;
    for (auto& context : s.tlb)
        for (auto& kind : context) {
            TlbEntry& e = kind[(vaddr >> 12) % kTlbEntries];
            if (e.tag == page) e.clear();
        }
    if (codeObserver_) codeObserver_->translationChanged(vaddr);
}

void Hart::fillTlb(uint64_t vaddr, uint64_t paddr, AccessType type, unsigned context) {
    uint8_t* host = bus_.ramPointer(paddr & kPageMask, 0x1000);
    if (!host) return;  // MMIO or a partial page: always the slow path
    const uintptr_t hostPage = reinterpret_cast<uintptr_t>(host);
    if (type == AccessType::Store && isCodePage(hostPage)) return;  // stores must see the code
    const unsigned kind = type == AccessType::Load    ? TlbRead
                          : type == AccessType::Store ? TlbWrite
                                                      : TlbFetch;
    TlbEntry& e = s.tlb[context][kind][(vaddr >> 12) % kTlbEntries];
    e.tag = vaddr & kPageMask;
    e.addend = hostPage - (vaddr & kPageMask);
    if (filledTlb_.size() < kMaxTrackedTlbFills)
        filledTlb_.push_back(&e);
    else
        filledTlbOverflow_ = true;
}

MemResult Hart::walkPageTable(uint64_t vaddr, AccessType type, unsigned priv, uint64_t& paddr) {
restart:  // another hart changed the leaf PTE while we set its A/D bits
    const uint64_t mode = s.satp >> 60;
    const int levels = mode == 9 ? 4 : 3;
    const unsigned vaBits = 12 + 9 * static_cast<unsigned>(levels);
    // Bits above the VA width must all equal the top VA bit (4.3.1, 4.5.1).
    const int64_t canonical = static_cast<int64_t>(vaddr << (64 - vaBits)) >> (64 - vaBits);
    if (static_cast<uint64_t>(canonical) != vaddr) return pageFault(type, vaddr);

    uint64_t table = (s.satp & ((1ull << 44) - 1)) << 12;
    uint64_t entry = 0, entryAddress = 0;
    int level = levels - 1;
    for (;; --level) {
        entryAddress = table + ((vaddr >> (12 + 9 * level)) & 0x1ff) * 8;
        // Implicit page-table reads are S-mode accesses for PMP (3.7.1).
        if (!pmpCheck(entryAddress, 8, AccessType::Load, PrivSupervisor).allowed)
            return accessFault(type, vaddr);
        const uint8_t* host = bus_.ramPointer(entryAddress, 8);
        if (!host) return accessFault(type, vaddr);
        std::memcpy(&entry, host, 8);
        // Reserved bits 63:54 (Svnapot, Svpbmt not implemented), V=0, or W without R.
        if (!(entry & pte::V) || ((entry & pte::W) && !(entry & pte::R)) || (entry >> 54) != 0)
            return pageFault(type, vaddr);
        if (entry & (pte::R | pte::X)) break;  // leaf
        if (level == 0) return pageFault(type, vaddr);
        table = ((entry >> 10) & ((1ull << 44) - 1)) << 12;
    }

    // Leaf permission checks (4.3.2 step 5).
    if (priv == PrivUser && !(entry & pte::U)) return pageFault(type, vaddr);
    if (priv == PrivSupervisor && (entry & pte::U) &&
        (type == AccessType::Fetch || !(s.mstatus & mstatus::SUM)))
        return pageFault(type, vaddr);
    switch (type) {
        case AccessType::Fetch:
            if (!(entry & pte::X)) return pageFault(type, vaddr);
            break;
        case AccessType::Load:
            if (!(entry & pte::R) && !((s.mstatus & mstatus::MXR) && (entry & pte::X)))
                return pageFault(type, vaddr);
            break;
        case AccessType::Store:
            if (!(entry & pte::W)) return pageFault(type, vaddr);
            break;
    }
    const uint64_t ppn = (entry >> 10) & ((1ull << 44) - 1);
    // A superpage's low PPN bits must be zero (step 6).
    if (level > 0 && (ppn & ((1ull << (9 * level)) - 1)) != 0) return pageFault(type, vaddr);

    // A and D are set by the walker (step 7, the Svadu-style option Linux accepts).
    const uint64_t wanted = pte::A | (type == AccessType::Store ? pte::D : 0);
    if ((entry & wanted) != wanted) {
        if (!pmpCheck(entryAddress, 8, AccessType::Store, PrivSupervisor).allowed)
            return accessFault(type, vaddr);
        // Atomic with respect to other harts (4.3.2 step 7): the PTE is
        // updated only if it still is what the checks above read; if another
        // hart changed it in between, the walk starts over on the new value.
        auto* pte = reinterpret_cast<uint64_t*>(bus_.ramPointer(entryAddress, 8));
        uint64_t expected = entry;
        if (!__atomic_compare_exchange_n(pte, &expected, entry | wanted, false, __ATOMIC_SEQ_CST,
                                         __ATOMIC_SEQ_CST))
            goto restart;
        entry |= wanted;
    }
    const uint64_t offsetMask = (1ull << (12 + 9 * level)) - 1;
    paddr = ((ppn << 12) & ~offsetMask) | (vaddr & offsetMask);
    if (level > 0) cachedSuperpages_[level].insert(vaddr & ~offsetMask);
    return MemResult::Ok;
}

MemResult Hart::translate(uint64_t vaddr, AccessType type, unsigned size, uint64_t& paddr) {
    const unsigned priv = type == AccessType::Fetch ? s.priv : effectiveDataPrivilege();
    const uint64_t mode = s.satp >> 60;
    if (priv == PrivMachine || mode == 0) {
        paddr = vaddr;
    } else if (walkPageTable(vaddr, type, priv, paddr) != MemResult::Ok) {
        return MemResult::Fault;
    }
    const PmpResult pmp = pmpCheck(paddr, size, type, priv);
    if (!pmp.allowed) return accessFault(type, vaddr);
    if (pmp.uniformOverPage)
        fillTlb(vaddr, paddr, type, type == AccessType::Fetch ? s.fetchTlbContext : s.dataTlbContext);
    return MemResult::Ok;
}

std::optional<uint64_t> Hart::debugTranslate(uint64_t vaddr) {
    // translate() records a fault in the trap fields and caches what it
    // found in the TLB; the debugger's look must leave the trap fields alone.
    const uint64_t cause = s.trapCause, value = s.trapValue;
    uint64_t paddr = 0;
    const bool ok = translate(vaddr, AccessType::Load, 1, paddr) == MemResult::Ok ||
                    translate(vaddr, AccessType::Fetch, 1, paddr) == MemResult::Ok;
    s.trapCause = cause;
    s.trapValue = value;
    if (!ok) return std::nullopt;
    return paddr;
}

MemResult Hart::loadSlow(uint64_t vaddr, unsigned size, uint64_t& out) {
    if (vaddr & (size - 1)) return loadMisaligned(vaddr, size, out);
    uint64_t paddr = 0;
    if (translate(vaddr, AccessType::Load, size, paddr) != MemResult::Ok) return MemResult::Fault;
    if (const uint8_t* host = bus_.ramPointer(paddr, size)) {
        out = 0;
        std::memcpy(&out, host, size);
        return MemResult::Ok;
    }
    s.hostMxcsrClean = 0;  // device code may raise host FP flags
    if (!bus_.read(paddr, size, out)) return accessFault(AccessType::Load, vaddr);
    return MemResult::Ok;
}

MemResult Hart::storeSlow(uint64_t vaddr, unsigned size, uint64_t value) {
    if (vaddr & (size - 1)) return storeMisaligned(vaddr, size, value);
    uint64_t paddr = 0;
    if (translate(vaddr, AccessType::Store, size, paddr) != MemResult::Ok) return MemResult::Fault;
    if (uint8_t* host = bus_.ramPointer(paddr, size)) {
        const uintptr_t hostPage = reinterpret_cast<uintptr_t>(host) & kPageMask;
        const bool code = isCodePage(hostPage);
        if (code) codeWritten(hostPage, paddr, size);  // self-modifying code: drop the stale translations
        std::memcpy(host, &value, size);
        return code ? MemResult::OkEndBlock : MemResult::Ok;
    }
    s.hostMxcsrClean = 0;  // device code may raise host FP flags
    if (!bus_.write(paddr, size, value)) return accessFault(AccessType::Store, vaddr);
    return MemResult::OkEndBlock;  // a device may have changed an interrupt line
}

// Misaligned loads and stores are completed in software, as the spec permits
// (unprivileged 2.6), in the same pieces as QEMU 7.2, the reference the
// hostile-guest test (tests/baremetal/hostile_*.c) compares against, so that a
// fault reports the same cause and address. mtval holds the address of the
// portion that faulted (privileged 3.1.16): the access's own address when its
// first page does not translate, else the piece that failed.
//
// Load: translate the address, then read the two naturally aligned words of
// the access's size that hold its bytes (they may lie on different pages, or
// one may be outside RAM and the device).
MemResult Hart::loadMisaligned(uint64_t vaddr, unsigned size, uint64_t& out) {
    uint64_t paddr = 0;
    if (translate(vaddr, AccessType::Load, size, paddr) != MemResult::Ok) return MemResult::Fault;
    const uint64_t low = vaddr & ~static_cast<uint64_t>(size - 1);
    uint64_t lowWord = 0, highWord = 0;
    if (loadSlow(low, size, lowWord) != MemResult::Ok) return MemResult::Fault;
    if (loadSlow(low + size, size, highWord) != MemResult::Ok) return MemResult::Fault;
    const unsigned shift = 8 * static_cast<unsigned>(vaddr - low);  // 8..56: never a full-width shift
    const uint64_t value = (lowWord >> shift) | (highWord << (8 * size - shift));
    out = size == 8 ? value : value & ((1ull << (8 * size)) - 1);
    return MemResult::Ok;
}

// Store: translate the address and, if the access crosses into the next page,
// that page too, so a translation fault leaves memory unchanged; then store
// byte by byte (a store that runs off the end of RAM or of a device writes
// the bytes before the hole, as on QEMU).
MemResult Hart::storeMisaligned(uint64_t vaddr, unsigned size, uint64_t value) {
    uint64_t paddr = 0;
    if (translate(vaddr, AccessType::Store, size, paddr) != MemResult::Ok) return MemResult::Fault;
    const uint64_t offsetInPage = vaddr & 0xfff;
    if (offsetInPage + size > 0x1000) {
        const uint64_t nextPage = (vaddr & kPageMask) + 0x1000;  // 0 after the top page, as the address wraps
        const auto bytesOnNextPage = static_cast<unsigned>(offsetInPage + size - 0x1000);
        if (translate(nextPage, AccessType::Store, bytesOnNextPage, paddr) != MemResult::Ok)
            return MemResult::Fault;
    }
    MemResult result = MemResult::Ok;
    for (unsigned i = 0; i < size; ++i) {
        const MemResult r = storeSlow(vaddr + i, 1, (value >> (8 * i)) & 0xff);
        if (r == MemResult::Fault) return r;
        if (r == MemResult::OkEndBlock) result = r;
    }
    return result;
}

MemResult Hart::atomicTarget(uint64_t vaddr, unsigned size, AccessType type, AtomicTarget& target) {
    if (vaddr & (size - 1)) {
        raise(type == AccessType::Load ? cause::LoadMisaligned : cause::StoreMisaligned, vaddr);
        return MemResult::Fault;
    }
    const unsigned kind = type == AccessType::Load ? TlbRead : TlbWrite;
    const TlbEntry& e = s.tlb[s.dataTlbContext][kind][(vaddr >> 12) % kTlbEntries];
    if (e.tag == (vaddr & kPageMask)) {
        target.host = reinterpret_cast<uint8_t*>(vaddr + e.addend);
        target.paddr = bus_.ramAddressOf(target.host);
        return MemResult::Ok;
    }
    if (translate(vaddr, type, size, target.paddr) != MemResult::Ok) return MemResult::Fault;
    target.host = bus_.ramPointer(target.paddr, size);
    if (!target.host) {
        if (!bus_.mmioRegionAt(target.paddr)) return accessFault(type, vaddr);
        s.hostMxcsrClean = 0;          // device code may raise host FP flags
        return MemResult::OkEndBlock;  // and may change an interrupt line
    }
    if (type == AccessType::Store) {
        const uintptr_t hostPage = reinterpret_cast<uintptr_t>(target.host) & kPageMask;
        if (isCodePage(hostPage)) {
            codeWritten(hostPage, target.paddr, size);
            return MemResult::OkEndBlock;
        }
    }
    return MemResult::Ok;
}

void Hart::clearReservationIfOverlaps(uint64_t paddr, uint64_t length) {
    if (!s.reservationValid || length == 0) return;
    // Overlap of [paddr, paddr+length) and the granule, without overflow at the top of the address space.
    const uint64_t granule = s.reservationAddress;
    const bool overlaps = paddr <= granule ? granule - paddr < length : paddr - granule < kReservationGranule;
    if (overlaps) s.reservationValid = 0;
}

void Hart::noteExternalWrite(uint64_t paddr, uint64_t length) {
    invalidateCode(paddr, length);
    clearReservationIfOverlaps(paddr, length);
}

}  // namespace tessera::riscv
