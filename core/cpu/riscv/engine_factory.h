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

}  // namespace tessera::riscv
