#pragma once
// Cluster compression as qcow2 stores it (qcow2.txt "Compressed Clusters
// Descriptor"; QEMU block/qcow2-threads.c): zlib = raw deflate with a 4 KiB
// window (windowBits -12, no zlib header); zstd = one zstd frame. Thread-safe
// (per-thread codec contexts), so convert can compress in a thread pool.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/block/qcow2_format.h"
#include "core/util/result.h"

namespace tessera::block::qcow2 {

// Returns the compressed bytes, or nullopt when they would not be smaller than
// the input (the cluster is then stored uncompressed, as QEMU does).
// level: -1 = the codec's default (zlib 6, zstd 3).
std::optional<std::vector<uint8_t>> compressCluster(CompressionType type, std::span<const uint8_t> cluster,
                                                    int level = -1);

// Decompresses until `out` is full. `in` may carry trailing bytes (the L2
// entry only bounds the data to 512-byte sectors); they are ignored.
Status decompressCluster(CompressionType type, std::span<const uint8_t> in, std::span<uint8_t> out);

}  // namespace tessera::block::qcow2
