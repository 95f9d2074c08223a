#pragma once
// `img compact`: shrink an image in place without ever putting its data at
// risk. The original is only read; a compacted copy is written next to it,
// read back and compared, made durable, and then renamed over the original
// in one atomic step (rename(2) within one directory), so at every instant the
// path names either the old image or the complete new one.
//
// Used by `tessera-cli img compact` and by the GUI's one-click shrink (which
// passes a progress callback and a cancel flag through JobControl).
//
// The file keeps what the user set up around it: a symlink stays a symlink
// (its target is compacted, the copy is written next to the target), and the
// owner, group and mode carry over to the copy. A copy left behind by a killed
// compact (".NAME.compact-XXXXXXXX.tmp") is removed by the next compact of
// the same image.

#include <cstdint>
#include <optional>
#include <string>

#include "core/block/image_job.h"
#include "core/block/open_options.h"
#include "core/block/qcow2_format.h"

namespace tessera::block {

struct CompactRequest {
    std::string path;
    std::optional<ImageFormat> format;                      // nullopt: probe (pin it when known)
    bool compress = false;                                  // compress the data clusters (qcow2)
    std::optional<qcow2::CompressionType> compressionType;  // nullopt: keep the image's
    unsigned threads = 0;                                   // compressor threads, 0 = one per CPU
};

struct CompactResult {
    uint64_t bytesBefore = 0;  // host bytes allocated before (st_blocks)
    uint64_t bytesAfter = 0;
    uint64_t fileSizeBefore = 0;  // apparent file sizes
    uint64_t fileSizeAfter = 0;
};

// Fails (touching nothing) if the image is in use by a running VM (its lock),
// has internal snapshots (a copy of the active layer would drop them), or the
// job is cancelled. Progress runs over two passes: copy, then verify.
Result<CompactResult> compactImage(const CompactRequest& request, const JobControl& control = {});

// True for the name of a compact's temporary copy (".disk.qcow2.compact-1a2b3c4d.tmp"),
// which must never be taken for a disk (a clone skips them).
bool isCompactTemporaryName(const std::string& fileName);

}  // namespace tessera::block
