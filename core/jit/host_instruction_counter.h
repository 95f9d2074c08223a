#pragma once
// Counts the host instructions an Emitter assembles, through asmjit's logger
// hook: the assembler formats each instruction, label and data directive as
// one line, and only instruction lines count. Formatting costs time, so
// engines count only a fixed sample of blocks (cpu::TranslationStats).

#include <asmjit/core.h>

#include <cstdint>

namespace tessera::jit {

class HostInstructionCounter final : public asmjit::Logger {
public:
    uint32_t count() const { return count_; }
    // An instruction the emitter writes as data bytes (a patchable jump).
    void addRawInstruction() { ++count_; }

private:
    asmjit::Error _log(const char* data, size_t size) noexcept override;
    uint32_t count_ = 0;
};

}  // namespace tessera::jit
