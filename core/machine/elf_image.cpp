#include "core/machine/elf_image.h"

#include <algorithm>

namespace tessera::machine {

namespace {

constexpr uint32_t kPtLoad = 1;

// Reads the ELF's fields in its own byte order and class; the header checks
// run before any field past the identification bytes is read.
class ElfFields {
public:
    ElfFields(std::span<const uint8_t> bytes, const ElfFormat& format) : bytes_(bytes), format_(format) {}

    uint64_t read(uint64_t at, unsigned size) const {
        uint64_t value = 0;
        for (unsigned i = 0; i < size; ++i) {
            const uint64_t byte = bytes_[at + (format_.bigEndian ? i : size - 1 - i)];
            value = (value << 8) | byte;
        }
        return value;
    }
    uint16_t half(uint64_t at) const { return uint16_t(read(at, 2)); }
    uint32_t word(uint64_t at) const { return uint32_t(read(at, 4)); }
    // A field that is 4 bytes in ELF32 and 8 in ELF64 (addresses, offsets, sizes).
    uint64_t wide(uint64_t at) const { return read(at, format_.is64 ? 8 : 4); }

private:
    std::span<const uint8_t> bytes_;
    const ElfFormat& format_;
};

// Where the class-dependent fields lie (System V ABI, ELF header and program header).
struct ElfLayout {
    uint64_t headerSize, entry, phoff, phentsize, phnum;
    uint64_t minPhentsize, pOffset, pVaddr, pPaddr, pFilesz, pMemsz;
};
constexpr ElfLayout kElf32{52, 24, 28, 42, 44, 32, 4, 8, 12, 16, 20};
constexpr ElfLayout kElf64{64, 24, 32, 54, 56, 56, 8, 16, 24, 32, 40};

}  // namespace

bool looksLikeElf(std::span<const uint8_t> bytes) {
    return bytes.size() >= 4 && bytes[0] == 0x7F && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';
}

Result<ElfImage> parseElf(std::span<const uint8_t> bytes, const std::string& path, const ElfFormat& format) {
    const std::string where = "ELF file '" + path + "'";
    const ElfLayout& layout = format.is64 ? kElf64 : kElf32;
    if (!looksLikeElf(bytes) || bytes.size() < layout.headerSize)
        return makeError(where + " has no valid ELF header.");
    if (bytes[4] != (format.is64 ? 2 : 1))
        return makeError(where + " is not a " + (format.is64 ? "64" : "32") + "-bit ELF (" +
                         format.classReason + ").");
    if (bytes[5] != (format.bigEndian ? 2 : 1))
        return makeError(where + " is not " + (format.bigEndian ? "big" : "little") + "-endian.");
    const ElfFields field(bytes, format);
    if (field.half(18) != format.machine)
        return makeError(where + " is not " + format.program + " (e_machine " +
                         std::to_string(field.half(18)) + ", expected " + std::to_string(format.machine) +
                         ").");
    const uint64_t phoff = field.wide(layout.phoff);
    const uint16_t phentsize = field.half(layout.phentsize);
    const uint16_t phnum = field.half(layout.phnum);
    if (phentsize < layout.minPhentsize || phnum == 0 || phoff > bytes.size() ||
        uint64_t(phnum) * phentsize > bytes.size() - phoff)
        return makeError(where + " has a missing or truncated program header table.");

    const uint64_t addressEnd = format.is64 ? 0 : uint64_t(1) << 32;  // 0: the whole 64-bit space
    ElfImage image;
    const uint64_t entryVirtual = field.wide(layout.entry);
    image.entry = entryVirtual;
    image.lowest = UINT64_MAX;
    bool entryTranslated = false;
    for (uint16_t i = 0; i < phnum; ++i) {
        const uint64_t ph = phoff + uint64_t(i) * phentsize;
        if (field.word(ph) != kPtLoad) continue;
        ElfSegment seg;
        seg.fileOffset = field.wide(ph + layout.pOffset);
        const uint64_t vaddr = field.wide(ph + layout.pVaddr);
        seg.paddr = field.wide(ph + layout.pPaddr);
        seg.fileSize = field.wide(ph + layout.pFilesz);
        seg.memSize = field.wide(ph + layout.pMemsz);
        if (seg.memSize == 0) continue;
        if (seg.fileSize > seg.memSize || seg.fileOffset > bytes.size() ||
            seg.fileSize > bytes.size() - seg.fileOffset)
            return makeError(where + " has a segment that lies outside the file (segment " +
                             std::to_string(i) + ").");
        const uint64_t end = seg.paddr + seg.memSize;
        if (end < seg.paddr || (addressEnd != 0 && end > addressEnd))
            return makeError(where + " has a segment that wraps around the " +
                             (format.is64 ? "" : "32-bit ") + "address space.");
        // Entry points are virtual; boot code runs with translation off, so map
        // the entry through the segment that contains it (as QEMU's loader does).
        if (!entryTranslated && entryVirtual >= vaddr && entryVirtual - vaddr < seg.memSize) {
            image.entry = entryVirtual - vaddr + seg.paddr;
            entryTranslated = true;
        }
        image.lowest = std::min(image.lowest, seg.paddr);
        image.highest = std::max(image.highest, end);
        image.segments.push_back(seg);
    }
    if (image.segments.empty()) return makeError(where + " has no loadable segments.");
    return image;
}

}  // namespace tessera::machine
