#pragma once
// Disks added to an existing VM (its Settings): the name of a new disk in the
// bundle, and an existing image as config.json stores it.

#include <QString>

#include "core/util/result.h"
#include "core/vm/vm_bundle.h"
#include "core/vm/vm_config.h"

namespace tessera::vm {

// "disk.qcow2", else "disk-2.qcow2", "disk-3.qcow2", ...: neither a file in the
// bundle nor a disk of `config` (which may not be saved yet).
QString newDiskFileName(const VmBundle& bundle, const VmConfig& config);

// An existing image: its format pinned from its header (qcow2, else raw; an
// image of another format is refused, since reading it as raw would let the
// guest see and rewrite its metadata), its path relative when inside the bundle.
Result<Disk> diskForExistingImage(const VmBundle& bundle, const QString& path);

}  // namespace tessera::vm
