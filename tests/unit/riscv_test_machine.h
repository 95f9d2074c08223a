#pragma once
// A bare hart on a MemoryBus with RAM at 0x8000_0000, for tests that assemble
// instruction words (core/cpu/riscv/encoding.h) into RAM and run them.
// Programs end in a self-loop; M-mode traps land on another self-loop at
// kTrapVector so tests can inspect mcause/mepc/mtval afterwards.

#include <cstring>
#include <initializer_list>
#include <vector>

#include "core/cpu/riscv/encoding.h"
#include "core/cpu/riscv/hart.h"
#include "core/hw/memory_bus.h"
#include "unit/riscv_page_tables.h"

namespace tessera::riscv::test {

namespace enc = tessera::riscv::encode;

inline constexpr uint64_t kRamBase = 0x80000000;
inline constexpr uint64_t kRamSize = 16 << 20;
inline constexpr uint64_t kTrapVector = 0x80100000;   // M-mode trap sink
inline constexpr uint64_t kSTrapVector = 0x80100100;  // S-mode trap sink
inline constexpr uint32_t kSelfLoop = 0x0000006f;     // jal x0, 0

// Register numbers.
enum : unsigned {
    zero = 0,
    ra = 1,
    sp = 2,
    gp = 3,
    tp = 4,
    t0 = 5,
    t1 = 6,
    t2 = 7,
    s0 = 8,
    s1 = 9,
    a0 = 10,
    a1 = 11,
    a2 = 12,
    a3 = 13,
    a4 = 14,
    a5 = 15,
    a6 = 16,
    a7 = 17
};

struct TestMachine {
    hw::MemoryBus bus;
    uint8_t* ram;
    Hart hart;

    explicit TestMachine(HartConfig config = {}) : ram(bus.addRam(kRamBase, kRamSize)), hart(bus, config) {
        // As the board: device writes to RAM reach the hart (code, LR reservation).
        bus.setDmaWriteObserver(
            [this](uint64_t paddr, uint64_t length) { hart.noteExternalWrite(paddr, length); });
        hart.reset(kRamBase);
        write32(kTrapVector, kSelfLoop);
        write32(kSTrapVector, kSelfLoop);
        hart.state().mtvec = kTrapVector;
        hart.state().stvec = kSTrapVector;
    }

    HartState& s() { return hart.state(); }

    void write32(uint64_t addr, uint32_t v) { std::memcpy(ram + (addr - kRamBase), &v, 4); }
    void write16(uint64_t addr, uint16_t v) { std::memcpy(ram + (addr - kRamBase), &v, 2); }
    void write64(uint64_t addr, uint64_t v) { std::memcpy(ram + (addr - kRamBase), &v, 8); }
    uint64_t read64(uint64_t addr) const {
        uint64_t v;
        std::memcpy(&v, ram + (addr - kRamBase), 8);
        return v;
    }
    uint32_t read32(uint64_t addr) const {
        uint32_t v;
        std::memcpy(&v, ram + (addr - kRamBase), 4);
        return v;
    }

    // Places `words` at `addr` followed by a self-loop; returns the loop address.
    uint64_t load(std::initializer_list<uint32_t> words, uint64_t addr = kRamBase) {
        return load(std::vector<uint32_t>(words), addr);
    }
    uint64_t load(const std::vector<uint32_t>& words, uint64_t addr = kRamBase) {
        for (uint32_t w : words) {
            write32(addr, w);
            addr += 4;
        }
        write32(addr, kSelfLoop);
        return addr;
    }

    // Runs until the hart sits on a self-loop (program end or trap sink) or
    // the instruction limit is reached.
    RunResult run(uint64_t limit = 100000) {
        RunResult total;
        while (total.executed < limit) {
            RunResult r = hart.run(64);
            total.executed += r.executed;
            total.reason = r.reason;
            if (r.reason != StopReason::BudgetExhausted) break;
            uint64_t paddr = s().pc;
            if (paddr >= kRamBase && paddr < kRamBase + kRamSize - 4 && read32(paddr) == kSelfLoop) break;
            if (s().satp != 0) {
                // Under paging the pc is virtual: look for the loop via the hart's own fetch.
                uint32_t word = 0;
                if (hart.load<uint32_t>(s().pc, word) == MemResult::Ok && word == kSelfLoop) break;
            }
        }
        return total;
    }

    bool trappedToM() const { return hart.state().pc == kTrapVector; }
    bool trappedToS() const { return hart.state().pc == kSTrapVector; }
};

// Page tables for a TestMachine, in RAM from kTables up.
inline constexpr uint64_t kTables = kRamBase + 0x200000;
struct PageTables : GuestPageTables {
    PageTables(TestMachine& m, unsigned levels)
        : GuestPageTables(m.ram, kRamBase, kRamSize, levels, kTables, kRamBase + kRamSize) {}
};

// Loads a 64-bit constant into a register (lui/addi sequences are long; tests
// set registers directly instead and use this only where code must do it).
inline std::vector<uint32_t> li32(unsigned rd, int32_t value) {
    const int32_t low = (value << 20) >> 20;
    const uint32_t high = static_cast<uint32_t>((value - low)) >> 12;
    return {enc::lui(rd, high & 0xfffff), enc::addi(rd, rd, low)};
}

}  // namespace tessera::riscv::test
