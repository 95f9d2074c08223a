#pragma once
// Every ISA has the same two engines behind cpu::CpuEngine: an interpreter
// constructed directly and a JIT made by a factory that can fail (the host
// may refuse executable memory). The ISA's createEngine (riscv::createEngine,
// ppc::createEngine) instantiates this with its own classes.

#include <memory>
#include <string>

#include "core/cpu/cpu_engine.h"
#include "core/hw/memory_bus.h"
#include "core/util/result.h"

namespace tessera::cpu {

template <typename Interpreter, typename Jit, typename Config>
Result<std::unique_ptr<CpuEngine>> createEngineOf(EngineKind kind, hw::MemoryBus& bus, Config config,
                                                  const char* isa) {
    TESSERA_TRY(engineAvailable(kind));
    switch (kind) {
        case EngineKind::Interpreter:
            return std::unique_ptr<CpuEngine>(std::make_unique<Interpreter>(bus, config));
        case EngineKind::Jit: {
            auto jit = Jit::create(bus, config);
            if (!jit) return jit.error();
            return std::unique_ptr<CpuEngine>(std::move(*jit));
        }
    }
    return makeError(std::string("no ") + isa + " " + engineName(kind) + " engine in this build.");
}

}  // namespace tessera::cpu
