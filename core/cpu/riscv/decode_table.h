#pragma once
// The RV64GC decoder as data (docs/ARCHITECTURE.md, "Decoders are data"): one
// row per instruction encoding with its bit pattern, operand format, semantic
// function, the interpreter's threaded handler made from it, and name.
// The interpreter executes the handlers; the JIT (jit_frontend.cpp) reads the
// same rows and calls the semantic functions for rows it does not inline.
// Compressed instructions expand to their 32-bit equivalents through a second
// table (compressed_table.cpp) and then decode here.

#include <cstdint>
#include <span>
#include <string_view>

#include "core/cpu/riscv/decoded_insn.h"

namespace tessera::riscv {

// Which fields an encoding carries (unprivileged spec 2.2-2.3 formats).
enum class OperandFormat : uint8_t {
    None,     // no operands (ECALL, MRET, ...)
    R,        // rd, rs1, rs2
    R4,       // rd, rs1, rs2, rs3 (fused multiply-add), rm
    RFloat,   // rd, rs1, rs2, rm
    I,        // rd, rs1, imm[11:0]
    Shift64,  // rd, rs1, shamt[5:0]
    Shift32,  // rd, rs1, shamt[4:0]
    S,        // rs1, rs2, imm
    B,        // rs1, rs2, branch offset
    U,        // rd, imm[31:12]
    J,        // rd, jump offset
    Csr,      // rd, rs1 (register or uimm), csr number in imm
    Fence,    // rs1 (SFENCE.VMA), rs2 (ASID)
};

// A bit pattern such as "0000000 ..... ..... 000 ..... 0110011": '0'/'1' are
// fixed bits, anything else is an operand bit; spaces are ignored.
struct BitPattern {
    uint32_t mask = 0;
    uint32_t match = 0;
    uint8_t width = 0;  // number of bits written (32, or 16 for compressed rows)
    consteval BitPattern(const char* text) {
        unsigned bits = 0;
        for (const char* p = text; *p; ++p)
            if (*p != ' ') ++bits;
        width = static_cast<uint8_t>(bits);
        unsigned bit = bits;
        for (const char* p = text; *p; ++p) {
            if (*p == ' ') continue;
            --bit;
            if (*p == '0' || *p == '1') mask |= 1u << bit;
            if (*p == '1') match |= 1u << bit;
        }
    }
};

enum RowFlags : uint8_t {
    EndsBlock = 1,  // control transfer or privileged state change: decoding stops after it
};

// A row holds both forms of its semantics: the plain single-instruction
// function (the JIT calls it as a helper) and the interpreter's threaded
// handler generated from it.
struct InsnRow {
    BitPattern pattern;
    OperandFormat format;
    Semantic semantic;
    Handler handler;
    const char* name;
    uint8_t flags = 0;
};

template <Semantic Fn>
consteval InsnRow row(BitPattern pattern, OperandFormat format, const char* name, uint8_t flags = 0) {
    return {pattern, format, Fn, threaded<Fn>, name, flags};
}

std::span<const InsnRow> decodeTable();

// Destination index used for writes to x0 (HartState::x[32] is a write sink).
inline constexpr uint8_t kZeroSink = 32;

// Decodes one 32-bit instruction; unknown encodings get the illegal handler
// (row index == decodeTable().size()).
DecodedInsn decodeInstruction(uint32_t raw);
// The semantic function of a decoded instruction (the illegal-instruction one
// for an unknown encoding).
Semantic semanticOf(const DecodedInsn& insn);

struct CompressedRow {
    BitPattern pattern;
    // Returns the 32-bit equivalent, or 0 for a reserved/illegal encoding.
    uint32_t (*expand)(uint16_t raw);
    const char* name;
};

std::span<const CompressedRow> compressedTable();

// 32-bit equivalent of a compressed instruction, or 0 if illegal.
uint32_t expandCompressed(uint16_t raw);

}  // namespace tessera::riscv
