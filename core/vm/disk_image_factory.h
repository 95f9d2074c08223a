#pragma once
// Creates the empty disk images a new or cloned VM needs.
//
// Seam: the block layer (core/block, createImage) is being written on another
// branch. Until it is merged, this file writes the few fixed structures of an
// *empty* qcow2 v3 image itself (QEMU docs/interop/qcow2.txt); reading and
// writing guest data is the block layer's job only. When core/block lands,
// createDiskImage() forwards to it and the writer below goes away.

#include <QString>
#include <cstdint>

#include "core/util/result.h"

namespace tessera::vm {

struct NewDiskImage {
    QString path;
    QString format = QStringLiteral("qcow2");  // "qcow2" | "raw"
    uint64_t sizeBytes = 0;
    QString backingFile;                        // qcow2 only: linked clone of this image
    QString backingFormat;                      // "qcow2" | "raw"
};

// Refuses to overwrite an existing file.
Status createDiskImage(const NewDiskImage& image);

// Largest disk the wizard offers; beyond it a typo is likelier than a wish.
inline constexpr uint64_t kMaxDiskBytes = uint64_t(16) << 40;

}  // namespace tessera::vm
