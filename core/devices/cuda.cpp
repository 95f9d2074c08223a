#include "core/devices/cuda.h"

namespace tessera::devices {

namespace {
constexpr uint8_t kTreq = 0x08, kTack = 0x10, kTip = 0x20;
constexpr uint8_t kSrOut = 0x10;  // ACR: shift register shifts out (host to CUDA)
constexpr uint8_t kSrInt = 0x04;  // IFR/IER: shift register interrupt
constexpr unsigned kRegB = 0, kRegDirB = 2, kRegSr = 10, kRegAcr = 11, kRegPcr = 12, kRegIfr = 13,
                   kRegIer = 14;
// Packet types and CUDA commands (Linux include/uapi/linux/adb.h, cuda.h).
constexpr uint8_t kAdbPacket = 0, kCudaPacket = 1, kErrorPacket = 2;
constexpr uint8_t kAutopoll = 0x01, kGetTime = 0x03, kSetTime = 0x09, kPowerDown = 0x0a, kResetSystem = 0x11;
constexpr uint8_t kAdbStatusOk = 0x00, kAdbStatusTimeout = 0x02, kAdbAutopolled = 0x40;
// Seconds from 1904-01-01 (the Mac epoch) to 1970-01-01.
constexpr int64_t kMacEpochOffset = 2082844800;
}  // namespace

void Cuda::reset() {
    portB_ = 0;
    dirB_ = acr_ = sr_ = ifr_ = ier_ = pcr_ = 0;
    treq_ = false;
    in_.clear();
    out_.clear();
    outIndex_ = 0;
    sending_ = false;
    autopoll_ = false;
    unsolicited_ = false;
    deferred_.clear();
    if (adb_) adb_->reset();
    updateIrq();
}

uint64_t Cuda::read(uint64_t offset, unsigned size) {
    if (size != 1 || (offset & 0x1ff)) return 0;
    switch (offset >> 9) {
        case kRegB:
            // TIP and TACK read back as the host drove them (OpenBIOS toggles
            // TACK by read-modify-write without setting DIRB); TREQ is the CUDA's line.
            return (portB_ & ~kTreq) | (treq_ ? 0 : kTreq);
        case kRegDirB:
            return dirB_;
        case kRegSr: {
            const uint8_t value = sr_;
            ifr_ &= ~kSrInt;  // reading the shift register acknowledges its interrupt
            updateIrq();
            return value;
        }
        case kRegAcr:
            return acr_;
        case kRegPcr:
            return pcr_;
        case kRegIfr:
            return ifr_ | ((ifr_ & ier_ & 0x7f) ? 0x80 : 0);
        case kRegIer:
            return ier_ | 0x80;
        default:
            return 0;
    }
}

void Cuda::write(uint64_t offset, unsigned size, uint64_t value64) {
    if (size != 1 || (offset & 0x1ff)) return;
    const uint8_t value = static_cast<uint8_t>(value64);
    switch (offset >> 9) {
        case kRegB:
            writePortB(value);
            break;
        case kRegDirB:
            dirB_ = value;
            break;
        case kRegSr:
            sr_ = value;
            ifr_ &= ~kSrInt;
            updateIrq();
            break;
        case kRegAcr:
            acr_ = value;
            break;
        case kRegPcr:
            pcr_ = value;
            break;
        case kRegIfr:
            ifr_ &= ~(value & 0x7f);
            updateIrq();
            break;
        case kRegIer:
            if (value & 0x80)
                ier_ |= value & 0x7f;
            else
                ier_ &= ~(value & 0x7f);
            updateIrq();
            break;
        default:
            break;
    }
}

void Cuda::writePortB(uint8_t value) {
    const uint8_t old = portB_;
    portB_ = value;
    const bool tipNow = !(value & kTip), tipBefore = !(old & kTip);
    const bool tackToggled = (value ^ old) & kTack;

    if (tipNow) {
        if (tipBefore && !tackToggled) return;
        if (!tipBefore) {
            sending_ = !(acr_ & kSrOut);
            if (!sending_ && unsolicited_) {
                // The host began a packet before reading our news: it goes
                // first (TREQ negated, so it sees no collision); ours waits.
                deferred_ = std::move(out_);
                out_.clear();
                outIndex_ = 0;
                unsolicited_ = false;
                treq_ = false;
            }
        }
        if (!sending_) {
            in_.push_back(sr_);  // the host shifted a byte out to us
            raiseShiftInterrupt();
        } else if (outIndex_ < out_.size()) {
            unsolicited_ = false;
            sr_ = out_[outIndex_++];
            treq_ = outIndex_ < out_.size();  // negated with the last byte
            raiseShiftInterrupt();
        }
        return;
    }
    if (tipBefore) {  // the transfer ended
        if (!sending_ && !in_.empty()) {
            processPacket();
        } else {
            out_.clear();
            outIndex_ = 0;
            treq_ = false;
            raiseShiftInterrupt();  // "read done"
        }
        return;
    }
    if (tackToggled) {  // sync: TACK without TIP
        treq_ = !(value & kTack);
        raiseShiftInterrupt();
    }
}

void Cuda::raiseShiftInterrupt() {
    ifr_ |= kSrInt;
    updateIrq();
}

void Cuda::updateIrq() {
    irq_.set(ifr_ & ier_ & 0x7f);
}

bool Cuda::idle() const {
    return (portB_ & kTip) && !treq_ && out_.empty() && in_.empty();
}

void Cuda::poll() {
    if (!autopoll_ || !adb_ || !idle()) return;
    std::vector<uint8_t> packet = std::move(deferred_);
    deferred_.clear();
    if (packet.empty()) {
        auto news = adb_->poll();
        if (!news) return;
        packet = {kAdbPacket, kAdbAutopolled, news->first};
        packet.insert(packet.end(), news->second.begin(), news->second.end());
    }
    reply(std::move(packet));
    unsolicited_ = true;
}

void Cuda::reply(std::vector<uint8_t> bytes) {
    out_ = std::move(bytes);
    outIndex_ = 0;
    treq_ = true;  // we have something to say
    raiseShiftInterrupt();
}

void Cuda::processPacket() {
    const std::vector<uint8_t> packet = std::move(in_);
    in_.clear();
    if (packet[0] == kAdbPacket) {
        const uint8_t command = packet.size() > 1 ? packet[1] : uint8_t(0);
        AdbBus::Reply answer;
        if (adb_ && packet.size() > 1) answer = adb_->request(std::span(packet).subspan(1));
        std::vector<uint8_t> bytes{kAdbPacket, answer.answered ? kAdbStatusOk : kAdbStatusTimeout, command};
        bytes.insert(bytes.end(), answer.data.begin(), answer.data.end());
        reply(std::move(bytes));
        return;
    }
    if (packet[0] != kCudaPacket || packet.size() < 2) {
        reply({kErrorPacket, 0x02, packet[0], packet.size() > 1 ? packet[1] : uint8_t(0)});
        return;
    }
    const uint8_t command = packet[1];
    switch (command) {
        case kGetTime: {
            const uint32_t t = static_cast<uint32_t>(clock_() + kMacEpochOffset + timeOffset_);
            reply({kCudaPacket, 0, command, uint8_t(t >> 24), uint8_t(t >> 16), uint8_t(t >> 8), uint8_t(t)});
            return;
        }
        case kSetTime:
            if (packet.size() >= 6) {
                const uint32_t t =
                    (uint32_t(packet[2]) << 24) | (packet[3] << 16) | (packet[4] << 8) | packet[5];
                timeOffset_ = int64_t(t) - (clock_() + kMacEpochOffset);
            }
            break;
        case kAutopoll:
            if (packet.size() >= 3) autopoll_ = packet[2] != 0;
            break;
        case kPowerDown:
            reply({kCudaPacket, 0, command});
            if (handler_) handler_(Request::PowerOff);
            return;
        case kResetSystem:
            reply({kCudaPacket, 0, command});
            if (handler_) handler_(Request::Reset);
            return;
        default:
            break;  // configuration commands: acknowledged
    }
    reply({kCudaPacket, 0, command});
}

}  // namespace tessera::devices
