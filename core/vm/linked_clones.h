#pragma once
// Linked clones and the VM they were cloned from. A linked clone's disks are
// qcow2 overlays that store only the clone's own changes and read everything
// else from the original's disks, their backing files. Writing an original
// disk changes what every clone built on it reads, and the clones' file
// systems break. So a VM whose disk others build on (their "base") does not
// start writable, the library shows the link on both cards, and a clone can
// be made a full copy to lift the restriction.
//
// Links are found by reading the backing chains of the library's VMs
// (backing_trust.h: headers only, at most 64 links, loops end the walk, and a
// file a VM does not trust is named but never opened), so a broken or hostile
// config.json or image costs a bounded walk, never a hang or a crash.

#include <QList>
#include <QString>

#include "core/block/image_job.h"
#include "core/util/result.h"
#include "core/vm/vm_library.h"

namespace tessera::vm {

// Per library entry (same order as the list given): which other entries its
// disks build on (nearest first: a clone of a clone lists the clone, then the
// original), and which build on its disks. Broken entries have no links.
struct CloneLinks {
    QList<QList<int>> basesOf;
    QList<QList<int>> clonesOf;
};
CloneLinks findCloneLinks(const QList<VmEntry>& library);

// The VMs in the library folder that holds `bundle` (its parent folder, where
// Clone puts them) whose disks build on a disk this VM would write: starting
// it would damage them. Read-only disks endanger nobody.
QList<VmEntry> clonesDamagedByStarting(const VmConfig& config, const VmBundle& bundle);

// Why the VM does not start, and the ways out, in the GUI's words.
QString describeDamagedClones(const VmConfig& config, const QList<VmEntry>& clones);

// Turns a linked clone into a full copy: each disk that builds on a file
// outside its bundle is rewritten as a standalone qcow2 image holding all the
// guest sees (read through the chain), which replaces the overlay in one
// rename; config.json then forgets those backing files. Refuses while the
// clone runs (its disk is locked) and when a disk builds on a file the clone
// may not read; on failure or cancel the clone is left as it was.
Status makeIndependent(const VmBundle& clone, const block::JobControl& control = {});

}  // namespace tessera::vm
