// Special-purpose registers of the 750 (its user's manual, table 2-1 and
// chapter 2.1), the time base and the decrementer.
#include "core/cpu/ppc/cpu.h"

namespace tessera::ppc {

namespace {
enum Spr : unsigned {
    XER = 1,
    LR = 8,
    CTR = 9,
    DSISR = 18,
    DAR = 19,
    DEC = 22,
    SDR1 = 25,
    SRR0 = 26,
    SRR1 = 27,
    TBL_READ = 268,
    TBU_READ = 269,
    SPRG0 = 272,
    SPRG3 = 275,
    EAR = 282,
    TBL_WRITE = 284,
    TBU_WRITE = 285,
    PVR = 287,
    IBAT0U = 528,
    DBAT3L = 543,
    UMMCR0 = 936,
    UPMC1 = 937,
    UPMC2 = 938,
    USIA = 939,
    UMMCR1 = 940,
    UPMC3 = 941,
    UPMC4 = 942,
    MMCR0 = 952,
    PMC1 = 953,
    PMC2 = 954,
    SIA = 955,
    MMCR1 = 956,
    PMC3 = 957,
    PMC4 = 958,
    HID0 = 1008,
    HID1 = 1009,
    IABR = 1010,
    DABR = 1013,
    L2CR = 1017,
    ICTC = 1019,
    THRM1 = 1020,
    THRM3 = 1022,
};

// The performance-monitor registers' user (read-only) and supervisor numbers.
uint32_t* perfRegister(CpuState& s, unsigned spr) {
    switch (spr) {
        case UMMCR0:
        case MMCR0:
            return &s.mmcr[0];
        case UMMCR1:
        case MMCR1:
            return &s.mmcr[1];
        case UPMC1:
        case PMC1:
            return &s.pmc[0];
        case UPMC2:
        case PMC2:
            return &s.pmc[1];
        case UPMC3:
        case PMC3:
            return &s.pmc[2];
        case UPMC4:
        case PMC4:
            return &s.pmc[3];
        case USIA:
        case SIA:
            return &s.sia;
        default:
            return nullptr;
    }
}
}  // namespace

// An SPR the 750 does not have. The architecture leaves this boundedly
// undefined; QEMU (the reference) raises the privileged-instruction program
// interrupt in user state, and for SPRs 0, 4, 5 and 6 in any state, and
// otherwise treats the access as a no-op. Tessera does the same.
Cpu::SprResult Cpu::undefinedSpr(unsigned spr) const {
    const bool user = !supervisor();
    if (spr & 0x10) return user ? SprResult::Privileged : SprResult::Ignored;
    if (user || spr == 0 || spr == 4 || spr == 5 || spr == 6) return SprResult::Privileged;
    return SprResult::Ignored;
}

uint64_t Cpu::timeBase() const {
    const uint64_t now = timeSource_ ? timeSource_() : s.retired;
    return now + s.tbOffset;
}

void Cpu::writeTimeBase(bool upper, uint32_t value) {
    const uint64_t tb = timeBase();
    const uint64_t wanted =
        upper ? (tb & 0xffffffffull) | (uint64_t{value} << 32) : (tb & ~0xffffffffull) | value;
    s.tbOffset += wanted - tb;
}

uint32_t Cpu::readDec() const {
    return s.decValue - static_cast<uint32_t>(timeBase() - s.decBase);
}

// The decrementer interrupt is the 0 -> -1 step (bit 0 going 0 -> 1, OEA
// 2.3.14.3); writing a negative value over a non-negative one is that step too.
void Cpu::writeDec(uint32_t value) {
    const uint32_t old = readDec();
    if ((value & 0x80000000u) && !(old & 0x80000000u)) s.decPending = 1;
    s.decValue = value;
    s.decBase = timeBase();
    s.decArmed = !(value & 0x80000000u);
}

void Cpu::updateDecrementer() {
    if (!s.decArmed) return;
    if (timeBase() - s.decBase > s.decValue) {
        s.decArmed = 0;
        s.decPending = 1;
    }
}

// SPR numbers with bit 0x10 set are supervisor-only (OEA 2.3.3).
Cpu::SprResult Cpu::readSpr(unsigned spr, uint32_t& value) {
    if ((spr & 0x10) && !supervisor()) return SprResult::Privileged;
    switch (spr) {
        case XER:
            value = s.xer & ~xer::kNotReadable;
            return SprResult::Ok;
        case LR:
            value = s.lr;
            return SprResult::Ok;
        case CTR:
            value = s.ctr;
            return SprResult::Ok;
        case DSISR:
            value = s.dsisr;
            return SprResult::Ok;
        case DAR:
            value = s.dar;
            return SprResult::Ok;
        case DEC:
            value = readDec();
            return SprResult::Ok;
        case SDR1:
            value = s.sdr1;
            return SprResult::Ok;
        case SRR0:
            value = s.srr0;
            return SprResult::Ok;
        case SRR1:
            value = s.srr1;
            return SprResult::Ok;
        case TBL_READ:
            value = static_cast<uint32_t>(timeBase());
            return SprResult::Ok;
        case TBU_READ:
            value = static_cast<uint32_t>(timeBase() >> 32);
            return SprResult::Ok;
        case EAR:
            value = s.ear;
            return SprResult::Ok;
        case PVR:
            value = s.pvr;
            return SprResult::Ok;
        case HID0:
            value = s.hid0;
            return SprResult::Ok;
        case HID1:
            value = s.hid1;
            return SprResult::Ok;
        case IABR:
            value = s.iabr;
            return SprResult::Ok;
        case DABR:
            value = s.dabr;
            return SprResult::Ok;
        case L2CR:
            value = s.l2cr;
            return SprResult::Ok;
        case ICTC:
            value = s.ictc;
            return SprResult::Ok;
        default:
            break;
    }
    if (spr >= SPRG0 && spr <= SPRG3) {
        value = s.sprg[spr - SPRG0];
        return SprResult::Ok;
    }
    if (spr >= IBAT0U && spr <= DBAT3L) {
        const unsigned n = spr - IBAT0U;
        value = (n < 8 ? s.ibat : s.dbat)[(n % 8) / 2][n % 2];
        return SprResult::Ok;
    }
    if (spr >= THRM1 && spr <= THRM3) {
        value = s.thrm[spr - THRM1];
        return SprResult::Ok;
    }
    if (uint32_t* reg = perfRegister(s, spr)) {
        value = *reg;
        return SprResult::Ok;
    }
    return undefinedSpr(spr);
}

Cpu::SprResult Cpu::writeSpr(unsigned spr, uint32_t value) {
    if ((spr & 0x10) && !supervisor()) return SprResult::Privileged;
    switch (spr) {
        case XER:
            s.xer = value;  // every bit reads back, as on QEMU
            return SprResult::Ok;
        case LR:
            s.lr = value;
            return SprResult::Ok;
        case CTR:
            s.ctr = value;
            return SprResult::Ok;
        case DSISR:
            s.dsisr = value;
            return SprResult::Ok;
        case DAR:
            s.dar = value;
            return SprResult::Ok;
        case DEC:
            writeDec(value);
            return SprResult::Ok;
        case SDR1:
            s.sdr1 = value;
            flushTranslations();
            return SprResult::Ok;
        case SRR0:
            s.srr0 = value;
            return SprResult::Ok;
        case SRR1:
            s.srr1 = value;
            return SprResult::Ok;
        case EAR:
            s.ear = value;
            return SprResult::Ok;
        case TBL_WRITE:
            writeTimeBase(false, value);
            return SprResult::Ok;
        case TBU_WRITE:
            writeTimeBase(true, value);
            return SprResult::Ok;
        case PVR:
            return SprResult::Illegal;  // read-only
        case HID0:
            s.hid0 = value;
            return SprResult::Ok;
        case HID1:
            s.hid1 = value;
            return SprResult::Ok;
        case IABR:
            s.iabr = value;
            return SprResult::Ok;
        case DABR:
            s.dabr = value;
            return SprResult::Ok;
        case L2CR:
            s.l2cr = value;
            return SprResult::Ok;
        case ICTC:
            s.ictc = value;
            return SprResult::Ok;
        default:
            break;
    }
    if (spr >= SPRG0 && spr <= SPRG3) {
        s.sprg[spr - SPRG0] = value;
        return SprResult::Ok;
    }
    if (spr >= IBAT0U && spr <= DBAT3L) {
        const unsigned n = spr - IBAT0U;
        (n < 8 ? s.ibat : s.dbat)[(n % 8) / 2][n % 2] = value;
        flushTranslations();
        return SprResult::Ok;
    }
    if (spr >= THRM1 && spr <= THRM3) {
        s.thrm[spr - THRM1] = value;
        return SprResult::Ok;
    }
    if (spr >= MMCR0 && spr <= PMC4) {  // the user numbers are read-only
        if (uint32_t* reg = perfRegister(s, spr)) {
            *reg = value;
            return SprResult::Ok;
        }
    }
    return undefinedSpr(spr);
}

}  // namespace tessera::ppc
