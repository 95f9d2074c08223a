#pragma once
// What a user asks of a PowerPC `mac99` VM: the knobs of `tessera-cli run
// --machine mac99` (mirroring qemu-system-ppc -M mac99).

#include <cstdint>
#include <string>

#include "core/cpu/cpu_engine.h"

namespace tessera::machine {

struct Mac99Config {
    uint64_t ramSize = 128ull << 20;
    // OpenBIOS for PowerPC Macs (an ELF loaded at 0xfff00000), Debian's
    // qemu-system-data file unless --bios names another.
    std::string bios = "/usr/share/qemu/openbios-ppc";
    std::string kernel;  // a 32-bit PowerPC ELF (vmlinux), loaded as QEMU does at 16 MiB
    std::string initrd;
    std::string append;
    // A screen (the VGA always sits on the PCI bus, as on QEMU): OpenBIOS
    // then sets its mode and shows its console there too, and Linux's offb
    // finds it; without one OpenBIOS runs "nographic" and leaves it off.
    bool display = false;
    bool noReboot = false;
    double timeoutSeconds = 0;  // 0 = no limit
    uint64_t sliceInstructions = 1u << 16;
    cpu::EngineKind engine = cpu::kDefaultEngine;  // --engine
};

}  // namespace tessera::machine
