#pragma once
// virtio-input (virtio 1.2 §5.8): a keyboard or an absolute pointer (tablet),
// so the guest cursor follows the host mouse without grabbing it.
// injectKey()/injectPointer() are safe from the UI thread: events wait in a
// bounded queue until the VM thread's run loop calls poll(), which moves them
// into the guest's event buffers. The wake callback lets the board cut a WFI
// sleep short when input arrives.

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>

#include "core/devices/evdev_keys.h"
#include "core/devices/input_sink.h"
#include "core/devices/virtio_device.h"

namespace tessera::devices {

// Config selectors (§5.8.2).
inline constexpr uint8_t kVirtioInputCfgUnset = 0x00;
inline constexpr uint8_t kVirtioInputCfgIdName = 0x01;
inline constexpr uint8_t kVirtioInputCfgIdSerial = 0x02;
inline constexpr uint8_t kVirtioInputCfgIdDevids = 0x03;
inline constexpr uint8_t kVirtioInputCfgPropBits = 0x10;
inline constexpr uint8_t kVirtioInputCfgEvBits = 0x11;
inline constexpr uint8_t kVirtioInputCfgAbsInfo = 0x12;

struct InputEvent {
    uint16_t type = 0;
    uint16_t code = 0;
    uint32_t value = 0;
};

class VirtioInput final : public VirtioDevice, public InputSink {
public:
    enum class Kind { Keyboard, Tablet };
    static constexpr size_t kMaxPendingEvents = 4096;  // older input is dropped beyond this
    static constexpr unsigned kEventQueue = 0;
    static constexpr unsigned kStatusQueue = 1;

    explicit VirtioInput(Kind kind);

    VirtioDeviceId deviceId() const override { return VirtioDeviceId::Input; }
    std::string name() const override { return kind_ == Kind::Keyboard ? "virtio-keyboard" : "virtio-tablet"; }
    uint64_t deviceFeatures() const override { return 0; }
    unsigned queueCount() const override { return 2; }
    uint16_t queueMaxSize(unsigned) const override { return 64; }
    std::vector<uint8_t> config() const override;
    void writeConfig(uint32_t offset, std::span<const uint8_t> bytes) override;
    void queueNotified(unsigned queue) override;
    void reset() override;

    // Any thread.
    void injectKey(uint16_t evdevCode, bool pressed) override;
    // x, y in 0..kAbsMax (the UI scales from widget coordinates); buttons = kButton* bits.
    void injectPointer(uint32_t x, uint32_t y, unsigned buttons) override;
    void setWakeCallback(std::function<void()> wake) { wake_ = std::move(wake); }

    // VM thread: deliver queued events into the guest's buffers.
    void poll();
    Kind kind() const { return kind_; }

private:
    void enqueue(std::initializer_list<InputEvent> events);
    void deliver();

    const Kind kind_;
    uint8_t select_ = 0;
    uint8_t subsel_ = 0;
    std::mutex mutex_;  // guards pending_, lastButtons_
    std::deque<InputEvent> pending_;
    unsigned lastButtons_ = 0;
    std::function<void()> wake_;
};

}  // namespace tessera::devices
