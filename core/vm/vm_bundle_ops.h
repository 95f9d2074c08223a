#pragma once
// Whole-bundle operations behind the library's Clone and Delete actions.

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

enum class DeleteKind { MoveToTrash, DeleteForever };
Status deleteBundle(const VmBundle& bundle, DeleteKind kind);

}  // namespace tessera::vm
