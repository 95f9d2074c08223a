#pragma once
// virtio-rng / entropy device (virtio 1.2 §5.4): fills every device-writable
// buffer the driver offers with host entropy from getrandom(2).

#include "core/devices/virtio_device.h"

namespace tessera::devices {

class VirtioRng final : public VirtioDevice {
public:
    // Cap per request so a guest offering a huge buffer cannot make one
    // notification take long; the driver simply asks again.
    static constexpr uint32_t kMaxBytesPerRequest = 64 * 1024;

    VirtioDeviceId deviceId() const override { return VirtioDeviceId::Entropy; }
    std::string name() const override { return "virtio-rng"; }
    uint64_t deviceFeatures() const override { return 0; }
    unsigned queueCount() const override { return 1; }
    void queueNotified(unsigned queue) override;
    void reset() override {}
};

}  // namespace tessera::devices
