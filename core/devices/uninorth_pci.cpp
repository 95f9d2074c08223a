#include "core/devices/uninorth_pci.h"

#include <bit>

namespace tessera::devices {

void UniNorthPci::reset() {
    address_.value = 0;
    for (auto& [devfn, function] : functions_) function->reset();
}

PciFunction* UniNorthPci::decode(uint64_t offset, unsigned& reg) const {
    const uint32_t a = address_.value;
    unsigned bus = 0, devfn = 0;
    if (a & 0x80000000u) {
        bus = (a >> 16) & 0xff;
        devfn = (a >> 8) & 0xff;
        reg = (a & 0xfc) | (offset & 3);
    } else if (a & 1) {
        bus = (a >> 16) & 0xff;
        devfn = (a >> 8) & 0xff;
        reg = (a & 0xf8) | (offset & 7);
    } else {
        const uint32_t idsel = a & 0xfffff800u;
        if (!idsel) return nullptr;
        const unsigned slot = std::countr_zero(idsel);
        devfn = (slot << 3) | ((a >> 8) & 7);
        reg = (a & 0xf8) | (offset & 7);
    }
    if (bus != 0) return nullptr;  // no bridges behind this host
    const auto it = functions_.find(static_cast<uint8_t>(devfn));
    return it == functions_.end() ? nullptr : it->second;
}

uint64_t UniNorthPci::DataWindow::read(uint64_t offset, unsigned size) {
    unsigned reg = 0;
    PciFunction* function = host.decode(offset, reg);
    if (!function) return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
    return function->readConfig(reg, size);
}

void UniNorthPci::DataWindow::write(uint64_t offset, unsigned size, uint64_t value) {
    unsigned reg = 0;
    if (PciFunction* function = host.decode(offset, reg))
        function->writeConfig(reg, size, static_cast<uint32_t>(value));
}

hw::MmioDevice* UniNorthPci::BarWindow::decode(uint64_t offset, uint32_t& inner) const {
    // Bus addresses: memory cycles carry the CPU address, I/O cycles the port.
    const uint32_t address = static_cast<uint32_t>(io ? offset : kMemoryBase + offset);
    for (auto& [devfn, function] : host.functions_) {
        hw::MmioDevice* device =
            io ? function->decodeIo(address, inner) : function->decodeMemory(address, inner);
        if (device) return device;
    }
    return nullptr;
}

uint64_t UniNorthPci::BarWindow::read(uint64_t offset, unsigned size) {
    if (io)
        if (const LegacyIo* legacy = host.decodeIo(offset, size))
            return legacy->device->read(legacy->deviceOffset + (offset - legacy->port), size);
    uint32_t inner = 0;
    if (hw::MmioDevice* device = decode(offset, inner)) return device->read(inner, size);
    // Unclaimed: I/O reads all ones, memory 0 (QEMU's unassigned I/O and memory).
    if (!io) return 0;
    return size >= 8 ? ~uint64_t(0) : (uint64_t(1) << (8 * size)) - 1;
}

void UniNorthPci::BarWindow::write(uint64_t offset, unsigned size, uint64_t value) {
    if (io)
        if (const LegacyIo* legacy = host.decodeIo(offset, size))
            return legacy->device->write(legacy->deviceOffset + (offset - legacy->port), size, value);
    uint32_t inner = 0;
    if (hw::MmioDevice* device = decode(offset, inner)) device->write(inner, size, value);
}

const UniNorthPci::LegacyIo* UniNorthPci::decodeIo(uint64_t port, unsigned size) const {
    for (const LegacyIo& legacy : legacyIo_)
        if (port >= legacy.port && port + size <= uint64_t(legacy.port) + legacy.count && legacy.owner->ioEnabled())
            return &legacy;
    return nullptr;
}

}  // namespace tessera::devices
