#pragma once
// HartEngine: what every RISC-V engine shares behind cpu::CpuEngine. A Hart
// holds the architectural state, the MMU, the CSRs and trap entry, so the
// interpreter and the JIT differ only in how they execute instructions
// (run/step); everything else the board asks of an engine is the Hart's.

#include <functional>
#include <string>

#include "core/cpu/cpu_engine.h"
#include "core/cpu/riscv/hart.h"

namespace tessera::riscv {

class HartEngine : public cpu::CpuEngine {
public:
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
    uint64_t backedOffNanos() const override { return hart_.backedOffNanos(); }
    void setBreakpoints(std::vector<uint64_t> pcs) override { hart_.setBreakpoints(std::move(pcs)); }
    cpu::RunResult stepInstruction() override { return hart_.step(); }
    std::optional<uint64_t> debugTranslate(uint64_t vaddr) override { return hart_.debugTranslate(vaddr); }

    // The RISC-V state behind the interface, for RISC-V-aware code (the
    // lockstep tester, the fuzzer's invariants, riscv::hartOf).
    Hart& hart() { return hart_; }
    const Hart& hart() const { return hart_; }

protected:
    HartEngine(hw::MemoryBus& bus, HartConfig config) : hart_(bus, config) {}
    Hart hart_;
};

}  // namespace tessera::riscv
