#include "core/block/format_magic.h"

#include <cstring>
#include <string_view>

namespace tessera::block {

namespace {

struct Signature {
    const char* format;
    size_t offset;
    std::string_view bytes;
};

using namespace std::string_view_literals;

// Signatures from the formats' specifications (QEMU's block drivers probe for the same).
constexpr Signature kSignatures[] = {
    {"qcow2", 0, "QFI\xfb"sv},  // qcow (v1) and qcow2 share the magic
    {"qed", 0, "QED\0"sv},
    {"vmdk", 0, "KDMV"sv},                   // sparse extent
    {"vmdk", 0, "COWD"sv},                   // ESX sparse extent
    {"vmdk", 0, "# Disk DescriptorFile"sv},  // text descriptor
    {"vdi", 0x40, "\x7f\x10\xda\xbe"sv},     // 0xbeda107f, little-endian
    {"vhdx", 0, "vhdxfile"sv},
    {"vpc", 0, "conectix"sv},
    {"luks", 0, "LUKS\xba\xbe"sv},
    {"parallels", 0, "WithoutFreeSpace"sv},
    {"parallels", 0, "WithouFreSpacExt"sv},
};

}  // namespace

const char* formatNamedByHeader(std::span<const uint8_t> header) {
    for (const Signature& s : kSignatures)
        if (header.size() >= s.offset + s.bytes.size() &&
            std::memcmp(header.data() + s.offset, s.bytes.data(), s.bytes.size()) == 0)
            return s.format;
    return nullptr;
}

}  // namespace tessera::block
