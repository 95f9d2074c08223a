#pragma once
// The engines the lockstep tester proves equal to the reference engine, the
// interpreter (riscv::Interpreter single-stepping). Today that is the
// interpreter itself (its block loop against its single steps); when the JIT
// is merged, append cpu::EngineKind::Jit here and every lockstep test, the
// tessera-lockstep tool and the random-program check run it too.

#include "core/cpu/cpu_engine.h"

namespace tessera::lockstep {

inline constexpr cpu::EngineKind kReferenceEngine = cpu::EngineKind::Interpreter;
inline constexpr cpu::EngineKind kEnginesUnderTest[] = {cpu::EngineKind::Interpreter};

}  // namespace tessera::lockstep
