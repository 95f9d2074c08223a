// Control and status registers (privileged spec 1.12, chapters 2-4; Zicsr;
// fcsr from unprivileged 11.2). CSR numbers encode their access rules:
// bits 11:10 == 3 is read-only, bits 9:8 the lowest privilege allowed (2.1).

#include "core/cpu/riscv/hart.h"

namespace tessera::riscv {

namespace csr {
enum : unsigned {
    Fflags = 0x001,
    Frm = 0x002,
    Fcsr = 0x003,
    Cycle = 0xc00,
    Time = 0xc01,
    Instret = 0xc02,
    HpmCounter3 = 0xc03,
    HpmCounter31 = 0xc1f,
    Sstatus = 0x100,
    Sie = 0x104,
    Stvec = 0x105,
    Scounteren = 0x106,
    Senvcfg = 0x10a,
    Sscratch = 0x140,
    Sepc = 0x141,
    Scause = 0x142,
    Stval = 0x143,
    Sip = 0x144,
    Satp = 0x180,
    Mvendorid = 0xf11,
    Marchid = 0xf12,
    Mimpid = 0xf13,
    Mhartid = 0xf14,
    Mconfigptr = 0xf15,
    Mstatus = 0x300,
    Misa = 0x301,
    Medeleg = 0x302,
    Mideleg = 0x303,
    Mie = 0x304,
    Mtvec = 0x305,
    Mcounteren = 0x306,
    Menvcfg = 0x30a,
    Mcountinhibit = 0x320,
    MhpmEvent3 = 0x323,
    MhpmEvent31 = 0x33f,
    Mscratch = 0x340,
    Mepc = 0x341,
    Mcause = 0x342,
    Mtval = 0x343,
    Mip = 0x344,
    Pmpcfg0 = 0x3a0,
    Pmpcfg15 = 0x3af,
    Pmpaddr0 = 0x3b0,
    Pmpaddr63 = 0x3ef,
    Mcycle = 0xb00,
    Minstret = 0xb02,
    MhpmCounter3 = 0xb03,
    MhpmCounter31 = 0xb1f,
};
}  // namespace csr

namespace {
constexpr uint64_t kMstatusWritable = mstatus::SIE | mstatus::MIE | mstatus::SPIE | mstatus::MPIE |
                                      mstatus::SPP | mstatus::MPP | mstatus::FS | mstatus::MPRV |
                                      mstatus::SUM | mstatus::MXR | mstatus::TVM | mstatus::TW | mstatus::TSR;
constexpr uint64_t kSstatusVisible = mstatus::SIE | mstatus::SPIE | mstatus::SPP | mstatus::FS | mstatus::XS |
                                     mstatus::SUM | mstatus::MXR | mstatus::UXL | mstatus::SD;
constexpr uint64_t kSstatusWritable =
    mstatus::SIE | mstatus::SPIE | mstatus::SPP | mstatus::FS | mstatus::SUM | mstatus::MXR;
constexpr uint64_t kInterruptBits = 0xaaa;         // SSI, MSI, STI, MTI, SEI, MEI
constexpr uint64_t kSupervisorInterrupts = 0x222;  // SSI, STI, SEI
constexpr uint64_t kSoftwareWritableMip = 0x222;   // SSIP, STIP, SEIP writable from M (3.1.9)
// Exceptions that may be delegated: everything defined except ECALL from M (3.1.8).
constexpr uint64_t kDelegableExceptions = 0xb3ff;
constexpr uint64_t kSatpPpnMask = (1ull << 44) - 1;
constexpr uint64_t kPmpAddrMask = (1ull << 54) - 1;

uint64_t withSd(uint64_t status) {
    // SD summarises FS/XS Dirty (3.1.6.6).
    const bool dirty = (status & mstatus::FS) == mstatus::FS || (status & mstatus::XS) == mstatus::XS;
    return dirty ? status | mstatus::SD : status & ~mstatus::SD;
}
}  // namespace

bool Hart::csrRead(unsigned number, uint64_t& value) {
    if (s.priv < ((number >> 8) & 3)) return false;
    switch (number) {
        case csr::Fflags:
        case csr::Frm:
        case csr::Fcsr:
            if (!fpuEnabled()) return false;
            value = number == csr::Fflags ? s.fflags : number == csr::Frm ? s.frm : (s.frm << 5) | s.fflags;
            return true;
        case csr::Sstatus:
            value = withSd(s.mstatus) & kSstatusVisible;
            return true;
        case csr::Sie:
            value = s.mie & s.mideleg;
            return true;
        case csr::Stvec:
            value = s.stvec;
            return true;
        case csr::Scounteren:
            value = s.scounteren;
            return true;
        case csr::Senvcfg:
            value = s.senvcfg;
            return true;
        case csr::Sscratch:
            value = s.sscratch;
            return true;
        case csr::Sepc:
            value = s.sepc;
            return true;
        case csr::Scause:
            value = s.scause;
            return true;
        case csr::Stval:
            value = s.stval;
            return true;
        case csr::Sip:
            value = readMip() & s.mideleg;
            return true;
        case csr::Satp:
            if (s.priv == PrivSupervisor && (s.mstatus & mstatus::TVM)) return false;
            value = s.satp;
            return true;
        case csr::Mvendorid:
        case csr::Marchid:
        case csr::Mimpid:
        case csr::Mconfigptr:
            value = 0;
            return true;
        case csr::Mhartid:
            value = s.mhartid;
            return true;
        case csr::Mstatus:
            value = withSd(s.mstatus);
            return true;
        case csr::Misa:
            value = s.misa;
            return true;
        case csr::Medeleg:
            value = s.medeleg;
            return true;
        case csr::Mideleg:
            value = s.mideleg;
            return true;
        case csr::Mie:
            value = s.mie;
            return true;
        case csr::Mtvec:
            value = s.mtvec;
            return true;
        case csr::Mcounteren:
            value = s.mcounteren;
            return true;
        case csr::Menvcfg:
            value = s.menvcfg;
            return true;
        case csr::Mcountinhibit:
            value = s.mcountinhibit;
            return true;
        case csr::Mscratch:
            value = s.mscratch;
            return true;
        case csr::Mepc:
            value = s.mepc;
            return true;
        case csr::Mcause:
            value = s.mcause;
            return true;
        case csr::Mtval:
            value = s.mtval;
            return true;
        case csr::Mip:
            value = readMip();
            return true;
        case csr::Mcycle:
            value = instructionsRetiredNow() + s.cycleOffset;
            return true;
        case csr::Minstret:
            value = instructionsRetiredNow() + s.instretOffset;
            return true;
        default:
            break;
    }
    if (number >= csr::Cycle && number <= csr::HpmCounter31) {
        // Unprivileged counters: S needs mcounteren, U needs mcounteren and scounteren (3.1.11).
        const uint64_t bit = 1ull << (number - csr::Cycle);
        if (s.priv < PrivMachine && !(s.mcounteren & bit)) return false;
        if (s.priv < PrivSupervisor && !(s.scounteren & bit)) return false;
        if (number == csr::Cycle)
            value = instructionsRetiredNow() + s.cycleOffset;
        else if (number == csr::Time) {
            value = readTime();
            s.hostMxcsrClean = 0;  // the board's clock is host code that may raise host FP flags
        } else if (number == csr::Instret)
            value = instructionsRetiredNow() + s.instretOffset;
        else
            value = 0;  // no hardware performance monitor events
        return true;
    }
    if ((number >= csr::MhpmCounter3 && number <= csr::MhpmCounter31) ||
        (number >= csr::MhpmEvent3 && number <= csr::MhpmEvent31)) {
        value = 0;
        return true;
    }
    if (number >= csr::Pmpcfg0 && number <= csr::Pmpcfg15) {
        if (number & 1) return false;  // odd pmpcfg registers do not exist on RV64 (3.7.1)
        const unsigned first = (number - csr::Pmpcfg0) * 4;
        value = 0;
        for (unsigned i = 0; i < 8; ++i) value |= static_cast<uint64_t>(s.pmpcfg[first + i]) << (8 * i);
        return true;
    }
    if (number >= csr::Pmpaddr0 && number <= csr::Pmpaddr63) {
        value = s.pmpaddr[number - csr::Pmpaddr0];
        return true;
    }
    return false;
}

uint64_t Hart::csrReadModifyWriteBase(unsigned number, uint64_t readValue) const {
    if (number == csr::Mip) return (readValue & ~(1ull << irq::SEI)) | (s.mip & (1ull << irq::SEI));
    return readValue;
}

bool Hart::csrWrite(unsigned number, uint64_t value, bool& stateChanged) {
    if (s.priv < ((number >> 8) & 3)) return false;
    switch (number) {
        case csr::Fflags:
        case csr::Frm:
        case csr::Fcsr:
            if (!fpuEnabled()) return false;
            s.hostMxcsrClean = 0;  // the host MXCSR may hold flags the guest just cleared
            if (number == csr::Fflags)
                s.fflags = value & 0x1f;
            else if (number == csr::Frm)
                s.frm = value & 7;
            else {
                s.fflags = value & 0x1f;
                s.frm = (value >> 5) & 7;
            }
            markFpDirty();
            return true;
        case csr::Sstatus: {
            const uint64_t old = s.mstatus;
            uint64_t next = (s.mstatus & ~kSstatusWritable) | (value & kSstatusWritable);
            if (!config_.enableFpu) next &= ~mstatus::FS;
            s.mstatus = next;
            if ((old ^ next) & mstatus::MXR) flushTlb();
            updateTlbContexts();
            stateChanged = true;
            return true;
        }
        case csr::Sie:
            s.mie = (s.mie & ~s.mideleg) | (value & s.mideleg & kSupervisorInterrupts);
            stateChanged = true;
            return true;
        case csr::Stvec:
            s.stvec = (value & 3) >= 2 ? value & ~3ull : value;
            return true;
        case csr::Scounteren:
            s.scounteren = value & 0xffffffff;
            return true;
        case csr::Senvcfg:
            s.senvcfg = value & 1;
            return true;  // FIOM only
        case csr::Sscratch:
            s.sscratch = value;
            return true;
        case csr::Sepc:
            s.sepc = value & ~1ull;
            return true;
        case csr::Scause:
            s.scause = value;
            return true;
        case csr::Stval:
            s.stval = value;
            return true;
        case csr::Sip:
            // Only SSIP is writable through sip, and only when delegated (4.1.3).
            if (s.mideleg & (1u << irq::SSI)) s.mip = (s.mip & ~2ull) | (value & 2);
            stateChanged = true;
            return true;
        case csr::Satp: {
            if (s.priv == PrivSupervisor && (s.mstatus & mstatus::TVM)) return false;
            const uint64_t mode = value >> 60;
            // Unsupported modes leave satp unchanged (4.1.11). No ASID bits are implemented.
            if (mode != 0 && mode != 8 && mode != 9) return true;
            s.satp = (mode << 60) | (value & kSatpPpnMask);
            flushTlb();
            stateChanged = true;
            return true;
        }
        case csr::Mstatus: {
            const uint64_t old = s.mstatus;
            uint64_t next = (old & ~kMstatusWritable) | (value & kMstatusWritable);
            if (((next & mstatus::MPP) >> mstatus::MPP_SHIFT) == 2)
                next = (next & ~mstatus::MPP) | (old & mstatus::MPP);
            if (!config_.enableFpu) next &= ~mstatus::FS;
            s.mstatus = next;
            if ((old ^ next) & mstatus::MXR) flushTlb();
            updateTlbContexts();
            stateChanged = true;
            return true;
        }
        case csr::Misa:
            return true;  // read-only (WARL): the extension set is fixed
        case csr::Medeleg:
            s.medeleg = value & kDelegableExceptions;
            return true;
        case csr::Mideleg:
            s.mideleg = value & kSupervisorInterrupts;
            stateChanged = true;
            return true;
        case csr::Mie:
            s.mie = value & kInterruptBits;
            stateChanged = true;
            return true;
        case csr::Mtvec:
            s.mtvec = (value & 3) >= 2 ? value & ~3ull : value;
            return true;
        case csr::Mcounteren:
            s.mcounteren = value & 0xffffffff;
            return true;
        case csr::Menvcfg:
            s.menvcfg = value & 1;
            return true;  // FIOM only: no Sstc, Svpbmt or Zicbo*
        case csr::Mcountinhibit:
            s.mcountinhibit = value & 0xfffffffdull;
            return true;
        case csr::Mscratch:
            s.mscratch = value;
            return true;
        case csr::Mepc:
            s.mepc = value & ~1ull;
            return true;
        case csr::Mcause:
            s.mcause = value;
            return true;
        case csr::Mtval:
            s.mtval = value;
            return true;
        case csr::Mip:
            s.mip = (s.mip & ~kSoftwareWritableMip) | (value & kSoftwareWritableMip);
            stateChanged = true;
            return true;
        case csr::Mcycle:
            s.cycleOffset = value - instructionsRetiredNow();
            return true;
        case csr::Minstret:
            s.instretOffset = value - instructionsRetiredNow();
            return true;
        default:
            break;
    }
    if ((number >= csr::MhpmCounter3 && number <= csr::MhpmCounter31) ||
        (number >= csr::MhpmEvent3 && number <= csr::MhpmEvent31))
        return true;  // read-only zero (WARL)
    if (number >= csr::Pmpcfg0 && number <= csr::Pmpcfg15) {
        if (number & 1) return false;
        const unsigned first = (number - csr::Pmpcfg0) * 4;
        for (unsigned i = 0; i < 8; ++i) {
            if (s.pmpcfg[first + i] & 0x80) continue;  // locked entries ignore writes (3.7.1.2)
            uint8_t cfg = static_cast<uint8_t>(value >> (8 * i)) & 0x9f;
            if ((cfg & 3) == 2) cfg &= ~2;  // R=0 W=1 is reserved: WARL to no write permission
            s.pmpcfg[first + i] = cfg;
        }
        flushTlb();
        stateChanged = true;
        return true;
    }
    if (number >= csr::Pmpaddr0 && number <= csr::Pmpaddr63) {
        const unsigned index = number - csr::Pmpaddr0;
        const bool locked =
            (s.pmpcfg[index] & 0x80) || (index + 1 < kPmpEntries && (s.pmpcfg[index + 1] & 0x80) &&
                                         ((s.pmpcfg[index + 1] >> 3) & 3) == 1);
        if (!locked) s.pmpaddr[index] = value & kPmpAddrMask;
        flushTlb();
        stateChanged = true;
        return true;
    }
    return false;
}

}  // namespace tessera::riscv
