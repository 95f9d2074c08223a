#pragma once
// Reads and names the instruction at a hart's pc for a lockstep report,
// without touching the hart: the translation is a read-only page-table walk
// here, because the hart's own walker fills its TLB and may set A/D bits,
// which would change the reference engine's state while it is being compared.

#include <cstdint>
#include <string>

#include "core/cpu/riscv/hart.h"
#include "core/hw/memory_bus.h"

namespace tessera::lockstep {

struct GuestInstruction {
    uint64_t pc = 0;
    uint32_t raw = 0;    // 16 bits for a compressed instruction
    uint8_t length = 0;  // 0: not readable (no translation, not RAM)
};

GuestInstruction instructionAt(const riscv::Hart& hart, const hw::MemoryBus& bus);

// The decode table's row name ("addi", "fmadd.d", "c.addi -> addi"), or "illegal".
std::string instructionName(const GuestInstruction& insn);

}  // namespace tessera::lockstep
