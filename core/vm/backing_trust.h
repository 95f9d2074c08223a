#pragma once
// Which backing files a VM's disks may read. A qcow2 image can name any file
// as its backing file (an absolute path, "../../", a symlink), and whatever
// that file holds becomes guest-visible disk content. An image that comes
// from outside (downloaded, imported, copied in, or a hand-edited config.json)
// must therefore not reach host files on its own: as in QEMU/libvirt practice,
// a backing file is used only if it lies inside the VM's bundle (symlinks
// followed) or is listed in the disk's acceptedBacking, which holds what the
// user allowed and what Tessera recorded itself for its linked clones.
// The rule applies along the whole chain: a backing file's own backing file
// is judged the same way, and an untrusted file is never opened, not even to
// read its header.

#include <QList>
#include <QString>
#include <QStringList>

#include "core/vm/vm_bundle.h"
#include "core/vm/vm_config.h"

namespace tessera::vm {

// A backing file the rule refuses.
struct OutsideBacking {
    int disk = -1;  // index in VmConfig::disks
    QString image;  // the image whose header names it
    int depth = 0;  // 0: the disk's own image names it; 1: that image's backing file does; …
    QString named;  // the name as stored in that image ("../../home/me/.ssh/id_rsa")
    QString file;   // where that name leads, symlinks followed: what accepting records
    bool operator==(const OutsideBacking&) const = default;
};

// Per disk, the first refused backing file of its chain (empty: every disk is
// fine). Images that cannot be read end the walk quietly: opening the disk
// reports them properly.
QList<OutsideBacking> outsideBackingFiles(const VmConfig& config, const VmBundle& bundle);

// Every file a disk builds on (its backing chain, canonical paths, nearest
// first), as far as the rule lets the walk go: trusted files are followed, the
// first refused one is named but never opened. Bounded like opening a disk
// (64 links; a loop ends the walk). For finding linked clones (linked_clones.h).
QStringList backingFilesOf(const Disk& disk, const VmBundle& bundle);

// Records the file in its disk's acceptedBacking (once).
void acceptBacking(VmConfig& config, const OutsideBacking& backing);

// "disk "disk.qcow2" uses the backing file "/etc/passwd", which lies outside
// the VM folder …": why the VM does not start.
QString describeOutsideBacking(const VmConfig& config, const OutsideBacking& backing);

// For a clone made by Tessera: the backing files of the clone's disk `image`
// that lie outside the `clone` bundle but that the original VM trusted (inside
// the `original` bundle, or in the original disk's `accepted` list), to be
// recorded as the clone's acceptedBacking. The walk stops at the first file
// the original did not trust, so cloning never turns a refused file into an
// accepted one.
QStringList inheritedBacking(const QString& image, const QString& format, const VmBundle& clone,
                             const VmBundle& original, const QStringList& accepted);

}  // namespace tessera::vm
