#include "core/machine/image_loader.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace tessera::machine {

namespace {

constexpr uint16_t kEmRiscv = 243;  // ELF e_machine for RISC-V (psABI)

template <typename T>
T readLe(std::span<const uint8_t> bytes, uint64_t offset) {
    T value{};
    std::memcpy(&value, bytes.data() + offset, sizeof(T));  // host is little-endian like the guest
    return value;
}

std::string hex(uint64_t value) {
    std::ostringstream out;
    out << "0x" << std::hex << value;
    return out.str();
}

}  // namespace

Result<std::vector<uint8_t>> readImageFile(const std::string& path, const std::string& role) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return makeError(role + " '" + path + "' cannot be opened: " + std::strerror(errno) + ".");
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    if (file.bad()) return makeError(role + " '" + path + "' cannot be read.");
    if (bytes.empty()) return makeError(role + " '" + path + "' is empty.");
    return bytes;
}

Result<ElfImage> parseRiscvElf(std::span<const uint8_t> bytes, const std::string& path) {
    static const ElfFormat kRiscv64{.is64 = true,
                                    .bigEndian = false,
                                    .machine = kEmRiscv,
                                    .program = "a RISC-V program",
                                    .classReason = "RV64 needs ELFCLASS64"};
    return parseElf(bytes, path, kRiscv64);
}

Status placeElf(const ElfImage& elf, std::span<const uint8_t> bytes, hw::MemoryBus& bus,
                const std::string& path) {
    for (const ElfSegment& seg : elf.segments) {
        uint8_t* host = bus.ramPointer(seg.paddr, seg.memSize);
        if (!host)
            return makeError("ELF file '" + path + "' wants to load " + std::to_string(seg.memSize) +
                             " bytes at " + hex(seg.paddr) +
                             ", which is not inside guest RAM (check -m and the program's link address).");
        std::memcpy(host, bytes.data() + seg.fileOffset, seg.fileSize);
        std::memset(host + seg.fileSize, 0, seg.memSize - seg.fileSize);
    }
    return Status::success();
}

bool looksLikeLinuxImage(std::span<const uint8_t> bytes) {
    return bytes.size() >= 64 && std::memcmp(bytes.data() + 0x38, "RSC\x05", 4) == 0;
}

Result<LinuxImageHeader> parseLinuxImage(std::span<const uint8_t> bytes, const std::string& path) {
    if (!looksLikeLinuxImage(bytes))
        return makeError(
            "kernel '" + path +
            "' is neither a RISC-V Linux Image (no \"RSC\\x05\" magic at offset 0x38) nor a "
            "RISC-V ELF executable. For a raw binary such as u-boot.bin use --load FILE@ADDRESS.");
    LinuxImageHeader header;
    header.textOffset = readLe<uint64_t>(bytes, 8);
    header.imageSize = readLe<uint64_t>(bytes, 16);
    if (header.imageSize != 0 && header.imageSize < bytes.size())
        return makeError("kernel '" + path + "' has a corrupt Image header (image_size " +
                         std::to_string(header.imageSize) + " is smaller than the file, " +
                         std::to_string(bytes.size()) + " bytes).");
    if (header.textOffset % 4096 != 0 || header.textOffset > (uint64_t(1) << 30))
        return makeError("kernel '" + path + "' has a corrupt Image header (text_offset " +
                         hex(header.textOffset) + ").");
    return header;
}

Status placeRaw(std::span<const uint8_t> bytes, uint64_t paddr, hw::MemoryBus& bus, const std::string& path) {
    uint8_t* host = bus.ramPointer(paddr, bytes.size());
    if (!host)
        return makeError("'" + path + "' (" + std::to_string(bytes.size()) +
                         " bytes) does not fit in guest RAM at " + hex(paddr) +
                         "; give the guest more memory with -m or load it elsewhere.");
    std::memcpy(host, bytes.data(), bytes.size());
    return Status::success();
}

}  // namespace tessera::machine
