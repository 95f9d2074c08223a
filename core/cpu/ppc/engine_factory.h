#pragma once
// Makes the PowerPC CPU engine a board asked for (`--engine`), as
// riscv::createEngine does for RISC-V: the board sees only cpu::CpuEngine.

#include <memory>

#include "core/cpu/cpu_engine.h"
#include "core/cpu/ppc/cpu.h"
#include "core/hw/memory_bus.h"
#include "core/util/result.h"

namespace tessera::ppc {

// An error (nothing created) when this build or host lacks the engine.
Result<std::unique_ptr<cpu::CpuEngine>> createEngine(cpu::EngineKind kind, hw::MemoryBus& bus,
                                                     CpuConfig config);

// The ppc::Cpu behind an engine createEngine made (both engines keep the
// architectural state in one), for PowerPC-aware code such as the CPU fuzzer.
Cpu& cpuOf(cpu::CpuEngine& engine);

}  // namespace tessera::ppc
