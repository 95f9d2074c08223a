#pragma once
// A minimal virtio-mmio *driver* for tests: it programs the transport through
// its registers and lays out split virtqueues in guest RAM exactly as a guest
// kernel would (virtio 1.2 §3.1.1 initialisation, §2.7.13 supplying buffers).
// Tests use it to drive real devices; it is also able to write broken rings on
// purpose.

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/devices/virtio_mmio.h"
#include "core/hw/memory_bus.h"

namespace tessera::testing {

using namespace tessera::devices;
using namespace tessera::devices::virtio_mmio_reg;

struct UsedElement {
    uint32_t id = 0;
    uint32_t length = 0;
};

// A buffer of a request: readable carries bytes for the device, writable
// reserves `writableLength` bytes for the device to fill.
struct TestBuffer {
    std::vector<uint8_t> readable;
    uint32_t writableLength = 0;
    uint64_t address = 0;  // filled by submit()

    static TestBuffer in(std::vector<uint8_t> bytes) { return {std::move(bytes), 0, 0}; }
    static TestBuffer out(uint32_t length) { return {{}, length, 0}; }
};

class VirtioTestDriver {
public:
    static constexpr uint64_t kRamBase = 0x80000000;
    static constexpr uint64_t kRamSize = 16 * 1024 * 1024;

    VirtioTestDriver() : ram_(bus.addRam(kRamBase, kRamSize)) {}

    hw::MemoryBus bus;

    void attach(VirtioMmio* mmio) {
        mmio_ = mmio;
        mmio_->setInterruptLine([this](bool level) {
            interruptLevel = level;
            if (level) ++interruptRaises;
        });
        mmio_->setCodeInvalidator([this](uint64_t address, uint64_t length) {
            invalidated.push_back({address, static_cast<uint32_t>(length)});
        });
    }

    uint32_t reg(uint64_t offset) { return static_cast<uint32_t>(mmio_->read(offset, 4)); }
    void setReg(uint64_t offset, uint32_t value) { mmio_->write(offset, 4, value); }

    uint64_t deviceFeatures() {
        setReg(kDeviceFeaturesSel, 0);
        uint64_t low = reg(kDeviceFeatures);
        setReg(kDeviceFeaturesSel, 1);
        return low | (uint64_t{reg(kDeviceFeatures)} << 32);
    }

    // §3.1.1: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, queues, DRIVER_OK.
    // Returns false if the device refused the features.
    bool initialise(uint64_t wantedFeatures, unsigned queueCount, uint16_t queueSize = 64) {
        setReg(kStatus, 0);
        setReg(kStatus, kVirtioStatusAcknowledge);
        setReg(kStatus, kVirtioStatusAcknowledge | kVirtioStatusDriver);
        features = deviceFeatures() & wantedFeatures;
        setReg(kDriverFeaturesSel, 0);
        setReg(kDriverFeatures, static_cast<uint32_t>(features));
        setReg(kDriverFeaturesSel, 1);
        setReg(kDriverFeatures, static_cast<uint32_t>(features >> 32));
        setReg(kStatus, kVirtioStatusAcknowledge | kVirtioStatusDriver | kVirtioStatusFeaturesOk);
        if (!(reg(kStatus) & kVirtioStatusFeaturesOk)) return false;
        queues_.assign(queueCount, {});
        for (unsigned i = 0; i < queueCount; ++i) {
            setReg(kQueueSel, i);
            const uint16_t size = static_cast<uint16_t>(std::min<uint32_t>(queueSize, reg(kQueueNumMax)));
            Queue& queue = queues_[i];
            queue.size = size;
            queue.desc = allocate(16ull * size, 16);
            queue.avail = allocate(6ull + 2ull * size, 2);
            queue.used = allocate(6ull + 8ull * size, 4);
            setReg(kQueueNum, size);
            setReg(kQueueDescLow, static_cast<uint32_t>(queue.desc));
            setReg(kQueueDescHigh, static_cast<uint32_t>(queue.desc >> 32));
            setReg(kQueueDriverLow, static_cast<uint32_t>(queue.avail));
            setReg(kQueueDriverHigh, static_cast<uint32_t>(queue.avail >> 32));
            setReg(kQueueDeviceLow, static_cast<uint32_t>(queue.used));
            setReg(kQueueDeviceHigh, static_cast<uint32_t>(queue.used >> 32));
            setReg(kQueueReady, 1);
        }
        setReg(kStatus, kVirtioStatusAcknowledge | kVirtioStatusDriver | kVirtioStatusFeaturesOk |
                            kVirtioStatusDriverOk);
        return true;
    }

    uint64_t allocate(uint64_t size, uint64_t align = 16) {
        next_ = (next_ + align - 1) / align * align;
        const uint64_t address = next_;
        next_ += size;
        if (next_ > kRamBase + kRamSize) next_ = kRamBase + 0x100000;  // wrap; tests are small
        std::memset(ram_ + (address - kRamBase), 0, size);
        return address;
    }

