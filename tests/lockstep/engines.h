#pragma once
// The engines the lockstep tester proves equal to the reference engine, the
// interpreter single-stepping (riscv::Interpreter::step), and how it advances
// each of them by one unit between comparisons.
//
// The JIT one translated block at a time (JitEngine::step); the interpreter's
// single steps through the engine interface; and its block loop (run() with a
// budget of one instruction runs exactly one block, taking a pending interrupt
// or a trap as the JIT's step() does). Every lockstep test, tessera-lockstep
// and the random-program check run each of them.

#include <string_view>

#include "core/cpu/cpu_engine.h"

namespace tessera::lockstep {

inline constexpr cpu::EngineKind kReferenceEngine = cpu::EngineKind::Interpreter;

struct EngineUnderTest {
    const char* name;  // in reports and `tessera-lockstep --engine`
    cpu::EngineKind kind;
    cpu::RunResult (*advance)(cpu::CpuEngine& engine);
};

inline cpu::RunResult stepOnce(cpu::CpuEngine& engine) {
    return engine.step();
}
inline cpu::RunResult oneBlock(cpu::CpuEngine& engine) {
    return engine.run(1);
}

inline constexpr EngineUnderTest kEnginesUnderTest[] = {
    {"jit", cpu::EngineKind::Jit, stepOnce},
    {"interp", cpu::EngineKind::Interpreter, stepOnce},
    {"interp-blocks", cpu::EngineKind::Interpreter, oneBlock},
};

inline const EngineUnderTest* findEngineUnderTest(std::string_view name) {
    for (const EngineUnderTest& engine : kEnginesUnderTest)
        if (name == engine.name) return &engine;
    return nullptr;
}

}  // namespace tessera::lockstep
