#pragma once
// An empty virtio-mmio transport slot (virtio spec 1.2, 4.2.2 "MMIO Device
// Register Layout"): magic "virt", version 2 (modern), device ID 0, which the
// spec defines as "no device" so drivers skip the slot. Real devices (blk,
// net, gpu, input) later plug into the same address range with a full
// transport; the board's map and DTB stay the same.

#include <cstdint>

#include "core/machine/irq_line.h"
#include "core/machine/mmio_device.h"

namespace tessera::devices {

class VirtioMmioSlot : public machine::MmioDevice {
public:
    static constexpr uint64_t kSize = 0x1000;
    static constexpr uint32_t kMagic = 0x74726976;     // "virt" little-endian
    static constexpr uint32_t kVersion = 2;            // modern transport
    static constexpr uint32_t kVendorId = 0x554D4551;  // "QEMU", as guests expect on virt
    enum : uint64_t { MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008, VENDOR_ID = 0x00C };

    std::string name() const override { return "virtio-mmio (empty)"; }
    uint64_t mmioSize() const override { return kSize; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t, unsigned, uint64_t) override {}

    machine::IrqLine& irq() { return irq_; }

private:
    machine::IrqLine irq_;
};

}  // namespace tessera::devices
