#pragma once
// The PowerPC interpreter behind cpu::CpuEngine: the ppc::Cpu runs each
// instruction itself (one virtual call per run slice).

#include "core/cpu/ppc/cpu_engine_base.h"

namespace tessera::ppc {

class Interpreter final : public CpuEngineBase {
public:
    Interpreter(hw::MemoryBus& bus, CpuConfig config) : CpuEngineBase(bus, config) {}

    cpu::EngineKind kind() const override { return cpu::EngineKind::Interpreter; }
    cpu::RunResult run(uint64_t budget) override { return cpu_.run(budget); }
    cpu::RunResult step() override { return cpu_.step(); }
};

}  // namespace tessera::ppc
