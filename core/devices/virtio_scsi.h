#pragma once
// virtio-scsi host adapter (virtio 1.2 §5.6) with one target (0) and one LUN
// (0): the MMC CD-ROM. Queue 0 is control (task management, answered
// "function complete"), 1 events (buffers kept, no hotplug events), 2 the
// single request queue.

#include "core/devices/scsi_cdrom.h"
#include "core/devices/virtio_device.h"

namespace tessera::devices {

namespace virtio_scsi {
inline constexpr uint8_t kResponseOk = 0;
inline constexpr uint8_t kResponseOverrun = 1;
inline constexpr uint8_t kResponseBadTarget = 3;
inline constexpr uint8_t kResponseFailure = 9;
inline constexpr uint32_t kDefaultCdbSize = 32;
inline constexpr uint32_t kDefaultSenseSize = 96;
inline constexpr uint32_t kMaxCdbSize = 256;
inline constexpr uint32_t kMaxSenseSize = 256;
}  // namespace virtio_scsi

class VirtioScsi final : public VirtioDevice {
public:
    static constexpr unsigned kControlQueue = 0;
    static constexpr unsigned kEventQueue = 1;
    static constexpr unsigned kRequestQueue = 2;

    explicit VirtioScsi(ScsiCdrom& cdrom) : cdrom_(cdrom) {}

    VirtioDeviceId deviceId() const override { return VirtioDeviceId::Scsi; }
    std::string name() const override { return "virtio-scsi"; }
    uint64_t deviceFeatures() const override { return 0; }
    unsigned queueCount() const override { return 3; }
    uint16_t queueMaxSize(unsigned) const override { return 128; }
    std::vector<uint8_t> config() const override;
    void writeConfig(uint32_t offset, std::span<const uint8_t> bytes) override;
    void queueNotified(unsigned queue) override;
    void reset() override;

private:
    Result<uint32_t> request(const DescriptorChain& chain);
    Result<uint32_t> control(const DescriptorChain& chain);

    ScsiCdrom& cdrom_;
    uint32_t cdbSize_ = virtio_scsi::kDefaultCdbSize;
    uint32_t senseSize_ = virtio_scsi::kDefaultSenseSize;
};

}  // namespace tessera::devices
