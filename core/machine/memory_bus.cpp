#include "core/machine/memory_bus.h"

#include <sys/mman.h>

#include <cstdlib>
#include <cstring>

// Under AddressSanitizer guest RAM comes from the instrumented heap instead:
// its redzones turn a device access just past guest RAM into a sanitizer
// report, where an anonymous mapping next to other mappings would let it pass
// silently (the fuzz targets rely on this). ASan's calloc maps large blocks
// fresh and does not touch them, so untouched RAM still costs nothing.
#if defined(__SANITIZE_ADDRESS__)
#define TESSERA_GUEST_RAM_ON_HEAP 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TESSERA_GUEST_RAM_ON_HEAP 1
#endif
#endif

namespace tessera::machine {

namespace {

uint8_t* allocateRam(uint64_t size) {
#ifdef TESSERA_GUEST_RAM_ON_HEAP
    return static_cast<uint8_t*>(std::calloc(1, size));
#else
    // mmap rather than new[]: untouched guest RAM costs no host memory.
    void* host = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return host == MAP_FAILED ? nullptr : static_cast<uint8_t*>(host);
#endif
}

void freeRam(uint8_t* host, uint64_t size) {
#ifdef TESSERA_GUEST_RAM_ON_HEAP
    (void)size;
    std::free(host);
#else
    munmap(host, size);
#endif
}

}  // namespace

MemoryBus::~MemoryBus() {
    for (const auto& region : ram_) freeRam(region.host, region.size);
}

uint8_t* MemoryBus::addRam(uint64_t base, uint64_t size) {
    uint8_t* host = allocateRam(size);
    if (!host) return nullptr;
    ram_.push_back({base, size, host});
    return host;
}

void MemoryBus::addMmio(uint64_t base, MmioDevice* device) {
    mmio_.push_back({base, device->mmioSize(), device});
}

const MemoryBus::RamRegion* MemoryBus::ramRegionAt(uint64_t paddr) const {
    for (const auto& region : ram_)
        if (paddr >= region.base && paddr - region.base < region.size) return &region;
    return nullptr;
}

const MemoryBus::MmioRegion* MemoryBus::mmioRegionAt(uint64_t paddr) const {
    for (const auto& region : mmio_)
        if (paddr >= region.base && paddr - region.base < region.size) return &region;
    return nullptr;
}

uint8_t* MemoryBus::ramPointer(uint64_t paddr, uint64_t length) const {
    const RamRegion* region = ramRegionAt(paddr);
    if (!region) return nullptr;
    const uint64_t offset = paddr - region->base;
    if (length > region->size - offset) return nullptr;
    return region->host + offset;
}

bool MemoryBus::read(uint64_t paddr, unsigned size, uint64_t& value) const {
    if (const uint8_t* host = ramPointer(paddr, size)) {
        value = 0;
        std::memcpy(&value, host, size);  // host is little-endian x86-64, like the guest
        return true;
    }
    if (const MmioRegion* region = mmioRegionAt(paddr)) {
        value = region->device->read(paddr - region->base, size);
        return true;
    }
    return false;
}

bool MemoryBus::write(uint64_t paddr, unsigned size, uint64_t value) {
    if (uint8_t* host = ramPointer(paddr, size)) {
        std::memcpy(host, &value, size);
        return true;
    }
    if (const MmioRegion* region = mmioRegionAt(paddr)) {
        region->device->write(paddr - region->base, size, value);
        return true;
    }
    return false;
}

bool MemoryBus::readBlock(uint64_t paddr, std::span<uint8_t> out) const {
    if (out.empty()) return true;  // memcpy must not see a null pointer, even for 0 bytes
    const uint8_t* host = ramPointer(paddr, out.size());
    if (!host) return false;
    std::memcpy(out.data(), host, out.size());
    return true;
}

bool MemoryBus::writeBlock(uint64_t paddr, std::span<const uint8_t> data) {
    if (data.empty()) return true;
    uint8_t* host = ramPointer(paddr, data.size());
    if (!host) return false;
    std::memcpy(host, data.data(), data.size());
    return true;
}

}  // namespace tessera::machine
