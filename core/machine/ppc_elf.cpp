#include "core/machine/ppc_elf.h"

#include <algorithm>

namespace tessera::machine {

namespace {
constexpr uint16_t kEmPpc = 20;
constexpr uint32_t kPtLoad = 1;

uint32_t be32(std::span<const uint8_t> b, uint64_t at) {
    return (uint32_t(b[at]) << 24) | (uint32_t(b[at + 1]) << 16) | (uint32_t(b[at + 2]) << 8) | b[at + 3];
}
uint16_t be16(std::span<const uint8_t> b, uint64_t at) {
    return uint16_t((b[at] << 8) | b[at + 1]);
}
}  // namespace

Result<ElfImage> parsePpcElf(std::span<const uint8_t> bytes, const std::string& path) {
    const std::string where = "ELF file '" + path + "'";
    if (!looksLikeElf(bytes) || bytes.size() < 52) return makeError(where + " has no valid ELF header.");
    if (bytes[4] != 1) return makeError(where + " is not a 32-bit ELF (32-bit PowerPC needs ELFCLASS32).");
    if (bytes[5] != 2) return makeError(where + " is not big-endian.");
    if (be16(bytes, 18) != kEmPpc)
        return makeError(where + " is not a 32-bit PowerPC program (e_machine " +
                         std::to_string(be16(bytes, 18)) + ", expected 20).");
    const uint64_t phoff = be32(bytes, 28);
    const uint16_t phentsize = be16(bytes, 42);
    const uint16_t phnum = be16(bytes, 44);
    if (phentsize < 32 || phnum == 0 || phoff > bytes.size() ||
        uint64_t(phnum) * phentsize > bytes.size() - phoff)
        return makeError(where + " has a missing or truncated program header table.");

    ElfImage image;
    const uint64_t entryVirtual = be32(bytes, 24);
    image.entry = entryVirtual;
    image.lowest = UINT64_MAX;
    bool entryTranslated = false;
    for (uint16_t i = 0; i < phnum; ++i) {
        const uint64_t ph = phoff + uint64_t(i) * phentsize;
        if (be32(bytes, ph) != kPtLoad) continue;
        ElfSegment seg;
        seg.fileOffset = be32(bytes, ph + 4);
        const uint64_t vaddr = be32(bytes, ph + 8);
        seg.paddr = be32(bytes, ph + 12);
        seg.fileSize = be32(bytes, ph + 16);
        seg.memSize = be32(bytes, ph + 20);
        if (seg.memSize == 0) continue;
        if (seg.fileSize > seg.memSize || seg.fileOffset > bytes.size() ||
            seg.fileSize > bytes.size() - seg.fileOffset)
            return makeError(where + " has a segment that lies outside the file (segment " +
                             std::to_string(i) + ").");
        if (seg.paddr + seg.memSize > (uint64_t(1) << 32))
            return makeError(where + " has a segment that wraps around the 32-bit address space.");
        if (!entryTranslated && entryVirtual >= vaddr && entryVirtual - vaddr < seg.memSize) {
            image.entry = entryVirtual - vaddr + seg.paddr;
            entryTranslated = true;
        }
        image.lowest = std::min(image.lowest, seg.paddr);
        image.highest = std::max(image.highest, seg.paddr + seg.memSize);
        image.segments.push_back(seg);
    }
    if (image.segments.empty()) return makeError(where + " has no loadable segments.");
    return image;
}

}  // namespace tessera::machine
