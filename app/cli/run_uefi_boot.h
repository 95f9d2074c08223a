#pragma once
// `tessera-cli run --boot d|c` without firmware options: start the machine
// with UEFI firmware (Debian's EDK2 on OpenSBI, core/vm/uefi_firmware), the
// firmware that reads both the CD-ROM (virtio-scsi) and the disks, as
// qemu-system-riscv64 users expect `-boot d` with an installer disc to work.
// EDK2's variable store is a private copy of Debian's template that lives as
// long as the run (like a fresh VM's): with no boot entries EDK2 starts the
// first device with a bootable EFI system partition or El Torito image.

#include <QTemporaryFile>
#include <memory>

#include "app/cli/run_options.h"
#include "core/util/result.h"

namespace tessera::cli {

// Fills options.machine's bios and pflash when options.bootDevice asks for it and
// no firmware was given; returns the variable store to keep open for the run
// (null when nothing was filled).
Result<std::unique_ptr<QTemporaryFile>> applyUefiBoot(RunOptions& options);

}  // namespace tessera::cli
