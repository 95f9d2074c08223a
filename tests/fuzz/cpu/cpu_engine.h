#pragma once
// The CPU engine the CPU fuzzer drives. This is the one place to change to
// fuzz another engine (the JIT): it must run guest code on the bus from a
// reset and expose the architectural state (HartState, whose software TLB the
// JIT shares, so the fuzzer's TLB invariant applies to it unchanged).

#include "core/cpu/riscv/hart.h"

namespace tessera::riscv::fuzz {

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

}  // namespace tessera::riscv::fuzz
