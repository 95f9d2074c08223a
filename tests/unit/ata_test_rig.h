#pragma once
// A KeyLargo ATA bus on a memory bus with 1 MiB of RAM, driven as pata_macio
// and OpenBIOS drive it: task file registers, the data port, DBDMA
// descriptors written into guest RAM.

#include <cstdint>
#include <vector>

#include "core/devices/keylargo_ata.h"
#include "core/hw/memory_bus.h"

namespace tessera::testing {

// DBDMA descriptor command words (command << 12 | key | interrupt | branch | wait).
inline constexpr uint16_t kOutputMore = 0x0000, kOutputLast = 0x1000, kInputMore = 0x2000,
                          kInputLast = 0x3000, kStoreWord = 0x4000, kLoadWord = 0x5000, kNop = 0x6000,
                          kStop = 0x7000, kBranchAlways = 0x000c;

struct AtaRig {
    static constexpr uint64_t kRam = 1 << 20;
    hw::MemoryBus bus;
    devices::KeyLargoAta ata{bus};
    bool irq = false;

    AtaRig() {
        bus.addRam(0, kRam);
        ata.irq().connect([this](bool level) { irq = level; });
    }
    void set(unsigned reg, uint8_t value) { ata.write(uint64_t(reg) << 4, 1, value); }
    uint8_t get(unsigned reg) { return uint8_t(ata.read(uint64_t(reg) << 4, 1)); }
    uint8_t status() { return get(7); }
    uint8_t altStatus() { return uint8_t(ata.read(devices::KeyLargoAta::kControlOffset, 1)); }
    void lba28(uint32_t lba, uint8_t count) {
        set(2, count);
        set(3, uint8_t(lba));
        set(4, uint8_t(lba >> 8));
        set(5, uint8_t(lba >> 16));
        set(6, uint8_t(0x40 | ((lba >> 24) & 0x0f)));
    }
    void command(uint8_t opcode) { set(7, opcode); }
    std::vector<uint8_t> pioRead(size_t bytes) {
        std::vector<uint8_t> out;
        for (size_t i = 0; i < bytes; i += 2) {
            const uint16_t word = uint16_t(ata.read(0, 2));
            out.push_back(uint8_t(word));
            out.push_back(uint8_t(word >> 8));
        }
        return out;
    }
    void pioWrite(const std::vector<uint8_t>& bytes) {
        for (size_t i = 0; i + 1 < bytes.size(); i += 2) ata.write(0, 2, bytes[i] | bytes[i + 1] << 8);
    }
    // A 16-byte little-endian descriptor at `at` in RAM.
    void descriptor(uint64_t at, uint16_t command, uint16_t count, uint32_t address, uint32_t dep = 0) {
        const uint8_t d[16] = {uint8_t(count),
                               uint8_t(count >> 8),
                               uint8_t(command),
                               uint8_t(command >> 8),
                               uint8_t(address),
                               uint8_t(address >> 8),
                               uint8_t(address >> 16),
                               uint8_t(address >> 24),
                               uint8_t(dep),
                               uint8_t(dep >> 8),
                               uint8_t(dep >> 16),
                               uint8_t(dep >> 24),
                               0,
                               0,
                               0,
                               0};
        bus.writeBlock(at, d);
    }
    uint16_t residual(uint64_t at) { return uint16_t(byte(at + 12) | byte(at + 13) << 8); }
    uint16_t xferStatus(uint64_t at) { return uint16_t(byte(at + 14) | byte(at + 15) << 8); }
    uint8_t byte(uint64_t at) {
        uint8_t b = 0;
        bus.readBlock(at, std::span<uint8_t>(&b, 1));
        return b;
    }
    std::vector<uint8_t> ram(uint64_t at, size_t length) {
        std::vector<uint8_t> out(length);
        bus.readBlock(at, out);
        return out;
    }
    // pata_macio's bmdma_setup and bmdma_start.
    void startDma(uint32_t table) {
        ata.dma().write(0x0c, 4, table);
        ata.dma().write(0x00, 4, uint64_t(devices::DbdmaChannel::kRun) << 16 | devices::DbdmaChannel::kRun);
    }
    uint32_t dmaStatus() { return uint32_t(ata.dma().read(0x04, 4)); }
};

}  // namespace tessera::testing
