#pragma once
// Minimal PNG encoder (ISO/IEC 15948: IHDR, one zlib IDAT, IEND; 8-bit RGB,
// filter 0) for screenshots. Lives in core, which may not use QtGui's QImage.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/util/result.h"

namespace tessera::devices {

// `rgb` holds width*height*3 bytes, rows top to bottom.
Result<std::vector<uint8_t>> encodePng(uint32_t width, uint32_t height, std::span<const uint8_t> rgb);
Status writePngFile(const std::string& path, uint32_t width, uint32_t height, std::span<const uint8_t> rgb);

}  // namespace tessera::devices
