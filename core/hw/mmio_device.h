#pragma once
// The one device interface: a register window on the memory bus. A board is a
// list of (device, base address) pairs; nothing else is special-cased.

#include <cstdint>
#include <string>

namespace tessera::hw {

class MmioDevice {
public:
    virtual ~MmioDevice() = default;
    virtual std::string name() const = 0;
    virtual uint64_t mmioSize() const = 0;
    // size is 1, 2, 4 or 8; offset is relative to the device base. Guest
    // controlled: devices must accept any offset/size and ignore what they
    // do not implement (reads return 0).
    virtual uint64_t read(uint64_t offset, unsigned size) = 0;
    virtual void write(uint64_t offset, unsigned size, uint64_t value) = 0;
    virtual void reset() {}
};

}  // namespace tessera::hw
