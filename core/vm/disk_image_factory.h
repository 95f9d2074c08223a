#pragma once
// Creates the empty disk images a new or cloned VM needs, through the block
// layer's createImage (core/block), with the checks the GUI wants on top:
// never overwrite, sizes in whole sectors, a clear message for the user.

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
