// Trap entry, interrupt selection and trap return (privileged spec 1.12,
// 3.1.6.1, 3.1.7-3.1.9, 3.3.2, 4.1.1).

#include "core/cpu/riscv/decoded_insn.h"
#include "core/cpu/riscv/hart.h"

namespace tessera::riscv {

namespace {
uint64_t withField(uint64_t word, uint64_t mask, uint64_t value) {
    return (word & ~mask) | ((value * (mask & -mask)) & mask);
}
bool bitSet(uint64_t word, uint64_t mask) {
    return (word & mask) != 0;
}
}  // namespace

// Interrupt priority (3.1.9): MEI, MSI, MTI, SEI, SSI, STI. Interrupts for M
// (not delegated) are taken when running below M or with mstatus.MIE; those
// delegated to S when running below S, or in S with sstatus.SIE, never in M.
int Hart::pendingInterrupt() const {
    const uint64_t pending = readMip() & s.mie;
    if (!pending) return -1;
    const bool machineEnabled = s.priv < PrivMachine || bitSet(s.mstatus, mstatus::MIE);
    const bool supervisorEnabled =
        s.priv < PrivSupervisor || (s.priv == PrivSupervisor && bitSet(s.mstatus, mstatus::SIE));
    uint64_t takeable = machineEnabled ? pending & ~s.mideleg : 0;
    if (!takeable && supervisorEnabled) takeable = pending & s.mideleg;
    if (!takeable) return -1;
    static constexpr unsigned order[] = {irq::MEI, irq::MSI, irq::MTI, irq::SEI, irq::SSI, irq::STI};
    for (unsigned irqNumber : order)
        if (takeable & (1ull << irqNumber)) return static_cast<int>(irqNumber);
    return -1;
}

void Hart::enterTrap(uint64_t causeCode, uint64_t tval) {
    const bool interrupt = (causeCode & cause::InterruptBit) != 0;
    const uint64_t code = causeCode & ~cause::InterruptBit;
    const uint64_t delegation = interrupt ? s.mideleg : s.medeleg;
    // Traps never go to a lower privilege than the current one (3.1.8).
    const bool toSupervisor = s.priv <= PrivSupervisor && code < 64 && ((delegation >> code) & 1);
    if (toSupervisor) {
        s.sepc = s.pc;
        s.scause = causeCode;
        s.stval = tval;
        s.mstatus = withField(s.mstatus, mstatus::SPIE, bitSet(s.mstatus, mstatus::SIE));
        s.mstatus &= ~mstatus::SIE;
        s.mstatus = withField(s.mstatus, mstatus::SPP, s.priv);
        s.priv = PrivSupervisor;
        const uint64_t base = s.stvec & ~3ull;
        s.pc = (interrupt && (s.stvec & 3) == 1) ? base + 4 * code : base;
    } else {
        s.mepc = s.pc;
        s.mcause = causeCode;
        s.mtval = tval;
        s.mstatus = withField(s.mstatus, mstatus::MPIE, bitSet(s.mstatus, mstatus::MIE));
        s.mstatus &= ~mstatus::MIE;
        s.mstatus = withField(s.mstatus, mstatus::MPP, s.priv);
        s.priv = PrivMachine;
        const uint64_t base = s.mtvec & ~3ull;
        s.pc = (interrupt && (s.mtvec & 3) == 1) ? base + 4 * code : base;
    }
    updateTlbContexts();
}

// MRET (3.3.2): privilege from MPP, MIE from MPIE, MPIE=1, MPP=U, and MPRV
// cleared when returning below M. The reservation is dropped on every trap
// return so an LR in one context never pairs with an SC in another.
ExecStatus Hart::executeMret(const DecodedInsn& insn) {
    if (s.priv != PrivMachine) return illegal(insn);
    const unsigned previous = static_cast<unsigned>((s.mstatus & mstatus::MPP) >> mstatus::MPP_SHIFT);
    s.mstatus = withField(s.mstatus, mstatus::MIE, bitSet(s.mstatus, mstatus::MPIE));
    s.mstatus |= mstatus::MPIE;
    s.mstatus &= ~mstatus::MPP;
    if (previous != PrivMachine) s.mstatus &= ~mstatus::MPRV;
    s.priv = static_cast<uint8_t>(previous);
    s.pc = s.mepc;
    s.reservationValid = 0;
    updateTlbContexts();
    return ExecStatus::Jump;  // run() does not chain across a privilege change
}

// SRET (3.3.2): illegal in U-mode and, with mstatus.TSR=1, in S-mode.
ExecStatus Hart::executeSret(const DecodedInsn& insn) {
    if (s.priv < PrivSupervisor || (s.priv == PrivSupervisor && bitSet(s.mstatus, mstatus::TSR)))
        return illegal(insn);
    const unsigned previous = bitSet(s.mstatus, mstatus::SPP) ? PrivSupervisor : PrivUser;
    s.mstatus = withField(s.mstatus, mstatus::SIE, bitSet(s.mstatus, mstatus::SPIE));
    s.mstatus |= mstatus::SPIE;
    s.mstatus &= ~mstatus::SPP;
    s.mstatus &= ~mstatus::MPRV;  // SRET never returns to M
    s.priv = static_cast<uint8_t>(previous);
    s.pc = s.sepc;
    s.reservationValid = 0;
    updateTlbContexts();
    return ExecStatus::Jump;  // run() does not chain across a privilege change
}

// WFI (3.3.3): illegal in U-mode (S is implemented) and in S-mode when
// mstatus.TW=1 (we choose a zero time limit). It completes as soon as any
// interrupt is pending in mie, whatever the global enables.
ExecStatus Hart::executeWfi(const DecodedInsn& insn) {
    if (s.priv == PrivUser || (s.priv == PrivSupervisor && bitSet(s.mstatus, mstatus::TW)))
        return illegal(insn);
    return interruptPending() ? ExecStatus::Stop : ExecStatus::Wfi;
}

}  // namespace tessera::riscv
