#pragma once
// 32-bit big-endian PowerPC ELF executables (OpenBIOS, a Linux vmlinux) as
// QEMU's PowerPC loaders accept them: PT_LOAD segments at their physical
// addresses. The file is hostile input: every offset and length is checked
// and failures are Errors naming the file.

#include <cstdint>
#include <span>
#include <string>

#include "core/machine/elf_image.h"
#include "core/util/result.h"

namespace tessera::machine {

Result<ElfImage> parsePpcElf(std::span<const uint8_t> bytes, const std::string& path);

}  // namespace tessera::machine
