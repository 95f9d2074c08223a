#pragma once
// ELF executables as QEMU's loaders accept them for a board's firmware and
// kernel: the PT_LOAD segments at their physical addresses, the entry point
// mapped through the segment that holds it. One parser serves every guest
// ISA; an ElfFormat names the class, byte order and machine a board takes.
// The file is hostile input: every offset and length is checked before use
// and failures are Errors naming the file.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/util/result.h"

namespace tessera::machine {

struct ElfSegment {
    uint64_t paddr = 0;
    uint64_t fileOffset = 0;
    uint64_t fileSize = 0;
    uint64_t memSize = 0;  // > fileSize: the rest is zero-filled (.bss)
};

struct ElfImage {
    uint64_t entry = 0;  // physical
    uint64_t lowest = 0;
    uint64_t highest = 0;  // one past the last byte
    std::vector<ElfSegment> segments;
};

struct ElfFormat {
    bool is64 = true;
    bool bigEndian = false;
    uint16_t machine = 0;     // e_machine
    std::string program;      // for errors: "a RISC-V program"
    std::string classReason;  // for errors: "RV64 needs ELFCLASS64"
};

bool looksLikeElf(std::span<const uint8_t> bytes);
Result<ElfImage> parseElf(std::span<const uint8_t> bytes, const std::string& path, const ElfFormat& format);

}  // namespace tessera::machine
