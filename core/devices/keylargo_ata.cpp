#include "core/devices/keylargo_ata.h"

#include <algorithm>

namespace tessera::devices {

namespace {
constexpr uint32_t kSector = 512;
constexpr uint8_t kNien = 0x02, kSrst = 0x04, kHob = 0x80;
// ATAPI interrupt reason (the sector count register): command/data, direction.
constexpr uint8_t kCoD = 0x01, kIo = 0x02;
constexpr uint64_t kMaxPacketData = 32ull << 20;  // bounds one packet's data-in buffer
constexpr uint8_t kRequestSense = 0x03;
}  // namespace

void KeyLargoAta::attachDisk(std::shared_ptr<block::BlockBackend> disk, bool readOnly) {
    drive_ = Drive::Disk;
    disk_ = std::move(disk);
    diskReadOnly_ = readOnly || disk_->readOnly();
    reset();
}

void KeyLargoAta::attachCdrom(ScsiCdrom* cdrom) {
    drive_ = Drive::Cdrom;
    cdrom_ = cdrom;
    reset();
}

void KeyLargoAta::reset() {
    dma_.reset();
    control_ = 0;
    timing_ = 0;
    softReset();
}

// The state after power-on or SRST: the drive's signature in the task file.
void KeyLargoAta::softReset() {
    phase_ = Phase::Idle;
    buffer_.clear();
    position_ = blockEnd_ = 0;
    multiple_ = 16;
    sense_.reset();
    feature_ = {};
    device_ = 0;
    setSignature();
    status_ = drive_ == Drive::Disk ? (kDrdy | kDsc) : 0;
    error_ = 1;  // diagnostic: no error
    pending_ = false;
    updateIrq();
}

void KeyLargoAta::setSignature() {
    count_ = {};
    lbaLow_ = {};
    count_.value = lbaLow_.value = 1;
    lbaMid_ = {};
    lbaHigh_ = {};
    if (drive_ == Drive::Cdrom) {
        lbaMid_.value = 0x14;
        lbaHigh_.value = 0xeb;
    }
    device_ &= 0x10;
}

void KeyLargoAta::updateIrq() {
    irq_.set(pending_ && !(control_ & kNien));
}

void KeyLargoAta::raise() {
    pending_ = true;
    updateIrq();
}

uint64_t KeyLargoAta::read(uint64_t offset, unsigned size) {
    if (offset == 0) {
        if (size == 2) return readData();
        if (size == 4) return readData() | uint32_t(readData()) << 16;
        return 0;
    }
    if (offset == kTimingOffset && size == 4) return timing_;
    if (size != 1) return 0;
    if (offset == kControlOffset || offset == kLegacyControlOffset)
        return present() ? status_ : 0;  // alternate status
    if ((offset & 0xf) || offset > 0x70) return 0;
    return readRegister(unsigned(offset >> 4));
}

void KeyLargoAta::write(uint64_t offset, unsigned size, uint64_t value) {
    if (offset == 0) {
        if (size == 2) writeData(uint16_t(value));
        if (size == 4) {
            writeData(uint16_t(value));
            writeData(uint16_t(value >> 16));
        }
        return;
    }
    if (offset == kTimingOffset && size == 4) {
        timing_ = uint32_t(value);
        return;
    }
    if (size != 1) return;
    const uint8_t byte = uint8_t(value);
    if (offset == kControlOffset || offset == kLegacyControlOffset) {
        const bool wasReset = control_ & kSrst;
        control_ = byte;
        if ((byte & kSrst) && !wasReset) softReset();
        updateIrq();
        return;
    }
    if ((offset & 0xf) || offset > 0x70) return;
    writeRegister(unsigned(offset >> 4), byte);
}

uint8_t KeyLargoAta::readRegister(unsigned reg) {
    if (drive_ == Drive::None) return 0;  // an empty bus floats low (QEMU's reading, probes see nothing)
    const bool hob = control_ & kHob;
    auto pick = [hob](const Register& r) { return hob ? r.previous : r.value; };
    switch (reg) {
        case 1:
            return error_;
        case 2:
            return pick(count_);
        case 3:
            return pick(lbaLow_);
        case 4:
            return pick(lbaMid_);
        case 5:
            return pick(lbaHigh_);
        case 6:
            return device_;
        case 7:
            if (!present()) return 0;
            pending_ = false;  // reading status acknowledges the interrupt
            updateIrq();
            return status_;
        default:
            return 0;
    }
}

void KeyLargoAta::writeRegister(unsigned reg, uint8_t value) {
    control_ &= ~kHob;  // writing the task file clears HOB (ATA-7 §6.14)
    switch (reg) {
        case 1:
            feature_.set(value);
            break;
        case 2:
            count_.set(value);
            break;
        case 3:
            lbaLow_.set(value);
            break;
        case 4:
            lbaMid_.set(value);
            break;
        case 5:
            lbaHigh_.set(value);
            break;
        case 6:
            device_ = value;
            break;
        case 7:
            if (!present()) return;  // an absent drive ignores commands
            pending_ = false;
            updateIrq();
            command(value);
            break;
        default:
            break;
    }
}

uint16_t KeyLargoAta::readData() {
    if (phase_ != Phase::PioIn || position_ >= blockEnd_) return 0;
    // An odd ATAPI byte count ends with a half word (padded with zero).
    const uint8_t high = position_ + 1 < blockEnd_ ? buffer_[position_ + 1] : 0;
    const uint16_t word = uint16_t(buffer_[position_] | high << 8);
    position_ = std::min(position_ + 2, blockEnd_);
    if (position_ == blockEnd_) pioBlockDone();
    return word;
}

void KeyLargoAta::writeData(uint16_t word) {
    if ((phase_ != Phase::PioOut && phase_ != Phase::Packet) || position_ + 2 > blockEnd_) return;
    buffer_[position_] = uint8_t(word);
    buffer_[position_ + 1] = uint8_t(word >> 8);
    position_ += 2;
    if (position_ < blockEnd_) return;
    if (phase_ == Phase::Packet) {
        packet();
        return;
    }
    pioBlockDone();
}

// The host has taken (PIO in) or given (PIO out) one block.
void KeyLargoAta::pioBlockDone() {
    const bool atapi = drive_ == Drive::Cdrom;
    if (position_ >= buffer_.size()) {
        if (phase_ == Phase::PioOut) {
            finishWrite();
            return;
        }
        if (atapi) {
            complete();
            return;
        }
        // The last block of a PIO read: no interrupt (ATA-7 §9.7).
        phase_ = Phase::Idle;
        status_ = kDrdy | kDsc;
        return;
    }
    const uint64_t chunk = std::min<uint64_t>(blockBytes_, buffer_.size() - position_);
    blockEnd_ = position_ + chunk;
    if (atapi) {
        lbaMid_.value = uint8_t(chunk);
        lbaHigh_.value = uint8_t(chunk >> 8);
    }
    status_ = kDrdy | kDsc | kDrq;
    raise();
}

void KeyLargoAta::abort(uint8_t error) {
    phase_ = Phase::Idle;
    buffer_.clear();
    error_ = error;
    status_ = kDrdy | kDsc | kErr;
    if (drive_ == Drive::Cdrom) count_.value = kIo | kCoD;
    raise();
}

void KeyLargoAta::complete() {
    phase_ = Phase::Idle;
    buffer_.clear();
    error_ = 0;
    status_ = kDrdy | kDsc;
    if (drive_ == Drive::Cdrom) count_.value = kIo | kCoD;
    raise();
}

void KeyLargoAta::command(uint8_t opcode) {
    phase_ = Phase::Idle;
    buffer_.clear();
    position_ = blockEnd_ = 0;
    error_ = 0;
    if (drive_ == Drive::Disk)
        diskCommand(opcode);
    else
        cdromCommand(opcode);
}

void KeyLargoAta::diskCommand(uint8_t opcode) {
    switch (opcode) {
        case 0x20:
        case 0x21:
            startRead(false, false, 1);
            return;  // READ SECTORS
        case 0x24:
            startRead(true, false, 1);
            return;  // READ SECTORS EXT
        case 0xc4:
            startRead(false, false, multiple_);
            return;  // READ MULTIPLE
        case 0x29:
            startRead(true, false, multiple_);
            return;  // READ MULTIPLE EXT
        case 0xc8:
        case 0xc9:
            startRead(false, true, 1);
            return;  // READ DMA
        case 0x25:
            startRead(true, true, 1);
            return;  // READ DMA EXT
        case 0x30:
        case 0x31:
            startWrite(false, false, 1);
            return;  // WRITE SECTORS
        case 0x34:
            startWrite(true, false, 1);
            return;  // WRITE SECTORS EXT
        case 0xc5:
            startWrite(false, false, multiple_);
            return;  // WRITE MULTIPLE
        case 0x39:
            startWrite(true, false, multiple_);
            return;  // WRITE MULTIPLE EXT
        case 0xca:
        case 0xcb:
            startWrite(false, true, 1);
            return;  // WRITE DMA
        case 0x35:
            startWrite(true, true, 1);
            return;   // WRITE DMA EXT
        case 0xec: {  // IDENTIFY DEVICE
            const AtaIdentify id = identifyDisk(disk_->size() / kSector, "TSR-ATA-0", multiple_);
            startPioIn(std::vector<uint8_t>(id.begin(), id.end()), kSector);
            return;
        }
        case 0xe7:
        case 0xea:  // FLUSH CACHE (EXT): durable before the interrupt
            if (!disk_->flush()) {
                abort(kAbrt);
                return;
            }
            complete();
            return;
        case 0xc6: {  // SET MULTIPLE MODE: a power of two up to 16
            const uint8_t n = count_.value;
            if (n == 0 || n > 16 || (n & (n - 1))) {
                abort();
                return;
            }
            multiple_ = n;
            complete();
            return;
        }
        case 0x40:
        case 0x41:
        case 0x42: {  // READ VERIFY SECTORS (EXT): only the range matters
            uint64_t lba = 0, sectors = 0;
            if (!transferRange(opcode == 0x42, lba, sectors)) return;
            complete();
            return;
        }
        case 0xe5:  // CHECK POWER MODE: active
            count_.value = 0xff;
            complete();
            return;
        case 0x90:  // EXECUTE DEVICE DIAGNOSTIC
            setSignature();
            error_ = 1;
            status_ = kDrdy | kDsc;
            raise();
            return;
        case 0xef:  // SET FEATURES (transfer mode, caches): accepted
        case 0x91:  // INITIALIZE DEVICE PARAMETERS
        case 0xe0:
        case 0xe1:
        case 0xe2:
        case 0xe3:
        case 0xe6:  // standby, idle, sleep
            complete();
            return;
        default:
            if ((opcode & 0xf0) == 0x10) {  // RECALIBRATE
                complete();
                return;
            }
            abort();  // IDENTIFY PACKET DEVICE, PACKET, DEVICE RESET and the rest
            return;
    }
}

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

bool KeyLargoAta::transferRange(bool lba48, uint64_t& lba, uint64_t& sectors) {
    if (lba48) {
        lba = uint64_t(lbaLow_.value) | uint64_t(lbaMid_.value) << 8 | uint64_t(lbaHigh_.value) << 16 |
              uint64_t(lbaLow_.previous) << 24 | uint64_t(lbaMid_.previous) << 32 |
              uint64_t(lbaHigh_.previous) << 40;
        sectors = uint64_t(count_.value) | uint64_t(count_.previous) << 8;
        if (sectors == 0) sectors = 65536;
    } else {
        if (!(device_ & 0x40)) {  // CHS addressing: only LBA is offered (IDENTIFY word 49)
            abort();
            return false;
        }
        lba = uint64_t(lbaLow_.value) | uint64_t(lbaMid_.value) << 8 | uint64_t(lbaHigh_.value) << 16 |
              uint64_t(device_ & 0x0f) << 24;
        sectors = count_.value ? count_.value : 256;
    }
    const uint64_t total = disk_->size() / kSector;
    if (lba > total || sectors > total - lba) {
        abort(kIdnf | kAbrt);
        return false;
    }
    return true;
}

void KeyLargoAta::startRead(bool lba48, bool dma, unsigned blockSectors) {
    uint64_t lba = 0, sectors = 0;
    if (!transferRange(lba48, lba, sectors)) return;
    std::vector<uint8_t> data(sectors * kSector);
    if (!disk_->read(lba * kSector, data)) {
        abort(kUnc | kAbrt);
        return;
    }
    if (!dma) {
        startPioIn(std::move(data), blockSectors * kSector);
        return;
    }
    buffer_ = std::move(data);
    position_ = 0;
    phase_ = Phase::DmaIn;
    status_ = kDrdy | kDsc | kDrq;
    dma_.kick();
}

void KeyLargoAta::startWrite(bool lba48, bool dma, unsigned blockSectors) {
    uint64_t lba = 0, sectors = 0;
    if (!transferRange(lba48, lba, sectors)) return;
    if (diskReadOnly_) {
        abort();
        return;
    }
    writeLba_ = lba;
    buffer_.assign(sectors * kSector, 0);
    position_ = 0;
    status_ = kDrdy | kDsc | kDrq;
    if (dma) {
        phase_ = Phase::DmaOut;
        dma_.kick();
        return;
    }
    // The first PIO block is asked for without an interrupt.
    phase_ = Phase::PioOut;
    blockBytes_ = blockSectors * kSector;
    blockEnd_ = std::min<uint64_t>(blockBytes_, buffer_.size());
}

void KeyLargoAta::finishWrite() {
    if (!disk_->write(writeLba_ * kSector, buffer_)) {
        abort(kAbrt);
        return;
    }
    complete();
}

void KeyLargoAta::startPioIn(std::vector<uint8_t> data, unsigned blockBytes) {
    buffer_ = std::move(data);
    position_ = 0;
    blockBytes_ = blockBytes;
    phase_ = Phase::PioIn;
    blockEnd_ = 0;
    pioBlockDone();
}

// The 12 bytes of a packet are in: run it on the CD-ROM.
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
    limit &= ~1u;
    phase_ = Phase::PioIn;
    blockBytes_ = limit;
    blockEnd_ = 0;
    count_.value = kIo;
    pioBlockDone();
}

uint64_t KeyLargoAta::dmaInputAvailable() {
    return phase_ == Phase::DmaIn ? buffer_.size() - position_ : 0;
}

void KeyLargoAta::dmaInput(std::span<uint8_t> out) {
    const uint64_t n = std::min<uint64_t>(out.size(), dmaInputAvailable());
    std::copy_n(buffer_.begin() + ptrdiff_t(position_), n, out.begin());
    position_ += n;
    if (position_ == buffer_.size()) complete();
}

uint64_t KeyLargoAta::dmaOutputWanted() {
    return phase_ == Phase::DmaOut ? buffer_.size() - position_ : 0;
}

void KeyLargoAta::dmaOutput(std::span<const uint8_t> data) {
    const uint64_t n = std::min<uint64_t>(data.size(), dmaOutputWanted());
    std::copy_n(data.begin(), n, buffer_.begin() + ptrdiff_t(position_));
    position_ += n;
    if (position_ == buffer_.size()) finishWrite();
}

}  // namespace tessera::devices
