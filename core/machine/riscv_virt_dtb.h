#pragma once
// Flattened device tree for the RISC-V virt board, generated with libfdt from
// the actual configuration (RAM size, hart count, command line, initrd). The
// node names, compatibles and properties follow what QEMU's virt machine
// emits, because OpenSBI's generic platform, U-Boot and Linux match on them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/util/result.h"

namespace tessera::machine {

struct VirtDtbConfig {
    uint64_t ramBase = 0;
    uint64_t ramSize = 0;
    unsigned harts = 1;
    // Zihintpause: PAUSE is a FENCE every hart executes anyway; named here,
    // Linux's cpu_relax() uses it, and spin-waits can back off on it
    // (core/cpu/riscv/spin_backoff.h) instead of burning a host core.
    std::string isa = "rv64imafdc_zihintpause";
    std::string mmuType = "riscv,sv48";
    std::string bootargs;
    std::optional<std::pair<uint64_t, uint64_t>> initrd;  // [start, end)
    bool flash = false;  // the two CFI flash banks (firmware code and variables) are present
};

Result<std::vector<uint8_t>> buildVirtDtb(const VirtDtbConfig& config);

}  // namespace tessera::machine
