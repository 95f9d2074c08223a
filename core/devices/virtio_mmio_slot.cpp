#include "core/devices/virtio_mmio_slot.h"

namespace tessera::devices {

uint64_t VirtioMmioSlot::read(uint64_t offset, unsigned size) {
    if (size != 4) return 0;  // spec 4.2.2: 32-bit accesses only
    switch (offset) {
        case MAGIC:
            return kMagic;
        case VERSION:
            return kVersion;
        case DEVICE_ID:
            return 0;
        case VENDOR_ID:
            return kVendorId;
        default:
            return 0;
    }
}

}  // namespace tessera::devices
