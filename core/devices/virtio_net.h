#pragma once
// virtio-net (virtio 1.2 §5.1) on libslirp user networking (core/net).
// Queue 0 receives (host → guest), queue 1 transmits. Every frame carries the
// 12-byte virtio_net_hdr_v1 (VERSION_1 always includes num_buffers, §5.1.6).
// The NIC emits linkChanged() for the UI; setLinkUp() and the port-forward
// calls are safe from any thread. The board calls poll() from the VM thread's
// run loop between CPU slices, with a non-zero wait when the guest idles (WFI).

#include <QObject>
#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>

#include "core/devices/virtio_device.h"
#include "core/net/slirp_network.h"

namespace tessera::devices {

inline constexpr uint64_t kVirtioNetFMac = 1ull << 5;
inline constexpr uint64_t kVirtioNetFStatus = 1ull << 16;
inline constexpr uint16_t kVirtioNetSLinkUp = 1;
inline constexpr uint32_t kVirtioNetHeaderBytes = 12;

using MacAddress = std::array<uint8_t, 6>;

class VirtioNet final : public QObject, public VirtioDevice {
    Q_OBJECT
public:
    static constexpr unsigned kRxQueue = 0;
    static constexpr unsigned kTxQueue = 1;
    static constexpr size_t kMaxFrameBytes = 65550;      // largest frame we pass on (64 KiB + Ethernet header)
    static constexpr size_t kMaxPendingRxFrames = 256;   // frames kept while the guest has no rx buffers

    // Creates the NIC with its own slirp instance.
    static Result<std::unique_ptr<VirtioNet>> create(MacAddress mac, const net::SlirpOptions& options);
    // A locally administered, per-VM stable MAC (52:54:00:xx:xx:xx like QEMU) from any seed string.
    static MacAddress macFromSeed(const std::string& seed);
    static Result<MacAddress> parseMac(const std::string& text);

    VirtioDeviceId deviceId() const override { return VirtioDeviceId::Net; }
    std::string name() const override { return "virtio-net"; }
    uint64_t deviceFeatures() const override { return kVirtioNetFMac | kVirtioNetFStatus; }
    unsigned queueCount() const override { return 2; }
    std::vector<uint8_t> config() const override;
    void queueNotified(unsigned queue) override;
    void reset() override;

    // Run-loop hook (VM thread): services slirp, applies link changes, delivers frames.
    void poll(std::chrono::milliseconds maxWait);
    void wake() { network_->wake(); }

    // Any thread.
    void setLinkUp(bool up);
    bool linkUp() const { return linkUp_; }
    Status addHostForward(const net::HostForward& rule) { return network_->addHostForward(rule); }
    Status removeHostForward(const net::HostForward& rule) { return network_->removeHostForward(rule); }
    std::vector<net::HostForward> hostForwards() const { return network_->hostForwards(); }
    MacAddress mac() const { return mac_; }

    uint64_t droppedRxFrames() const { return droppedRx_; }

signals:
    void linkChanged(bool up);

private:
    explicit VirtioNet(MacAddress mac) : mac_(mac) {}
    void frameFromNetwork(std::span<const uint8_t> frame);
    void deliverPending();
    bool deliver(const std::vector<uint8_t>& frame);
    void transmit();

    MacAddress mac_;
    std::unique_ptr<net::SlirpNetwork> network_;
    std::atomic<bool> linkUp_{true};
    std::atomic<bool> linkRequest_{true};
    bool linkReported_ = true;
    std::deque<std::vector<uint8_t>> pendingRx_;
    uint64_t droppedRx_ = 0;
};

}  // namespace tessera::devices
