#include "core/devices/fw_cfg.h"

namespace tessera::devices {

void FwCfg::setLittleEndian(uint16_t key, uint64_t value, unsigned bytes) {
    std::vector<uint8_t> data(bytes);
    for (unsigned i = 0; i < bytes; ++i) data[i] = static_cast<uint8_t>(value >> (8 * i));
    items_[key] = std::move(data);
}

// Bus values carry the byte at the lowest address in bits 7:0 (the memory
// bus's lane order), so the big-endian selector arrives byte-swapped.
void FwCfg::write(uint64_t offset, unsigned size, uint64_t value) {
    if (offset == 0 && size == 2) {
        selector_ = static_cast<uint16_t>(((value & 0xff) << 8) | ((value >> 8) & 0xff));
        position_ = 0;
    }
}

uint64_t FwCfg::read(uint64_t offset, unsigned size) {
    if (offset != 2 || size != 1) return 0;
    const auto item = items_.find(selector_);
    if (item == items_.end() || position_ >= item->second.size()) return 0;
    return item->second[position_++];
}

void FwCfg::reset() {
    selector_ = 0;
    position_ = 0;
}

}  // namespace tessera::devices
