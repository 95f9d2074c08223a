#pragma once
// The memory map of the RISC-V virt board, identical to QEMU's `virt` machine
// so that unmodified OpenSBI, U-Boot and Linux find their devices where they
// expect them. As a table: docs/ARCHITECTURE.md, "The RISC-V `virt` board".

#include <cstdint>

namespace tessera::machine::virt {

constexpr uint64_t kMromBase = 0x0000'1000;  // reset vector + fw_dynamic_info, as QEMU
constexpr uint64_t kMromSize = 0x0000'F000;
constexpr uint64_t kTestBase = 0x0010'0000;
constexpr uint64_t kRtcBase = 0x0010'1000;
constexpr uint64_t kClintBase = 0x0200'0000;
constexpr uint64_t kPlicBase = 0x0C00'0000;
constexpr uint64_t kUartBase = 0x1000'0000;
constexpr uint64_t kVirtioBase = 0x1000'1000;
constexpr uint64_t kVirtioStride = 0x1000;
constexpr unsigned kVirtioCount = 8;
constexpr uint64_t kFlashBase = 0x2000'0000;      // two CFI flash banks, as QEMU's virt:
constexpr uint64_t kFlashBankSize = 0x0200'0000;  // bank 0 firmware code, bank 1 its variables
constexpr uint64_t kRamBase = 0x8000'0000;

constexpr unsigned kUartIrq = 10;
constexpr unsigned kRtcIrq = 11;
constexpr unsigned kVirtioIrqFirst = 1;  // slot i uses IRQ 1 + i
constexpr unsigned kPlicSources = 96;    // riscv,ndev (QEMU 7.2 virt)

constexpr uint64_t kKernelOffset = 0x20'0000;  // Linux wants 2 MiB alignment on RV64
constexpr uint64_t kUartClockHz = 3'686'400;

}  // namespace tessera::machine::virt
