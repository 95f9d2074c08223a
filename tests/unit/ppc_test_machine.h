#pragma once
// A bare PowerPC 750 on a MemoryBus with 16 MiB of RAM at 0, for tests that
// encode instruction words into RAM and run them. Programs end in `b .`;
// every exception vector (MSR[IP] = 0) holds `b .` too, so a test sees where
// an exception went and inspects SRR0/SRR1/DAR/DSISR.

#include <cstdint>
#include <initializer_list>

#include "core/cpu/ppc/cpu.h"
#include "core/hw/memory_bus.h"

namespace tessera::ppc::test {

inline constexpr uint32_t kSelfLoop = 0x48000000;  // b .
inline constexpr uint32_t kProgram = 0x10000;

// Instruction encoders (Book I 1.7 forms).
namespace enc {
constexpr uint32_t D(unsigned op, unsigned rt, unsigned ra, uint32_t imm) {
    return op << 26 | rt << 21 | ra << 16 | (imm & 0xffff);
}
constexpr uint32_t X(unsigned op, unsigned rt, unsigned ra, unsigned rb, unsigned xo, bool rc = false) {
    return op << 26 | rt << 21 | ra << 16 | rb << 11 | xo << 1 | (rc ? 1u : 0u);
}
constexpr uint32_t XO(unsigned rt, unsigned ra, unsigned rb, unsigned xo, bool oe = false, bool rc = false) {
    return 31u << 26 | rt << 21 | ra << 16 | rb << 11 | (oe ? 1u : 0u) << 10 | xo << 1 | (rc ? 1u : 0u);
}
constexpr uint32_t M(unsigned op, unsigned rs, unsigned ra, unsigned sh, unsigned mb, unsigned me,
                     bool rc = false) {
    return op << 26 | rs << 21 | ra << 16 | sh << 11 | mb << 6 | me << 1 | (rc ? 1u : 0u);
}
constexpr uint32_t A(unsigned op, unsigned frt, unsigned fra, unsigned frb, unsigned frc, unsigned xo,
                     bool rc = false) {
    return op << 26 | frt << 21 | fra << 16 | frb << 11 | frc << 6 | xo << 1 | (rc ? 1u : 0u);
}
constexpr uint32_t li(unsigned rt, int16_t v) {
    return D(14, rt, 0, static_cast<uint16_t>(v));
}
constexpr uint32_t lis(unsigned rt, uint16_t v) {
    return D(15, rt, 0, v);
}
constexpr uint32_t ori(unsigned ra, unsigned rs, uint16_t v) {
    return D(24, rs, ra, v);
}
constexpr uint32_t spr(unsigned op31xo, unsigned rt, unsigned n) {
    return X(31, rt, n & 31, n >> 5, op31xo);
}
constexpr uint32_t mtspr(unsigned n, unsigned rs) {
    return spr(467, rs, n);
}
constexpr uint32_t mfspr(unsigned rt, unsigned n) {
    return spr(339, rt, n);
}
constexpr uint32_t bc(unsigned bo, unsigned bi, int16_t bd) {
    return 16u << 26 | bo << 21 | bi << 16 | (static_cast<uint16_t>(bd) & 0xfffc);
}
constexpr uint32_t sc() {
    return 0x44000002;
}
}  // namespace enc

struct Machine {
    hw::MemoryBus bus;
    Cpu cpu;
    uint8_t* ram;

    Machine() : cpu(bus, CpuConfig{}), ram(bus.addRam(0, 16 << 20)) {
        for (uint32_t v = 0x100; v < 0x2000; v += 0x100) write32(v, kSelfLoop);
        cpu.reset(kProgram);
        cpu.s.msr = msr::FP;  // vectors at 0, translation off, FPU on
    }
    void write32(uint32_t addr, uint32_t v) {
        for (unsigned i = 0; i < 4; ++i) ram[addr + i] = static_cast<uint8_t>(v >> (24 - 8 * i));
    }
    uint32_t read32(uint32_t addr) const {
        return uint32_t{ram[addr]} << 24 | uint32_t{ram[addr + 1]} << 16 | uint32_t{ram[addr + 2]} << 8 |
               ram[addr + 3];
    }
    void load(std::initializer_list<uint32_t> words, uint32_t at = kProgram) {
        for (uint32_t w : words) write32(at, w), at += 4;
        write32(at, kSelfLoop);
    }
    // Runs until the CPU sits on a `b .` (the program's end or a vector).
    uint32_t run(unsigned limit = 100000) {
        for (unsigned n = 0; n < limit && read32(cpu.s.pc & 0xffffff) != kSelfLoop; ++n) cpu.step();
        return cpu.s.pc;
    }
};

}  // namespace tessera::ppc::test
