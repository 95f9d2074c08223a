#pragma once
// VirtioDevice: what a virtio device type (blk, net, rng, input, gpu, scsi)
// implements. The transport (VirtioMmio) owns the registers, feature
// negotiation, queues and the interrupt line; the device only sees queues
// that the driver made ready and its own configuration space.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/devices/virtqueue.h"

namespace tessera::devices {

// Device IDs (virtio 1.2 §5).
enum class VirtioDeviceId : uint32_t {
    None = 0,
    Net = 1,
    Block = 2,
    Entropy = 4,
    Scsi = 8,
    Gpu = 16,
    Input = 18,
};

// Transport-independent feature bits (§6).
inline constexpr uint64_t kVirtioFRingIndirectDesc = 1ull << 28;
inline constexpr uint64_t kVirtioFRingEventIdx = 1ull << 29;
inline constexpr uint64_t kVirtioFVersion1 = 1ull << 32;

class VirtioTransport;

class VirtioDevice {
public:
    virtual ~VirtioDevice() = default;

    virtual VirtioDeviceId deviceId() const = 0;
    virtual std::string name() const = 0;
    // Device-type feature bits; the transport adds VERSION_1, INDIRECT_DESC, EVENT_IDX.
    virtual uint64_t deviceFeatures() const = 0;
    virtual unsigned queueCount() const = 0;
    virtual uint16_t queueMaxSize(unsigned /*queue*/) const { return 256; }

    // Current configuration space (little-endian, §4.2.2.2: offset 0x100 on MMIO).
    virtual std::vector<uint8_t> config() const { return {}; }
    virtual void writeConfig(uint32_t /*offset*/, std::span<const uint8_t> /*bytes*/) {}

    // Called by the transport. attach() happens once, before any other call.
    virtual void attach(VirtioTransport& transport) { transport_ = &transport; }
    virtual void featuresAccepted(uint64_t /*features*/) {}
    virtual void driverReady() {}
    virtual void queueNotified(unsigned queue) = 0;
    // Device reset (§2.4): forget every in-flight request and queue state.
    virtual void reset() = 0;

protected:
    VirtioTransport* transport_ = nullptr;
};

// What a device may ask of its transport. Only valid on the VM thread.
class VirtioTransport {
public:
    virtual ~VirtioTransport() = default;
    virtual hw::MemoryBus& bus() = 0;
    virtual VirtQueue& queue(unsigned index) = 0;
    virtual uint64_t negotiatedFeatures() const = 0;
    virtual bool driverOk() const = 0;
    // Used-buffer interrupt for a queue, if the driver has not suppressed it.
    virtual void queueDone(unsigned index) = 0;
    // The device changed its configuration (§2.5.1: config generation + interrupt).
    virtual void configChanged() = 0;
    // The guest broke the protocol: DEVICE_NEEDS_RESET + config-change interrupt (§2.1.2).
    virtual void deviceBroken(const std::string& reason) = 0;
    virtual const CodeInvalidator& codeInvalidator() const = 0;
};

// Pops every available chain of `queue`, hands it to `handle` (which returns
// the number of bytes it wrote into the chain, or an error if the guest broke
// the protocol) and returns it to the driver; one interrupt decision at the end.
// A protocol error marks the device broken and stops processing.
template <typename Handler>
void drainQueue(VirtioTransport& transport, unsigned index, Handler&& handle) {
    VirtQueue& queue = transport.queue(index);
    bool pushed = false;
    while (queue.ready) {
        Result<std::optional<DescriptorChain>> next = queue.pop();
        if (!next) return transport.deviceBroken(next.message());
        if (!next->has_value()) break;
        const DescriptorChain& chain = **next;
        Result<uint32_t> written = handle(chain);
        if (!written) return transport.deviceBroken(written.message());
        if (Status status = queue.pushUsed(chain.head, *written); !status)
            return transport.deviceBroken(status.message());
        pushed = true;
    }
    if (pushed) transport.queueDone(index);
}

}  // namespace tessera::devices
