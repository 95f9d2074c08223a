#include "core/devices/pci_function.h"

namespace tessera::devices {

namespace {
constexpr unsigned kCommand = 0x04;
constexpr unsigned kBar0 = 0x10;
constexpr uint16_t kCommandIo = 0x0001;
constexpr uint16_t kCommandMemory = 0x0002;
// Command bits a guest may set: I/O, memory, bus master, parity, SERR, INTx disable.
constexpr uint16_t kCommandWritable = 0x0547;
}  // namespace

PciFunction::PciFunction(Identity id) : id_(id) {
    reset();
}

void PciFunction::setMemoryBar(unsigned index, uint32_t size, hw::MmioDevice* device, bool prefetchable) {
    if (index >= 6) return;
    barSize_[index] = size;
    barDevice_[index] = device;
    barFlags_[index] = prefetchable ? 0x08 : 0x00;
    config_[kBar0 + index * 4] = barFlags_[index];
}

void PciFunction::setIoBar(unsigned index, uint32_t size, hw::MmioDevice* device) {
    if (index >= 6) return;
    barSize_[index] = size;
    barDevice_[index] = device;
    barFlags_[index] = 0x01;  // the I/O space indicator
    config_[kBar0 + index * 4] = barFlags_[index];
}

uint32_t PciFunction::dword(unsigned index) const {
    const unsigned o = index * 4;
    return config_[o] | (config_[o + 1] << 8) | (config_[o + 2] << 16) | (uint32_t(config_[o + 3]) << 24);
}

void PciFunction::setDword(unsigned index, uint32_t value) {
    for (unsigned i = 0; i < 4; ++i) config_[index * 4 + i] = static_cast<uint8_t>(value >> (8 * i));
}

void PciFunction::reset() {
    config_.fill(0);
    setDword(0, id_.vendor | (uint32_t(id_.device) << 16));
    setDword(2, id_.revision | (id_.classCode << 8));
    config_[0x3d] = id_.interruptPin;
    for (unsigned bar = 0; bar < 6; ++bar) config_[kBar0 + bar * 4] = barFlags_[bar];
}

uint32_t PciFunction::readConfig(unsigned offset, unsigned size) const {
    if (offset >= 256 || offset + size > 256) return 0;
    uint32_t value = 0;
    for (unsigned i = 0; i < size; ++i) value |= uint32_t(config_[offset + i]) << (8 * i);
    return value;
}

void PciFunction::writeConfig(unsigned offset, unsigned size, uint32_t value) {
    if (offset >= 256 || offset + size > 256) return;
    // Merge into the dword(s) touched, then apply each register's write mask.
    for (unsigned i = 0; i < size; ++i) {
        const unsigned at = offset + i;
        const uint8_t byte = static_cast<uint8_t>(value >> (8 * i));
        if (at >= kBar0 && at < kBar0 + 24) {
            const unsigned bar = (at - kBar0) / 4;
            if (!barSize_[bar]) continue;  // unimplemented BAR: reads as 0
            const uint32_t mask = ~(barSize_[bar] - 1);
            const unsigned lane = (at - kBar0) % 4;
            config_[at] =
                (byte & static_cast<uint8_t>(mask >> (8 * lane))) | (lane == 0 ? barFlags_[bar] : 0);
        } else if (at == kCommand || at == kCommand + 1) {
            config_[at] = byte & static_cast<uint8_t>(kCommandWritable >> (8 * (at - kCommand)));
        } else if (at == 0x0c || at == 0x0d || at == 0x3c) {  // cache line, latency, interrupt line
            config_[at] = byte;
        }
    }
}

hw::MmioDevice* PciFunction::decodeMemory(uint32_t address, uint32_t& offset) const {
    return decode(address, false, offset);
}

hw::MmioDevice* PciFunction::decodeIo(uint32_t port, uint32_t& offset) const {
    return decode(port, true, offset);
}

hw::MmioDevice* PciFunction::decode(uint32_t address, bool io, uint32_t& offset) const {
    if (!(readConfig(kCommand, 2) & (io ? kCommandIo : kCommandMemory))) return nullptr;
    for (unsigned bar = 0; bar < 6; ++bar) {
        if (!barSize_[bar] || !barDevice_[bar] || bool(barFlags_[bar] & 1) != io) continue;
        const uint32_t base = dword(kBar0 / 4 + bar) & (io ? ~0x3u : ~0xfu);
        if (address - base < barSize_[bar]) {
            offset = address - base;
            return barDevice_[bar];
        }
    }
    return nullptr;
}

}  // namespace tessera::devices
