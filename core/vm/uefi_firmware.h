#pragma once
// UEFI firmware for riscv64 VMs: Debian's EDK2 for QEMU's riscv virt board
// (package qemu-efi-riscv64, Debian 13 and later), run from the board's flash
// on top of OpenSBI. Unlike U-Boot it reads the virtio-scsi CD-ROM, so it is
// what starts installer discs; its virtio-gpu driver gives GRUB a screen.
//
// config.json's boot.firmware chooses it with "uefi"; a VM whose boot order
// starts with the CD-ROM (what the New VM wizard makes from an installer disc)
// gets it by default when it is installed. Its variables (boot entries) live
// in the bundle's own efi-vars.fd, a copy of Debian's template made at the
// first start.

#include <QString>

#include "core/util/result.h"
#include "core/vm/vm_bundle.h"
#include "core/vm/vm_config.h"

namespace tessera::vm {

inline constexpr char kUefiFirmware[] = "uefi";         // boot.firmware value
inline constexpr char kUefiVarsFile[] = "efi-vars.fd";  // in the bundle
// OpenSBI build that hands over to the next stage fw_dynamic_info names (the flash).
inline constexpr char kDefaultRiscvSbiForUefi[] = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin";

// Where RISCV_VIRT_CODE.fd and RISCV_VIRT_VARS.fd are: $TESSERA_RISCV_UEFI_DIR
// if set, else Debian's /usr/share/qemu-efi-riscv64.
QString riscvUefiDirectory();
QString riscvUefiCode();
QString riscvUefiVarsTemplate();

// Whether this VM starts with UEFI firmware (explicitly, or by default as above).
bool bootsWithUefi(const VmConfig& config);

// The bundle's variable store, created from the template when missing.
Result<QString> ensureUefiVars(const VmBundle& bundle);

}  // namespace tessera::vm
