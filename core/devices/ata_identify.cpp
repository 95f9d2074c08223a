#include "core/devices/ata_identify.h"

#include <algorithm>

namespace tessera::devices {

namespace {
void put(AtaIdentify& id, unsigned word, uint16_t value) {
    id[2 * word] = uint8_t(value);
    id[2 * word + 1] = uint8_t(value >> 8);
}

// An ATA string over `words` words, space padded, first character high.
void putString(AtaIdentify& id, unsigned word, unsigned words, std::string_view text) {
    for (unsigned i = 0; i < 2 * words; ++i) {
        const char c = i < text.size() ? text[i] : ' ';
        id[2 * word + (i ^ 1)] = uint8_t(c);
    }
}

void commonModes(AtaIdentify& id, std::string_view serial, std::string_view model) {
    putString(id, 10, 10, serial);
    putString(id, 23, 4, "0.1");
    putString(id, 27, 20, model);
    put(id, 53, 0x0006);                                  // words 64-70 and 88 are valid
    put(id, 63, 0x0007);                                  // multiword DMA 0-2 supported
    put(id, 64, 0x0003);                                  // PIO 3 and 4
    for (unsigned w = 65; w <= 68; ++w) put(id, w, 120);  // cycle times (ns)
    put(id, 80, 0x00f0);                                  // ATA/ATAPI-4 to -7
    put(id, 88, 0x003f);                                  // UDMA 0-5 supported
}
}  // namespace

AtaIdentify identifyDisk(uint64_t sectors, std::string_view serial, uint8_t multipleSectors) {
    AtaIdentify id{};
    // A CHS view for old software: 16 heads, 63 sectors per track.
    const uint16_t cylinders = uint16_t(std::min<uint64_t>(sectors / (16 * 63), 16383));
    put(id, 0, 0x0040);  // fixed, not removable
    put(id, 1, cylinders);
    put(id, 3, 16);
    put(id, 6, 63);
    commonModes(id, serial, "TESSERA HARDDISK");
    put(id, 47, 0x8000 | 16);  // READ/WRITE MULTIPLE: up to 16 sectors
    put(id, 49, 0x0300);       // LBA, DMA
    put(id, 53, 0x0007);       // words 54-58, 64-70, 88 valid
    put(id, 54, cylinders);
    put(id, 55, 16);
    put(id, 56, 63);
    const uint32_t chs = uint32_t(cylinders) * 16 * 63;
    put(id, 57, uint16_t(chs));
    put(id, 58, uint16_t(chs >> 16));
    put(id, 59, multipleSectors ? uint16_t(0x0100 | multipleSectors) : 0);
    const uint32_t lba28 = uint32_t(std::min<uint64_t>(sectors, 0x0fffffff));
    put(id, 60, uint16_t(lba28));
    put(id, 61, uint16_t(lba28 >> 16));
    put(id, 82, 0x4000 | 0x0020);                    // write cache
    put(id, 83, 0x4000 | 0x2000 | 0x1000 | 0x0400);  // FLUSH CACHE EXT, FLUSH CACHE, LBA48
    put(id, 84, 0x4000);
    put(id, 85, 0x0020);
    put(id, 86, 0x2000 | 0x1000 | 0x0400);
    put(id, 87, 0x4000);
    for (unsigned i = 0; i < 4; ++i) put(id, 100 + i, uint16_t(sectors >> (16 * i)));
    return id;
}

AtaIdentify identifyCdrom(std::string_view serial) {
    AtaIdentify id{};
    // ATAPI, CD-ROM (type 5), removable, DRQ within 50 us of PACKET, 12-byte packets.
    put(id, 0, 0x85c0);
    commonModes(id, serial, "TESSERA CD-ROM");
    put(id, 49, 0x0300);  // LBA, DMA
    return id;
}

}  // namespace tessera::devices
