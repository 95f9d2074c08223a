#pragma once
// `img info`: what an image is, in qemu-img info's terms (qapi/block-core.json
// ImageInfo / ImageInfoSpecificQCow2) so scripts written for
// `qemu-img info --output=json` read ours unchanged.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/block/block_backend.h"
#include "core/block/open_options.h"

namespace tessera::block {

struct SnapshotInfo {
    std::string id, name;
    uint64_t vmStateSize = 0;
    uint32_t dateSec = 0, dateNsec = 0;
    uint64_t vmClockNsec = 0;
    std::optional<uint64_t> icount;  // v3 extra data bytes 16-23, if present
};

struct Qcow2Info {
    std::string compat;  // "0.10" or "1.1"
    std::string compressionType;
    bool lazyRefcounts = false;
    uint32_t refcountBits = 16;
    bool corrupt = false;
    bool extendedL2 = false;
};

struct ImageInfo {
    std::string filename;  // as the user named it
    std::string format;    // "qcow2", "raw"
    uint64_t virtualSize = 0;
    uint64_t actualSize = 0;  // bytes allocated on the host file system
    bool dirty = false;
    std::optional<uint64_t> clusterSize;
    std::optional<std::string> backingFilename;      // as stored in the image
    std::optional<std::string> fullBackingFilename;  // combined with the image's directory
    std::optional<std::string> backingFormat;
    std::vector<SnapshotInfo> snapshots;
    std::optional<Qcow2Info> qcow2;
};

// Describes one opened image (not its backing files). `filename` is the name
// the user gave, used for filename and full-backing-filename like qemu-img.
Result<ImageInfo> describeImage(const BlockBackend& image, const std::string& filename);

// Describes the image at `path`, and with backingChain every image below it.
Result<std::vector<ImageInfo>> describeImageChain(const std::string& path, std::optional<ImageFormat> format,
                                                  bool backingChain, bool forceShare);

// qemu-img info layout. JSON: one object, or an array with backingChain.
std::string formatInfoHuman(const std::vector<ImageInfo>& chain);
std::string formatInfoJson(const std::vector<ImageInfo>& chain, bool asArray);

// qemu's path_combine: a relative backing name is relative to the directory
// of the image that names it.
std::string combineBackingPath(const std::string& imagePath, const std::string& backingName);

}  // namespace tessera::block
