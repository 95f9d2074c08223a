#pragma once
// Boot images as QEMU's riscv loaders accept them: ELF64 RISC-V executables
// (placed at their physical load addresses), Linux RISC-V "Image" files
// (Documentation/riscv/boot-image-header.rst: magic2 "RSC\x05" at 0x38,
// text_offset at 0x08, image_size at 0x10) and raw binaries at a given
// address. Every parser treats the file as hostile: lengths and offsets are
// checked before use and failures are Errors naming the file.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/hw/memory_bus.h"
#include "core/machine/elf_image.h"
#include "core/util/result.h"

namespace tessera::machine {

Result<std::vector<uint8_t>> readImageFile(const std::string& path, const std::string& role);

Result<ElfImage> parseRiscvElf(std::span<const uint8_t> bytes, const std::string& path);
Status placeElf(const ElfImage& elf, std::span<const uint8_t> bytes, hw::MemoryBus& bus,
                const std::string& path);

struct LinuxImageHeader {
    uint64_t textOffset = 0;
    uint64_t imageSize = 0;  // effective size incl. .bss; 0 in very old kernels
};

bool looksLikeLinuxImage(std::span<const uint8_t> bytes);
Result<LinuxImageHeader> parseLinuxImage(std::span<const uint8_t> bytes, const std::string& path);

// Raw copy of a whole file into guest RAM at `paddr`.
Status placeRaw(std::span<const uint8_t> bytes, uint64_t paddr, hw::MemoryBus& bus, const std::string& path);

}  // namespace tessera::machine
