#pragma once
// `img compare`: are two virtual disks the same, byte for byte, as a guest
// would read them? Semantics and outcomes follow qemu-img compare
// (qemu/qemu: docs/tools/qemu-img.rst): unallocated equals zero, a size
// difference is fine if the longer tail reads as zeros, unless strict.

#include <cstdint>
#include <string>

#include "core/block/block_backend.h"
#include "core/block/image_job.h"

namespace tessera::block {

struct CompareResult {
    // The outcomes map 1:1 onto qemu-img compare's exit codes.
    enum class Outcome {
        Identical = 0,
        Different = 1,
        OpenError = 2,        // set by callers that fail to open an image
        AllocationError = 3,  // block status query failed
        ReadError = 4,
    } outcome = Outcome::Identical;
    std::string message;        // qemu-img's wording, e.g. "Content mismatch at offset 0!"
    bool sizeMismatch = false;  // the "Warning: Image size mismatch!" line (non-strict)
};

CompareResult compareImages(BlockBackend& first, BlockBackend& second, bool strict,
                            const JobControl& control = {});

}  // namespace tessera::block
