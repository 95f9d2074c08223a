#pragma once
// KeyLargo "mac-io" controller: the PCI function (Apple 106b:0022, BAR 0 of
// 512 KiB) that holds the Mac's on-board devices at fixed offsets, as
// OpenBIOS and Linux expect them on QEMU's mac99:
//   0x00000  feature control registers (FCRs; kept as written, read back)
//   0x08b00  DBDMA channels of the ATA buses (dbdma.h; 0x8d00 the second)
//   0x13000  ESCC serial (escc.h)
//   0x16000  CUDA (VIA 6522 + microcontroller, cuda.h)
//   0x20000  KeyLargo ATA buses (keylargo_ata.h; 0x21000 the second)
//   0x40000  OpenPIC interrupt controller (openpic.h)
// The board attaches them (the ATA buses through mac99_storage.h); other
// offsets (the legacy ESCC view, ...) read as zero and ignore writes.

#include <array>
#include <cstdint>
#include <vector>

#include "core/hw/mmio_device.h"

namespace tessera::devices {

class KeyLargoMacio : public hw::MmioDevice {
public:
    static constexpr uint64_t kSize = 0x80000;
    static constexpr uint64_t kFcrSize = 0x100;
    static constexpr uint64_t kEsccOffset = 0x13000;
    static constexpr uint64_t kCudaOffset = 0x16000;
    static constexpr uint64_t kOpenPicOffset = 0x40000;

    // A child device (not owned) at `offset`.
    void attach(uint64_t offset, hw::MmioDevice* device) { children_.push_back({offset, device}); }

    std::string name() const override { return "keylargo-macio"; }
    uint64_t mmioSize() const override { return kSize; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;
    void reset() override;

private:
    struct Child {
        uint64_t offset;
        hw::MmioDevice* device;
    };
    hw::MmioDevice* decode(uint64_t offset, uint64_t& inner) const;

    std::vector<Child> children_;
    std::array<uint8_t, kFcrSize> fcr_{};
};

}  // namespace tessera::devices
