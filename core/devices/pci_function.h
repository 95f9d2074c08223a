#pragma once
// PciFunction: one PCI function's type-0 configuration header (256 bytes,
// little-endian as PCI defines it) with up to six memory or I/O BARs, each
// backed by an MMIO device. A host bridge (uninorth_pci.h) routes
// configuration cycles here and memory and I/O cycles to the BAR a bus
// address falls in. BAR sizing
// works as on hardware: the address bits below the BAR's size read as zero,
// so writing all ones and reading back tells the size.

#include <array>
#include <cstdint>

#include "core/hw/mmio_device.h"

namespace tessera::devices {

class PciFunction {
public:
    struct Identity {
        uint16_t vendor = 0;
        uint16_t device = 0;
        uint32_t classCode = 0;  // class << 16 | subclass << 8 | prog-if
        uint8_t revision = 0;
        uint8_t interruptPin = 0;  // 0 = none, 1 = INTA#
    };
    explicit PciFunction(Identity id);

    // BAR `index` decodes a memory range of `size` bytes (a power of two,
    // at least 16) served by `device` (not owned); a prefetchable BAR (a
    // framebuffer) says so in its bit 3.
    void setMemoryBar(unsigned index, uint32_t size, hw::MmioDevice* device, bool prefetchable = false);
    // BAR `index` decodes an I/O port range of `size` bytes (a power of two,
    // at least 4); bit 0 of the BAR reads as 1 (I/O space indicator).
    void setIoBar(unsigned index, uint32_t size, hw::MmioDevice* device);

    uint32_t readConfig(unsigned offset, unsigned size) const;
    void writeConfig(unsigned offset, unsigned size, uint32_t value);
    void reset();

    // I/O space enabled (command bit 0): the function decodes its I/O ports.
    bool ioEnabled() const { return config_[0x04] & 0x01; }

    // Memory space enabled (command bit 1) and `address` inside BAR `index`'s
    // range: the device and the offset in it.
    hw::MmioDevice* decodeMemory(uint32_t address, uint32_t& offset) const;
    // The same for an I/O port address (command bit 0, I/O space enabled).
    hw::MmioDevice* decodeIo(uint32_t port, uint32_t& offset) const;

    // Command register bits a device obeys: bus mastering (bit 2) gates its
    // DMA, "interrupt disable" (bit 10) its INTx line.
    bool busMasterEnabled() const { return readConfig(0x04, 2) & 0x0004; }
    bool interruptDisabled() const { return readConfig(0x04, 2) & 0x0400; }

private:
    uint32_t dword(unsigned index) const;
    void setDword(unsigned index, uint32_t value);

    hw::MmioDevice* decode(uint32_t address, bool io, uint32_t& offset) const;

    Identity id_;
    std::array<uint8_t, 256> config_{};
    std::array<uint32_t, 6> barSize_{};
    std::array<hw::MmioDevice*, 6> barDevice_{};
    std::array<uint8_t, 6> barFlags_{};  // the read-only low bits (bit 0: I/O space, bit 3: prefetchable)
};

}  // namespace tessera::devices
