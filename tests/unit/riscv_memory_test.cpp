// Specification: virtual memory (Sv39/Sv48, privileged spec 4.3-4.5), PMP
// (3.7), misaligned accesses, and the A extension's LR/SC and AMOs behave as
// the specs say: walks succeed or fault with the right cause and stval,
// permissions honour U/SUM/MXR, A/D bits are set by the walker, superpages
// must be aligned, SFENCE.VMA makes new mappings visible, and PMP checks
// S/U accesses (and locked entries for M).

#include <QtTest>

#include "unit/riscv_test_machine.h"

using namespace tessera::riscv;
using namespace tessera::riscv::test;
namespace op = enc::opcode;

namespace {
enum : uint64_t { V = 1, R = 2, W = 4, X = 8, U = 16, G = 32, A = 64, D = 128 };
constexpr uint64_t kTables = kRamBase + 0x200000;
constexpr uint64_t kCodeVa = 0x10000, kDataVa = 0x20000;
constexpr uint64_t kCodePa = kRamBase + 0x10000, kDataPa = kRamBase + 0x20000;
constexpr unsigned PMPCFG0 = 0x3a0, PMPADDR0 = 0x3b0;

// Builds page tables in guest RAM.
struct PageTables {
    TestMachine& m;
    unsigned levels;
    uint64_t root;
    uint64_t next = kTables;
    PageTables(TestMachine& machine, unsigned levelCount) : m(machine), levels(levelCount) {
        root = allocate();
    }
    uint64_t allocate() {
        const uint64_t page = next;
        next += 0x1000;
        std::memset(m.ram + (page - kRamBase), 0, 0x1000);
        return page;
    }
    // Returns the address of the PTE for `va` at `leafLevel` (0 = 4 KiB).
    uint64_t entryFor(uint64_t va, unsigned leafLevel) {
        uint64_t table = root;
        for (int level = static_cast<int>(levels) - 1;; --level) {
            const uint64_t entry = table + ((va >> (12 + 9 * level)) & 0x1ff) * 8;
            if (level == static_cast<int>(leafLevel)) return entry;
            uint64_t pte = m.read64(entry);
            if (!(pte & V)) {
                const uint64_t child = allocate();
                pte = ((child >> 12) << 10) | V;
                m.write64(entry, pte);
            }
            table = ((pte >> 10) << 12);
        }
    }
    void map(uint64_t va, uint64_t pa, uint64_t flags, unsigned leafLevel = 0) {
        m.write64(entryFor(va, leafLevel), ((pa >> 12) << 10) | flags);
    }
    uint64_t satp() const { return (uint64_t(levels == 3 ? 8 : 9) << 60) | (root >> 12); }
};

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
        auto lrD = enc::r(op::Amo, a0, 3, a1, 0, 0x08);                               // lr.d a0, (a1)
        auto scD = [](unsigned rd) { return enc::r(op::Amo, rd, 3, a1, a2, 0x0c); };  // sc.d rd, a2, (a1)
        m.load({scD(a3),                                                              // no reservation: fails
                lrD, scD(a4),                                                         // succeeds
                scD(a5)});  // reservation consumed: fails
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
        t.load({lrD, enc::mret(), scD(a4)});
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
