// Specification: whatever address a guest uses (0, the top of the address
// space, misaligned, or one whose TLB entry was just flushed), in every
// privilege and paging mode, an access either completes in guest RAM or a
// device, or raises the exception the spec requires with the mtval QEMU 7.2
// reports (tests/baremetal/hostile_*.c compare the two emulators on a real
// board). It never reaches host memory: the process survives every case here.
//
// Regression for issue 10, item 1: the software TLB's empty-entry tag (1) was
// the lookup key of `lh a0, 1(zero)`, so that access "hit" an empty entry and
// dereferenced host address 1, or after a flush a stale host page.

#include <QtTest>

#include "unit/riscv_test_machine.h"

using namespace tessera::riscv;
using namespace tessera::riscv::test;
using namespace tessera::riscv::test::pte;  // V, R, W, X, U, G, A, D
namespace op = enc::opcode;

namespace {

enum class Kind {
    LoadB,
    LoadH,
    LoadW,
    LoadD,
    StoreB,
    StoreH,
    StoreW,
    StoreD,
    LrW,
    LrD,
    ScW,
    ScD,
    AmoW,
    AmoD,
    Fetch
};

unsigned sizeOf(Kind kind) {
    switch (kind) {
        case Kind::LoadB:
        case Kind::StoreB:
            return 1;
        case Kind::LoadH:
        case Kind::StoreH:
            return 2;
        case Kind::LoadW:
        case Kind::StoreW:
        case Kind::LrW:
        case Kind::ScW:
        case Kind::AmoW:
        case Kind::Fetch:
            return 4;
        default:
            return 8;
    }
}
bool isLoad(Kind k) {
    return k <= Kind::LoadD || k == Kind::LrW || k == Kind::LrD;
}
bool isAtomic(Kind k) {
    return k >= Kind::LrW && k <= Kind::AmoD;
}

// The instruction under test, with its address in s1 (x9); stores write a2.
uint32_t instruction(Kind kind) {
    switch (kind) {
        case Kind::LoadB:
            return enc::i(op::Load, a0, 0, s1, 0);
        case Kind::LoadH:
            return enc::i(op::Load, a0, 1, s1, 0);
        case Kind::LoadW:
            return enc::lw(a0, s1, 0);
        case Kind::LoadD:
            return enc::ld(a0, s1, 0);
        case Kind::StoreB:
            return enc::s(op::Store, 0, s1, a2, 0);
        case Kind::StoreH:
            return enc::s(op::Store, 1, s1, a2, 0);
        case Kind::StoreW:
            return enc::sw(a2, s1, 0);
        case Kind::StoreD:
            return enc::sd(a2, s1, 0);
        case Kind::LrW:
            return enc::r(op::Amo, a0, 2, s1, 0, 0x08);
        case Kind::LrD:
            return enc::r(op::Amo, a0, 3, s1, 0, 0x08);
        case Kind::ScW:
            return enc::r(op::Amo, a0, 2, s1, a2, 0x0c);
        case Kind::ScD:
            return enc::r(op::Amo, a0, 3, s1, a2, 0x0c);
        case Kind::AmoW:
            return enc::r(op::Amo, a0, 2, s1, a2, 0x00);  // amoadd.w
        case Kind::AmoD:
            return enc::r(op::Amo, a0, 3, s1, a2, 0x00);  // amoadd.d
        case Kind::Fetch:
            return enc::jalr(zero, s1, 0);
    }
    return 0;
}

struct Expected {
    uint64_t cause;
    uint64_t tval;
};

// What the access raises when its address maps to nothing in physical memory
// (machine mode, bare translation, or a page mapped onto a hole).
Expected unbackedFault(Kind kind, uint64_t addr) {
    const unsigned size = sizeOf(kind);
    if (kind == Kind::Fetch) return {cause::InstructionAccessFault, addr};
    if (isAtomic(kind) && (addr & (size - 1)))
        return {isLoad(kind) ? cause::LoadMisaligned : cause::StoreMisaligned, addr};
    if (isLoad(kind))
        return {cause::LoadAccessFault, addr & ~uint64_t(size - 1)};  // the aligned word that failed
    return {cause::StoreAccessFault, addr};                           // stores: the first byte that failed
}
// ... and when its page is not mapped at all: a page fault at the address,
// except that a misaligned atomic is rejected before translation.
Expected unmappedFault(Kind kind, uint64_t addr) {
    const unsigned size = sizeOf(kind);
    if (kind == Kind::Fetch) return {cause::InstructionPageFault, addr};
    if (isAtomic(kind) && (addr & (size - 1)))
        return {isLoad(kind) ? cause::LoadMisaligned : cause::StoreMisaligned, addr};
    return {isLoad(kind) ? cause::LoadPageFault : cause::StorePageFault, addr};
}

// ... and when PMP denies it: an access fault at the address (the check
// covers the whole access, so nothing is split first).
Expected pmpFault(Kind kind, uint64_t addr) {
    const unsigned size = sizeOf(kind);
    if (kind == Kind::Fetch) return {cause::InstructionAccessFault, addr};
    if (isAtomic(kind) && (addr & (size - 1)))
        return {isLoad(kind) ? cause::LoadMisaligned : cause::StoreMisaligned, addr};
    return {isLoad(kind) ? cause::LoadAccessFault : cause::StoreAccessFault, addr};
}

enum class Paging { Bare, Unmapped, OntoHole, PmpRamOnly };
enum class Flush { None, Page, All };  // what SFENCE.VMA addr / SFENCE.VMA, satp and PMP writes do

struct Mode {
    const char* name;
    unsigned priv;  // privilege the code runs in
    bool mprv;      // M-mode with MPRV=1, MPP=S: data accesses are translated, fetches are not
    Paging paging;
    unsigned levels = 3;  // Sv39 or Sv48
};
const Mode kModes[] = {
    {"M", PrivMachine, false, Paging::Bare},
    {"S-bare", PrivSupervisor, false, Paging::Bare},
    {"U-bare", PrivUser, false, Paging::Bare},
    {"U-bare-PMP-RAM-only", PrivUser, false, Paging::PmpRamOnly},
    {"S-Sv39", PrivSupervisor, false, Paging::Unmapped},
    {"S-Sv48", PrivSupervisor, false, Paging::Unmapped, 4},
    {"U-Sv39", PrivUser, false, Paging::Unmapped},
    {"M-MPRV-Sv39", PrivMachine, true, Paging::Unmapped},
    {"S-Sv39-onto-hole", PrivSupervisor, false, Paging::OntoHole},
    {"U-Sv48-onto-hole", PrivUser, false, Paging::OntoHole, 4},
};
const char* const kFlushNames[] = {"fresh TLB", "after sfence.vma addr", "after a full flush"};

constexpr uint64_t kTop = ~0ull;
constexpr uint64_t kCode = kRamBase + 0x10000;  // identity-mapped under paging
// RAM pages in the TLB slots the hostile addresses use (pages 0, 1 and the
// top page: slots 0, 1 and 255), warmed with a load and a store, then flushed.
const uint64_t kWarmPages[] = {kRamBase + 0x300000, kRamBase + 0x301000, kRamBase + 0x3ff000};
constexpr uint64_t kWarmPattern = 0x0123456789abcdefull;
// Unmapped and hole pages: nothing in TestMachine's physical map is below RAM.
constexpr uint64_t kHolePa = 0x200000;

// The hostile addresses: 0 and the top of the address space, aligned and not,
// including accesses that wrap from the top page to page 0 or cross page 0's end.
const uint64_t kAddresses[] = {0,     1,     2,    3,        4,        6,        7,        0xffa,
                               0xffe, 0xfff, kTop, kTop - 1, kTop - 2, kTop - 3, kTop - 6, kTop - 7};
const Kind kKinds[] = {Kind::LoadB,  Kind::LoadH,  Kind::LoadW,  Kind::LoadD, Kind::StoreB,
                       Kind::StoreH, Kind::StoreW, Kind::StoreD, Kind::LrW,   Kind::LrD,
                       Kind::ScW,    Kind::ScD,    Kind::AmoW,   Kind::AmoD,  Kind::Fetch};
const char* const kKindNames[] = {"lb",   "lh",   "lw",   "ld",   "sb",       "sh",       "sw",   "sd",
                                  "lr.w", "lr.d", "sc.w", "sc.d", "amoadd.w", "amoadd.d", "fetch"};

struct Outcome {
    bool trapped;
    uint64_t cause, tval, a0;
};

// Runs the warm-up code, the flush and then the hostile instruction.
Outcome runCase(const Mode& mode, Flush flush, Kind kind, uint64_t addr) {
    TestMachine m;
    const uint64_t userBit = mode.priv == PrivUser ? uint64_t(U) : 0;
    for (uint64_t page : kWarmPages)
        for (uint64_t off = 0; off < 0x1000; off += 8) m.write64(page + off, kWarmPattern);
    if (mode.paging == Paging::PmpRamOnly) {
        m.s().pmpaddr[0] = (kRamBase + kRamSize / 2 - 1) >> 2;  // NAPOT: all of RAM
        m.s().pmpcfg[0] = 0x1f;                                 // NAPOT, RWX
    } else if (mode.paging != Paging::Bare) {
        PageTables pt(m, mode.levels);
        pt.map(kCode, kCode, V | R | X | A | userBit);
        for (uint64_t page : kWarmPages) pt.map(page, page, V | R | W | A | D | userBit);
        if (mode.paging == Paging::OntoHole) {
            const uint64_t any = V | R | W | X | A | D | userBit;
            pt.map(0, kHolePa, any);
            pt.map(0x1000, kHolePa + 0x1000, any);
            pt.map(kTop & ~0xfffull, kHolePa + 0x2000, any);
        }
        m.s().satp = pt.satp();
    }
    if (mode.mprv) m.s().mstatus |= mstatus::MPRV | (uint64_t(PrivSupervisor) << mstatus::MPP_SHIFT);
    m.s().priv = static_cast<uint8_t>(mode.priv);
    m.hart.updateTlbContexts();

    // Phase 1: load and store every warm page, so the hostile address's TLB
    // slots hold real host pages; then flush them as the guest would.
    std::vector<uint32_t> warm;
    for (unsigned i = 0; i < std::size(kWarmPages); ++i) {
        const unsigned reg = 18 + i;  // s2, s3, s4
        m.s().x[reg] = kWarmPages[i];
        warm.push_back(enc::ld(t0, reg, 0));
        warm.push_back(enc::sd(t0, reg, 8));
    }
    if (flush != Flush::None) {
        m.load(warm, kCode);
        m.s().pc = kCode;
        m.run();
        if (flush == Flush::Page)
            for (uint64_t page : kWarmPages) m.hart.flushTlbPage(page);
        else
            m.hart.flushTlb();
    }

    // Phase 2: the hostile access, its address in s1.
    const uint64_t at = kCode + 0x800;
    m.load({instruction(kind)}, at);
    m.s().pc = at;
    m.s().x[s1] = addr;
    m.s().x[a0] = 0x5a5a;
    m.s().x[a2] = 0xfeedfacecafebeefull;
    m.run();
    for (uint64_t page : kWarmPages)
        for (uint64_t off = 0; off < 0x1000; off += 8)
            if (m.read64(page + off) != kWarmPattern) return {false, ~0ull, page + off, 0};  // a stray store
    return {m.trappedToM(), m.s().mcause, m.s().mtval, m.s().x[a0]};
}

Expected expectedFor(const Mode& mode, Kind kind, uint64_t addr) {
    if (mode.paging == Paging::PmpRamOnly) return pmpFault(kind, addr);
    const bool translated = mode.paging != Paging::Bare && (kind != Kind::Fetch || !mode.mprv);
    if (translated && mode.paging == Paging::Unmapped) return unmappedFault(kind, addr);
    return unbackedFault(kind, addr);
}

}  // namespace

