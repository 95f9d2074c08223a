#include "core/devices/keylargo_macio.h"

namespace tessera::devices {

hw::MmioDevice* KeyLargoMacio::decode(uint64_t offset, uint64_t& inner) const {
    for (const Child& child : children_) {
        if (offset >= child.offset && offset - child.offset < child.device->mmioSize()) {
            inner = offset - child.offset;
            return child.device;
        }
    }
    return nullptr;
}

uint64_t KeyLargoMacio::read(uint64_t offset, unsigned size) {
    if (offset + size <= kFcrSize) {
        uint64_t value = 0;
        for (unsigned i = 0; i < size; ++i) value |= uint64_t(fcr_[offset + i]) << (8 * i);
        return value;
    }
    uint64_t inner = 0;
    if (hw::MmioDevice* device = decode(offset, inner)) return device->read(inner, size);
    return 0;
}

void KeyLargoMacio::write(uint64_t offset, unsigned size, uint64_t value) {
    if (offset + size <= kFcrSize) {
        for (unsigned i = 0; i < size; ++i) fcr_[offset + i] = static_cast<uint8_t>(value >> (8 * i));
        return;
    }
    uint64_t inner = 0;
    if (hw::MmioDevice* device = decode(offset, inner)) device->write(inner, size, value);
}

void KeyLargoMacio::reset() {
    fcr_.fill(0);
    for (const Child& child : children_) child.device->reset();
}

}  // namespace tessera::devices
