#include "core/cpu/riscv/engine_factory.h"

#include "core/cpu/create_engine.h"
#include "core/cpu/riscv/interpreter.h"
#include "core/cpu/riscv/jit_engine.h"

namespace tessera::riscv {

Result<std::unique_ptr<cpu::CpuEngine>> createEngine(cpu::EngineKind kind, hw::MemoryBus& bus,
                                                     HartConfig config) {
    return cpu::createEngineOf<Interpreter, JitEngine>(kind, bus, config, "RISC-V");
}

Hart& hartOf(cpu::CpuEngine& engine) {
    // Every engine createEngine makes keeps its state in a HartEngine's Hart.
    return static_cast<HartEngine&>(engine).hart();
}

const Hart& hartOf(const cpu::CpuEngine& engine) {
    return hartOf(const_cast<cpu::CpuEngine&>(engine));
}

}  // namespace tessera::riscv
