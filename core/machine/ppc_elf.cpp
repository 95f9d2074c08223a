#include "core/machine/ppc_elf.h"

namespace tessera::machine {

Result<ElfImage> parsePpcElf(std::span<const uint8_t> bytes, const std::string& path) {
    static const ElfFormat kPpc32{.is64 = false,
                                  .bigEndian = true,
                                  .machine = 20,  // EM_PPC
                                  .program = "a 32-bit PowerPC program",
                                  .classReason = "32-bit PowerPC needs ELFCLASS32"};
    return parseElf(bytes, path, kPpc32);
}

}  // namespace tessera::machine