class RiscvHostileAccessTest : public QObject {
    Q_OBJECT
private slots:
    void everyHostileAccessTrapsAsTheSpecSays_data() {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("flush");
        for (int mode = 0; mode < int(std::size(kModes)); ++mode)
            for (int flush = 0; flush < 3; ++flush)
                QTest::addRow("%s, %s", kModes[mode].name, kFlushNames[flush]) << mode << flush;
    }
    void everyHostileAccessTrapsAsTheSpecSays() {
        QFETCH(int, mode);
        QFETCH(int, flush);
        const Mode& m = kModes[mode];
        for (Kind kind : kKinds) {
            for (uint64_t address : kAddresses) {
                const uint64_t addr = kind == Kind::Fetch ? address & ~1ull : address;  // jalr clears bit 0
                const Expected want = expectedFor(m, kind, addr);
                const Outcome got = runCase(m, static_cast<Flush>(flush), kind, addr);
                const QByteArray what =
                    QByteArray(kKindNames[int(kind)]) + " at 0x" + QByteArray::number(qulonglong(addr), 16);
                QVERIFY2(got.trapped, what + ": no trap");
                QVERIFY2(got.cause == want.cause && got.tval == want.tval,
                         what + ": cause " + QByteArray::number(got.cause) + " tval 0x" +
                             QByteArray::number(qulonglong(got.tval), 16) + ", want cause " +
                             QByteArray::number(want.cause) + " tval 0x" +
                             QByteArray::number(qulonglong(want.tval), 16));
                QVERIFY2(got.a0 == 0x5a5a, what + ": the destination register was written");
            }
        }
    }
    void aTrapVectorThatFaultsStillReturnsControlToTheHost() {
        // mtvec points at nothing: every trap faults again at the vector and
        // nothing retires. run() must still come back within its budget (the
        // board's loop then handles --timeout, pause and quit), as it did not
        // before the CPU fuzzer found it.
        TestMachine m;
        m.s().mtvec = 0x1000;
        m.load({0});  // illegal instruction
        const RunResult result = m.hart.run(1000);
        QCOMPARE(result.reason, StopReason::BudgetExhausted);
        QCOMPARE(m.s().mcause, cause::InstructionAccessFault);
        QCOMPARE(m.s().mepc, 0x1000ull);
    }
};

QTEST_APPLESS_MAIN(RiscvHostileAccessTest)
#include "riscv_hostile_access_test.moc"
