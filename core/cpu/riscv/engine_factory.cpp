#include "core/cpu/riscv/engine_factory.h"

#include "core/cpu/riscv/interpreter.h"
#include "core/cpu/riscv/jit_engine.h"

namespace tessera::riscv {

Result<std::unique_ptr<cpu::CpuEngine>> createEngine(cpu::EngineKind kind, hw::MemoryBus& bus,
                                                     HartConfig config) {
    TESSERA_TRY(cpu::engineAvailable(kind));
    switch (kind) {
        case cpu::EngineKind::Interpreter:
            return std::unique_ptr<cpu::CpuEngine>(std::make_unique<Interpreter>(bus, config));
        case cpu::EngineKind::Jit: {
            auto jit = JitEngine::create(bus, config);
            if (!jit) return jit.error();
            return std::unique_ptr<cpu::CpuEngine>(std::move(*jit));
        }
    }
    return makeError(std::string("no RISC-V ") + cpu::engineName(kind) + " engine in this build.");
}

Hart& hartOf(cpu::CpuEngine& engine) {
    // Every engine createEngine makes keeps its state in a HartEngine's Hart.
    return static_cast<HartEngine&>(engine).hart();
}

const Hart& hartOf(const cpu::CpuEngine& engine) {
    return hartOf(const_cast<cpu::CpuEngine&>(engine));
}

}  // namespace tessera::riscv
