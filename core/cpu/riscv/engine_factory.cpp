#include "core/cpu/riscv/engine_factory.h"

#include <cstdlib>

#include "core/cpu/riscv/interpreter.h"

namespace tessera::riscv {

Result<std::unique_ptr<cpu::CpuEngine>> createEngine(cpu::EngineKind kind, hw::MemoryBus& bus,
                                                     HartConfig config) {
    TESSERA_TRY(cpu::engineAvailable(kind));
    switch (kind) {
        case cpu::EngineKind::Interpreter:
            return std::unique_ptr<cpu::CpuEngine>(std::make_unique<Interpreter>(bus, config));
        case cpu::EngineKind::Jit:
            break;  // refused by engineAvailable until the JIT lands (issue 17)
    }
    return makeError(std::string("no RISC-V ") + cpu::engineName(kind) + " engine in this build.");
}

Hart& hartOf(cpu::CpuEngine& engine) {
    switch (engine.kind()) {
        case cpu::EngineKind::Interpreter:
            return static_cast<Interpreter&>(engine).hart();
        case cpu::EngineKind::Jit:
            break;  // no JIT engine object can exist yet: createEngine refuses to make one
    }
    std::abort();
}

const Hart& hartOf(const cpu::CpuEngine& engine) {
    return hartOf(const_cast<cpu::CpuEngine&>(engine));
}

}  // namespace tessera::riscv
