#include "core/devices/virtio_scsi.h"

#include <cstring>

namespace tessera::devices {

using namespace virtio_scsi;

namespace {
void put32(std::vector<uint8_t>& out, size_t at, uint32_t v) { std::memcpy(out.data() + at, &v, 4); }
constexpr uint32_t kRequestFixedBytes = 19;   // lun[8], id, task_attr, prio, crn (§5.6.6.1)
constexpr uint32_t kResponseFixedBytes = 12;  // sense_len, residual, status_qualifier, status, response
}  // namespace

std::vector<uint8_t> VirtioScsi::config() const {
    // struct virtio_scsi_config (§5.6.4).
    std::vector<uint8_t> bytes(36, 0);
    put32(bytes, 0, 1);                  // num_queues
    put32(bytes, 4, 128 - 2);            // seg_max
    put32(bytes, 8, 0xffff);             // max_sectors
    put32(bytes, 12, 128);               // cmd_per_lun
    put32(bytes, 16, 16);                // event_info_size
    put32(bytes, 20, senseSize_);        // sense_size
    put32(bytes, 24, cdbSize_);          // cdb_size
    // max_channel (u16 at 28) = 0, max_target (u16 at 30) = 0
    put32(bytes, 32, 0);                 // max_lun
    return bytes;
}

void VirtioScsi::writeConfig(uint32_t offset, std::span<const uint8_t> bytes) {
    // The driver may set sense_size and cdb_size (§5.6.4); clamp hostile values.
    if (bytes.size() != 4) return;
    uint32_t value;
    std::memcpy(&value, bytes.data(), 4);
    if (offset == 20) senseSize_ = std::min(value, kMaxSenseSize);
    if (offset == 24) cdbSize_ = std::min(value, kMaxCdbSize);
}

void VirtioScsi::reset() {
    cdbSize_ = kDefaultCdbSize;
    senseSize_ = kDefaultSenseSize;
}

void VirtioScsi::queueNotified(unsigned queue) {
    if (queue == kRequestQueue)
        drainQueue(*transport_, queue, [&](const DescriptorChain& chain) { return request(chain); });
    else if (queue == kControlQueue)
        drainQueue(*transport_, queue, [&](const DescriptorChain& chain) { return control(chain); });
    // Event queue buffers stay with the device until an event happens (none are sent).
}

Result<uint32_t> VirtioScsi::control(const DescriptorChain& chain) {
    VirtQueue& queue = transport_->queue(kControlQueue);
    uint8_t type[4] = {};
    if (!queue.readFromChain(chain, 0, type)) return makeError("virtio-scsi: control request without a type");
    uint32_t kind;
    std::memcpy(&kind, type, 4);
    // TMF (0): u8 response; AN query/subscribe (1, 2): le32 event_actual + u8 response.
    std::vector<uint8_t> response(kind == 0 ? 1 : 5, 0);  // FUNCTION COMPLETE / OK, no events
    const size_t room = std::min<uint64_t>(chain.writableBytes, response.size());
    if (room && !queue.writeToChain(chain, 0, std::span<const uint8_t>(response.data(), room),
                                    transport_->codeInvalidator()))
        return makeError("virtio-scsi: control response outside guest RAM");
    return static_cast<uint32_t>(room);
}

Result<uint32_t> VirtioScsi::request(const DescriptorChain& chain) {
    VirtQueue& queue = transport_->queue(kRequestQueue);
    const uint32_t requestBytes = kRequestFixedBytes + cdbSize_;
    const uint32_t responseBytes = kResponseFixedBytes + senseSize_;
    // §5.6.6.1: without room for the fixed request and response parts the
    // request cannot be answered at all.
    if (chain.readableBytes < requestBytes || chain.writableBytes < responseBytes)
        return makeError("virtio-scsi: request or response header too short");
    std::vector<uint8_t> header(requestBytes);
    if (!queue.readFromChain(chain, 0, header)) return makeError("virtio-scsi: unreadable request header");

    std::vector<uint8_t> response(responseBytes, 0);
    const uint64_t dataInLength = chain.writableBytes - responseBytes;
    // LUN format (§5.6.6.1): byte 0 = 1, byte 1 = target, bytes 2-3 = 0x4000 | lun.
    const uint8_t* lun = header.data();
    const bool ourTarget = lun[0] == 1 && lun[1] == 0;
    const uint16_t lunNumber = static_cast<uint16_t>(((lun[2] << 8) | lun[3]) & 0x3fff);
    uint32_t dataInWritten = 0;
    if (!ourTarget || lunNumber != 0) {
        response[11] = kResponseBadTarget;
    } else {
        const std::span<const uint8_t> cdb(header.data() + kRequestFixedBytes, cdbSize_);
        ScsiCdrom::DataInArea area;
        area.length = dataInLength;
        // READ data goes straight from the image into the guest's buffers.
        area.readInto = [&](block::BlockBackend& disc, uint64_t discOffset, uint64_t areaOffset,
                            uint64_t length) -> Status {
            uint64_t skip = responseBytes + areaOffset;
            for (const GuestBuffer& buffer : chain.writable) {
                if (length == 0) break;
                if (skip >= buffer.length) {
                    skip -= buffer.length;
                    continue;
                }
                const uint64_t take = std::min<uint64_t>(buffer.length - skip, length);
                uint8_t* host = transport_->bus().ramPointer(buffer.address + skip, take);
                if (!host) return makeError("data-in buffer outside guest RAM");
                TESSERA_TRY(disc.read(discOffset, std::span<uint8_t>(host, take)));
                if (transport_->codeInvalidator()) transport_->codeInvalidator()(buffer.address + skip, take);
                discOffset += take;
                length -= take;
                skip = 0;
            }
            return {};
        };
        const ScsiResult result = cdrom_.execute(cdb, area);
        uint64_t written = result.transferred;
        if (!result.data.empty()) {
            written = std::min<uint64_t>(result.data.size(), dataInLength);
            if (!queue.writeToChain(chain, responseBytes,
                                    std::span<const uint8_t>(result.data.data(), written),
                                    transport_->codeInvalidator()))
                return makeError("virtio-scsi: data-in buffer outside guest RAM");
        }
        dataInWritten = static_cast<uint32_t>(written);
        put32(response, 4, static_cast<uint32_t>(dataInLength - written));  // residual
        response[10] = result.status;
        response[11] = result.overrun || result.data.size() > dataInLength ? kResponseOverrun : kResponseOk;
        if (result.status == scsi::kStatusCheckCondition) {
            const std::vector<uint8_t> sense = result.senseBytes();
            const uint32_t senseLength = std::min<uint32_t>(static_cast<uint32_t>(sense.size()), senseSize_);
            put32(response, 0, senseLength);
            std::memcpy(response.data() + kResponseFixedBytes, sense.data(), senseLength);
        }
    }
    if (!queue.writeToChain(chain, 0, response, transport_->codeInvalidator()))
        return makeError("virtio-scsi: response outside guest RAM");
    return responseBytes + dataInWritten;
}

}  // namespace tessera::devices
