#include "core/devices/virtio_blk.h"

#include <cstring>

namespace tessera::devices {

namespace {

template <typename T>
void put(std::vector<uint8_t>& bytes, size_t offset, T value) {
    std::memcpy(bytes.data() + offset, &value, sizeof value);
}

constexpr uint32_t kRequestHeaderBytes = 16;  // le32 type, le32 reserved, le64 sector (§5.2.6)
constexpr uint32_t kDiscardSegmentBytes = 16;  // le64 sector, le32 num_sectors, le32 flags
constexpr uint32_t kDiscardFlagUnmap = 1;
constexpr uint32_t kIdBytes = 20;  // VIRTIO_BLK_ID_BYTES

}  // namespace

VirtioBlk::VirtioBlk(std::shared_ptr<block::BlockBackend> backend, std::string serial, bool readOnly)
    : backend_(std::move(backend)), serial_(std::move(serial)), readOnly_(readOnly || backend_->readOnly()) {}

uint64_t VirtioBlk::deviceFeatures() const {
    uint64_t features = kVirtioBlkFSegMax | kVirtioBlkFBlkSize | kVirtioBlkFFlush;
    if (readOnly_) return features | kVirtioBlkFRo;
    return features | kVirtioBlkFDiscard | kVirtioBlkFWriteZeroes;
}

std::vector<uint8_t> VirtioBlk::config() const {
    // struct virtio_blk_config (§5.2.4), up to write_zeroes_may_unmap.
    std::vector<uint8_t> bytes(60, 0);
    put<uint64_t>(bytes, 0, backend_->size() / kSectorSize);  // capacity
    put<uint32_t>(bytes, 12, kSegMax);                         // seg_max
    put<uint32_t>(bytes, 20, kSectorSize);                     // blk_size
    put<uint32_t>(bytes, 36, kMaxDiscardSectors);              // max_discard_sectors
    put<uint32_t>(bytes, 40, kMaxDiscardSegments);             // max_discard_seg
    put<uint32_t>(bytes, 44, 1);                               // discard_sector_alignment
    put<uint32_t>(bytes, 48, kMaxDiscardSectors);              // max_write_zeroes_sectors
    put<uint32_t>(bytes, 52, kMaxDiscardSegments);             // max_write_zeroes_seg
    bytes[56] = 1;                                              // write_zeroes_may_unmap
    return bytes;
}

void VirtioBlk::queueNotified(unsigned queue) {
    drainQueue(*transport_, queue, [&](const DescriptorChain& chain) -> Result<uint32_t> {
        // §5.2.6.1: the header is device-readable, the status byte is the last
        // device-writable byte. Without room for both the request cannot even
        // be answered, so the driver is broken.
        if (chain.readableBytes < kRequestHeaderBytes || chain.writableBytes < 1)
            return makeError("virtio-blk: request without header or status byte");
        uint8_t header[kRequestHeaderBytes];
        if (!transport_->queue(queue).readFromChain(chain, 0, header))
            return makeError("virtio-blk: unreadable request header");
        uint32_t type;
        uint64_t sector;
        std::memcpy(&type, header, 4);
        std::memcpy(&sector, header + 8, 8);
        uint32_t dataWritten = 0;
        const uint8_t status = execute(chain, type, sector, dataWritten);
        const uint8_t statusByte[1] = {status};
        if (!transport_->queue(queue).writeToChain(chain, chain.writableBytes - 1, statusByte,
                                                   transport_->codeInvalidator()))
            return makeError("virtio-blk: status byte outside guest RAM");
        return dataWritten + 1;
    });
}

uint8_t VirtioBlk::execute(const DescriptorChain& chain, uint32_t type, uint64_t sector, uint32_t& dataWritten) {
    switch (type) {
        case kVirtioBlkTIn: return transfer(chain, true, sector, dataWritten);
        case kVirtioBlkTOut:
            if (readOnly_) return kVirtioBlkSIoErr;  // §5.2.6.2: writes to a read-only device fail
            return transfer(chain, false, sector, dataWritten);
        case kVirtioBlkTFlush: return backend_->flush() ? kVirtioBlkSOk : kVirtioBlkSIoErr;
        case kVirtioBlkTGetId: {
            uint8_t id[kIdBytes] = {};
            std::memcpy(id, serial_.data(), std::min<size_t>(serial_.size(), kIdBytes));
            const size_t room = std::min<uint64_t>(kIdBytes, chain.writableBytes - 1);
            if (!transport_->queue(0).writeToChain(chain, 0, std::span<const uint8_t>(id, room),
                                                    transport_->codeInvalidator()))
                return kVirtioBlkSIoErr;
            dataWritten = static_cast<uint32_t>(room);
            return kVirtioBlkSOk;
        }
        case kVirtioBlkTDiscard:
        case kVirtioBlkTWriteZeroes:
            if (readOnly_) return kVirtioBlkSUnsupp;
            return discardOrZero(chain, type == kVirtioBlkTWriteZeroes);
        default: return kVirtioBlkSUnsupp;
    }
}

uint8_t VirtioBlk::transfer(const DescriptorChain& chain, bool toGuest, uint64_t sector, uint32_t& dataWritten) {
    const std::vector<GuestBuffer>& buffers = toGuest ? chain.writable : chain.readable;
    uint64_t bytes = toGuest ? chain.writableBytes - 1 : chain.readableBytes - kRequestHeaderBytes;
    const uint64_t capacity = backend_->size() / kSectorSize;
    if (bytes % kSectorSize) return kVirtioBlkSIoErr;
    if (sector > capacity || bytes / kSectorSize > capacity - sector) return kVirtioBlkSIoErr;
    uint64_t diskOffset = sector * kSectorSize;
    // Walk the guest buffers, skipping the header (reads) and stopping before
    // the status byte (writes). Buffers were checked to lie in RAM by pop(),
    // so the block layer reads/writes guest memory directly, without a copy.
    uint64_t skip = toGuest ? 0 : kRequestHeaderBytes;
    hw::MemoryBus& bus = transport_->bus();
    for (const GuestBuffer& buffer : buffers) {
        if (bytes == 0) break;
        if (skip >= buffer.length) {
            skip -= buffer.length;
            continue;
        }
        const uint64_t address = buffer.address + skip;
        const uint64_t length = std::min<uint64_t>(buffer.length - skip, bytes);
        skip = 0;
        uint8_t* host = bus.ramPointer(address, length);
        if (!host) return kVirtioBlkSIoErr;
        if (toGuest) {
            if (!backend_->read(diskOffset, std::span<uint8_t>(host, length))) return kVirtioBlkSIoErr;
            if (transport_->codeInvalidator()) transport_->codeInvalidator()(address, length);
            dataWritten += static_cast<uint32_t>(length);
        } else {
            if (!backend_->write(diskOffset, std::span<const uint8_t>(host, length))) return kVirtioBlkSIoErr;
        }
        diskOffset += length;
        bytes -= length;
    }
    return kVirtioBlkSOk;
}

uint8_t VirtioBlk::discardOrZero(const DescriptorChain& chain, bool writeZeroes) {
    const uint64_t payload = chain.readableBytes - kRequestHeaderBytes;
    if (payload == 0 || payload % kDiscardSegmentBytes) return kVirtioBlkSIoErr;
    const uint64_t segments = payload / kDiscardSegmentBytes;
    if (segments > kMaxDiscardSegments) return kVirtioBlkSIoErr;  // §5.2.6.2: above max_*_seg
    const uint64_t capacity = backend_->size() / kSectorSize;
    for (uint64_t i = 0; i < segments; ++i) {
        uint8_t raw[kDiscardSegmentBytes];
        if (!transport_->queue(0).readFromChain(chain, kRequestHeaderBytes + i * kDiscardSegmentBytes, raw))
            return kVirtioBlkSIoErr;
        uint64_t sector;
        uint32_t count, flags;
        std::memcpy(&sector, raw, 8);
        std::memcpy(&count, raw + 8, 4);
        std::memcpy(&flags, raw + 12, 4);
        // §5.2.6.2: unknown flags, or unmap on a discard, are unsupported.
        if (flags & ~kDiscardFlagUnmap) return kVirtioBlkSUnsupp;
        if (!writeZeroes && (flags & kDiscardFlagUnmap)) return kVirtioBlkSUnsupp;
        if (count > kMaxDiscardSectors) return kVirtioBlkSIoErr;
        if (sector > capacity || count > capacity - sector) return kVirtioBlkSIoErr;
        const uint64_t offset = sector * kSectorSize, length = uint64_t{count} * kSectorSize;
        Status status = writeZeroes ? backend_->writeZeroes(offset, length, flags & kDiscardFlagUnmap)
                                    : backend_->discard(offset, length);
        if (!status) return kVirtioBlkSIoErr;
    }
    return kVirtioBlkSOk;
}

}  // namespace tessera::devices
