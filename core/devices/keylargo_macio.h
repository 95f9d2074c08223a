#pragma once
// KeyLargo "mac-io" controller: the PCI function (Apple 106b:0022, BAR 0 of
// 512 KiB) that holds the Mac's on-board devices at fixed offsets, as
// OpenBIOS and Linux expect them on QEMU's mac99:
//   0x00000  feature control registers (FCRs; kept as written, read back)
//   0x13000  ESCC serial (escc.h)
//   0x16000  CUDA (VIA 6522 + microcontroller, cuda.h)
//   0x40000  OpenPIC interrupt controller (openpic.h)
// Other offsets (DBDMA, IDE, the legacy ESCC view) read as zero and ignore
// writes until part 2 adds the devices behind them.

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
