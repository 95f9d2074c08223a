#pragma once
// BootPlan: where every boot image goes in guest memory and how the hart
// starts, computed from a RiscvVirtConfig before anything runs (so all user
// errors surface before the guest starts) and applied again on every reset.
//
// Placement follows QEMU's riscv boot code: firmware (--bios) at the RAM
// base; a Linux Image at RAM base + 2 MiB, an ELF kernel at its own physical
// address; the DTB at the top of RAM (below 3 GiB) aligned down to 2 MiB; the
// initrd right below the DTB; flash bank 0 contents (--pflash) at the
// flash base, where OpenSBI continues in S-mode when there is no kernel, as
// QEMU >= 8.1 does for an S-mode payload in pflash0. The mrom at 0x1000 holds QEMU's reset vector:
// a0 = mhartid, a1 = DTB address, a2 = &fw_dynamic_info (OpenSBI
// fw_dynamic's struct, include/sbi/fw_dynamic.h: magic "OSBI", version 2,
// next_addr, next_mode = S, options, boot_hart), then a jump to the entry.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/hw/memory_bus.h"
#include "core/machine/image_loader.h"
#include "core/machine/riscv_virt_config.h"
#include "core/util/result.h"

namespace tessera::machine {

struct PlacedImage {
    std::string role;  // "firmware", "kernel", "initrd", "file", "flash code"
    std::string path;
    std::vector<uint8_t> bytes;
    std::optional<ElfImage> elf;  // loaded by segments when set, else raw at `address`
    uint64_t address = 0;
    uint64_t end = 0;  // one past the last byte it occupies (incl. .bss)
};

struct BootPlan {
    std::vector<PlacedImage> images;
    uint64_t resetVector = 0;  // where the hart starts (mrom)
    uint64_t entry = 0;        // where the reset vector jumps (firmware, or kernel without firmware)
    uint64_t nextStage = 0;    // fw_dynamic_info.next_addr (the kernel)
    uint64_t dtbAddress = 0;
    std::vector<uint8_t> dtb;
    std::optional<std::pair<uint64_t, uint64_t>> initrd;
};

Result<BootPlan> planBoot(const RiscvVirtConfig& config);
// Copies images, DTB and the mrom contents into guest memory.
Status applyBootPlan(const BootPlan& plan, hw::MemoryBus& bus);

}  // namespace tessera::machine
