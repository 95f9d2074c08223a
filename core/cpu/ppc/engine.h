#pragma once
// The PowerPC interpreter behind cpu::CpuEngine: it owns a ppc::Cpu and
// forwards each call (one virtual call per run slice).

#include <memory>

#include "core/cpu/cpu_engine.h"
#include "core/cpu/ppc/cpu.h"

namespace tessera::ppc {

class Interpreter final : public cpu::CpuEngine {
public:
    Interpreter(hw::MemoryBus& bus, CpuConfig config) : cpu_(bus, config) {}

    cpu::EngineKind kind() const override { return cpu::EngineKind::Interpreter; }
    cpu::RunResult run(uint64_t budget) override { return cpu_.run(budget); }
    cpu::RunResult step() override { return cpu_.step(); }
    void requestExit() override { cpu_.requestExit(); }
    void reset(uint64_t pc) override { cpu_.reset(static_cast<uint32_t>(pc)); }
    void setInterruptLevel(unsigned line, bool level) override { cpu_.setInterruptLevel(line, level); }
    bool interruptPending() const override { return cpu_.interruptPending(); }
    void setTimeSource(std::function<uint64_t()> readTime) override {
        cpu_.setTimeSource(std::move(readTime));
    }
    void invalidateCode(uint64_t paddr, uint64_t length) override { cpu_.noteExternalWrite(paddr, length); }
    void flushTlb() override { cpu_.flushTranslations(); }
    uint64_t pc() const override { return cpu_.s.pc; }
    uint64_t instructionsRetired() const override { return cpu_.s.retired; }
    std::string dumpState() const override { return cpu_.dumpState(); }

    // The PowerPC state behind the interface (tests, the fuzzer's invariants).
    Cpu& cpu() { return cpu_; }
    const Cpu& cpu() const { return cpu_; }

private:
    Cpu cpu_;
};

}  // namespace tessera::ppc
