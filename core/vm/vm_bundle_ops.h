#pragma once
// Whole-bundle operations behind the library's Clone and Delete actions and
// the Settings dialog's rename.

#include <QString>

#include "core/util/result.h"
#include "core/vm/vm_bundle.h"

namespace tessera::vm {

enum class CloneKind {
    FullCopy,  // independent copy of every file
    Linked,    // new qcow2 overlays whose backing files are the original's disks
};

// Clones `source` into `<root>/<newName>.tessera`. Screenshots and logs are not
// copied; a linked clone keeps absolute backing paths, so the original's disks
// must stay where they are (the UI says so).
Result<VmBundle> cloneBundle(const VmBundle& source, const QString& root, const QString& newName, CloneKind kind);

// Renames the VM: its folder becomes `<root>/<newName>.tessera` (one rename on
// the same file system, nothing copied) and config.json says the new name;
// paths in config.json into the old folder follow it. checkRename() says why
// it cannot: an unusable or taken name, the VM is running (its run log is
// locked: run_log.h), or a linked clone reads this VM's disks by path.
Status checkRename(const VmBundle& bundle, const QString& newName);
Result<VmBundle> renameBundle(const VmBundle& bundle, const QString& newName);

enum class DeleteKind { MoveToTrash, DeleteForever };
Status deleteBundle(const VmBundle& bundle, DeleteKind kind);

}  // namespace tessera::vm
