#pragma once
// The engines the lockstep tester proves equal to the reference engine, the
// interpreter single-stepping (riscv::Interpreter::step), and how it advances
// each of them by one unit between comparisons.
//
// Today: the interpreter's single steps through the engine interface, and its
// block loop (run() with a budget of one instruction runs exactly one block,
// taking a pending interrupt or a trap as the JIT's step() does), so the
// tester's block-sized windows are exercised before the JIT exists. When the
// JIT is merged, add {"jit", cpu::EngineKind::Jit, stepOnce} to
// kEnginesUnderTest: every lockstep test, tessera-lockstep and the
// random-program check then run it too.

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
    {"interp", cpu::EngineKind::Interpreter, stepOnce},
    {"interp-blocks", cpu::EngineKind::Interpreter, oneBlock},
};

inline const EngineUnderTest* findEngineUnderTest(std::string_view name) {
    for (const EngineUnderTest& engine : kEnginesUnderTest)
        if (name == engine.name) return &engine;
    return nullptr;
}

}  // namespace tessera::lockstep
