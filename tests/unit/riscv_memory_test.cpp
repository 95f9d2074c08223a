// Specification: virtual memory (Sv39/Sv48, privileged spec 4.3-4.5), PMP
// (3.7), misaligned accesses, and the A extension's LR/SC and AMOs behave as
// the specs say: walks succeed or fault with the right cause and stval,
// permissions honour U/SUM/MXR, A/D bits are set by the walker, superpages
// must be aligned, SFENCE.VMA makes new mappings visible, and PMP checks
// S/U accesses (and locked entries for M).

#include <QtTest>

#include "core/devices/clint.h"
#include "core/hw/virtual_clock.h"
#include "unit/riscv_test_machine.h"

using namespace tessera::riscv;
using namespace tessera::riscv::test;
using namespace tessera::riscv::test::pte;  // V, R, W, X, U, G, A, D
namespace op = enc::opcode;

namespace {
constexpr uint64_t kCodeVa = 0x10000, kDataVa = 0x20000;
constexpr uint64_t kCodePa = kRamBase + 0x10000, kDataPa = kRamBase + 0x20000;
constexpr unsigned PMPCFG0 = 0x3a0, PMPADDR0 = 0x3b0;

// LR/SC encodings; SC stores a2.
uint32_t lrD(unsigned rd, unsigned rs1) {
    return enc::r(op::Amo, rd, 3, rs1, 0, 0x08);
}
uint32_t scD(unsigned rd, unsigned rs1) {
    return enc::r(op::Amo, rd, 3, rs1, a2, 0x0c);
}
uint32_t lrW(unsigned rd, unsigned rs1) {
    return enc::r(op::Amo, rd, 2, rs1, 0, 0x08);
}
uint32_t scW(unsigned rd, unsigned rs1) {
    return enc::r(op::Amo, rd, 2, rs1, a2, 0x0c);
}

// Runs `code` at kCodeVa in `priv` under `tables`; data page at kDataVa.
void runPaged(TestMachine& m, PageTables& pt, unsigned priv, std::initializer_list<uint32_t> code) {
    m.load(code, kCodePa);
    m.s().satp = pt.satp();
    m.s().priv = static_cast<uint8_t>(priv);
    m.s().pc = kCodeVa;
    m.hart.flushTlb();
    m.hart.updateTlbContexts();
    m.run(10000);
}

void setupStandard(PageTables& pt, uint64_t dataFlags) {
    pt.map(kCodeVa, kCodePa, V | R | X | A);
    pt.map(kDataVa, kDataPa, dataFlags);
}
}  // namespace

