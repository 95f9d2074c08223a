#include "core/devices/virtio_mmio.h"

#include <algorithm>
#include <cstring>

#include "core/hw/trace.h"

namespace tessera::devices {

using namespace virtio_mmio_reg;

VirtioMmio::VirtioMmio(hw::MemoryBus& bus, VirtioDevice* device) : bus_(bus), device_(device) {
    if (device_) {
        for (unsigned i = 0; i < device_->queueCount(); ++i) {
            queues_.emplace_back(bus_);
            queues_.back().size = device_->queueMaxSize(i);
        }
        device_->attach(*this);
    }
}

void VirtioMmio::setInterruptLine(std::function<void(bool)> line) {
    interruptLine_ = std::move(line);
    lineLevel_ = false;
    updateInterruptLine();
}

std::string VirtioMmio::name() const { return device_ ? "virtio-mmio:" + device_->name() : "virtio-mmio:empty"; }

bool VirtioMmio::driverOk() const {
    return (status_ & kVirtioStatusDriverOk) && !(status_ & kVirtioStatusNeedsReset);
}

uint64_t VirtioMmio::offeredFeatures() const {
    if (!device_) return 0;
    return device_->deviceFeatures() | kVirtioFVersion1 | kVirtioFRingIndirectDesc | kVirtioFRingEventIdx;
}

VirtQueue* VirtioMmio::selectedQueue() { return queueSel_ < queues_.size() ? &queues_[queueSel_] : nullptr; }

uint64_t VirtioMmio::read(uint64_t offset, unsigned size) {
    if (offset >= kConfig) {
        // §4.2.2.2: the device-specific configuration space allows any access width.
        if (!device_) return 0;
        const std::vector<uint8_t> config = device_->config();
        const uint64_t at = offset - kConfig;
        uint64_t value = 0;
        if (at < config.size())
            std::memcpy(&value, config.data() + at, std::min<uint64_t>(size, config.size() - at));
        return value;
    }
    // §4.2.2.2: the general registers are 32-bit and 32-bit aligned only.
    if (size != 4 || offset % 4) return 0;
    VirtQueue* queue = selectedQueue();
    switch (offset) {
        case kMagic: return kVirtioMmioMagic;
        case kVersion: return 2;
        case kDeviceId: return device_ ? static_cast<uint32_t>(device_->deviceId()) : 0;
        case kVendorId: return kVirtioVendorId;
        case kDeviceFeatures:
            return deviceFeaturesSel_ < 2 ? static_cast<uint32_t>(offeredFeatures() >> (32 * deviceFeaturesSel_))
                                          : 0;
        case kQueueNumMax: return queue && device_ ? device_->queueMaxSize(queueSel_) : 0;
        case kQueueReady: return queue && queue->ready ? 1 : 0;
        case kInterruptStatus: return interruptStatus_;
        case kStatus: return status_;
        case kConfigGeneration: return configGeneration_;
        // §4.2.2: no shared memory regions; a non-existent region reads as length (and base) -1.
        // (Linux's virtio-gpu fails to probe if it sees a zero-length region instead.)
        case kShmLenLow:
        case kShmLenHigh:
        case kShmBaseLow:
        case kShmBaseHigh: return 0xffffffff;
        case kQueueNum: return queue ? queue->size : 0;
        case kQueueDescLow: return queue ? static_cast<uint32_t>(queue->descAddress) : 0;
        case kQueueDescHigh: return queue ? static_cast<uint32_t>(queue->descAddress >> 32) : 0;
        case kQueueDriverLow: return queue ? static_cast<uint32_t>(queue->driverAddress) : 0;
        case kQueueDriverHigh: return queue ? static_cast<uint32_t>(queue->driverAddress >> 32) : 0;
        case kQueueDeviceLow: return queue ? static_cast<uint32_t>(queue->deviceAddress) : 0;
        case kQueueDeviceHigh: return queue ? static_cast<uint32_t>(queue->deviceAddress >> 32) : 0;
        default: return 0;
    }
}

namespace {
void setLow(uint64_t& field, uint64_t value) { field = (field & ~0xffffffffull) | (value & 0xffffffffull); }
void setHigh(uint64_t& field, uint64_t value) { field = (field & 0xffffffffull) | ((value & 0xffffffffull) << 32); }
}  // namespace

void VirtioMmio::write(uint64_t offset, unsigned size, uint64_t value) {
    if (!device_) return;
    if (offset >= kConfig) {
        const uint8_t* bytes = reinterpret_cast<const uint8_t*>(&value);
        device_->writeConfig(static_cast<uint32_t>(offset - kConfig), std::span<const uint8_t>(bytes, size));
        return;
    }
    if (size != 4 || offset % 4) return;
    TESSERA_TRACE(Mmio, "virtio-mmio %p: [0x%03llx] <- 0x%llx", static_cast<void*>(this),
                  (unsigned long long)offset, (unsigned long long)value);
    VirtQueue* queue = selectedQueue();
    // §4.2.2.3: queue layout registers may only change while the queue is not ready.
    const bool queueWritable = queue && !queue->ready;
    switch (offset) {
        case kDeviceFeaturesSel: deviceFeaturesSel_ = static_cast<uint32_t>(value); break;
        case kDriverFeaturesSel: driverFeaturesSel_ = static_cast<uint32_t>(value); break;
        case kDriverFeatures:
            // Features are frozen once FEATURES_OK is set (§3.1.1 step 5).
            if (driverFeaturesSel_ < 2 && !(status_ & kVirtioStatusFeaturesOk)) {
                if (driverFeaturesSel_ == 0) setLow(driverFeatures_, value);
                else setHigh(driverFeatures_, value);
            }
            break;
        case kQueueSel: queueSel_ = static_cast<uint32_t>(value); break;
        case kQueueNum:
            // A queue never goes back to size 0: like QEMU (virtio_queue_set_num),
            // a 0 keeps the size, which starts at QueueNumMax. EDK2's virtio-gpu
            // driver relies on that: it never writes QueueNum on the modern transport.
            if (queueWritable && value != 0)
                queue->size = static_cast<uint16_t>(std::min<uint64_t>(value, 0xffff));
            break;
        case kQueueReady: writeQueueReady(value & 1); break;
        case kQueueNotify:
            if (driverOk() && value < queues_.size() && queues_[value].ready)
                device_->queueNotified(static_cast<unsigned>(value));
            break;
        case kInterruptAck:
            interruptStatus_ &= ~static_cast<uint32_t>(value);
            updateInterruptLine();
            break;
        case kStatus: writeStatus(static_cast<uint32_t>(value)); break;
        case kQueueDescLow: if (queueWritable) setLow(queue->descAddress, value); break;
        case kQueueDescHigh: if (queueWritable) setHigh(queue->descAddress, value); break;
        case kQueueDriverLow: if (queueWritable) setLow(queue->driverAddress, value); break;
        case kQueueDriverHigh: if (queueWritable) setHigh(queue->driverAddress, value); break;
        case kQueueDeviceLow: if (queueWritable) setLow(queue->deviceAddress, value); break;
        case kQueueDeviceHigh: if (queueWritable) setHigh(queue->deviceAddress, value); break;
        default: break;
    }
}

void VirtioMmio::writeQueueReady(bool ready) {
    VirtQueue* queue = selectedQueue();
    if (!queue) return;
    if (!ready) {
        queue->ready = false;
        return;
    }
    if (queue->ready) return;
    if (queue->size > device_->queueMaxSize(queueSel_)) {
        deviceBroken("queue " + std::to_string(queueSel_) + " size exceeds QueueNumMax");
        return;
    }
    if (Status layout = queue->validateLayout(); !layout) {
        deviceBroken(layout.message());
        return;
    }
    const bool indirect = driverFeatures_ & kVirtioFRingIndirectDesc;
    const bool eventIndex = driverFeatures_ & kVirtioFRingEventIdx;
    queue->setFeatures(indirect, eventIndex);
    queue->ready = true;
}

void VirtioMmio::writeStatus(uint32_t value) {
    if (value == 0) {
        reset();
        return;
    }
    // FEATURES_OK (§2.2.2): accept only a subset of what we offered, and only
    // the modern interface (this transport has no legacy mode).
    if ((value & kVirtioStatusFeaturesOk) && !(status_ & kVirtioStatusFeaturesOk)) {
        const bool subset = (driverFeatures_ & ~offeredFeatures()) == 0;
        if (!subset || !(driverFeatures_ & kVirtioFVersion1)) {
            value &= ~kVirtioStatusFeaturesOk;
        } else {
            device_->featuresAccepted(driverFeatures_);
        }
    }
    const bool becameReady = (value & kVirtioStatusDriverOk) && !(status_ & kVirtioStatusDriverOk);
    // The driver cannot clear NEEDS_RESET other than by a reset.
    status_ = value | (status_ & kVirtioStatusNeedsReset);
    if (becameReady && (status_ & kVirtioStatusFeaturesOk)) device_->driverReady();
}

void VirtioMmio::reset() {
    if (device_) device_->reset();
    for (unsigned i = 0; i < queues_.size(); ++i) {
        queues_[i].reset();
        if (device_) queues_[i].size = device_->queueMaxSize(i);
    }
    status_ = 0;
    deviceFeaturesSel_ = driverFeaturesSel_ = queueSel_ = 0;
    driverFeatures_ = 0;
    interruptStatus_ = 0;
    brokenReason_.clear();
    updateInterruptLine();
}

void VirtioMmio::queueDone(unsigned index) {
    if (index >= queues_.size()) return;
    if (!queues_[index].takeInterruptNeeded()) return;
    interruptStatus_ |= kVirtioInterruptUsedBuffer;
    updateInterruptLine();
}

void VirtioMmio::configChanged() {
    ++configGeneration_;
    // §4.2.2.1: a config-change interrupt only once the driver is running.
    if (!(status_ & kVirtioStatusDriverOk)) return;
    interruptStatus_ |= kVirtioInterruptConfigChange;
    updateInterruptLine();
}

void VirtioMmio::deviceBroken(const std::string& reason) {
    if (status_ & kVirtioStatusNeedsReset) return;
    brokenReason_ = reason;
    status_ |= kVirtioStatusNeedsReset;
    for (VirtQueue& queue : queues_) queue.ready = false;
    // §2.1.2: the device MUST send a configuration change notification.
    interruptStatus_ |= kVirtioInterruptConfigChange;
    ++configGeneration_;
    updateInterruptLine();
}

void VirtioMmio::updateInterruptLine() {
    const bool level = interruptStatus_ != 0;
    if (level == lineLevel_) return;
    lineLevel_ = level;
    if (interruptLine_) interruptLine_(level);
}

}  // namespace tessera::devices
