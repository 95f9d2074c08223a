#include "core/devices/keylargo_ata.h"

#include <algorithm>

namespace tessera::devices {

namespace {
constexpr uint8_t kNien = 0x02, kSrst = 0x04, kHob = 0x80;
// ATAPI interrupt reason (the sector count register): command/data, direction.
constexpr uint8_t kCoD = 0x01, kIo = 0x02;
}  // namespace

void KeyLargoAta::attachDisk(std::shared_ptr<block::BlockBackend> disk, bool readOnly) {
    attachDiskAs(0, std::move(disk), readOnly);
}

void KeyLargoAta::attachSlaveDisk(std::shared_ptr<block::BlockBackend> disk, bool readOnly) {
    attachDiskAs(1, std::move(disk), readOnly);
}

void KeyLargoAta::attachDiskAs(unsigned unit, std::shared_ptr<block::BlockBackend> disk, bool readOnly) {
    drive_[unit] = Drive::Disk;
    diskReadOnly_[unit] = readOnly || disk->readOnly();
    disk_[unit] = std::move(disk);
    reset();
}

void KeyLargoAta::attachCdrom(ScsiCdrom* cdrom) {
    drive_[0] = Drive::Cdrom;
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
    status_ = drive_[0] == Drive::Disk ? (kDrdy | kDsc) : 0;
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
    if (drive_[0] == Drive::Cdrom) {
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
    if (drive_[0] == Drive::None && drive_[1] == Drive::None)
        return 0;  // an empty bus floats low (QEMU's reading, probes see nothing)
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
    const bool atapi = drive() == Drive::Cdrom;
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
    if (drive() == Drive::Cdrom) count_.value = kIo | kCoD;
    raise();
}

void KeyLargoAta::complete() {
    phase_ = Phase::Idle;
    buffer_.clear();
    error_ = 0;
    status_ = kDrdy | kDsc;
    if (drive() == Drive::Cdrom) count_.value = kIo | kCoD;
    raise();
}

void KeyLargoAta::command(uint8_t opcode) {
    phase_ = Phase::Idle;
    buffer_.clear();
    position_ = blockEnd_ = 0;
    error_ = 0;
    if (drive() == Drive::Disk)
        diskCommand(opcode);
    else
        cdromCommand(opcode);
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
