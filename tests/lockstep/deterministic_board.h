#pragma once
// DeterministicBoard: a minimal RISC-V virt machine (RAM, CLINT, NS16550A UART,
// sifive_test, at the virt board's addresses) whose every run of a program is
// the same, instruction for instruction, whatever the CPU engine. That is what
// lets two engines run side by side and be compared (lockstep.h):
//
//  - Time comes from the retired-instruction count (hw::InstructionClock), not
//    the host clock: the `time` CSR and the CLINT's mtime read the same value
//    at the same instruction in every engine.
//  - Interrupts rise only at comparison points: timers are re-evaluated by
//    atComparisonPoint(), and the tester raises scheduled lines there, at the
//    same instruction count for both engines. (A guest's own msip/mtimecmp
//    write raises its line during the store, which every engine handles at
//    that exact instruction.)
//  - Device reads need no replay because no device here has an outside input:
//    the UART receives nothing from the host, sifive_test reads as zero and
//    the CLINT reads only its registers and the instruction clock. Every read
//    is a function of what the guest did before, so both boards answer alike.
//  - A waiting guest (WFI) retires nothing, so time is skipped to the next
//    timer deadline (skipIdleTime), at the same instruction count in both.
//  - No PLIC, no RTC (host wall time), no virtio (host files and network).
//
// Several harts (issue 12, "the lockstep tester passes per hart in the
// deterministic single-thread mode"): all run on the calling thread, one unit
// at a time, in the order the tester picks; time is the count retired by all
// of them together, and a hart's CLINT write raises another hart's line
// during the store. So the interleaving, and with it every shared-memory
// result (AMOs, LR/SC, a code handoff through FENCE.I), is a function of the
// program and that order alone. The engines are made as the virt board makes
// them for several harts (HartConfig::sharedRam: the JIT checks its code at
// FENCE.I, PAUSE backs off).

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/cpu/cpu_engine.h"
#include "core/cpu/riscv/hart.h"
#include "core/devices/clint.h"
#include "core/devices/ns16550a_uart.h"
#include "core/devices/sifive_test.h"
#include "core/hw/instruction_clock.h"
#include "core/hw/memory_bus.h"
#include "core/util/result.h"

namespace tessera::lockstep {

// RAM from 0x8000_0000; generated programs and the unit tests fit in 1 MiB,
// which keeps a full comparison of guest RAM cheap (lockstep.h).
inline constexpr uint64_t kRamBase = 0x80000000;
inline constexpr uint64_t kDefaultRamSize = 1 << 20;
// mtime ticks once every 10 instructions: 10 MHz at a nominal 100 MIPS.
inline constexpr uint64_t kInstructionsPerTick = 10;

class DeterministicBoard {
public:
    static Result<std::unique_ptr<DeterministicBoard>> create(cpu::EngineKind engine,
                                                              uint64_t ramSize = kDefaultRamSize,
                                                              unsigned harts = 1);
    DeterministicBoard(const DeterministicBoard&) = delete;
    DeterministicBoard& operator=(const DeterministicBoard&) = delete;

    // Places an ELF's segments in RAM and resets every hart to its entry.
    Status loadElf(std::span<const uint8_t> bytes, const std::string& path);
    // Places words at `paddr` (tests that assemble programs in place) and resets every hart there.
    void loadWords(uint64_t paddr, std::span<const uint32_t> words);

    // Hart 0 unless told otherwise (mhartid = the index).
    unsigned hartCount() const { return unsigned(engines_.size()); }
    cpu::CpuEngine& engine(unsigned index = 0) { return *engines_.at(index); }
    const cpu::CpuEngine& engine(unsigned index = 0) const { return *engines_.at(index); }
    riscv::Hart& hart(unsigned index = 0);
    const riscv::Hart& hart(unsigned index = 0) const;
    // Instructions retired by all harts: the clock's source.
    uint64_t instructionsRetired() const;
    hw::MemoryBus& bus() { return bus_; }
    std::span<uint8_t> ram() { return {ram_, ramSize_}; }
    std::span<const uint8_t> ram() const { return {ram_, ramSize_}; }

    // Between engine steps, where both engines are at the same instruction count.
    void atComparisonPoint() { clint_.updateTimers(); }
    // The guest waits with nothing pending: time jumps to the next timer
    // deadline. False if there is none (the guest would wait forever).
    bool skipIdleTime();

    const std::string& uartOutput() const { return uart_output_; }
    bool poweredOff() const { return poweredOff_; }
    int exitCode() const { return exitCode_; }

private:
    DeterministicBoard(uint64_t ramSize, unsigned harts);

    hw::MemoryBus bus_;
    uint8_t* ram_ = nullptr;
    uint64_t ramSize_;
    hw::InstructionClock clock_{kInstructionsPerTick};
    devices::Clint clint_;
    devices::Ns16550aUart uart_;
    devices::SifiveTest finisher_;
    std::vector<std::unique_ptr<cpu::CpuEngine>> engines_;
    std::string uart_output_;
    bool poweredOff_ = false;
    int exitCode_ = 0;
};

}  // namespace tessera::lockstep
