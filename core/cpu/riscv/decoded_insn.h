#pragma once
// DecodedInsn: one instruction with its operand fields already extracted by the
// decode table, plus the handler that executes it. A Block is a run of these
// starting at one guest address and ending at the first control transfer or
// the end of the page.

#include <cstdint>
#include <vector>

#include "core/cpu/riscv/hart.h"

namespace tessera::riscv {

struct DecodedInsn;
using Handler = ExecStatus (*)(Hart& hart, const DecodedInsn& insn);

struct DecodedInsn {
    Handler handler = nullptr;
    int64_t imm = 0;     // sign-extended immediate (or CSR number / shift amount)
    uint32_t raw = 0;    // 32-bit encoding (compressed instructions expanded)
    uint8_t rd = 0;
    uint8_t rs1 = 0;
    uint8_t rs2 = 0;
    uint8_t rs3 = 0;
    uint8_t rm = 0;      // floating-point rounding mode field
    uint8_t length = 4;  // 2 for compressed
    uint16_t row = 0;    // index of the decode table row (for names and the JIT)
    uint16_t rawCompressed = 0;
};

struct Block {
    uint64_t startPage = 0;  // host page holding the block
    std::vector<DecodedInsn> insns;
};

}  // namespace tessera::riscv
