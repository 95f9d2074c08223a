#pragma once
// The NewWorld Mac's NVRAM as QEMU's mac99 maps it (outside the macio, at
// 0xfff04000): 8 KiB of byte-wide storage, one byte per address ("flat",
// which fw_cfg's PPC NVRAM_FLAT item tells OpenBIOS). OpenBIOS keeps its
// Open Firmware variables in the "system" partition and Linux's nvram driver
// walks the partition list at boot (an unformatted, all-zero NVRAM has
// zero-length partitions, on which Linux 6.1 loops forever), so the store
// starts formatted as QEMU formats it (pmac_format_nvram_partition): CHRP
// partitions "system" (0x70, 0xc10 bytes) and "free" (0x7f) in the first
// half, a Mac OS X partition (0x5a) in the second. The contents live as long
// as the VM runs (no backing file yet) and survive a guest reset.

#include <array>
#include <cstdint>
#include <string>

#include "core/hw/mmio_device.h"

namespace tessera::devices {

class MacNvram : public hw::MmioDevice {
public:
    static constexpr uint64_t kSize = 0x2000;

    MacNvram() { format(); }

    std::string name() const override { return "mac-nvram"; }
    uint64_t mmioSize() const override { return kSize; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;

    // The partition layout above, everything else zero.
    void format();
    const std::array<uint8_t, kSize>& bytes() const { return bytes_; }

private:
    // A 16-byte CHRP partition header at `offset` covering `length` bytes.
    void writePartition(uint64_t offset, uint8_t signature, const char* name, uint64_t length);

    std::array<uint8_t, kSize> bytes_{};
};

// A register window that reads back what was written (the Uni-North's
// registers, which Linux reads only for their revision and clock settings).
class ScratchRegisters : public hw::MmioDevice {
public:
    static constexpr uint64_t kSize = 0x1000;
    std::string name() const override { return "scratch-registers"; }
    uint64_t mmioSize() const override { return kSize; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;

private:
    std::array<uint8_t, kSize> bytes_{};
};

}  // namespace tessera::devices
