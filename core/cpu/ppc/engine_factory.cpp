#include "core/cpu/ppc/engine_factory.h"

#include "core/cpu/create_engine.h"
#include "core/cpu/ppc/engine.h"
#include "core/cpu/ppc/jit_engine.h"

namespace tessera::ppc {

Result<std::unique_ptr<cpu::CpuEngine>> createEngine(cpu::EngineKind kind, hw::MemoryBus& bus,
                                                     CpuConfig config) {
    return cpu::createEngineOf<Interpreter, JitEngine>(kind, bus, config, "PowerPC");
}

Cpu& cpuOf(cpu::CpuEngine& engine) {
    // Every engine createEngine makes keeps its state in a CpuEngineBase's Cpu.
    return static_cast<CpuEngineBase&>(engine).cpu();
}

}  // namespace tessera::ppc
