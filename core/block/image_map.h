#pragma once
// `img map`: where each range of the virtual disk comes from, in qemu-img
// map's terms (qemu/qemu: docs/tools/qemu-img.rst, "map"): extents with
// start/length/depth/present/zero/data/compressed and the host offset where
// the bytes lie plainly in a file.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/block/block_backend.h"
#include "core/block/image_job.h"

namespace tessera::block {

struct MapExtent {
    uint64_t start = 0;
    uint64_t length = 0;
    int depth = 0;
    bool present = false;
    bool zero = false;
    bool data = false;
    bool compressed = false;
    std::optional<uint64_t> offset;

    // qemu-img merges neighbours that agree on everything and whose host
    // offsets (if any) continue each other.
    bool canAbsorb(const MapExtent& next) const;
};

Result<std::vector<MapExtent>> mapImage(BlockBackend& image, const JobControl& control = {});

// `--output=json`: one object per line, exactly qemu-img's layout.
std::string formatMapJson(const std::vector<MapExtent>& extents);

// Human output: only extents with data at a known host offset; layerFiles[d]
// names the file at backing depth d. Fails on compressed data like qemu-img
// ("File contains external, encrypted or compressed clusters.").
Result<std::string> formatMapHuman(const std::vector<MapExtent>& extents,
                                   const std::vector<std::string>& layerFiles);

}  // namespace tessera::block
