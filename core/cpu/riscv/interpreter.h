#pragma once
// Interpreter: the RISC-V reference engine behind the cpu::CpuEngine interface.
// It owns a Hart and forwards one call per run slice; the per-instruction work
// stays inside Hart::run's block loop, so the interface costs one virtual call
// per slice, not per instruction.

#include "core/cpu/riscv/hart_engine.h"

namespace tessera::riscv {

class Interpreter final : public HartEngine {
public:
    Interpreter(hw::MemoryBus& bus, HartConfig config) : HartEngine(bus, config) {}

    cpu::EngineKind kind() const override { return cpu::EngineKind::Interpreter; }
    cpu::RunResult run(uint64_t budget) override { return hart_.run(budget); }
    cpu::RunResult step() override { return hart_.step(); }
};

}  // namespace tessera::riscv
