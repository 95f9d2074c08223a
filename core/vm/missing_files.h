#pragma once
// The files a VM's config names (disks, CD/DVD image, kernel, initrd,
// firmware) that are not there, each as a sentence for the user. The import
// preview lists them before the VM exists; Start refuses with them in the
// app's language.

#include <QString>
#include <QStringList>

#include "core/vm/vm_config.h"

namespace tessera::vm {

// "The disk image debian.qcow2 is not in /home/me." for each missing file;
// relative names are looked up in `baseFolder` (the import's folder, or the
// bundle, as config.json's relative names are).
QStringList missingFiles(const VmConfig& config, const QString& baseFolder);

}  // namespace tessera::vm
