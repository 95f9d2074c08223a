#include "core/devices/e1000_eeprom.h"

namespace tessera::devices {

namespace {
constexpr unsigned kCommandBits = 3 + 6;  // start bit + 2 opcode bits, 6 address bits
constexpr uint32_t kReadCommand = 0b110;  // start bit, READ opcode 10
}  // namespace

E1000Eeprom::E1000Eeprom(const std::array<uint8_t, 6>& mac, uint16_t deviceId) {
    words_.fill(0xffff);  // unprogrammed words read as all ones
    for (unsigned i = 0; i < 3; ++i) words_[i] = uint16_t(mac[2 * i] | (mac[2 * i + 1] << 8));
    words_[0x03] = 0x0000;  // compatibility: no special features
    words_[0x05] = 0x0000;  // EEPROM image version
    words_[0x06] = words_[0x07] = 0x0000;
    words_[0x08] = 0x3000;  // PBA number
    words_[0x09] = 0x1000;
    words_[0x0a] = 0x6403;    // init control 1: as QEMU's e1000 image
    words_[0x0b] = deviceId;  // subsystem ID
    words_[0x0c] = 0x8086;    // subsystem vendor
    words_[0x0d] = deviceId;
    words_[0x0e] = 0x8086;
    words_[0x0f] = 0x3040;  // init control 2: both PAUSE bits (symmetric and asymmetric flow control)
    // The checksum: the 64 words add up to 0xbaba.
    uint16_t sum = 0;
    for (unsigned i = 0; i < kChecksumWord; ++i) sum = uint16_t(sum + words_[i]);
    words_[kChecksumWord] = uint16_t(kChecksumSum - sum);
}

void E1000Eeprom::reset() {
    pins_ = 0;
    shiftIn_ = 0;
    bitsIn_ = 0;
    reading_ = false;
    bitOut_ = 0;
}

uint32_t E1000Eeprom::readEecd() const {
    // Always present and granted: no firmware competes for the EEPROM.
    uint32_t value = kPresent | kGrant | pins_;
    if (reading_) {
        const uint16_t w = words_[(bitOut_ / 16) % kWords];
        if ((w >> (15 - bitOut_ % 16)) & 1) value |= kDo;
    } else {
        value |= kDo;  // an idle Microwire DO line is pulled high
    }
    return value;
}

void E1000Eeprom::writeEecd(uint32_t value) {
    const uint32_t old = pins_;
    pins_ = value & (kSk | kCs | kDi | kRequest);
    if (!(value & kCs)) {  // deselected: the next select starts a new command
        bitsIn_ = 0;
        shiftIn_ = 0;
        reading_ = false;
        return;
    }
    if (!(old & kCs)) {  // CS rising edge
        bitsIn_ = 0;
        shiftIn_ = 0;
        reading_ = false;
    }
    if (!((value ^ old) & kSk) || !(value & kSk)) return;  // only rising clock edges matter
    if (reading_) {
        // The first rising edge after the address shows bit 15 of the word
        // (bitOut_ starts one before it); each further edge the next bit.
        ++bitOut_;
        return;
    }
    shiftIn_ = (shiftIn_ << 1) | ((value & kDi) ? 1 : 0);
    if (++bitsIn_ == kCommandBits) {
        if ((shiftIn_ >> 6) == kReadCommand) {
            reading_ = true;
            bitOut_ = (shiftIn_ & 0x3f) * 16 - 1;  // wraps for word 0; the first edge makes it 0
        }
    }
}

uint32_t E1000Eeprom::eerd(uint32_t request) const {
    if (!(request & kReadStart)) return request & ~kReadDone;
    const unsigned address = (request >> 8) & 0xff;
    return (request & 0xff00) | kReadDone | (uint32_t(word(address)) << 16);
}

}  // namespace tessera::devices
