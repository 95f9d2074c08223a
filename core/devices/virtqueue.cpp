#include "core/devices/virtqueue.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <string>

namespace tessera::devices {

namespace {

// Ring sizes in bytes (§2.7: descriptor table 16*N, available ring 6+2*N,
// used ring 6+8*N; the trailing u16 is the event-index field).
uint64_t descTableBytes(uint16_t size) { return 16ull * size; }
uint64_t availRingBytes(uint16_t size) { return 6ull + 2ull * size; }
uint64_t usedRingBytes(uint16_t size) { return 6ull + 8ull * size; }

// §2.7.7.2: "vring_need_event": interrupt only if the driver's event index lies
// in the range of used entries added since the last decision.
bool needEvent(uint16_t eventIndex, uint16_t newIndex, uint16_t oldIndex) {
    return static_cast<uint16_t>(newIndex - eventIndex - 1) < static_cast<uint16_t>(newIndex - oldIndex);
}

Error broken(const std::string& what) { return makeError("virtqueue: " + what); }

}  // namespace

void VirtQueue::reset() {
    size = 0;
    ready = false;
    descAddress = driverAddress = deviceAddress = 0;
    lastAvail_ = usedIndex_ = lastSignalledUsed_ = 0;
}

Status VirtQueue::validateLayout() const {
    if (size == 0 || size > kVirtqMaxSize || (size & (size - 1)) != 0)
        return broken("queue size " + std::to_string(size) + " is not a power of two up to 32768");
    if (descAddress % 16 || driverAddress % 2 || deviceAddress % 4)
        return broken("ring addresses are misaligned");
    if (!bus_.ramPointer(descAddress, descTableBytes(size)) ||
        !bus_.ramPointer(driverAddress, availRingBytes(size)) ||
        !bus_.ramPointer(deviceAddress, usedRingBytes(size)))
        return broken("a ring lies outside guest RAM");
    return {};
}

bool VirtQueue::readU16(uint64_t address, uint16_t& value) const {
    uint64_t wide = 0;
    if (!bus_.ramPointer(address, 2)) return false;
    bus_.read(address, 2, wide);
    value = static_cast<uint16_t>(wide);
    return true;
}

Status VirtQueue::appendDescriptor(uint64_t tableAddress, uint32_t tableSize, uint16_t index,
                                   DescriptorChain& chain, unsigned& count, uint16_t& flags, uint16_t& next,
                                   bool insideIndirect) {
    if (index >= tableSize) return broken("descriptor index " + std::to_string(index) + " out of range");
    // The bound on the number of descriptors walked in one table is what makes
    // loops finite: a chain cannot be longer than its table without revisiting
    // an entry. The descriptor ring and an indirect table are counted apart
    // (§2.7.5.3: the chain in an indirect table may be as long as the queue
    // size; Linux's virtio-blk fills it with seg_max + 2 = 256 descriptors
    // behind the one INDIRECT descriptor in the ring).
    if (++count > tableSize) return broken("descriptor chain longer than its table (loop?)");
    uint8_t raw[16];
    if (!bus_.readBlock(tableAddress + 16ull * index, raw)) return broken("descriptor outside guest RAM");
    uint64_t address;
    uint32_t length;
    std::memcpy(&address, raw, 8);
    std::memcpy(&length, raw + 8, 4);
    std::memcpy(&flags, raw + 12, 2);
    std::memcpy(&next, raw + 14, 2);

    if (flags & kVirtqDescIndirect) {
        // §2.7.5.3.1: indirect only if negotiated, never inside an indirect
        // table, never combined with NEXT, length a non-zero multiple of 16.
        if (!indirect_ || insideIndirect) return broken("nested or unnegotiated indirect descriptor");
        if (flags & kVirtqDescNext) return broken("indirect descriptor with NEXT set");
        if (length == 0 || length % 16) return broken("indirect table length is not a multiple of 16");
        const uint64_t entries = length / 16;
        if (entries > size) return broken("indirect table longer than the queue size");
        if (!bus_.ramPointer(address, length)) return broken("indirect table outside guest RAM");
        uint16_t innerIndex = 0;
        unsigned innerCount = 0;
        for (;;) {
            uint16_t innerFlags = 0, innerNext = 0;
            TESSERA_TRY(appendDescriptor(address, static_cast<uint32_t>(entries), innerIndex, chain, innerCount,
                                         innerFlags, innerNext, true));
            if (!(innerFlags & kVirtqDescNext)) break;
            innerIndex = innerNext;
        }
        flags = 0;  // the indirect descriptor ends the outer chain
        return {};
    }

    // QEMU treats zero-sized buffers as a driver bug too; accepting them would
    // only let a guest build arbitrarily long no-op chains.
    if (length == 0) return broken("zero-length descriptor");
    if (!bus_.ramPointer(address, length)) return broken("buffer outside guest RAM");
    if (flags & kVirtqDescWrite) {
        chain.writable.push_back({address, length});
        chain.writableBytes += length;
    } else {
        // §2.7.4.2: device-readable buffers come before device-writable ones.
        if (!chain.writable.empty()) return broken("readable descriptor after a writable one");
        chain.readable.push_back({address, length});
        chain.readableBytes += length;
    }
    return {};
}

Result<std::optional<DescriptorChain>> VirtQueue::pop() {
    if (!ready) return std::optional<DescriptorChain>{};
    uint16_t availIndex = 0;
    if (!readU16(driverAddress + 2, availIndex)) return broken("available ring outside guest RAM");
    const uint16_t pending = static_cast<uint16_t>(availIndex - lastAvail_);
    if (pending == 0) {
        if (eventIndex_) {
            // Ask for a notification as soon as anything new arrives
            // (avail_event in the used ring, §2.7.10). Written only when it
            // changes: a device polling a full queue would otherwise write
            // guest RAM on every poll, and each such DMA costs every hart a
            // code-cache check.
            const uint64_t availEvent = deviceAddress + 4 + 8ull * size;
            uint16_t current = 0;
            if (!readU16(availEvent, current) || current != lastAvail_) bus_.write(availEvent, 2, lastAvail_);
        }
        return std::optional<DescriptorChain>{};
    }
    if (pending > size) return broken("available index moved by more than the queue size");

    uint16_t head = 0;
    if (!readU16(driverAddress + 4 + 2ull * (lastAvail_ % size), head))
        return broken("available ring outside guest RAM");
    ++lastAvail_;

    DescriptorChain chain;
    chain.head = head;
    unsigned count = 0;
    uint16_t index = head;
    for (;;) {
        uint16_t flags = 0, next = 0;
        TESSERA_TRY(appendDescriptor(descAddress, size, index, chain, count, flags, next, false));
        if (!(flags & kVirtqDescNext)) break;
        index = next;
    }
    return std::optional<DescriptorChain>{std::move(chain)};
}

Status VirtQueue::pushUsed(uint16_t head, uint32_t written) {
    const uint64_t element = deviceAddress + 4 + 8ull * (usedIndex_ % size);
    uint8_t raw[8];
    const uint32_t id = head;
    std::memcpy(raw, &id, 4);
    std::memcpy(raw + 4, &written, 4);
    if (!bus_.writeBlock(element, raw)) return broken("used ring outside guest RAM");
    ++usedIndex_;
    // The element must be visible before the index (§2.7.8.2); the host is
    // x86-64 (TSO) and the guest CPU reads after this thread stores in order.
    std::atomic_thread_fence(std::memory_order_release);
    if (!bus_.write(deviceAddress + 2, 2, usedIndex_)) return broken("used ring outside guest RAM");
    return {};
}

bool VirtQueue::takeInterruptNeeded() {
    const uint16_t old = lastSignalledUsed_;
    lastSignalledUsed_ = usedIndex_;
    if (old == usedIndex_) return false;
    if (eventIndex_) {
        uint16_t usedEvent = 0;
        if (!readU16(driverAddress + 4 + 2ull * size, usedEvent)) return true;
        return needEvent(usedEvent, usedIndex_, old);
    }
    uint16_t flags = 0;
    if (!readU16(driverAddress, flags)) return true;
    return !(flags & kVirtqAvailNoInterrupt);
}

bool VirtQueue::readFromChain(const DescriptorChain& chain, uint64_t offset, std::span<uint8_t> out) const {
    size_t done = 0;
    for (const GuestBuffer& buffer : chain.readable) {
        if (done == out.size()) break;
        if (offset >= buffer.length) {
            offset -= buffer.length;
            continue;
        }
        const uint64_t take = std::min<uint64_t>(buffer.length - offset, out.size() - done);
        if (!bus_.readBlock(buffer.address + offset, out.subspan(done, take))) return false;
        done += take;
        offset = 0;
    }
    return done == out.size();
}

bool VirtQueue::writeToChain(const DescriptorChain& chain, uint64_t offset, std::span<const uint8_t> data,
                             const CodeInvalidator& invalidate) const {
    size_t done = 0;
    for (const GuestBuffer& buffer : chain.writable) {
        if (done == data.size()) break;
        if (offset >= buffer.length) {
            offset -= buffer.length;
            continue;
        }
        const uint64_t take = std::min<uint64_t>(buffer.length - offset, data.size() - done);
        if (!bus_.writeBlock(buffer.address + offset, data.subspan(done, take))) return false;
        if (invalidate) invalidate(buffer.address + offset, take);
        done += take;
        offset = 0;
    }
    return done == data.size();
}

}  // namespace tessera::devices
