#pragma once
// Disk image formats recognisable from the first sector. Tessera itself
// opens only raw and qcow2, but an image may later be handed to QEMU, which
// probes all of these; a raw image whose format was probed (not pinned) must
// not let its guest write one of them into sector 0 (raw_image.h).

#include <cstddef>
#include <cstdint>
#include <span>

namespace tessera::block {

// Bytes QEMU looks at when probing (its BLOCK_PROBE_BUF_SIZE).
inline constexpr size_t kProbeBytes = 512;

// The format whose signature `header` (the start of the image, up to
// kProbeBytes) carries, e.g. "qcow2", "vmdk", "luks"; nullptr for none.
const char* formatNamedByHeader(std::span<const uint8_t> header);

}  // namespace tessera::block
