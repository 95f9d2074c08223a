#pragma once
// The PowerPC decoder as data (docs/ARCHITECTURE.md, "Decoders are data"): a
// row per instruction with its primary opcode, its extended opcode (and which
// bits hold it) and its semantic function. lookup() indexes two-level tables
// built from the rows once: the primary opcode, then for the groups 19, 31, 59
// and 63 the extended opcode in bits 21-30.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/cpu/ppc/cpu.h"

namespace tessera::ppc {

using Semantic = ExecStatus (*)(Cpu& cpu, uint32_t insn);

enum class XoForm : uint8_t {
    None,  // the primary opcode alone
    X,     // bits 21-30 (10 bits): X, XL, XFX, XFL forms
    XO,    // bits 22-30 (9 bits) with the OE bit 21 free: both OE forms
    A,     // bits 26-30 (5 bits), bits 21-25 a register: A form (FPU)
};

struct InsnRow {
    uint8_t primary;
    uint16_t xo;
    XoForm form;
    Semantic semantic;
    const char* name;
};

std::span<const InsnRow> decodeTable();
// The semantic function for an instruction word (the illegal-instruction one
// for encodings no row claims).
Semantic lookup(uint32_t insn);
// The row's name, or nullptr for an illegal encoding (disassembly, tests).
const char* mnemonic(uint32_t insn);
// Rows that claim the same encoding (empty when the table is sound).
std::vector<std::string> decodeConflicts();

}  // namespace tessera::ppc
