#include "core/hw/memory_bus.h"

#include <sys/mman.h>

#include <cstring>

namespace tessera::hw {

namespace {

constexpr uint64_t kPageBytes = 4096;
uint64_t pageRounded(uint64_t size) { return (size + kPageBytes - 1) & ~(kPageBytes - 1); }

}  // namespace

MemoryBus::~MemoryBus() {
    for (const auto& region : ram_) munmap(region.host - kPageBytes, pageRounded(region.size) + 2 * kPageBytes);
}

uint8_t* MemoryBus::addRam(uint64_t base, uint64_t size) {
    // mmap rather than new[]: untouched guest RAM costs no host memory, and
    // the host pointer is page-aligned (the CPU keys decoded code by host
    // page). An inaccessible guard page on each side makes a device bug that
    // runs past either end of guest RAM fault at once (a report under the
    // sanitizers and the fuzzers) instead of silently writing whatever
    // mapping happens to be next.
    const uint64_t span = pageRounded(size) + 2 * kPageBytes;
    void* mapping = mmap(nullptr, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mapping == MAP_FAILED) return nullptr;
    uint8_t* host = static_cast<uint8_t*>(mapping) + kPageBytes;
    if (size && mprotect(host, pageRounded(size), PROT_READ | PROT_WRITE) != 0) {
        munmap(mapping, span);
        return nullptr;
    }
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

uint64_t MemoryBus::ramAddressOf(const uint8_t* host) const {
    for (const auto& region : ram_)
        if (host >= region.host && host < region.host + region.size)
            return region.base + (host - region.host);
    return ~0ull;  // not guest RAM: an address that maps to nothing
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
        std::unique_lock<std::recursive_mutex> guard;
        if (mmioLock_) guard = std::unique_lock(*mmioLock_);
        value = region->device->read(paddr - region->base, size);
        return true;
    }
    return false;
}

bool MemoryBus::write(uint64_t paddr, unsigned size, uint64_t value) {
    if (uint8_t* host = ramPointer(paddr, size)) {
        std::memcpy(host, &value, size);
        noteDmaWrite(paddr, size);
        return true;
    }
    if (const MmioRegion* region = mmioRegionAt(paddr)) {
        std::unique_lock<std::recursive_mutex> guard;
        if (mmioLock_) guard = std::unique_lock(*mmioLock_);
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
    noteDmaWrite(paddr, data.size());
    return true;
}

}  // namespace tessera::hw
