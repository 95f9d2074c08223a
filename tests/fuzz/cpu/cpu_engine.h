#pragma once
// The CPU engine the CPU fuzzer drives: the interpreter's Hart, or with
// TESSERA_FUZZ_JIT (cpu_jit_fuzzer) the JIT. Either runs guest code on the
// bus from a reset and exposes the architectural state (HartState, whose
// software TLB the JIT shares, so the fuzzer's TLB invariant applies to it
// unchanged).

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "core/cpu/riscv/hart.h"
#include "core/cpu/riscv/jit_engine.h"

namespace tessera::riscv::fuzz {

#ifndef TESSERA_FUZZ_JIT
class CpuEngine {
public:
    explicit CpuEngine(hw::MemoryBus& bus) : hart_(bus, HartConfig{}) {}

    void reset(uint64_t pc) { hart_.reset(pc); }
    RunResult run(uint64_t maxInstructions) { return hart_.run(maxInstructions); }
    const HartState& state() const { return hart_.state(); }

    // Board wiring: interrupt lines and device writes to guest RAM.
    void setInterruptLevel(unsigned mipBit, bool level) { hart_.setInterruptLevel(mipBit, level); }
    void setTimeSource(std::function<uint64_t()> readMtime) { hart_.setTimeSource(std::move(readMtime)); }
    void noteExternalWrite(uint64_t paddr, uint64_t length) { hart_.noteExternalWrite(paddr, length); }

private:
    Hart hart_;
};
#else
class CpuEngine {
public:
    // A small code buffer, so the fuzzer also exercises recycling.
    explicit CpuEngine(hw::MemoryBus& bus) : jit_(make(bus)) {}

    void reset(uint64_t pc) { jit_->reset(pc); }
    RunResult run(uint64_t maxInstructions) { return jit_->run(maxInstructions); }
    const HartState& state() const { return jit_->hart().state(); }

    void setInterruptLevel(unsigned mipBit, bool level) { jit_->setInterruptLevel(mipBit, level); }
    void setTimeSource(std::function<uint64_t()> readMtime) { jit_->setTimeSource(std::move(readMtime)); }
    void noteExternalWrite(uint64_t paddr, uint64_t length) { jit_->invalidateCode(paddr, length); }

private:
    static std::unique_ptr<JitEngine> make(hw::MemoryBus& bus) {
        auto jit = JitEngine::create(bus, HartConfig{}, 256 << 10);
        if (!jit) {
            std::fprintf(stderr, "cpu_jit_fuzzer: %s\n", jit.message().c_str());
            std::abort();
        }
        return std::move(*jit);
    }
    std::unique_ptr<JitEngine> jit_;
};
#endif

}  // namespace tessera::riscv::fuzz
