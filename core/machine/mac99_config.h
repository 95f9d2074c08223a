#pragma once
// What a user asks of a PowerPC `mac99` VM: the knobs of `tessera-cli run
// --machine mac99` (mirroring qemu-system-ppc -M mac99).

#include <cstdint>
#include <optional>
#include <string>

#include "core/cpu/cpu_engine.h"
#include "core/machine/mac99_storage.h"
#include "core/devices/device_options.h"

namespace tessera::machine {

// The RAM QEMU's mac99 accepts ("maximum 2047 MB"); Mac99Board refuses the rest.
inline constexpr uint64_t kMac99MinRam = 32ull << 20;
inline constexpr uint64_t kMac99MaxRam = 2047ull << 20;
// Hard disks: the master and the slave of the first KeyLargo ATA bus (the
// CD-ROM is the second bus's master), as QEMU's -hda and -hdb.
inline constexpr int kMac99MaxDisks = 2;

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
    Mac99StorageConfig storage;  // the ATA disk and CD-ROM (mac99_storage.h)
    // What OpenBIOS starts without --kernel (fw_cfg boot device, QEMU's -boot):
    // 'c' the disk (QEMU's default), 'd' the CD-ROM.
    char bootDevice = 'c';
    // An e1000 on user-mode networking (`--nic user,...`, QEMU's `-device e1000
    // -netdev user`); without a MAC, QEMU's first default 52:54:00:12:34:56.
    std::optional<devices::NicOption> nic;
};

}  // namespace tessera::machine
