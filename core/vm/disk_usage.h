#pragma once
// How much host space a disk image takes (allocated) against how large the
// guest believes it is (virtual). Users compare the two to decide whether to
// shrink: UTM showed only the apparent size and people could not tell.

#include <QString>
#include <cstdint>

#include "core/util/result.h"

namespace tessera::vm {

struct DiskUsage {
    uint64_t allocatedBytes = 0;  // blocks on the host file system (sparse-aware)
    uint64_t virtualBytes = 0;    // disk size the guest sees
};

// Reads only the qcow2 header's size field (QEMU docs/interop/qcow2.txt,
// bytes 24-31, big-endian); raw images are their file size.
Result<DiskUsage> diskUsage(const QString& path, const QString& format);

// Allocated bytes of a file (st_blocks * 512), or of every file below a folder.
uint64_t allocatedBytes(const QString& path);

}  // namespace tessera::vm
