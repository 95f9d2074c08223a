#pragma once
// virtio-mmio transport, version 2 ("modern"), virtio 1.2 §4.2.2 "MMIO Device
// Register Layout". One instance per slot; without a device it answers like an
// empty QEMU slot (magic, version 2, device ID 0) so the board can put one in
// every slot. The interrupt output is a level (InterruptStatus != 0) that the
// board wires to a PLIC source.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/devices/virtio_device.h"
#include "core/hw/mmio_device.h"

namespace tessera::devices {

// Device status bits (§2.1).
inline constexpr uint32_t kVirtioStatusAcknowledge = 1;
inline constexpr uint32_t kVirtioStatusDriver = 2;
inline constexpr uint32_t kVirtioStatusDriverOk = 4;
inline constexpr uint32_t kVirtioStatusFeaturesOk = 8;
inline constexpr uint32_t kVirtioStatusNeedsReset = 64;
inline constexpr uint32_t kVirtioStatusFailed = 128;

// InterruptStatus bits (§4.2.2).
inline constexpr uint32_t kVirtioInterruptUsedBuffer = 1;
inline constexpr uint32_t kVirtioInterruptConfigChange = 2;

// Register offsets (§4.2.2, table "MMIO Device Register Layout").
namespace virtio_mmio_reg {
inline constexpr uint64_t kMagic = 0x000;
inline constexpr uint64_t kVersion = 0x004;
inline constexpr uint64_t kDeviceId = 0x008;
inline constexpr uint64_t kVendorId = 0x00c;
inline constexpr uint64_t kDeviceFeatures = 0x010;
inline constexpr uint64_t kDeviceFeaturesSel = 0x014;
inline constexpr uint64_t kDriverFeatures = 0x020;
inline constexpr uint64_t kDriverFeaturesSel = 0x024;
inline constexpr uint64_t kQueueSel = 0x030;
inline constexpr uint64_t kQueueNumMax = 0x034;
inline constexpr uint64_t kQueueNum = 0x038;
inline constexpr uint64_t kQueueReady = 0x044;
inline constexpr uint64_t kQueueNotify = 0x050;
inline constexpr uint64_t kInterruptStatus = 0x060;
inline constexpr uint64_t kInterruptAck = 0x064;
inline constexpr uint64_t kStatus = 0x070;
inline constexpr uint64_t kQueueDescLow = 0x080;
inline constexpr uint64_t kQueueDescHigh = 0x084;
inline constexpr uint64_t kQueueDriverLow = 0x090;
inline constexpr uint64_t kQueueDriverHigh = 0x094;
inline constexpr uint64_t kQueueDeviceLow = 0x0a0;
inline constexpr uint64_t kQueueDeviceHigh = 0x0a4;
inline constexpr uint64_t kShmSel = 0x0ac;
inline constexpr uint64_t kShmLenLow = 0x0b0;
inline constexpr uint64_t kShmLenHigh = 0x0b4;
inline constexpr uint64_t kShmBaseLow = 0x0b8;
inline constexpr uint64_t kShmBaseHigh = 0x0bc;
inline constexpr uint64_t kConfigGeneration = 0x0fc;
inline constexpr uint64_t kConfig = 0x100;
}  // namespace virtio_mmio_reg

inline constexpr uint32_t kVirtioMmioMagic = 0x74726976;  // "virt"
// "QEMU": the vendor ID guests see on QEMU's virt board (the board's empty slots use it too).
inline constexpr uint32_t kVirtioVendorId = 0x554D4551;

class VirtioMmio final : public hw::MmioDevice, public VirtioTransport {
public:
    // `device` may be null (empty slot); it is not owned and must outlive this.
    VirtioMmio(hw::MemoryBus& bus, VirtioDevice* device);

    void setInterruptLine(std::function<void(bool level)> line);
    void setCodeInvalidator(CodeInvalidator invalidate) { invalidate_ = std::move(invalidate); }

    // MmioDevice
    std::string name() const override;
    uint64_t mmioSize() const override { return 0x1000; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;
    void reset() override;

    // VirtioTransport
    hw::MemoryBus& bus() override { return bus_; }
    VirtQueue& queue(unsigned index) override { return queues_.at(index); }
    uint64_t negotiatedFeatures() const override { return driverFeatures_; }
    bool driverOk() const override;
    void queueDone(unsigned index) override;
    void configChanged() override;
    void deviceBroken(const std::string& reason) override;
    const CodeInvalidator& codeInvalidator() const override { return invalidate_; }

    uint32_t status() const { return status_; }
    uint32_t interruptStatus() const { return interruptStatus_; }
    // Why the device set DEVICE_NEEDS_RESET (empty if it did not), for logs.
    const std::string& brokenReason() const { return brokenReason_; }

private:
    uint64_t offeredFeatures() const;
    void writeStatus(uint32_t value);
    void writeQueueReady(bool ready);
    void updateInterruptLine();
    VirtQueue* selectedQueue();

    hw::MemoryBus& bus_;
    VirtioDevice* device_;
    std::vector<VirtQueue> queues_;
    std::function<void(bool)> interruptLine_;
    CodeInvalidator invalidate_;
    bool lineLevel_ = false;

    uint32_t status_ = 0;
    uint32_t deviceFeaturesSel_ = 0;
    uint32_t driverFeaturesSel_ = 0;
    uint64_t driverFeatures_ = 0;
    uint32_t queueSel_ = 0;
    uint32_t interruptStatus_ = 0;
    uint32_t configGeneration_ = 0;
    std::string brokenReason_;
};

}  // namespace tessera::devices
