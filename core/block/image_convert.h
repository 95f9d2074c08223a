#pragma once
// `img convert`: copy a virtual disk into a new image, optionally compressed,
// dropping all-zero clusters and never reading unallocated ranges
// (qemu-img convert semantics; the copy engine is image_copy.h).

#include <optional>
#include <string>

#include "core/block/image_copy.h"
#include "core/block/image_job.h"
#include "core/block/open_options.h"

namespace tessera::block {

struct ConvertRequest {
    std::string source;
    std::optional<ImageFormat> sourceFormat;  // nullopt: probe
    std::string target;
    CreateOptions targetOptions;  // format, cluster size, compat, compression type...; size 0 = source size
    bool compress = false;
    unsigned threads = 0;  // compressor threads, 0 = one per CPU
};

// On failure or cancel the partly written target is removed; the source is
// only ever read.
Status convertImage(const ConvertRequest& request, const JobControl& control = {});

// Runs the copy engine from source into an opened target, plugging in
// Qcow2Image::writeCompressedCluster when the target is qcow2 and taking the
// cluster size and compression type from the target. Shared by convert and compact.
Status copyInto(BlockBackend& source, BlockBackend& target, CopyOptions options, const JobControl& control);

}  // namespace tessera::block
