#include "core/devices/dbdma.h"

#include <algorithm>
#include <vector>

namespace tessera::devices {

namespace {
constexpr uint32_t kControl = 0x00, kStatus = 0x04, kCommandPtrHi = 0x08, kCommandPtr = 0x0c,
                   kInterruptSelect = 0x10, kBranchSelect = 0x14, kWaitSelect = 0x18;
// What ChannelControl may change; DEAD and ACTIVE follow RUN.
constexpr uint32_t kWritable =
    DbdmaChannel::kRun | DbdmaChannel::kPause | DbdmaChannel::kFlush | DbdmaChannel::kWake | 0xff;
constexpr uint64_t kChunk = 64 * 1024;  // host buffer per step of a transfer
constexpr uint32_t kDescriptorSize = 16;

uint16_t le16(const uint8_t* p) {
    return uint16_t(p[0] | p[1] << 8);
}
uint32_t le32(const uint8_t* p) {
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
}  // namespace

uint64_t DbdmaChannel::read(uint64_t offset, unsigned size) {
    if (size != 4 || (offset & 3)) return 0;
    switch (offset) {
        case kControl:
        case kStatus:
            return status_;
        case kCommandPtr:
            return commandPtr_;
        case kInterruptSelect:
            return interruptSelect_;
        case kBranchSelect:
            return branchSelect_;
        case kWaitSelect:
            return waitSelect_;
        default:
            return 0;  // CommandPtrHi and the 64-bit address registers: a 32-bit Mac
    }
}

void DbdmaChannel::write(uint64_t offset, unsigned size, uint64_t value64) {
    if (size != 4 || (offset & 3)) return;
    const uint32_t value = static_cast<uint32_t>(value64);
    switch (offset) {
        case kControl: {
            const uint32_t mask = (value >> 16) & kWritable;
            const uint32_t old = status_;
            status_ = (status_ & ~mask) | (value & mask);
            if ((old & kRun) && !(status_ & kRun)) {  // abort: the channel goes idle
                status_ &= ~(kActive | kDead | kBranchTaken);
                progress_ = 0;
            } else if (!(old & kRun) && (status_ & kRun)) {
                status_ = (status_ | kActive) & ~kDead;
                progress_ = 0;
            }
            if (status_ & kFlush) {
                // Software asks for what has been moved so far: report the
                // descriptor in progress as it stands, then go on.
                if ((status_ & kActive) && progress_ > 0) {
                    uint8_t raw[kDescriptorSize];
                    if (bus_.readBlock(commandPtr_, raw))
                        finish(uint16_t(le16(raw) - std::min<uint32_t>(progress_, le16(raw))));
                }
                status_ &= ~kFlush;
            }
            pump();
            status_ &= ~kWake;
            return;
        }
        case kCommandPtr:
            if (!(status_ & (kRun | kActive))) commandPtr_ = value & ~(kDescriptorSize - 1);
            return;
        case kCommandPtrHi:
            return;
        case kInterruptSelect:
            interruptSelect_ = value & 0x00ff00ff;
            return;
        case kBranchSelect:
            branchSelect_ = value & 0x00ff00ff;
            return;
        case kWaitSelect:
            waitSelect_ = value & 0x00ff00ff;
            return;
        default:
            return;
    }
}

void DbdmaChannel::reset() {
    status_ = 0;
    commandPtr_ = interruptSelect_ = branchSelect_ = waitSelect_ = 0;
    progress_ = 0;
}

// A select register holds mask << 16 | value over the status's low 8 bits
// (the device status software sets through ChannelControl).
bool DbdmaChannel::condition(uint32_t select) const {
    const uint32_t mask = (select >> 16) & 0xff;
    return ((status_ & mask) == (select & mask));
}

void DbdmaChannel::die() {
    status_ = (status_ | kDead) & ~kActive;
    progress_ = 0;
}

// Writes res_count and xfer_status back into the descriptor, as hardware does.
void DbdmaChannel::finish(uint16_t residual) {
    const uint16_t xferStatus = static_cast<uint16_t>(status_);
    const uint8_t tail[4] = {uint8_t(residual), uint8_t(residual >> 8), uint8_t(xferStatus),
                             uint8_t(xferStatus >> 8)};
    if (!bus_.writeBlock(uint64_t(commandPtr_) + 12, tail)) die();
}

void DbdmaChannel::pump() {
    if (pumping_) return;
    pumping_ = true;
    for (unsigned n = 0; n < kMaxDescriptorsPerPump; ++n) {
        if ((status_ & (kRun | kActive | kPause | kDead)) != (kRun | kActive)) break;
        uint8_t raw[kDescriptorSize];
        if (!bus_.readBlock(commandPtr_, raw)) {
            die();
            break;
        }
        const Descriptor d{le16(raw), le16(raw + 2), le32(raw + 4), le32(raw + 8)};
        if (!execute(d)) break;
    }
    pumping_ = false;
}

bool DbdmaChannel::execute(const Descriptor& d) {
    const unsigned command = d.command >> 12;
    if (command == Stop) {
        status_ &= ~kActive;
        return false;
    }
    switch (command) {
        case OutputMore:
        case OutputLast:
        case InputMore:
        case InputLast:
            if (!transfer(d, command == InputMore || command == InputLast)) return false;
            break;
        case StoreWord:
        case LoadWord: {
            // 1, 2 or 4 bytes between cmd_dep and memory, naturally aligned.
            const unsigned count = (d.reqCount & 7) >= 4 ? 4 : (d.reqCount & 7) >= 2 ? 2 : 1;
            const uint64_t address = d.address & ~uint32_t(count - 1);
            uint8_t word[4] = {uint8_t(d.cmdDep), uint8_t(d.cmdDep >> 8), uint8_t(d.cmdDep >> 16),
                               uint8_t(d.cmdDep >> 24)};
            const bool ok =
                command == StoreWord
                    ? bus_.writeBlock(address, std::span<const uint8_t>(word, count))
                    : bus_.readBlock(address, std::span<uint8_t>(word, count)) &&
                          bus_.writeBlock(uint64_t(commandPtr_) + 8, std::span<const uint8_t>(word, 4));
            if (!ok) {
                die();
                return false;
            }
            finish(0);
            break;
        }
        case Nop:
            finish(0);
            break;
        default:  // 8-15 are undefined: hardware stops dead
            die();
            return false;
    }
    if (status_ & kDead) return false;
    progress_ = 0;
    // Interrupt and wait conditions are not modelled (see the header); then branch.
    const unsigned branchBits = (d.command >> 2) & 3;
    const bool branchCond = condition(branchSelect_);
    if (branchBits == 3 || (branchBits == 1 && branchCond) || (branchBits == 2 && !branchCond)) {
        commandPtr_ = d.cmdDep & ~(kDescriptorSize - 1);
        status_ |= kBranchTaken;
    } else {
        commandPtr_ += kDescriptorSize;
        status_ &= ~kBranchTaken;
    }
    return true;
}

bool DbdmaChannel::transfer(const Descriptor& d, bool input) {
    std::vector<uint8_t> buffer;
    while (progress_ < d.reqCount) {
        const uint64_t ready = input ? device_.dmaInputAvailable() : device_.dmaOutputWanted();
        if (ready == 0) return false;  // the device is not there yet: wait for its kick
        const uint64_t n = std::min<uint64_t>({d.reqCount - progress_, ready, kChunk});
        const uint64_t address = uint64_t(d.address) + progress_;
        buffer.resize(n);
        if (input) {
            device_.dmaInput(buffer);
            if (!bus_.writeBlock(address, buffer)) {
                die();
                return false;
            }
        } else {
            if (!bus_.readBlock(address, buffer)) {
                die();
                return false;
            }
            device_.dmaOutput(buffer);
        }
        progress_ += uint32_t(n);
    }
    finish(0);
    return true;
}

}  // namespace tessera::devices
