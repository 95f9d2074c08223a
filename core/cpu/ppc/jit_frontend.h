#pragma once
// The PowerPC front end of the JIT: decodes a run of guest instructions with
// the interpreter's decode table (decode_table.cpp) and lowers them through
// the ISA-neutral emitter (core/jit). Every row can run as a call to its
// semantic function (the interpreter's own, so the JIT is exactly as correct
// as the interpreter); the hottest simple rows are emitted inline instead
// (jit_frontend.cpp, inlineKind).
//
// Conventions of the generated code (the dispatcher in jit_engine.cpp
// relies on them):
//   - on block entry CpuState.pc is the block's first instruction; the code is
//     pc-relative, so one translation serves every virtual alias of its page;
//   - before a semantic function runs, pc and retired are exact for its
//     instruction, so an exception it raises sees the interpreter's SRR0/SRR1;
//   - a block returns an ExecStatus when a semantic function returned anything
//     but Continue (pc still at that instruction: the dispatcher completes it
//     with Cpu::complete), or kExitPoll/kExitChain with pc at the next
//     instruction and everything before it retired.

#include <cstdint>
#include <memory>

#include "core/jit/code_buffer.h"
#include "core/jit/translation_block.h"

namespace tessera::ppc {

// A block holds at most this many guest instructions, so run(budget) may
// overshoot its budget by up to this many (cpu::CpuEngine::run: whole blocks).
inline constexpr unsigned kMaxBlockInstructions = 64;

struct JitSource {
    uint32_t physPc = 0;            // guest physical address of the first instruction
    const uint8_t* host = nullptr;  // its bytes in host memory
    uint32_t available = 0;         // bytes readable from host (to the end of the page or of RAM)
    uint64_t mode = 0;              // JitEngine::modeWord()
    bool countHostInstructions = false;  // the block is in the engine's sample (TranslationStats)
};

// BufferFull: flush and try again. Failed: the emitter could not encode the
// block (a bug; interpret the instruction instead).
enum class TranslateResult { Ok, BufferFull, Failed };

TranslateResult translateBlock(const JitSource& source, jit::CodeBuffer& buffer,
                               std::unique_ptr<jit::TranslationBlock>& out);

}  // namespace tessera::ppc
