#pragma once
// A split virtqueue as the device sees it (virtio 1.2 §2.7 "Split Virtqueues").
// Everything in the rings is written by the guest and therefore hostile: every
// index is range-checked, every buffer must lie entirely in guest RAM, chains are
// bounded by the queue size (§2.7.5.3.1: "A driver MUST NOT create a descriptor
// chain longer than the Queue Size"), so walking a chain can neither loop nor
// touch host memory outside the guest's RAM. A chain that breaks a rule is
// reported as an error; the transport then sets DEVICE_NEEDS_RESET.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "core/hw/memory_bus.h"
#include "core/util/result.h"

namespace tessera::devices {

// Descriptor flags (§2.7.5).
inline constexpr uint16_t kVirtqDescNext = 1;
inline constexpr uint16_t kVirtqDescWrite = 2;
inline constexpr uint16_t kVirtqDescIndirect = 4;
// Ring flags (§2.7.6, §2.7.8).
inline constexpr uint16_t kVirtqAvailNoInterrupt = 1;
inline constexpr uint16_t kVirtqUsedNoNotify = 1;
// Largest split queue (§2.7: "Queue Size ... maximum 32768").
inline constexpr uint16_t kVirtqMaxSize = 32768;

// One guest buffer of a chain, already checked to lie inside guest RAM.
struct GuestBuffer {
    uint64_t address = 0;
    uint32_t length = 0;
};

struct DescriptorChain {
    uint16_t head = 0;                  // id returned in the used ring
    std::vector<GuestBuffer> readable;  // device-readable, in chain order
    std::vector<GuestBuffer> writable;  // device-writable, after all readable ones
    uint64_t readableBytes = 0;
    uint64_t writableBytes = 0;
};

// Called with (guest physical address, length) after a device wrote guest RAM,
// so the CPU can drop decoded code cached for those pages.
using CodeInvalidator = std::function<void(uint64_t, uint64_t)>;

class VirtQueue {
public:
    explicit VirtQueue(hw::MemoryBus& bus) : bus_(bus) {}

    // Driver-programmed layout (virtio-mmio QueueNum/QueueDesc/QueueDriver/QueueDevice).
    uint16_t size = 0;
    bool ready = false;
    uint64_t descAddress = 0;
    uint64_t driverAddress = 0;  // available ring
    uint64_t deviceAddress = 0;  // used ring

    void setFeatures(bool indirect, bool eventIndex) {
        indirect_ = indirect;
        eventIndex_ = eventIndex;
    }
    void reset();

    // Checks the ring addresses when the driver sets QueueReady (§2.7: alignment
    // 16/2/4 and every ring entirely in RAM). Returns an error for a bad layout.
    Status validateLayout() const;

    // Next available chain, nullopt when the ring is empty, an error when the
    // guest broke the rules (the queue is then unusable until reset).
    Result<std::optional<DescriptorChain>> pop();

    // Returns a chain to the driver with `written` bytes written into it.
    Status pushUsed(uint16_t head, uint32_t written);

    // Whether the driver wants an interrupt for the used buffers pushed since
    // the last call (§2.7.7 notification suppression, VIRTIO_F_EVENT_IDX).
    bool takeInterruptNeeded();

    // Copy helpers over a chain's buffers, starting `offset` bytes into the
    // readable (or writable) part. Return false if the chain is too short.
    bool readFromChain(const DescriptorChain& chain, uint64_t offset, std::span<uint8_t> out) const;
    bool writeToChain(const DescriptorChain& chain, uint64_t offset, std::span<const uint8_t> data,
                      const CodeInvalidator& invalidate) const;

private:
    Status appendDescriptor(uint64_t tableAddress, uint32_t tableSize, uint16_t index,
                            DescriptorChain& chain, unsigned& count, uint16_t& flags, uint16_t& next,
                            bool insideIndirect);
    bool readU16(uint64_t address, uint16_t& value) const;

    hw::MemoryBus& bus_;
    bool indirect_ = false;
    bool eventIndex_ = false;
    uint16_t lastAvail_ = 0;
    uint16_t usedIndex_ = 0;
    uint16_t lastSignalledUsed_ = 0;  // used index at the last interrupt decision
};

}  // namespace tessera::devices
