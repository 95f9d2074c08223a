#pragma once
// MemoryBus: the guest physical address space. RAM regions are host memory the
// CPU's software TLB points into directly; MMIO regions dispatch to devices.
// Every access is bounds-checked: a bad guest address is an access fault for the
// CPU and a failed DMA for a device, never a host crash.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "core/hw/mmio_device.h"

namespace tessera::hw {

class MemoryBus {
public:
    struct RamRegion {
        uint64_t base = 0;
        uint64_t size = 0;
        uint8_t* host = nullptr;  // owned by the bus
    };
    struct MmioRegion {
        uint64_t base = 0;
        uint64_t size = 0;
        MmioDevice* device = nullptr;  // not owned
    };

    MemoryBus() = default;
    ~MemoryBus();
    MemoryBus(const MemoryBus&) = delete;
    MemoryBus& operator=(const MemoryBus&) = delete;

    // Allocates zeroed host memory (lazily committed by the OS). Returns nullptr
    // when the host cannot provide it.
    uint8_t* addRam(uint64_t base, uint64_t size);
    void addMmio(uint64_t base, MmioDevice* device);

    // Host pointer for [paddr, paddr+length) if it lies entirely in one RAM region.
    uint8_t* ramPointer(uint64_t paddr, uint64_t length) const;
    const RamRegion* ramRegionAt(uint64_t paddr) const;
    // Guest physical address of a host pointer returned by ramPointer().
    uint64_t ramAddressOf(const uint8_t* host) const;
    const MmioRegion* mmioRegionAt(uint64_t paddr) const;

    // Single naturally sized access (1/2/4/8 bytes, little-endian guest).
    // Returns false on an address that maps to nothing (guest access fault).
    bool read(uint64_t paddr, unsigned size, uint64_t& value) const;
    bool write(uint64_t paddr, unsigned size, uint64_t value);

    // DMA helpers for devices: all-or-nothing, RAM only.
    bool readBlock(uint64_t paddr, std::span<uint8_t> out) const;
    bool writeBlock(uint64_t paddr, std::span<const uint8_t> data);

    // Device writes to guest RAM are announced to the observer (the board
    // connects the hart: decoded code and an LR reservation on those bytes
    // become stale). writeBlock() and write() announce their own RAM writes; a
    // device that writes through ramPointer() calls noteDmaWrite() after.
    // The CPU's own stores never come through here.
    using DmaWriteObserver = std::function<void(uint64_t paddr, uint64_t length)>;
    void setDmaWriteObserver(DmaWriteObserver observer) { dmaWriteObserver_ = std::move(observer); }
    void noteDmaWrite(uint64_t paddr, uint64_t length) const {
        if (dmaWriteObserver_) dmaWriteObserver_(paddr, length);
    }

    // With several harts on several threads, devices are guarded by one lock
    // (the board's): read()/write() hold it around every MMIO access. RAM
    // accesses never take it.
    void setMmioLock(std::recursive_mutex* lock) { mmioLock_ = lock; }

    const std::vector<RamRegion>& ramRegions() const { return ram_; }
    const std::vector<MmioRegion>& mmioRegions() const { return mmio_; }

private:
    std::vector<RamRegion> ram_;
    std::vector<MmioRegion> mmio_;
    DmaWriteObserver dmaWriteObserver_;
    std::recursive_mutex* mmioLock_ = nullptr;
};

}  // namespace tessera::hw
