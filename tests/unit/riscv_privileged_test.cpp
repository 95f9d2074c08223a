// Specification: the privileged architecture 1.12 as the hart implements it:
// trap causes and values, delegation through medeleg/mideleg, interrupt
// enables and priority, direct and vectored trap vectors, MRET/SRET state
// changes, TSR/TW/TVM traps, WFI, counters, and CSR access rules.

#include <QtTest>

#include "unit/riscv_test_machine.h"

using namespace tessera::riscv;
using namespace tessera::riscv::test;

namespace {
constexpr uint64_t kUserCode = kRamBase + 0x2000;
constexpr unsigned MSTATUS = 0x300, MIP = 0x344, SSTATUS = 0x100, SATP = 0x180, CYCLE = 0xc00, TIME = 0xc01,
                   INSTRET = 0xc02, MISA = 0x301, MVENDORID = 0xf11;
constexpr uint64_t kInterrupt = 1ull << 63;

void enter(TestMachine& m, unsigned priv, uint64_t pc) {
    m.s().priv = static_cast<uint8_t>(priv);
    m.s().pc = pc;
    m.hart.updateTlbContexts();
}
}  // namespace

class RiscvPrivilegedTest : public QObject {
    Q_OBJECT
private slots:
    void ecallCauseDependsOnTheMode() {
        for (auto [priv, expected] :
             {std::pair{PrivMachine, 11ull}, {PrivSupervisor, 9ull}, {PrivUser, 8ull}}) {
            TestMachine m;
            m.load({enc::ecall()}, kUserCode);
            enter(m, priv, kUserCode);
            m.run();
            QVERIFY(m.trappedToM());
            QCOMPARE(m.s().mcause, expected);
            QCOMPARE(m.s().mepc, kUserCode);
            QCOMPARE(m.s().mtval, 0ull);
            QCOMPARE((m.s().mstatus >> 11) & 3, uint64_t(priv));  // MPP
            QCOMPARE(m.s().priv, uint8_t(PrivMachine));
        }
    }
    void ebreakReportsThePc() {
        TestMachine m;
        m.load({enc::addi(a0, zero, 1), enc::ebreak()});
        m.run();
        QCOMPARE(m.s().mcause, 3ull);
        QCOMPARE(m.s().mepc, kRamBase + 4);
    }
    void unknownAndForbiddenCsrsAreIllegal() {
        const uint32_t readTselect = enc::csrrs(a0, 0x7a0, zero);
        const uint32_t writeMvendorid = enc::csrrw(zero, MVENDORID, a1);
        for (uint32_t insn : {readTselect, writeMvendorid}) {
            TestMachine m;
            m.load({insn});
            m.run();
            QCOMPARE(m.s().mcause, 2ull);
            QCOMPARE(m.s().mtval, uint64_t(insn));
        }
        // Reading a read-only CSR with CSRRS x0 is fine.
        TestMachine m;
        m.load({enc::csrrs(a0, MVENDORID, zero), enc::csrrs(a1, MISA, zero)});
        m.run();
        QVERIFY(!m.trappedToM());
        QCOMPARE(m.s().x[a1], (2ull << 62) | 0x14112dull);  // rv64 acdfimsu
        // S-mode may not touch M-mode CSRs.
        TestMachine s;
        s.load({enc::csrrs(a0, MSTATUS, zero)}, kUserCode);
        enter(s, PrivSupervisor, kUserCode);
        s.run();
        QCOMPARE(s.s().mcause, 2ull);
    }
    void delegatedExceptionsGoToSupervisor() {
        TestMachine m;
        m.s().medeleg = 1ull << 8;   // ecall from U
        m.s().mstatus |= 1ull << 1;  // SIE=1 before the trap
        m.load({enc::ecall()}, kUserCode);
        enter(m, PrivUser, kUserCode);
        m.run();
        QVERIFY(m.trappedToS());
        QCOMPARE(m.s().priv, uint8_t(PrivSupervisor));
        QCOMPARE(m.s().scause, 8ull);
        QCOMPARE(m.s().sepc, kUserCode);
        QCOMPARE(m.s().mstatus & (1ull << 8), 0ull);       // SPP = U
        QCOMPARE(m.s().mstatus & (1ull << 5), 1ull << 5);  // SPIE = old SIE
        QCOMPARE(m.s().mstatus & (1ull << 1), 0ull);       // SIE cleared
        QCOMPARE(m.s().mcause, 0ull);                      // M untouched
    }
    void delegationNeverLowersThePrivilege() {
        TestMachine m;
        m.s().medeleg = 1ull << 2;  // illegal instruction delegated
        m.load({0x00000000});       // illegal, executed in M
        m.run();
        QVERIFY(m.trappedToM());
        QCOMPARE(m.s().mcause, 2ull);
        // ECALL from M can never be delegated.
        TestMachine n;
        bool changed = false;
        QVERIFY(n.hart.csrWrite(0x302, ~0ull, changed));
        QCOMPARE(n.s().medeleg & (1ull << 11), 0ull);
    }
    void mretRestoresTheInterruptedState() {
        TestMachine m;
        m.s().mstatus =
            (m.s().mstatus & ~(3ull << 11)) | (1ull << 11) | (1ull << 7) | (1ull << 17);  // MPP=S, MPIE, MPRV
        m.s().mepc = kUserCode;
        m.load({enc::mret()});
        m.load({enc::addi(a0, zero, 5)}, kUserCode);
        m.run();
        QCOMPARE(m.s().priv, uint8_t(PrivSupervisor));
        QCOMPARE(m.s().x[a0], 5ull);
        QCOMPARE(m.s().mstatus & (1ull << 3), 1ull << 3);  // MIE = MPIE
        QCOMPARE(m.s().mstatus & (1ull << 7), 1ull << 7);  // MPIE = 1
        QCOMPARE((m.s().mstatus >> 11) & 3, 0ull);         // MPP = U
        QCOMPARE(m.s().mstatus & (1ull << 17), 0ull);      // MPRV cleared leaving M
    }
    void sretRestoresAndIsGuarded() {
        TestMachine m;
        m.s().mstatus |= (1ull << 8) | (1ull << 5);  // SPP=S, SPIE
        m.s().sepc = kUserCode + 4;                  // the self-loop after the SRET
        m.load({enc::sret()}, kUserCode);
        enter(m, PrivSupervisor, kUserCode);
        m.run();
        QCOMPARE(m.s().pc, kUserCode + 4);
        QCOMPARE(m.s().priv, uint8_t(PrivSupervisor));
        QCOMPARE(m.s().mstatus & (1ull << 1), 1ull << 1);  // SIE = SPIE
        QCOMPARE(m.s().mstatus & (1ull << 8), 0ull);       // SPP = U
        // SRET in U-mode, or in S-mode with TSR, is illegal.
        TestMachine u;
        u.load({enc::sret()}, kUserCode);
        enter(u, PrivUser, kUserCode);
        u.run();
        QCOMPARE(u.s().mcause, 2ull);
        TestMachine t;
        t.s().mstatus |= 1ull << 22;
        t.load({enc::sret()}, kUserCode);
        enter(t, PrivSupervisor, kUserCode);
        t.run();
        QCOMPARE(t.s().mcause, 2ull);
    }
    void interruptPriorityIsMeiMsiMtiSeiSsiSti() {
        TestMachine m;
        m.s().mie = 0xaaa;
        m.load({enc::addi(a0, a0, 1)}, kUserCode);
        enter(m, PrivUser, kUserCode);
        for (unsigned bit : {irq::MSI, irq::MTI, irq::SEI, irq::MEI}) m.hart.setInterruptLevel(bit, true);
        m.s().mip = (1u << irq::SSI) | (1u << irq::STI);
        const unsigned expectedOrder[] = {irq::MEI, irq::MSI, irq::MTI, irq::SEI, irq::SSI, irq::STI};
        for (unsigned expected : expectedOrder) {
            QCOMPARE(m.hart.pendingInterrupt(), int(expected));
            m.s().mie &= ~(1ull << expected);
        }
        QCOMPARE(m.hart.pendingInterrupt(), -1);
    }
    void interruptEnablesFollowPrivilegeAndDelegation() {
        TestMachine m;
        m.s().mie = 0xaaa;
        m.s().mideleg = 0x222;
        m.hart.setInterruptLevel(irq::SEI, true);
        // In M-mode a delegated interrupt is never taken.
        m.s().mstatus |= (1ull << 3) | (1ull << 1);
        QCOMPARE(m.hart.pendingInterrupt(), -1);
        // In S-mode it needs SIE...
        enter(m, PrivSupervisor, kUserCode);
        m.s().mstatus &= ~(1ull << 1);
        QCOMPARE(m.hart.pendingInterrupt(), -1);
        m.s().mstatus |= 1ull << 1;
        QCOMPARE(m.hart.pendingInterrupt(), int(irq::SEI));
        // ...and in U-mode it is always enabled.
        m.s().mstatus &= ~(1ull << 1);
        enter(m, PrivUser, kUserCode);
        QCOMPARE(m.hart.pendingInterrupt(), int(irq::SEI));
        // A machine interrupt preempts S-mode even with MIE=0 and wins over SEI.
        m.s().mstatus &= ~(1ull << 3);
        enter(m, PrivSupervisor, kUserCode);
        m.hart.setInterruptLevel(irq::MTI, true);
        QCOMPARE(m.hart.pendingInterrupt(), int(irq::MTI));
        QVERIFY(m.hart.interruptPending());
    }
    void interruptsUseTheVectoredTable() {
        TestMachine m;
        const uint64_t base = kRamBase + 0x4000;
        m.s().mtvec = base | 1;
        for (unsigned i = 0; i < 16; ++i) m.write32(base + 4 * i, kSelfLoop);
        m.s().mie = 1u << irq::MTI;
        m.s().mstatus |= 1ull << 3;
        m.load({enc::addi(a0, a0, 1), enc::addi(a0, a0, 1)});
        m.hart.setInterruptLevel(irq::MTI, true);
        m.hart.run(10);
        QCOMPARE(m.s().pc, base + 4 * irq::MTI);
        QCOMPARE(m.s().mcause, kInterrupt | irq::MTI);
        QCOMPARE(m.s().mepc, kRamBase);
        // Exceptions still go to the base.
        TestMachine e;
        e.s().mtvec = base | 1;
        e.write32(base, kSelfLoop);
        e.load({enc::ecall()});
        e.run();
        QCOMPARE(e.s().pc, base);
    }
    void softwareWritesNeverLatchTheExternalSeipLine() {
        // OpenSBI clears mip.STIP with CSRRC while a device holds SEIP high;
        // the RMW must not copy the line into the software SEIP bit.
        TestMachine m;
        m.hart.setInterruptLevel(irq::SEI, true);
        m.s().x[a1] = 1u << irq::STI;
        m.load({enc::csrrc(zero, MIP, a1)});
        m.run();
        m.hart.setInterruptLevel(irq::SEI, false);
        uint64_t mip = 0;
        QVERIFY(m.hart.csrRead(MIP, mip));
        QCOMPARE(mip & (1u << irq::SEI), 0ull);
    }
    void wfiIdlesOnlyWhenNothingIsPending() {
        TestMachine m;
        m.load({enc::wfi(), enc::addi(a0, zero, 1)});
        RunResult r = m.hart.run(100);
        QCOMPARE(r.reason, StopReason::WaitForInterrupt);
        QCOMPARE(m.s().pc, kRamBase + 4);
        // Pending in mie but globally disabled: WFI completes without a trap.
        TestMachine p;
        p.s().mie = 1u << irq::MTI;
        p.hart.setInterruptLevel(irq::MTI, true);
        p.load({enc::wfi(), enc::addi(a0, zero, 1)});
        p.run();
        QCOMPARE(p.s().x[a0], 1ull);
        // U-mode WFI, and S-mode WFI with TW=1, are illegal.
        for (auto priv : {PrivUser, PrivSupervisor}) {
            TestMachine t;
            t.s().mstatus |= 1ull << 21;
            t.load({enc::wfi()}, kUserCode);
            enter(t, priv, kUserCode);
            t.run();
            QCOMPARE(t.s().mcause, 2ull);
        }
    }
    void tvmTrapsSatpAndSfenceInSupervisor() {
        for (uint32_t insn : {enc::csrrs(a0, SATP, zero), enc::sfenceVma(zero, zero)}) {
            TestMachine m;
            m.s().mstatus |= 1ull << 20;
            m.load({insn}, kUserCode);
            enter(m, PrivSupervisor, kUserCode);
            m.run();
            QCOMPARE(m.s().mcause, 2ull);
        }
    }
    void countersNeedPermissionBelowMachineMode() {
        TestMachine m;
        m.hart.setTimeSource([] { return 123456ull; });
        m.load({enc::addi(a0, zero, 0), enc::csrrs(a1, INSTRET, zero), enc::csrrs(a2, TIME, zero),
                enc::csrrs(a3, CYCLE, zero)});
        m.run();
        QCOMPARE(m.s().x[a1], 1ull);
        QCOMPARE(m.s().x[a2], 123456ull);
        TestMachine u;
        u.load({enc::csrrs(a0, TIME, zero)}, kUserCode);
        enter(u, PrivUser, kUserCode);
        u.s().mcounteren = 2;  // S may read time, U not yet
        u.run();
        QCOMPARE(u.s().mcause, 2ull);
        TestMachine ok;
        ok.hart.setTimeSource([] { return 77ull; });
        ok.load({enc::csrrs(a0, TIME, zero)}, kUserCode);
        enter(ok, PrivUser, kUserCode);
        ok.s().mcounteren = 2;
        ok.s().scounteren = 2;
        ok.run();
        QVERIFY(!ok.trappedToM());
        QCOMPARE(ok.s().x[a0], 77ull);
    }
    void warlFieldsKeepLegalValues() {
        TestMachine m;
        bool changed = false;
        // MPP=2 is reserved: the write keeps the previous MPP.
        QVERIFY(m.hart.csrWrite(MSTATUS, 2ull << 11, changed));
        QCOMPARE((m.s().mstatus >> 11) & 3, 0ull);
        // UXL and SXL read as 64-bit.
        uint64_t status = 0;
        QVERIFY(m.hart.csrRead(MSTATUS, status));
        QCOMPARE((status >> 32) & 0xf, 0xaull);
        // Unsupported satp modes leave satp unchanged (Sv57 = 10).
        QVERIFY(m.hart.csrWrite(SATP, (8ull << 60) | 0x1234, changed));
        QVERIFY(m.hart.csrWrite(SATP, (10ull << 60) | 0x5678, changed));
        QCOMPARE(m.s().satp, (8ull << 60) | 0x1234);
        // sstatus is a restricted view of mstatus.
        QVERIFY(m.hart.csrWrite(SSTATUS, ~0ull, changed));
        QCOMPARE(m.s().mstatus & (1ull << 3), 0ull);         // MIE not reachable through sstatus
        QCOMPARE(m.s().mstatus & (1ull << 18), 1ull << 18);  // SUM is
    }
};

QTEST_APPLESS_MAIN(RiscvPrivilegedTest)
#include "riscv_privileged_test.moc"
