#pragma once
// What both PowerPC engines share behind cpu::CpuEngine: they own a ppc::Cpu
// (the architectural state, MMU, SPRs and exception entry: one reference for
// the interpreter and the JIT) and forward the interface's state calls to it.
// Each engine adds its own run/step.

#include "core/cpu/cpu_engine.h"
#include "core/cpu/ppc/cpu.h"

namespace tessera::ppc {

class CpuEngineBase : public cpu::CpuEngine {
public:
    void requestExit() override { cpu_.requestExit(); }
    void reset(uint64_t pc) override { cpu_.reset(static_cast<uint32_t>(pc)); }
    void setInterruptLevel(unsigned line, bool level) override { cpu_.setInterruptLevel(line, level); }
    bool interruptPending() const override { return cpu_.interruptPending(); }
    void setTimeSource(std::function<uint64_t()> readTime) override { cpu_.setTimeSource(std::move(readTime)); }
    void invalidateCode(uint64_t paddr, uint64_t length) override { cpu_.noteExternalWrite(paddr, length); }
    void flushTlb() override { cpu_.flushTranslations(); }
    uint64_t pc() const override { return cpu_.s.pc; }
    uint64_t instructionsRetired() const override { return cpu_.s.retired; }
    std::string dumpState() const override { return cpu_.dumpState(); }
    void setBreakpoints(std::vector<uint64_t> pcs) override { cpu_.breakpoints.assign(std::move(pcs)); }
    cpu::RunResult stepInstruction() override { return cpu_.step(); }
    std::optional<uint64_t> debugTranslate(uint64_t vaddr) override {
        uint32_t pa = 0;
        if (vaddr > 0xffffffffu || !cpu_.debugTranslate(static_cast<uint32_t>(vaddr), pa))
            return std::nullopt;
        return pa;
    }

    // The PowerPC state behind the interface (tests, the fuzzer's invariants, ppc::cpuOf).
    Cpu& cpu() { return cpu_; }
    const Cpu& cpu() const { return cpu_; }

protected:
    CpuEngineBase(hw::MemoryBus& bus, CpuConfig config) : cpu_(bus, config) {}
    Cpu cpu_;
};

}  // namespace tessera::ppc
