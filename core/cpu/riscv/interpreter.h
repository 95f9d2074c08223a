#pragma once
// Interpreter: the RISC-V reference engine behind the cpu::CpuEngine interface.
// It owns a Hart and forwards one call per run slice; the per-instruction work
// stays inside Hart::run's block loop, so the interface costs one virtual call
// per slice, not per instruction.

#include <memory>

#include "core/cpu/cpu_engine.h"
#include "core/cpu/riscv/hart.h"

namespace tessera::riscv {

class Interpreter final : public cpu::CpuEngine {
public:
    Interpreter(hw::MemoryBus& bus, HartConfig config) : hart_(bus, config) {}

    cpu::EngineKind kind() const override { return cpu::EngineKind::Interpreter; }
    cpu::RunResult run(uint64_t budget) override { return hart_.run(budget); }
    cpu::RunResult step() override { return hart_.step(); }
    void requestExit() override { hart_.requestExit(); }
    void reset(uint64_t pc) override { hart_.reset(pc); }
    void setInterruptLevel(unsigned line, bool level) override { hart_.setInterruptLevel(line, level); }
    bool interruptPending() const override { return hart_.interruptPending(); }
    void setTimeSource(std::function<uint64_t()> readTime) override {
        hart_.setTimeSource(std::move(readTime));
    }
    void invalidateCode(uint64_t paddr, uint64_t length) override { hart_.noteExternalWrite(paddr, length); }
    void flushTlb() override { hart_.flushTlb(); }
    uint64_t pc() const override { return hart_.state().pc; }
    uint64_t instructionsRetired() const override { return hart_.instructionsRetired(); }
    std::string dumpState() const override { return hart_.dumpRegisters(); }

    // The RISC-V state behind the interface, for RISC-V-aware code (tests, a
    // future RISC-V monitor command).
    Hart& hart() { return hart_; }
    const Hart& hart() const { return hart_; }

private:
    Hart hart_;
};

}  // namespace tessera::riscv
