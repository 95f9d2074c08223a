#pragma once
// virtio-blk (virtio 1.2 §5.2) on a BlockBackend (raw or qcow2 image).
// Requests run synchronously on the VM thread when the driver notifies.

#include <memory>
#include <string>

#include "core/block/block_backend.h"
#include "core/devices/virtio_device.h"

namespace tessera::devices {

// Feature bits (§5.2.3).
inline constexpr uint64_t kVirtioBlkFSegMax = 1ull << 2;
inline constexpr uint64_t kVirtioBlkFRo = 1ull << 5;
inline constexpr uint64_t kVirtioBlkFBlkSize = 1ull << 6;
inline constexpr uint64_t kVirtioBlkFFlush = 1ull << 9;
inline constexpr uint64_t kVirtioBlkFDiscard = 1ull << 13;
inline constexpr uint64_t kVirtioBlkFWriteZeroes = 1ull << 14;

// Request types and status values (§5.2.6).
inline constexpr uint32_t kVirtioBlkTIn = 0;
inline constexpr uint32_t kVirtioBlkTOut = 1;
inline constexpr uint32_t kVirtioBlkTFlush = 4;
inline constexpr uint32_t kVirtioBlkTGetId = 8;
inline constexpr uint32_t kVirtioBlkTDiscard = 11;
inline constexpr uint32_t kVirtioBlkTWriteZeroes = 13;
inline constexpr uint8_t kVirtioBlkSOk = 0;
inline constexpr uint8_t kVirtioBlkSIoErr = 1;
inline constexpr uint8_t kVirtioBlkSUnsupp = 2;

class VirtioBlk final : public VirtioDevice {
public:
    static constexpr uint32_t kSectorSize = 512;
    static constexpr uint16_t kQueueSize = 256;
    static constexpr uint32_t kSegMax = kQueueSize - 2;  // header and status take two descriptors
    static constexpr uint32_t kMaxDiscardSectors = 1u << 22;  // 2 GiB per segment
    static constexpr uint32_t kMaxDiscardSegments = 64;

    // `readOnly` forces VIRTIO_BLK_F_RO even if the backend is writable.
    VirtioBlk(std::shared_ptr<block::BlockBackend> backend, std::string serial, bool readOnly = false);

    VirtioDeviceId deviceId() const override { return VirtioDeviceId::Block; }
    std::string name() const override { return "virtio-blk"; }
    uint64_t deviceFeatures() const override;
    unsigned queueCount() const override { return 1; }
    uint16_t queueMaxSize(unsigned) const override { return kQueueSize; }
    std::vector<uint8_t> config() const override;
    void queueNotified(unsigned queue) override;
    void reset() override {}

    bool readOnly() const { return readOnly_; }
    block::BlockBackend& backend() { return *backend_; }

private:
    // Executes one request; returns the status byte and sets `dataWritten`.
    uint8_t execute(const DescriptorChain& chain, uint32_t type, uint64_t sector, uint32_t& dataWritten);
    uint8_t transfer(const DescriptorChain& chain, bool toGuest, uint64_t sector, uint32_t& dataWritten);
    uint8_t discardOrZero(const DescriptorChain& chain, bool writeZeroes);

    std::shared_ptr<block::BlockBackend> backend_;
    std::string serial_;
    bool readOnly_;
};

}  // namespace tessera::devices
