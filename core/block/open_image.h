#pragma once
// Entry points for every user of disk images: open with format probing, create.

#include <memory>
#include <string>

#include "core/block/block_backend.h"
#include "core/block/open_options.h"

namespace tessera::block {

// qcow2 magic -> qcow2, anything else -> raw. Fails only if the file cannot be read.
Result<ImageFormat> probeImageFormat(const std::string& path);

// Opens `path` as options.format (or the probed format), with its backing chain.
Result<std::unique_ptr<BlockBackend>> openImage(const std::string& path, const OpenOptions& options = {});

// Creates a new image (overwrites an existing file). The result passes `qemu-img check`.
Status createImage(const std::string& path, const CreateOptions& options);

}  // namespace tessera::block
