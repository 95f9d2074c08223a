#pragma once
// The emulator configuration for a VM bundle: config.json's machine, boot
// source and devices turned into the board's knobs. One mapping shared by the
// GUI's VmRunner and `tessera-cli run --vm`, so a VM behaves the same in both.

#include <QStringList>

#include "core/machine/mac99_config.h"
#include "core/machine/riscv_virt_config.h"
#include "core/util/result.h"
#include "core/vm/vm_bundle.h"

namespace tessera::vm {

// Debian's OpenSBI (package opensbi): the firmware used when config.json names none,
// as QEMU's virt board loads its bundled OpenSBI by default.
inline constexpr char kDefaultRiscvFirmware[] = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin";
// Debian's U-Boot for the S-mode virt board (package u-boot-qemu): the boot loader
// OpenSBI hands over to when the VM has no kernel of its own. It scans the virtio
// disks and CD-ROM for extlinux.conf / EFI boot entries, which is how installed
// systems and install ISOs start.
inline constexpr char kDefaultRiscvBootLoader[] = "/usr/lib/u-boot/qemu-riscv64_smode/uboot.elf";

// Debian's OpenBIOS for the PowerPC Macs (package qemu-system-data): a mac99 VM's
// firmware when config.json names none, as QEMU's mac99 loads it.
inline constexpr char kDefaultMac99Firmware[] = "/usr/share/qemu/openbios-ppc";

// Whether Tessera's emulator runs VMs of this architecture (riscv64 on the
// virt board, ppc on mac99); the others can be created and shown as a QEMU
// command.
bool emulatorRuns(const QString& arch);
// The board Tessera runs for an architecture ("virt" for riscv64, "mac99" for
// ppc); QEMU's default board (defaultBoardFor) for the others.
QString runnableBoardFor(const QString& arch);
// Whether the VM is a PowerPC Power Mac (mac99).
bool isMac99(const VmConfig& config);
// Empty when Tessera's emulator can start this machine; otherwise why not, in
// the user's words (the import preview shows it before the VM exists, Start
// refuses with it).
QString whyEmulatorCannotRun(const VmConfig& config);
// The most CPUs a VM may have and still start in this build (machine::kMaxHarts);
// the wizard and the settings offer no more.
inline int maxRunnableCpus() {
    return int(machine::kMaxHarts);
}
// The same for a VM of `arch`: a Power Mac (mac99) has one CPU.
inline int maxRunnableCpus(const QString& arch) {
    return arch == QLatin1String("ppc") ? 1 : maxRunnableCpus();
}
// The most memory the board for `arch` takes (mac99: 2047 MiB, as QEMU's);
// 0 = only the host limits it.
inline uint64_t maxRunnableMemory(const QString& arch) {
    return arch == QLatin1String("ppc") ? machine::kMac99MaxRam : 0;
}

// The board knobs for a bundle; an error names what the emulator cannot do.
// `notes` receives what is configured but only partly honoured (extra NICs).
Result<machine::RiscvVirtConfig> boardConfigFor(const VmConfig& config, const VmBundle& bundle,
                                                QStringList* notes = nullptr);
// The same for a PowerPC mac99 VM: RAM, OpenBIOS, kernel, initrd, command line,
// the first disk and the CD-ROM drive (booting from the disc when it comes first
// in the boot order), on the PowerPC JIT. What the board cannot do is refused
// (a second disk, more than one CPU) or, where the guest runs without it, a note
// (network, screen).
Result<machine::Mac99Config> mac99ConfigFor(const VmConfig& config, const VmBundle& bundle,
                                            QStringList* notes = nullptr);

}  // namespace tessera::vm
