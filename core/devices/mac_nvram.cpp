#include "core/devices/mac_nvram.h"

#include <cstring>

namespace tessera::devices {

namespace {
uint64_t readBytes(const uint8_t* data, uint64_t limit, uint64_t offset, unsigned size) {
    uint64_t value = 0;
    for (unsigned i = 0; i < size && offset + i < limit; ++i) value |= uint64_t(data[offset + i]) << (8 * i);
    return value;
}
void writeBytes(uint8_t* data, uint64_t limit, uint64_t offset, unsigned size, uint64_t value) {
    for (unsigned i = 0; i < size && offset + i < limit; ++i) data[offset + i] = uint8_t(value >> (8 * i));
}
constexpr uint8_t kSystem = 0x70, kFree = 0x7f, kMacOsX = 0x5a;
constexpr uint64_t kSystemSize = 0xc10;
}  // namespace

uint64_t MacNvram::read(uint64_t offset, unsigned size) {
    return readBytes(bytes_.data(), kSize, offset, size);
}
void MacNvram::write(uint64_t offset, unsigned size, uint64_t value) {
    writeBytes(bytes_.data(), kSize, offset, size, value);
}

// CHRP header: signature, checksum, length in 16-byte units (big-endian), a
// NUL-padded name of at most 11 characters. The checksum adds the signature
// and bytes 2..15 with end-around carry.
void MacNvram::writePartition(uint64_t offset, uint8_t signature, const char* name, uint64_t length) {
    uint8_t* h = bytes_.data() + offset;
    std::memset(h, 0, 16);
    h[0] = signature;
    h[2] = uint8_t((length >> 4) >> 8);
    h[3] = uint8_t(length >> 4);
    std::strncpy(reinterpret_cast<char*>(h + 4), name, 11);
    unsigned sum = h[0];
    for (unsigned i = 2; i < 16; ++i) {
        sum += h[i];
        if (sum > 0xff) sum = (sum + 1) & 0xff;
    }
    h[1] = uint8_t(sum);
}

void MacNvram::format() {
    bytes_.fill(0);
    writePartition(0, kSystem, "system", kSystemSize);
    writePartition(kSystemSize, kFree, "free", kSize / 2 - kSystemSize);
    writePartition(kSize / 2, kMacOsX, "wwwwwwwwwwww", kSize / 2);
}

uint64_t ScratchRegisters::read(uint64_t offset, unsigned size) {
    return readBytes(bytes_.data(), kSize, offset, size);
}
void ScratchRegisters::write(uint64_t offset, unsigned size, uint64_t value) {
    writeBytes(bytes_.data(), kSize, offset, size, value);
}

}  // namespace tessera::devices
