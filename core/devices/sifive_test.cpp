#include "core/devices/sifive_test.h"

namespace tessera::devices {

void SifiveTest::write(uint64_t offset, unsigned size, uint64_t value) {
    if (offset != 0 || size < 4 || !handler_) return;
    const uint32_t word = static_cast<uint32_t>(value);
    switch (word & 0xFFFF) {
        case kPass:
            handler_(Request::PowerOff, 0);
            break;
        case kFail: {
            const int code = static_cast<int>(word >> 16);
            handler_(Request::PowerOff, code == 0 ? 1 : code);
            break;
        }
        case kReset:
            handler_(Request::Reset, 0);
            break;
        default:
            break;  // QEMU ignores other values too
    }
}

}  // namespace tessera::devices
