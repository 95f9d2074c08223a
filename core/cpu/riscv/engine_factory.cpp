#include "core/cpu/riscv/engine_factory.h"

#include <cstdlib>

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
    switch (engine.kind()) {
        case cpu::EngineKind::Interpreter:
            return static_cast<Interpreter&>(engine).hart();
        case cpu::EngineKind::Jit:
            return static_cast<JitEngine&>(engine).hart();
    }
    std::abort();
}

const Hart& hartOf(const cpu::CpuEngine& engine) {
    return hartOf(const_cast<cpu::CpuEngine&>(engine));
}

}  // namespace tessera::riscv
