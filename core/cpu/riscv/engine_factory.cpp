#include "core/cpu/riscv/engine_factory.h"

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

}  // namespace tessera::riscv
