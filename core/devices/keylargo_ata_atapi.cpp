// KeyLargoAta's ATAPI CD-ROM: the PACKET protocol (12 command bytes through
// the data port, data in byte-count chunks or by DMA, the status phase) around
// ScsiCdrom, which executes the packets; the sense of a failed packet is
// kept for the REQUEST SENSE that follows, as ATAPI drives do.
#include <algorithm>

#include "core/devices/keylargo_ata.h"

namespace tessera::devices {

namespace {
constexpr uint32_t kSector = 512;
// ATAPI interrupt reason (the sector count register): command/data, direction.
constexpr uint8_t kCoD = 0x01, kIo = 0x02;
constexpr uint64_t kMaxPacketData = 32ull << 20;  // bounds one packet's data-in buffer
constexpr uint8_t kRequestSense = 0x03;
}  // namespace

void KeyLargoAta::cdromCommand(uint8_t opcode) {
    switch (opcode) {
        case 0xa1: {  // IDENTIFY PACKET DEVICE
            const AtaIdentify id = identifyCdrom("TSR-CD-0");
            startPioIn(std::vector<uint8_t>(id.begin(), id.end()), kSector);
            count_.value = kIo;
            return;
        }
        case 0xa0:  // PACKET: the 12 command bytes come through the data register
            packetDma_ = feature_.value & 1;
            phase_ = Phase::Packet;
            buffer_.assign(12, 0);
            position_ = 0;
            blockEnd_ = 12;
            count_.value = kCoD;
            status_ = kDrdy | kDrq;
            return;
        case 0x08:  // DEVICE RESET: no interrupt
            softReset();
            return;
        case 0x90:
            setSignature();
            error_ = 1;
            status_ = 0;
            raise();
            return;
        case 0xec:  // IDENTIFY DEVICE: aborted with the ATAPI signature (how hosts tell)
            setSignature();
            abort();
            return;
        case 0xef:
        case 0xe5:
        case 0xe0:
        case 0xe1:
        case 0xe2:
        case 0xe3:
            complete();
            return;
        default:
            abort();
            return;
    }
}

void KeyLargoAta::packet() {
    const std::vector<uint8_t> cdb = buffer_;
    buffer_.clear();
    std::vector<uint8_t> data;
    if (cdb[0] == kRequestSense && sense_) {
        // The sense of the command that just failed (ATAPI keeps it until the next command).
        ScsiResult failed;
        failed.sense = *sense_;
        data = failed.senseBytes();
        data.resize(std::min<size_t>(data.size(), cdb[4]));
        sense_.reset();
        packetData(std::move(data));
        return;
    }
    sense_.reset();
    ScsiCdrom::DataInArea area;
    area.length = kMaxPacketData;
    area.readInto = [&data](block::BlockBackend& disc, uint64_t discOffset, uint64_t areaOffset,
                            uint64_t length) -> Status {
        if (areaOffset + length > kMaxPacketData) return makeError("packet data beyond its buffer");
        if (data.size() < areaOffset + length) data.resize(areaOffset + length);
        return disc.read(discOffset, std::span<uint8_t>(data.data() + areaOffset, length));
    };
    ScsiResult result = cdrom_->execute(cdb, area);
    if (result.status != scsi::kStatusGood) {
        sense_ = result.sense;
        abort(uint8_t(result.sense.key << 4) | (result.sense.key == scsi::kSenseIllegalRequest ? kAbrt : 0));
        return;
    }
    // Small answers come in result.data; READ data went into `data` (exactly what was read).
    if (!result.data.empty())
        data = std::move(result.data);
    else
        data.resize(std::min<uint64_t>(data.size(), result.transferred));
    packetData(std::move(data));
}

void KeyLargoAta::packetData(std::vector<uint8_t> data) {
    if (data.empty()) {
        complete();
        return;
    }
    buffer_ = std::move(data);
    position_ = 0;
    if (packetDma_) {
        phase_ = Phase::DmaIn;
        count_.value = kIo;
        status_ = kDrdy | kDsc | kDrq;
        dma_.kick();
        return;
    }
    // PIO: chunks of the host's byte count limit (lba mid/high), even, never 0.
    uint32_t limit = uint32_t(lbaMid_.value) | uint32_t(lbaHigh_.value) << 8;
    if (limit == 0 || limit == 0xffff) limit = 0xfffe;
    limit = std::max(limit & ~1u, 2u);  // a limit of 1 would never move a byte
    phase_ = Phase::PioIn;
    blockBytes_ = limit;
    blockEnd_ = 0;
    count_.value = kIo;
    pioBlockDone();
}

}  // namespace tessera::devices
