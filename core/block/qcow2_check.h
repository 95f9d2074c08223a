#pragma once
// `img check`: walk every qcow2 structure, count the references to each host
// cluster and compare with the on-disk refcounts, with qemu-img's semantics
// (qemu/qemu: block/qcow2-refcount.c, qapi/block-core.json ImageCheck).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/block/open_options.h"
#include "core/util/result.h"

namespace tessera::block {

enum class RepairMode { None, Leaks, All };

struct CheckResult {
    std::string format;               // "qcow2", "raw"
    bool formatSupportsCheck = true;  // false for raw (qemu-img exit code 63)
    // Counts describe the state after repair when a repair ran (like qemu-img).
    uint64_t corruptions = 0;  // refcount < references, bad offsets, COPIED mismatches, overlaps
    uint64_t leaks = 0;        // refcount > references
    uint64_t checkErrors = 0;  // the check itself could not read something
    uint64_t corruptionsFixed = 0;
    uint64_t leaksFixed = 0;
    uint64_t totalClusters = 0;  // guest clusters of the virtual disk
    uint64_t allocatedClusters = 0;
    uint64_t fragmentedClusters = 0;
    uint64_t compressedClusters = 0;
    uint64_t imageEndOffset = 0;
    // qemu-img-style detail lines ("ERROR cluster 5 refcount=0 reference=1",
    // "Leaked cluster 9 refcount=1 reference=0", "Repairing ...").
    std::vector<std::string> messages;
    bool rebuiltRefcounts = false;  // -r all rebuilt the refcount structure
};

// The check's memory stays below this (its reference tally is sparse, so only
// images whose metadata references clusters spread over terabytes get near).
inline constexpr uint64_t kCheckMemoryLimit = 1ull << 30;

// Checks (and with repair != None, repairs) the image at `path`, with the
// semantics and counts of `qemu-img check` (QEMU 7.2). An Error means the check
// could not complete (qemu-img exit code 1). Repairs need the image unlocked;
// a running VM makes this fail with the "in use" error.
Result<CheckResult> checkImage(const std::string& path, RepairMode repair,
                               std::optional<ImageFormat> format = std::nullopt,
                               uint64_t memoryLimit = kCheckMemoryLimit);

}  // namespace tessera::block
