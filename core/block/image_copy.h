#pragma once
// The data-copy engine behind `img convert` and `img compact`: reads the
// source's virtual disk, drops all-zero clusters, optionally compresses, and
// writes the target in order.
//
// Shape (why qemu-img is slow at -c): qemu-img compresses
// one cluster at a time when the target is compressed, because its in-order
// writer waits before compressing. Here a reader feeds a pool of compressor
// threads sized to the CPUs, and a single ordered appender writes results in
// guest order, so compressed data lands sequentially in the file just as
// qemu-img lays it out. Ranges the source reports as zero (unallocated, zero
// clusters) are never read.

#include <cstdint>
#include <functional>
#include <span>

#include "core/block/block_backend.h"
#include "core/block/image_job.h"
#include "core/block/qcow2_format.h"

namespace tessera::block {

struct CopyOptions {
    bool compress = false;
    qcow2::CompressionType compressionType = qcow2::CompressionType::Zlib;
    uint64_t clusterSize = 65536;  // the target's cluster: unit of zero detection and compression
    unsigned threads = 0;          // compressor threads; 0 = one per CPU
    // A fresh target without a backing file already reads as zeros, so zero
    // clusters need no write at all. Otherwise they are written as zeroes.
    bool targetReadsZero = true;
    // Copy only what the source's top image defines and leave the rest
    // unallocated, so the target keeps using the same backing file (compact).
    // Otherwise the whole chain is flattened into the target (convert).
    bool onlyTopLayer = false;
};

// Stores one compressed cluster at a cluster-aligned guest offset
// (Qcow2Image::writeCompressedCluster).
using CompressedClusterWriter =
    std::function<Status(uint64_t guestOffset, std::span<const uint8_t> compressed)>;

// Copies every byte of source into target (same virtual size expected; the
// target may be larger). Progress counts source bytes.
Status copyImageData(BlockBackend& source, BlockBackend& target, const CopyOptions& options,
                     const CompressedClusterWriter& writeCompressed, const JobControl& control = {});

}  // namespace tessera::block