    void poke(uint64_t address, std::span<const uint8_t> bytes) { bus.writeBlock(address, bytes); }
    std::vector<uint8_t> peek(uint64_t address, uint64_t length) {
        std::vector<uint8_t> bytes(length);
        if (length) bus.readBlock(address, bytes);
        return bytes;
    }
    template <typename T>
    void pokeValue(uint64_t address, T value) {
        bus.writeBlock(address, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&value), sizeof value));
    }
    template <typename T>
    T peekValue(uint64_t address) {
        T value{};
        bus.readBlock(address, std::span<uint8_t>(reinterpret_cast<uint8_t*>(&value), sizeof value));
        return value;
    }

    void writeDescriptor(unsigned queue, uint16_t index, uint64_t address, uint32_t length, uint16_t flags,
                         uint16_t next) {
        writeDescriptorAt(queues_[queue].desc + 16ull * index, address, length, flags, next);
    }
    void writeDescriptorAt(uint64_t at, uint64_t address, uint32_t length, uint16_t flags, uint16_t next) {
        pokeValue<uint64_t>(at, address);
        pokeValue<uint32_t>(at + 8, length);
        pokeValue<uint16_t>(at + 12, flags);
        pokeValue<uint16_t>(at + 14, next);
    }

    // Makes descriptor `head` available and (optionally) notifies the device.
    void publish(unsigned queue, uint16_t head, bool notify = true) {
        Queue& q = queues_[queue];
        pokeValue<uint16_t>(q.avail + 4 + 2ull * (q.availIndex % q.size), head);
        ++q.availIndex;
        pokeValue<uint16_t>(q.avail + 2, q.availIndex);
        if (notify) setReg(kQueueNotify, queue);
    }

    // Builds a chain from buffers (direct descriptors, or one indirect table)
    // and publishes it. Returns the head index; buffer addresses are filled in.
    uint16_t submit(unsigned queue, std::vector<TestBuffer>& buffers, bool indirect = false, bool notify = true) {
        Queue& q = queues_[queue];
        for (TestBuffer& buffer : buffers) {
            const uint64_t length = buffer.readable.empty() ? buffer.writableLength : buffer.readable.size();
            buffer.address = allocate(length, 8);
            if (!buffer.readable.empty()) poke(buffer.address, buffer.readable);
        }
        auto flagsOf = [&](size_t i) {
            uint16_t flags = buffers[i].readable.empty() ? kVirtqDescWrite : 0;
            if (i + 1 < buffers.size()) flags |= kVirtqDescNext;
            return flags;
        };
        auto lengthOf = [&](size_t i) {
            return buffers[i].readable.empty() ? buffers[i].writableLength
                                               : static_cast<uint32_t>(buffers[i].readable.size());
        };
        const uint16_t head = q.nextDescriptor;
        if (indirect) {
            const uint64_t table = allocate(16ull * buffers.size(), 16);
            for (size_t i = 0; i < buffers.size(); ++i)
                writeDescriptorAt(table + 16 * i, buffers[i].address, lengthOf(i), flagsOf(i),
                                  static_cast<uint16_t>(i + 1));
            writeDescriptor(queue, head, table, static_cast<uint32_t>(16 * buffers.size()), kVirtqDescIndirect, 0);
            q.nextDescriptor = static_cast<uint16_t>((q.nextDescriptor + 1) % q.size);
        } else {
            for (size_t i = 0; i < buffers.size(); ++i) {
                const uint16_t index = static_cast<uint16_t>((head + i) % q.size);
                writeDescriptor(queue, index, buffers[i].address, lengthOf(i), flagsOf(i),
                                static_cast<uint16_t>((index + 1) % q.size));
            }
            q.nextDescriptor = static_cast<uint16_t>((q.nextDescriptor + buffers.size()) % q.size);
        }
        publish(queue, head, notify);
        return head;
    }

    // Used elements the device returned since the last call.
    std::vector<UsedElement> takeUsed(unsigned queue) {
        Queue& q = queues_[queue];
        std::vector<UsedElement> elements;
        const uint16_t deviceIndex = peekValue<uint16_t>(q.used + 2);
        while (q.usedSeen != deviceIndex) {
            const uint64_t at = q.used + 4 + 8ull * (q.usedSeen % q.size);
            elements.push_back({peekValue<uint32_t>(at), peekValue<uint32_t>(at + 4)});
            ++q.usedSeen;
        }
        return elements;
    }

    uint16_t queueSize(unsigned queue) const { return queues_[queue].size; }
    uint64_t availAddress(unsigned queue) const { return queues_[queue].avail; }
    uint64_t usedAddress(unsigned queue) const { return queues_[queue].used; }

    void acknowledgeInterrupts() { setReg(kInterruptAck, reg(kInterruptStatus)); }
    bool needsReset() { return reg(kStatus) & kVirtioStatusNeedsReset; }

    uint64_t features = 0;
    bool interruptLevel = false;
    int interruptRaises = 0;
    std::vector<std::pair<uint64_t, uint64_t>> invalidated;  // (address, length) pairs reported for code invalidation

private:
    struct Queue {
        uint16_t size = 0;
        uint64_t desc = 0, avail = 0, used = 0;
        uint16_t availIndex = 0, usedSeen = 0, nextDescriptor = 0;
    };
    uint8_t* ram_;
    VirtioMmio* mmio_ = nullptr;
    std::vector<Queue> queues_;
    uint64_t next_ = kRamBase + 0x100000;
};

}  // namespace tessera::testing
