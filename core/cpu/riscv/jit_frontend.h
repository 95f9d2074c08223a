#pragma once
// The RISC-V front end of the JIT: decodes a run of guest instructions with
// the same table the interpreter uses (decode_table.cpp) and lowers them
// through the ISA-neutral emitter (core/jit). Hot rows (integer ALU, LUI,
// AUIPC, branches, JAL/JALR, integer loads and stores) become inline x86-64;
// every other row calls its semantic function as a helper, so the JIT runs
// exactly the interpreter's semantics there.
//
// Conventions of the generated code (the dispatcher in jit_engine.cpp
// relies on them):
//   - on block entry HartState.pc is the block's first instruction; the code
//     is pc-relative, so one translation serves every virtual alias of its
//     physical page;
//   - before a helper runs, pc and instret are exact for that instruction;
//   - exits return ExecStatus values (Jump: pc is the target; Stop/Wfi: pc is
//     past the instruction; Trap: pc is the faulting instruction, nothing of
//     it retired) or the engine's kExitChain/kExitPoll.

#include <cstdint>
#include <memory>

#include "core/cpu/riscv/hart.h"
#include "core/jit/code_buffer.h"
#include "core/jit/jump_cache.h"
#include "core/jit/translation_block.h"

namespace tessera::riscv {

struct JitSource {
    uint64_t physPc = 0;            // guest physical address of the first instruction
    const uint8_t* host = nullptr;  // its bytes in host memory
    uint64_t available = 0;         // bytes readable from host (to the end of the page or of RAM)
    uint64_t mode = 0;              // JitEngine::modeWord(): the state the code may assume
    unsigned dataTlbContext = 0;
    bool countHostInstructions = false;  // the block is in the engine's sample (TranslationStats)
};

// Straddles: the first instruction crosses the end of the readable bytes
// (run it with Hart::executeAlone). BufferFull: flush and try again.
// Failed: the emitter could not encode the block (a bug; interpret it).
enum class TranslateResult { Ok, Straddles, BufferFull, Failed };

// Translates the block at `source` into `buffer`. `jumps` is the hart's jump
// cache (indirect jumps probe it inline).
TranslateResult translateBlock(const JitSource& source, jit::CodeBuffer& buffer, const jit::JumpCache& jumps,
                               std::unique_ptr<jit::TranslationBlock>& out);

}  // namespace tessera::riscv
