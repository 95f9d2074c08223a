#pragma once
// What a user asks of a RISC-V virt VM: the knobs of `tessera-cli run`
// (mirroring qemu-system-riscv64) and, later, of a VM bundle's config.json.

#include <cstdint>
#include <string>
#include <vector>

#include "core/cpu/cpu_engine.h"
#include "core/devices/virtio_device_set.h"

namespace tessera::machine {

// The most harts this build runs (one host thread each): the one place the
// GUI's CPU controls, a bundle's start check and `--smp` take the limit from.
// 8, as the CLINT/PLIC layout and QEMU's virt allow far more; more harts
// than host cores run, but time-share the cores (the CLI and GUI warn).
inline constexpr unsigned kMaxHarts = 8;

struct RawLoad {  // --load FILE@ADDRESS, like QEMU's -device loader,file=,addr=
    std::string path;
    uint64_t address = 0;
};

struct RiscvVirtConfig {
    uint64_t ramSize = 128ull << 20;
    unsigned harts = 1;
    std::string bios;  // path of firmware at RAM base; empty with biosNone = no firmware
    bool biosNone = false;
    std::string kernel;
    std::string initrd;
    std::string append;
    std::vector<RawLoad> loads;
    // --pflash FILE, up to twice, like QEMU's -pflash: bank 0 holds firmware
    // code run in place (EDK2's RISCV_VIRT_CODE.fd), bank 1 its variable
    // store (a VM's own copy of RISCV_VIRT_VARS.fd; volatile when absent).
    // With bank 0 and no --kernel, OpenSBI continues into flash in S-mode.
    std::vector<std::string> pflash;
    bool noReboot = false;
    double timeoutSeconds = 0;  // 0 = no limit
    uint64_t sliceInstructions = 1u << 16;
    cpu::EngineKind engine = cpu::kDefaultEngine;  // --engine
    devices::VirtioDevicesConfig virtio;           // disks, CD-ROM, NIC, display, input in the virtio slots
};

}  // namespace tessera::machine
