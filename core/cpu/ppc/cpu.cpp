// The PowerPC 750's interpreter loop, exception entry and physical memory
// access. Translation is mmu.cpp, SPRs and timers spr.cpp, the instructions
// decode_table.cpp and exec_*.h.
#include "core/cpu/ppc/cpu.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>

#include "core/cpu/ppc/decode_table.h"

namespace tessera::ppc {

Cpu::Cpu(hw::MemoryBus& bus, CpuConfig config) : bus_(bus), config_(config) {
    reset(0xfff00100);
}

void Cpu::reset(uint32_t pc) {
    const uint32_t exit = s.exitRequest;  // a pending exit request survives a guest reset
    s = CpuState{};
    s.exitRequest = exit;
    s.pvr = config_.pvr;
    s.msr = msr::IP;  // 750 hardware reset: vectors at 0xfff00000, translation off
    s.pc = pc;
    s.decValue = 0xffffffffu;
    flushTranslations();
}

void Cpu::setInterruptLevel(unsigned line, bool level) {
    if (line != 0) return;
    externalLevel_.store(level ? 1 : 0, std::memory_order_relaxed);
}

bool Cpu::interruptPending() const {
    const bool dec = s.decPending || (s.decArmed && readDec() & 0x80000000u);
    return externalLevel_.load(std::memory_order_relaxed) != 0 || dec;
}

void Cpu::setCodeObserver(CodeObserver* observer) {
    codeObserver_ = observer;
    // One byte per page of the 32-bit physical space (1 MiB), so the check on
    // every store is a single load.
    codePages_.assign(observer ? (size_t{1} << 20) : 0, 0);
}

void Cpu::markCodePage(uint32_t paddr) {
    if (codePages_.empty() || codePages_[paddr >> 12]) return;
    codePages_[paddr >> 12] = 1;
    // Stores that hit the host-pointer cache skip the code check: drop the
    // page from it.
    for (HostTlbEntry& entry : s.hostTlb[1])
        if (entry.realPage == (paddr & 0xfffff000u)) entry.tag = 0;
}

void Cpu::noteExternalWrite(uint64_t paddr, uint64_t length) {
    if (!codePages_.empty() && paddr < (uint64_t{1} << 32)) {
        const uint64_t end = std::min(paddr + length, uint64_t{1} << 32);
        for (uint64_t page = paddr & ~0xfffull; page < end; page += 0x1000) {
            const uint64_t from = std::max(page, paddr), to = std::min(page + 0x1000, end);
            noteCodeWrite(static_cast<uint32_t>(from), static_cast<unsigned>(to - from));
        }
    }
    if (s.reservationValid && s.reservationAddress + 4 > paddr && s.reservationAddress < paddr + length)
        s.reservationValid = 0;
}

void Cpu::writeMsr(uint32_t value) {
    s.msr = value & msr::kImplemented;
}

ExecStatus Cpu::raise(Vector vector, uint32_t srr1Bits, bool afterInstruction) {
    s.srr0 = s.pc + (afterInstruction ? 4 : 0);
    // SRR1 bits 1-4 and 10-15 hold the interrupt's own information; the rest
    // is a copy of MSR (PowerPC OEA 6.4; the 750 user's manual table 4-3).
    s.srr1 = (s.msr & ~0x783f0000u) | srr1Bits;
    uint32_t next = s.msr & (msr::ME | msr::IP | msr::ILE);
    if (s.msr & msr::ILE) next |= msr::LE;
    s.msr = next;
    s.pc = ((s.msr & msr::IP) ? 0xfff00000u : 0u) | static_cast<uint32_t>(vector);
    s.reservationValid = 0;
    return ExecStatus::Trap;
}

// Decrementer and external interrupts, taken between instructions when
// MSR[EE] allows (the decrementer first: 750 user's manual table 4-2 ranks
// external input above it, but both wait for EE and QEMU orders them so).
bool Cpu::takeInterrupt() {
    updateDecrementer();
    if (!(s.msr & msr::EE)) return false;
    if (externalLevel_.load(std::memory_order_relaxed)) {
        raise(Vector::External);
        return true;
    }
    if (s.decPending) {
        s.decPending = 0;
        raise(Vector::Decrementer);
        return true;
    }
    return false;
}

ExecStatus Cpu::executeOne() {
    uint32_t pa = 0;
    const Fault fault = translate(s.pc, Access::Fetch, pa);
    if (fault != Fault::None) return accessFault(s.pc, Access::Fetch, fault);
    uint64_t word = 0;
    physRead(pa, 4, word);
    const uint32_t insn = static_cast<uint32_t>(word);
    const ExecStatus status = lookup(insn)(*this, insn);
    complete(status);
    return status;
}

bool Cpu::translateFetch(uint32_t ea, uint32_t& pa) {
    const Fault fault = translate(ea, Access::Fetch, pa);
    if (fault == Fault::None) return true;
    accessFault(ea, Access::Fetch, fault);
    return false;
}

void Cpu::complete(ExecStatus status) {
    switch (status) {
        case ExecStatus::Continue:
        case ExecStatus::Stop:
        case ExecStatus::Idle:
            s.pc += 4;
            ++s.retired;
            break;
        case ExecStatus::Jump:
            ++s.retired;
            break;
        case ExecStatus::Trap:
            break;
    }
}

cpu::RunResult Cpu::run(uint64_t budget) {
    cpu::RunResult result;
    const uint64_t start = s.retired;
    uint64_t exceptions = 0;
    while (s.retired - start < budget) {
        if (exitWord().load(std::memory_order_relaxed)) {
            exitWord().store(0, std::memory_order_relaxed);
            result.reason = cpu::StopReason::ExitRequested;
            break;
        }
        if (takeInterrupt()) continue;
        if (breakpoints.contains(s.pc)) {
            result.reason = cpu::StopReason::Breakpoint;
            break;
        }
        const ExecStatus status = executeOne();
        if (status == ExecStatus::Idle && !interruptPending()) {
            result.reason = cpu::StopReason::WaitForInterrupt;
            break;
        }
        // A storm of exceptions that retire nothing still ends the slice.
        if (status == ExecStatus::Trap && ++exceptions > budget) break;
    }
    result.executed = s.retired - start;
    return result;
}

cpu::RunResult Cpu::step() {
    cpu::RunResult result;
    const uint64_t start = s.retired;
    if (!takeInterrupt() && executeOne() == ExecStatus::Idle && !interruptPending())
        result.reason = cpu::StopReason::WaitForInterrupt;
    result.executed = s.retired - start;
    return result;
}

// ---- Physical memory: big-endian, byte-lane preserving for devices ----

bool Cpu::physRead(uint32_t pa, unsigned size, uint64_t& value) {
    value = 0;
    if (const uint8_t* host = bus_.ramPointer(pa, size)) {
        for (unsigned i = 0; i < size; ++i) value = (value << 8) | host[i];
        return true;
    }
    if ((pa & (size - 1)) == 0) {
        uint64_t raw = 0;
        // Unassigned physical addresses read as zero, as on QEMU's mac99.
        if (!bus_.read(pa, size, raw)) return false;
        for (unsigned i = 0; i < size; ++i) value = (value << 8) | ((raw >> (8 * i)) & 0xff);
        return true;
    }
    for (unsigned i = 0; i < size; ++i) {
        uint64_t byte = 0;
        bus_.read(pa + i, 1, byte);
        value = (value << 8) | (byte & 0xff);
    }
    return true;
}

bool Cpu::physWrite(uint32_t pa, unsigned size, uint64_t value) {
    if (uint8_t* host = bus_.ramPointer(pa, size)) {
        noteCodeWrite(pa, size);
        for (unsigned i = 0; i < size; ++i) host[i] = static_cast<uint8_t>(value >> (8 * (size - 1 - i)));
        return true;
    }
    if ((pa & (size - 1)) == 0) {
        uint64_t raw = 0;
        for (unsigned i = 0; i < size; ++i) raw |= ((value >> (8 * (size - 1 - i))) & 0xff) << (8 * i);
        return bus_.write(pa, size, raw);  // writes to nothing are dropped
    }
    for (unsigned i = 0; i < size; ++i) bus_.write(pa + i, 1, (value >> (8 * (size - 1 - i))) & 0xff);
    return true;
}

// Guest memory is big-endian; the host x86-64 is little-endian.
static uint64_t readBigEndian(const uint8_t* host, unsigned size) {
    switch (size) {
        case 1:
            return *host;
        case 2: {
            uint16_t v;
            std::memcpy(&v, host, 2);
            return __builtin_bswap16(v);
        }
        case 4: {
            uint32_t v;
            std::memcpy(&v, host, 4);
            return __builtin_bswap32(v);
        }
        default: {
            uint64_t v;
            std::memcpy(&v, host, 8);
            return __builtin_bswap64(v);
        }
    }
}

static void writeBigEndian(uint8_t* host, unsigned size, uint64_t value) {
    switch (size) {
        case 1:
            *host = static_cast<uint8_t>(value);
            break;
        case 2: {
            const uint16_t v = __builtin_bswap16(static_cast<uint16_t>(value));
            std::memcpy(host, &v, 2);
            break;
        }
        case 4: {
            const uint32_t v = __builtin_bswap32(static_cast<uint32_t>(value));
            std::memcpy(host, &v, 4);
            break;
        }
        default: {
            const uint64_t v = __builtin_bswap64(value);
            std::memcpy(host, &v, 8);
            break;
        }
    }
}

bool Cpu::load(uint32_t ea, unsigned size, uint64_t& value) {
    const HostTlbEntry& hit = s.hostTlb[0][(ea >> 12) % kHostTlbEntries];
    if (hit.tag == ((ea & 0xfffff000u) | hostTlbModeBits(s.msr)) && (ea & 0xfff) + size <= 0x1000) {
        value = readBigEndian(hit.host + (ea & 0xfff), size);
        return true;
    }
    if ((ea & 0xfff) + size > 0x1000) {  // crosses a page: each byte translates on its own
        value = 0;
        for (unsigned i = 0; i < size; ++i) {
            uint64_t byte = 0;
            if (!load(ea + i, 1, byte)) return false;
            value = (value << 8) | byte;
        }
        return true;
    }
    uint32_t pa = 0;
    if (!translateData(ea, Access::Load, pa)) return false;
    fillHostTlb(0, ea, pa);
    physRead(pa, size, value);
    return true;
}

bool Cpu::store(uint32_t ea, unsigned size, uint64_t value) {
    const HostTlbEntry& hit = s.hostTlb[1][(ea >> 12) % kHostTlbEntries];
    if (hit.tag == ((ea & 0xfffff000u) | hostTlbModeBits(s.msr)) && (ea & 0xfff) + size <= 0x1000) {
        writeBigEndian(hit.host + (ea & 0xfff), size, value);
        return true;
    }
    if ((ea & 0xfff) + size > 0x1000) {
        // Both pages are checked before any byte is written (the access is
        // all or nothing, as QEMU's).
        uint32_t pa = 0;
        if (!translateData(ea, Access::Store, pa) || !translateData(ea + size - 1, Access::Store, pa))
            return false;
        for (unsigned i = 0; i < size; ++i)
            if (!store(ea + i, 1, (value >> (8 * (size - 1 - i))) & 0xff)) return false;
        return true;
    }
    uint32_t pa = 0;
    if (!translateData(ea, Access::Store, pa)) return false;
    fillHostTlb(1, ea, pa);
    physWrite(pa, size, value);
    return true;
}

bool Cpu::load8(uint32_t ea, uint32_t& v) {
    uint64_t x = 0;
    const bool ok = load(ea, 1, x);
    v = static_cast<uint32_t>(x);
    return ok;
}
bool Cpu::load16(uint32_t ea, uint32_t& v) {
    uint64_t x = 0;
    const bool ok = load(ea, 2, x);
    v = static_cast<uint32_t>(x);
    return ok;
}
bool Cpu::load32(uint32_t ea, uint32_t& v) {
    uint64_t x = 0;
    const bool ok = load(ea, 4, x);
    v = static_cast<uint32_t>(x);
    return ok;
}

bool Cpu::zeroBlock(uint32_t ea) {
    ea &= ~31u;
    uint32_t pa = 0;
    if (!translateData(ea, Access::Store, pa)) return false;
    for (unsigned i = 0; i < 32; i += 8) physWrite(pa + i, 8, 0);
    return true;
}

std::string Cpu::dumpState() const {
    char line[160];
    std::snprintf(line, sizeof line, "pc %08x msr %08x cr %08x xer %08x lr %08x ctr %08x\n", s.pc, s.msr,
                  s.cr, s.xer, s.lr, s.ctr);
    std::string out = line;
    for (unsigned i = 0; i < 32; ++i) {
        std::snprintf(line, sizeof line, "r%-2u %08x%s", i, s.gpr[i], (i % 8 == 7) ? "\n" : "  ");
        out += line;
    }
    std::snprintf(line, sizeof line, "srr0 %08x srr1 %08x dar %08x dsisr %08x sdr1 %08x fpscr %08x\n", s.srr0,
                  s.srr1, s.dar, s.dsisr, s.sdr1, s.fpscr);
    return out + line;
}

}  // namespace tessera::ppc
