#pragma once
// The emulator configuration for a VM bundle: config.json's machine, boot
// source and devices turned into the board's knobs. One mapping shared by the
// GUI's VmRunner and `tessera-cli run --vm`, so a VM behaves the same in both.

#include <QStringList>

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

// Whether Tessera's emulator runs VMs of this architecture; the others can be
// created and shown as a QEMU command.
bool emulatorRuns(const QString& arch);
// Empty when Tessera's emulator can start this machine; otherwise why not, in
// the user's words (the import preview shows it before the VM exists, Start
// refuses with it).
QString whyEmulatorCannotRun(const VmConfig& config);
// The most CPUs a VM may have and still start in this build (machine::kMaxHarts);
// the wizard and the settings offer no more.
inline int maxRunnableCpus() {
    return int(machine::kMaxHarts);
}

// The board knobs for a bundle; an error names what the emulator cannot do.
// `notes` receives what is configured but only partly honoured (extra NICs).
Result<machine::RiscvVirtConfig> boardConfigFor(const VmConfig& config, const VmBundle& bundle,
                                                QStringList* notes = nullptr);

}  // namespace tessera::vm
