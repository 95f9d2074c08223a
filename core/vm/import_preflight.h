#pragma once
// What will not work in a VM imported from a QEMU command line, said in the
// import preview before the VM exists rather than at its first Start: a
// machine Tessera's emulator cannot run yet, and files the command names
// (disk, ISO, kernel, initrd, firmware) that are not there. Importing is still
// allowed, as the wizard allows a VM it cannot run: the user may fix the paths
// in Settings or run the VM in QEMU through Show QEMU Command.

#include <QString>
#include <QStringList>

#include "core/vm/missing_files.h"
#include "core/vm/vm_config.h"

namespace tessera::vm {

// The emulator's reason first (if any), then the missing files (missing_files.h);
// relative names are looked up in `baseFolder`, as the import does.
QStringList importProblems(const VmConfig& config, const QString& baseFolder);

}  // namespace tessera::vm
