#pragma once
// The 512-byte IDENTIFY DEVICE / IDENTIFY PACKET DEVICE answers (ACS-3 §7.12,
// §7.13) of the macio ATA drives: what Linux's libata and OpenBIOS read to
// learn the drive's kind, size and transfer modes. Words are little-endian
// in the buffer (the order the data register hands them out); strings are
// ATA strings (two characters per word, first one in the high byte).

#include <array>
#include <cstdint>
#include <string_view>

namespace tessera::devices {

using AtaIdentify = std::array<uint8_t, 512>;

// A fixed disk of `sectors` 512-byte sectors: LBA28 and LBA48, multiple
// (up to 16 sectors), PIO 4, multiword DMA 2, UDMA 5, FLUSH CACHE (EXT).
AtaIdentify identifyDisk(uint64_t sectors, std::string_view serial, uint8_t multipleSectors);
// An ATAPI CD-ROM: 12-byte packets, removable, DMA-capable.
AtaIdentify identifyCdrom(std::string_view serial);

}  // namespace tessera::devices
