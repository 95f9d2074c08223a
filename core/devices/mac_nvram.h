#pragma once
// The NewWorld Mac's NVRAM as QEMU's mac99 maps it (outside the macio, at
// 0xfff04000): 8 KiB of byte-wide storage, one byte per address ("flat",
// which fw_cfg's PPC NVRAM_FLAT item tells OpenBIOS). OpenBIOS keeps its
// Open Firmware configuration partition there and Linux's nvram driver reads
// it. The contents live as long as the VM runs (no backing file yet), and
// survive a guest reset like the real chip's.

#include <array>
#include <cstdint>

#include "core/hw/mmio_device.h"

namespace tessera::devices {

class MacNvram : public hw::MmioDevice {
public:
    static constexpr uint64_t kSize = 0x2000;

    std::string name() const override { return "mac-nvram"; }
    uint64_t mmioSize() const override { return kSize; }
    uint64_t read(uint64_t offset, unsigned size) override {
        uint64_t value = 0;
        for (unsigned i = 0; i < size && offset + i < kSize; ++i)
            value |= uint64_t(bytes_[offset + i]) << (8 * i);
        return value;
    }
    void write(uint64_t offset, unsigned size, uint64_t value) override {
        for (unsigned i = 0; i < size && offset + i < kSize; ++i)
            bytes_[offset + i] = uint8_t(value >> (8 * i));
    }

private:
    std::array<uint8_t, kSize> bytes_{};
};

}  // namespace tessera::devices
