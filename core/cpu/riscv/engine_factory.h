#pragma once
// Makes the RISC-V CPU engine a board asked for (`--engine`). The board sees
// only cpu::CpuEngine; which engine runs the hart is decided here.

#include <memory>

#include "core/cpu/cpu_engine.h"
#include "core/cpu/riscv/hart.h"
#include "core/hw/memory_bus.h"
#include "core/util/result.h"

namespace tessera::riscv {

// An error (nothing created) when this build lacks the engine.
Result<std::unique_ptr<cpu::CpuEngine>> createEngine(cpu::EngineKind kind, hw::MemoryBus& bus,
                                                     HartConfig config);

// The hart behind an engine createEngine made (every RISC-V engine keeps its
// architectural state in a Hart), for RISC-V-aware code that reads HartState
// the same way whatever the engine: the lockstep tester and the CPU fuzzer.
Hart& hartOf(cpu::CpuEngine& engine);
const Hart& hartOf(const cpu::CpuEngine& engine);

}  // namespace tessera::riscv