class RiscvMemoryTest : public QObject {
    Q_OBJECT
private slots:
    void sv39TranslatesLoadsStoresAndFetches() {
        TestMachine m;
        PageTables pt(m, 3);
        setupStandard(pt, V | R | W | A | D);
        m.write64(kDataPa, 0x1122334455667788ull);
        m.s().x[a1] = kDataVa;
        runPaged(m, pt, PrivSupervisor, {enc::ld(a0, a1, 0), enc::addi(a2, zero, 7), enc::sd(a2, a1, 8)});
        QVERIFY(!m.trappedToM());
        QCOMPARE(m.s().x[a0], 0x1122334455667788ull);
        QCOMPARE(m.read64(kDataPa + 8), 7ull);
        QCOMPARE(m.s().pc, kCodeVa + 12);
    }
    void sv48TranslatesAndRejectsNonCanonicalAddresses() {
        TestMachine m;
        PageTables pt(m, 4);
        const uint64_t highVa = 0x7f8000020000ull;  // uses the 4th level index
        pt.map(kCodeVa, kCodePa, V | R | X | A);
        pt.map(highVa, kDataPa, V | R | A);
        m.write64(kDataPa, 42);
        m.s().x[a1] = highVa;
        runPaged(m, pt, PrivSupervisor, {enc::ld(a0, a1, 0)});
        QCOMPARE(m.s().x[a0], 42ull);
        TestMachine n;
        PageTables pt2(n, 4);
        pt2.map(kCodeVa, kCodePa, V | R | X | A);
        n.s().x[a1] = 0x0000800000000000ull;  // bit 47 set, bits 63:48 clear
        runPaged(n, pt2, PrivSupervisor, {enc::ld(a0, a1, 0)});
        QCOMPARE(n.s().mcause, 13ull);
        QCOMPARE(n.s().mtval, 0x0000800000000000ull);
    }
    void sv39RejectsNonCanonicalAddresses() {
        TestMachine m;
        PageTables pt(m, 3);
        setupStandard(pt, V | R | W | A | D);
        m.s().x[a1] = (1ull << 39) | kDataVa;
        runPaged(m, pt, PrivSupervisor, {enc::ld(a0, a1, 0)});
        QCOMPARE(m.s().mcause, 13ull);
    }
    void faultsCarryTheCauseForTheAccessType() {
        struct Case {
            uint64_t dataFlags;
            uint32_t insn;
            uint64_t cause;
        };
        const Case cases[] = {
            {0, enc::ld(a0, a1, 0), 13},                      // invalid PTE: load page fault
            {V | R | A | D, enc::sd(a0, a1, 0), 15},          // read-only: store page fault
            {V | W | A | D, enc::ld(a0, a1, 0), 13},          // W without R is reserved
            {V | R | W | A | D, enc::jalr(zero, a1, 0), 12},  // not executable: fetch page fault
        };
        for (const Case& c : cases) {
            TestMachine m;
            PageTables pt(m, 3);
            setupStandard(pt, c.dataFlags);
            m.s().x[a1] = kDataVa;
            runPaged(m, pt, PrivSupervisor, {c.insn});
            QCOMPARE(m.s().mcause, c.cause);
            QCOMPARE(m.s().mtval, kDataVa);
        }
    }
    void userPagesAndSum() {
        // S-mode loads from a U page fault unless SUM=1.
        TestMachine m;
        PageTables pt(m, 3);
        setupStandard(pt, V | R | W | U | A | D);
        m.s().x[a1] = kDataVa;
        runPaged(m, pt, PrivSupervisor, {enc::ld(a0, a1, 0)});
        QCOMPARE(m.s().mcause, 13ull);
        TestMachine sum;
        PageTables pt2(sum, 3);
        setupStandard(pt2, V | R | W | U | A | D);
        sum.write64(kDataPa, 9);
        sum.s().x[a1] = kDataVa;
        sum.s().mstatus |= 1ull << 18;
        runPaged(sum, pt2, PrivSupervisor, {enc::ld(a0, a1, 0)});
        QVERIFY(!sum.trappedToM());
        QCOMPARE(sum.s().x[a0], 9ull);
        // S-mode never executes from a U page, even with SUM.
        TestMachine fetch;
        PageTables pt3(fetch, 3);
        pt3.map(kCodeVa, kCodePa, V | R | X | U | A);
        fetch.s().mstatus |= 1ull << 18;
        runPaged(fetch, pt3, PrivSupervisor, {enc::addi(a0, zero, 1)});
        QCOMPARE(fetch.s().mcause, 12ull);
        // U-mode cannot touch a supervisor page.
        TestMachine user;
        PageTables pt4(user, 3);
        pt4.map(kCodeVa, kCodePa, V | R | X | U | A);
        pt4.map(kDataVa, kDataPa, V | R | W | A | D);
        user.s().x[a1] = kDataVa;
        runPaged(user, pt4, PrivUser, {enc::ld(a0, a1, 0)});
        QCOMPARE(user.s().mcause, 13ull);
    }
    void mxrMakesExecutableReadable() {
        for (bool mxr : {false, true}) {
            TestMachine m;
            PageTables pt(m, 3);
            setupStandard(pt, V | X | A);
            m.s().x[a1] = kDataVa;
            if (mxr) m.s().mstatus |= 1ull << 19;
            runPaged(m, pt, PrivSupervisor, {enc::ld(a0, a1, 0)});
            QCOMPARE(m.trappedToM(), !mxr);
        }
    }
    void walkerSetsAccessedAndDirty() {
        TestMachine m;
        PageTables pt(m, 3);
        setupStandard(pt, V | R | W);
        const uint64_t pteAddress = pt.entryFor(kDataVa, 0);
        m.s().x[a1] = kDataVa;
        runPaged(m, pt, PrivSupervisor, {enc::ld(a0, a1, 0)});
        QCOMPARE(m.read64(pteAddress) & (A | D), uint64_t(A));
        m.s().pc = kCodeVa;
        m.load({enc::sd(a0, a1, 0)}, kCodePa);
        m.hart.flushDecodedBlocks();
        m.run(1000);
        QCOMPARE(m.read64(pteAddress) & (A | D), uint64_t(A | D));
    }
    void superpagesMapAndMustBeAligned() {
        TestMachine m;
        PageTables pt(m, 3);
        pt.map(kCodeVa, kCodePa, V | R | X | A);
        const uint64_t megaVa = 0x40000000ull + 0x200000;  // a 2 MiB page
        pt.map(megaVa, kRamBase + 0x200000 * 4, V | R | W | A | D, 1);
        m.write64(kRamBase + 0x200000 * 4 + 0x12340, 0xabc);
        m.s().x[a1] = megaVa + 0x12340;
        runPaged(m, pt, PrivSupervisor, {enc::ld(a0, a1, 0)});
        QCOMPARE(m.s().x[a0], 0xabcull);
        TestMachine bad;
        PageTables pt2(bad, 3);
        pt2.map(kCodeVa, kCodePa, V | R | X | A);
        pt2.map(megaVa, kRamBase + 0x200000 * 4 + 0x1000, V | R | W | A | D, 1);  // ppn[0] != 0
        bad.s().x[a1] = megaVa;
        runPaged(bad, pt2, PrivSupervisor, {enc::ld(a0, a1, 0)});
        QCOMPARE(bad.s().mcause, 13ull);
    }
    void sfenceVmaMakesNewMappingsVisible() {
        TestMachine m;
        PageTables pt(m, 3);
        setupStandard(pt, V | R | W | A | D);
        m.write64(kDataPa, 1);
        m.write64(kDataPa + 0x1000, 2);
        const uint64_t pte = pt.entryFor(kDataVa, 0);
        const uint64_t remapped = (((kDataPa + 0x1000) >> 12) << 10) | V | R | W | A | D;
        m.s().x[a1] = kDataVa;
        m.s().x[a2] = pte;  // the PTE is written through an identity-mapped page below
        pt.map(pte & ~0xfffull, pte & ~0xfffull, V | R | W | A | D);
        m.s().x[a3] = remapped;
        runPaged(m, pt, PrivSupervisor,
                 {enc::ld(a0, a1, 0), enc::sd(a3, a2, 0), enc::sfenceVma(a1, zero), enc::ld(a4, a1, 0)});
        QVERIFY(!m.trappedToM());
        QCOMPARE(m.s().x[a0], 1ull);
        QCOMPARE(m.s().x[a4], 2ull);
    }
    void sfenceOfASuperpageAddressDropsTheWholeLeaf() {
        TestMachine m;
        PageTables pt(m, 3);
        pt.map(kCodeVa, kCodePa, V | R | X | A);
        const uint64_t megaVa = 0x40000000ull;
        const uint64_t first = kRamBase + 0x200000 * 4, second = kRamBase + 0x200000 * 5;
        pt.map(megaVa, first, V | R | W | A | D, 1);
        const uint64_t pte = pt.entryFor(megaVa, 1);
        pt.map(pte & ~0xfffull, pte & ~0xfffull, V | R | W | A | D);  // page tables reachable for the store
        m.write64(first + 0x5000, 1);
        m.write64(second + 0x5000, 2);
        m.s().x[a1] = megaVa + 0x5000;
        m.s().x[a2] = pte;
        m.s().x[a3] = ((second >> 12) << 10) | V | R | W | A | D;
        m.s().x[a5] = megaVa;  // the fence names the superpage's first byte, not the cached 4 KiB page
        runPaged(m, pt, PrivSupervisor,
                 {enc::ld(a0, a1, 0), enc::sd(a3, a2, 0), enc::sfenceVma(a5, zero), enc::ld(a4, a1, 0)});
        QVERIFY(!m.trappedToM());
        QCOMPARE(m.s().x[a0], 1ull);
        QCOMPARE(m.s().x[a4], 2ull);
    }
    void aFlushAfterMoreFillsThanItTracksDropsEveryEntry() {
        // A flush clears the entries filled since the last one; past 4096
        // fills it clears them all. 9 superpages of 512 pages each, all on
        // one physical 2 MiB page, fill 4608 entries; then the last
        // superpage is remapped and a full SFENCE.VMA must drop its entry,
        // the last one filled.
        TestMachine m;
        PageTables pt(m, 3);
        pt.map(kCodeVa, kCodePa, V | R | X | A);
        const uint64_t megaVa = 0x40000000ull;
        const uint64_t first = kRamBase + 0x200000 * 4, second = kRamBase + 0x200000 * 5;
        constexpr unsigned kSuperpages = 9;
        for (unsigned k = 0; k < kSuperpages; ++k)
            pt.map(megaVa + k * 0x200000ull, first, V | R | W | A | D, 1);
        const uint64_t lastVa = megaVa + kSuperpages * 0x200000ull - 0x1000;
        const uint64_t pte = pt.entryFor(lastVa, 1);
        pt.map(pte & ~0xfffull, pte & ~0xfffull, V | R | W | A | D);
        m.write64(first + 0x1ff000, 1);
        m.write64(second + 0x1ff000, 2);
        m.s().x[a1] = megaVa;
        m.s().x[a2] = 0x1000;
        m.s().x[a3] = kSuperpages * 512;
        m.s().x[a4] = pte;
        m.s().x[a5] = ((second >> 12) << 10) | V | R | W | A | D;
        m.s().x[a6] = lastVa;
        runPaged(m, pt, PrivSupervisor,
                 {enc::ld(a0, a1, 0), enc::add(a1, a1, a2), enc::addi(a3, a3, -1), enc::b(1, a3, zero, -12),
                  enc::ld(a7, a6, 0), enc::sd(a5, a4, 0), enc::sfenceVma(zero, zero), enc::ld(a0, a6, 0)});
        m.run(100000);
        QVERIFY(!m.trappedToM());
        QCOMPARE(m.s().x[a7], 1ull);
        QCOMPARE(m.s().x[a0], 2ull);
    }
    void mprvTranslatesMachineModeDataAccesses() {
        TestMachine m;
        PageTables pt(m, 3);
        setupStandard(pt, V | R | W | A | D);
        m.write64(kDataPa, 55);
        m.s().satp = pt.satp();
        m.s().mstatus |= (1ull << 17) | (1ull << 11);  // MPRV, MPP=S
        m.hart.updateTlbContexts();
        m.s().x[a1] = kDataVa;
        m.load({enc::ld(a0, a1, 0)});  // fetched untranslated in M
        m.run();
        QVERIFY(!m.trappedToM());
        QCOMPARE(m.s().x[a0], 55ull);
    }
    void pmpRestrictsSupervisorAndLockedMachineAccesses() {
        // Entry 0: NAPOT over the whole 4 MiB of RAM, read/execute only.
        const uint64_t napot = (kRamBase >> 2) | ((kRamSize >> 3) - 1);
        for (bool locked : {false, true}) {
            TestMachine m;
            bool changed = false;
            QVERIFY(m.hart.csrWrite(PMPADDR0, napot, changed));
            QVERIFY(m.hart.csrWrite(PMPCFG0, (3 << 3) | 1 | 4 | (locked ? 0x80 : 0), changed));
            m.s().x[a1] = kRamBase + 0x3000;
            m.load({enc::ld(a0, a1, 0), enc::sd(a0, a1, 0)});
            m.run();
            // M-mode ignores unlocked entries; a locked one applies to M too.
            QCOMPARE(m.trappedToM(), locked);
            if (locked) QCOMPARE(m.s().mcause, 7ull);
        }
        TestMachine s;
        bool changed = false;
        QVERIFY(s.hart.csrWrite(PMPADDR0, napot, changed));
        QVERIFY(s.hart.csrWrite(PMPCFG0, (3 << 3) | 1 | 4, changed));
        s.s().x[a1] = kRamBase + 0x3000;
        s.load({enc::ld(a0, a1, 0), enc::sd(a0, a1, 0)}, kRamBase + 0x2000);
        s.s().priv = PrivSupervisor;
        s.s().pc = kRamBase + 0x2000;
        s.hart.updateTlbContexts();
        s.run();
        QCOMPARE(s.s().mcause, 7ull);
        QCOMPARE(s.s().mepc, kRamBase + 0x2004);
        QCOMPARE(s.s().mtval, kRamBase + 0x3000);
    }
    void pmpTorAndSubPageRegions() {
        // Entry 0 (TOR) covers [RAM, RAM+0x2800) RWX; nothing else: S accesses
        // beyond 0x2800, even inside the same 4 KiB page, fail.
        TestMachine m;
        bool changed = false;
        QVERIFY(m.hart.csrWrite(PMPADDR0, (kRamBase + 0x2800) >> 2, changed));
        QVERIFY(m.hart.csrWrite(PMPCFG0, (1 << 3) | 7, changed));
        // TOR with entry 0 starts at address 0; RAM begins above it anyway.
        m.s().x[a1] = kRamBase + 0x27f8;
        m.s().x[a2] = kRamBase + 0x2800;
        m.load({enc::ld(a0, a1, 0), enc::ld(a3, a2, 0)}, kRamBase + 0x1000);
        m.s().priv = PrivSupervisor;
        m.s().pc = kRamBase + 0x1000;
        m.hart.updateTlbContexts();
        m.run();
        QCOMPARE(m.s().mcause, 5ull);
        QCOMPARE(m.s().mtval, kRamBase + 0x2800);
        QCOMPARE(m.s().mepc, kRamBase + 0x1004);
        // An access straddling the end of the region fails too.
        TestMachine n;
        QVERIFY(n.hart.csrWrite(PMPADDR0, (kRamBase + 0x2800) >> 2, changed));
        QVERIFY(n.hart.csrWrite(PMPCFG0, (1 << 3) | 7, changed));
        n.s().x[a1] = kRamBase + 0x27fc;
        n.load({enc::ld(a0, a1, 0)}, kRamBase + 0x1000);
        n.s().priv = PrivSupervisor;
        n.s().pc = kRamBase + 0x1000;
        n.hart.updateTlbContexts();
        n.run();
        QCOMPARE(n.s().mcause, 5ull);
    }
    void pmpLockedEntriesIgnoreWrites() {
        TestMachine m;
        bool changed = false;
        QVERIFY(m.hart.csrWrite(PMPADDR0, 0x1234, changed));
        QVERIFY(m.hart.csrWrite(PMPCFG0, 0x80 | (2 << 3) | 1, changed));
        QVERIFY(m.hart.csrWrite(PMPADDR0, 0x5678, changed));
        QVERIFY(m.hart.csrWrite(PMPCFG0, 0, changed));
        QCOMPARE(m.s().pmpaddr[0], 0x1234ull);
        QCOMPARE(m.s().pmpcfg[0], uint8_t(0x80 | (2 << 3) | 1));
        // Odd pmpcfg registers do not exist on RV64.
        uint64_t value = 0;
        QVERIFY(!m.hart.csrRead(PMPCFG0 + 1, value));
    }
    void misalignedLoadsAndStoresWorkEvenAcrossPages() {
        TestMachine m;
        m.write64(kRamBase + 0x1ffc, 0x8877665544332211ull);
        m.s().x[a1] = kRamBase + 0x1ffc;  // 8-byte access crossing into the next page
        m.s().x[a2] = kRamBase + 0x3003;
        m.s().x[a3] = 0xdeadbeefcafef00dull;
        m.load({enc::ld(a0, a1, 0), enc::sd(a3, a2, 0), enc::lw(a4, a2, 1)});
        m.run();
        QCOMPARE(m.s().x[a0], 0x8877665544332211ull);
        QCOMPARE(m.read64(kRamBase + 0x3000) >> 24, 0xefcafef00dull);
        QCOMPARE(m.s().x[a4], 0xffffffffefcafef0ull);
    }
    void misalignedStoreFaultingOnTheSecondPageWritesNothing() {
        TestMachine m;
        PageTables pt(m, 3);
        setupStandard(pt, V | R | W | A | D);  // kDataVa + 0x1000 is unmapped
        m.write64(kDataPa + 0xff8, 0);
        m.s().x[a1] = kDataVa + 0xffc;
        m.s().x[a2] = ~0ull;
        runPaged(m, pt, PrivSupervisor, {enc::sd(a2, a1, 0)});
        QCOMPARE(m.s().mcause, 15ull);
        QCOMPARE(m.s().mtval, kDataVa + 0x1000);
        QCOMPARE(m.read64(kDataPa + 0xff8), 0ull);
    }
    void accessFaultsForUnmappedPhysicalAddresses() {
        TestMachine m;
        m.s().x[a1] = 0x1000;
        m.load({enc::ld(a0, a1, 0)});
        m.run();
        QCOMPARE(m.s().mcause, 5ull);
        TestMachine f;
        f.s().x[a1] = 0x4000;
        f.load({enc::jalr(zero, a1, 0)});
        f.run();
        QCOMPARE(f.s().mcause, 1ull);
        QCOMPARE(f.s().mepc, 0x4000ull);
    }
    void loadReservedStoreConditional() {
        TestMachine m;
        const uint64_t addr = kRamBase + 0x5000;
        m.write64(addr, 10);
        m.s().x[a1] = addr;
        m.s().x[a2] = 20;
        m.load({scD(a3, a1),               // no reservation: fails
                lrD(a0, a1), scD(a4, a1),  // succeeds
                scD(a5, a1)});             // reservation consumed: fails
        m.run();
        QCOMPARE(m.s().x[a3], 1ull);
        QCOMPARE(m.s().x[a0], 10ull);
        QCOMPARE(m.s().x[a4], 0ull);
        QCOMPARE(m.s().x[a5], 1ull);
        QCOMPARE(m.read64(addr), 20ull);
        // A trap return drops the reservation.
        TestMachine t;
        t.write64(addr, 10);
        t.s().x[a1] = addr;
        t.s().x[a2] = 20;
        t.s().mepc = kRamBase + 8;
        t.s().mstatus |= 3ull << 11;  // MPP = M
        t.load({lrD(a0, a1), enc::mret(), scD(a4, a1)});
        t.run();
        QCOMPARE(t.s().x[a4], 1ull);
        QCOMPARE(t.read64(addr), 10ull);
    }
    void atomicMemoryOperations() {
        TestMachine m;
        const uint64_t addr = kRamBase + 0x5000;
        m.write64(addr, 0xfffffffffffffff0ull);
        m.write32(addr + 8, 0x80000000u);
        m.s().x[a1] = addr;
        m.s().x[a2] = 5;
        m.s().x[a3] = addr + 8;
        m.load({enc::r(op::Amo, a0, 3, a1, a2, 0x00),    // amoadd.d
                enc::r(op::Amo, a4, 3, a1, a2, 0x40),    // amomin.d (signed): min(-11, 5) = -11
                enc::r(op::Amo, a5, 2, a3, a2, 0x70),    // amomaxu.w
                enc::r(op::Amo, a6, 2, a3, a2, 0x04)});  // amoswap.w
        m.run();
        QCOMPARE(m.s().x[a0], 0xfffffffffffffff0ull);
        QCOMPARE(m.s().x[a4], 0xfffffffffffffff5ull);
        QCOMPARE(m.read64(addr), 0xfffffffffffffff5ull);
        QCOMPARE(m.s().x[a5], 0xffffffff80000000ull);  // old value, sign-extended
        QCOMPARE(m.s().x[a6], 0xffffffff80000000ull);
        QCOMPARE(m.read32(addr + 8), 5u);
    }
    void reservationIsHeldOnThePhysicalAddress() {
        // Two virtual pages alias one physical page: an SC through the alias
        // succeeds. After the LR's page is remapped elsewhere, an SC through
        // it targets other memory and fails.
        TestMachine m;
        PageTables pt(m, 3);
        setupStandard(pt, V | R | W | A | D);
        constexpr uint64_t kAliasVa = kDataVa + 0x1000, kOtherPa = kDataPa + 0x3000;
        pt.map(kAliasVa, kDataPa, V | R | W | A | D);
        m.write64(kDataPa, 10);
        m.s().x[a1] = kDataVa;
        m.s().x[a2] = 20;
        m.s().x[a3] = kAliasVa;
        runPaged(m, pt, PrivSupervisor, {lrD(a0, a1), scD(a4, a3)});
        QCOMPARE(m.s().x[a4], 0ull);
        QCOMPARE(m.read64(kDataPa), 20ull);

        TestMachine r;
        PageTables remapped(r, 3);
        setupStandard(remapped, V | R | W | A | D);
        r.s().x[a1] = kDataVa;
        r.s().x[a2] = 20;
        runPaged(r, remapped, PrivSupervisor, {lrD(a0, a1)});
        remapped.map(kDataVa, kOtherPa, V | R | W | A | D);            // the OS moves the page...
        r.load({enc::sfenceVma(0, 0), scD(a4, a1)}, kCodePa + 0x100);  // ...and fences
        r.s().pc = kCodeVa + 0x100;
        r.run();
        QCOMPARE(r.s().x[a4], 1ull);
        QCOMPARE(r.read64(kOtherPa), 0ull);
    }
    void scPairsOnlyWithTheLrOfTheSameWord() {
        // The SC compares against what the LR read (exec_atomic.h), so it
        // must name the LR's address and width; an SC elsewhere, even in the
        // same doubleword, fails without writing (8.2 lets any SC fail; the
        // constrained loops, 8.3, always pair the same address).
        constexpr unsigned s2 = 18;
        TestMachine m;
        const uint64_t addr = kRamBase + 0x5000;
        m.s().x[a1] = addr + 4;
        m.s().x[a2] = 7;
        m.s().x[a3] = addr;
        m.s().x[a5] = addr + 8;
        m.load({lrW(a0, a1), scW(a4, a1),    // the LR's word: succeeds
                lrW(a0, a1), scW(a6, a3),    // the other word of the doubleword: fails
                lrW(a0, a1), scW(a7, a5),    // next doubleword: fails
                lrD(a0, a3), scW(s2, a3)});  // same address, other width: fails
        m.run();
        QCOMPARE(m.s().x[a4], 0ull);
        QCOMPARE(m.read32(addr + 4), 7u);
        QCOMPARE(m.s().x[a6], 1ull);
        QCOMPARE(m.read32(addr), 0u);
        QCOMPARE(m.s().x[a7], 1ull);
        QCOMPARE(m.read32(addr + 8), 0u);
        QCOMPARE(m.s().x[s2], 1ull);
    }
    void anotherHartsStoreBetweenLrAndScMakesItFail() {
        // Another hart's plain store takes its own TLB fast path and is
        // reported to no one: it is seen because the SC's compare-and-swap
        // finds a value other than the LR's. Here the "other hart" writes
        // RAM directly between the LR and the SC. If it writes the old
        // value back (ABA), the SC succeeds: for a constrained loop that is
        // the same as the LR having come after both stores (exec_atomic.h).
        auto lrThenStoreThenSc = [](uint64_t storedValue) {
            TestMachine m;
            const uint64_t addr = kRamBase + 0x5008;
            m.write64(addr, 5);
            m.s().x[a1] = addr;
            m.s().x[a2] = 20;
            const uint64_t sc = m.load({lrD(a0, a1)}) + 4;
            m.run();
            m.write64(addr, storedValue);
            m.load({scD(a4, a1)}, sc);
            m.s().pc = sc;
            m.run();
            return std::make_pair(m.s().x[a4], m.read64(addr));
        };
        QCOMPARE(lrThenStoreThenSc(6),
                 std::make_pair(uint64_t(1), uint64_t(6)));  // changed: fails, keeps the store
        QCOMPARE(lrThenStoreThenSc(5), std::make_pair(uint64_t(0), uint64_t(20)));  // ABA: succeeds
    }
    void deviceWriteIntoTheReservedDoublewordMakesScFail() {
        // A device's DMA through the bus (as virtio does) into the reserved
        // doubleword clears the reservation; one next to it does not.
        auto lrThenDmaThenSc = [](uint64_t dmaAddress, uint64_t dmaLength) {
            TestMachine m;
            const uint64_t addr = kRamBase + 0x5008;
            m.s().x[a1] = addr;
            m.s().x[a2] = 20;
            const uint64_t sc = m.load({lrD(a0, a1)}) + 4;  // the program stops on its self-loop
            m.run();
            const std::vector<uint8_t> bytes(dmaLength, 0xee);
            m.bus.writeBlock(dmaAddress, bytes);
            m.load({scD(a4, a1)}, sc);
            m.s().pc = sc;
            m.run();
            return m.s().x[a4];
        };
        QCOMPARE(lrThenDmaThenSc(kRamBase + 0x500c, 1), 1ull);       // one byte of the reserved doubleword
        QCOMPARE(lrThenDmaThenSc(kRamBase + 0x4000, 0x2000), 1ull);  // a large buffer over it
        QCOMPARE(lrThenDmaThenSc(kRamBase + 0x5000, 8), 0ull);       // the doubleword before
        QCOMPARE(lrThenDmaThenSc(kRamBase + 0x5010, 8), 0ull);       // the doubleword after
    }
    void atomicsOnADeviceRegisterReadAndWriteIt() {
        // As on QEMU, an AMO on a device register is a read and a write of it;
        // LR reads it but reserves nothing (devices are not reservable), so SC fails.
        TestMachine m;
        tessera::hw::VirtualClock clock;
        clock.pause();
        tessera::devices::Clint clint(clock, 1);
        m.bus.addMmio(0x2000000, &clint);
        const uint64_t mtimecmp = 0x2000000 + tessera::devices::Clint::kMtimecmpBase;
        m.s().x[a1] = mtimecmp;
        m.s().x[a2] = 1234;
        m.s().x[a3] = 6;
        m.load({enc::r(op::Amo, a0, 3, a1, a2, 0x04),  // amoswap.d
                enc::r(op::Amo, a4, 3, a1, a3, 0x00),  // amoadd.d
                lrD(a5, a1), scD(a6, a1)});
        m.run();
        QVERIFY(!m.trappedToM());
        QCOMPARE(m.s().x[a0], ~0ull);  // mtimecmp's reset value
        QCOMPARE(m.s().x[a4], 1234ull);
        QCOMPARE(m.s().x[a5], 1240ull);
        QCOMPARE(m.s().x[a6], 1ull);
        QCOMPARE(clint.read(tessera::devices::Clint::kMtimecmpBase, 8), 1240ull);
    }
    void misalignedAtomicsTrap() {
        TestMachine m;
        m.s().x[a1] = kRamBase + 0x5004;
        m.load({enc::r(op::Amo, a0, 3, a1, a2, 0x00)});  // amoadd.d on a 4-aligned address
        m.run();
        QCOMPARE(m.s().mcause, 6ull);
        QCOMPARE(m.s().mtval, kRamBase + 0x5004);
        TestMachine l;
        l.s().x[a1] = kRamBase + 0x5002;
        l.load({enc::r(op::Amo, a0, 2, a1, 0, 0x08)});  // lr.w misaligned
        l.run();
        QCOMPARE(l.s().mcause, 4ull);
    }
};

QTEST_APPLESS_MAIN(RiscvMemoryTest)
#include "riscv_memory_test.moc"
