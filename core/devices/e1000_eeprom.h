#pragma once
// The 64-word Microwire EEPROM of an Intel 82540EM (8254x manual, "EEPROM
// Interface" and "EEPROM Address Map") as QEMU's e1000 presents it: the MAC
// address in words 0-2, the PCI identity, the init control words, and the
// checksum word 0x3f that makes all 64 words sum to 0xbaba (Linux's e1000
// refuses the NIC otherwise).
//
// Linux's driver reads it by bit-banging the EECD register (82540 has no
// EERD use in that driver): chip select high, then on each rising SK edge one
// DI bit: the start bit and opcode 110 (READ), six address bits; then each
// rising edge presents one data bit on DO, most significant first, and the
// address advances on to the following words while CS stays high. The EERD
// register (start bit 0, address 15:8, done bit 4, data 31:16) reads a word
// in one access.

#include <array>
#include <cstdint>

namespace tessera::devices {

class E1000Eeprom {
public:
    static constexpr unsigned kWords = 64;
    static constexpr unsigned kChecksumWord = 0x3f;
    static constexpr uint16_t kChecksumSum = 0xbaba;
    // EECD bits.
    static constexpr uint32_t kSk = 1u << 0, kCs = 1u << 1, kDi = 1u << 2, kDo = 1u << 3;
    static constexpr uint32_t kRequest = 1u << 6, kGrant = 1u << 7, kPresent = 1u << 8;
    // EERD bits.
    static constexpr uint32_t kReadStart = 1u << 0, kReadDone = 1u << 4;

    E1000Eeprom(const std::array<uint8_t, 6>& mac, uint16_t deviceId);

    uint16_t word(unsigned index) const { return words_[index % kWords]; }

    uint32_t readEecd() const;
    void writeEecd(uint32_t value);
    // A write to EERD: the word is read at once, so the result has the done bit.
    uint32_t eerd(uint32_t request) const;
    void reset();

private:
    std::array<uint16_t, kWords> words_{};
    uint32_t pins_ = 0;     // SK, CS, DI as last written
    uint32_t shiftIn_ = 0;  // start bit, opcode and address as clocked in
    unsigned bitsIn_ = 0;   // rising edges since CS rose
    bool reading_ = false;  // a READ command was decoded: DO carries data
    unsigned bitOut_ = 0;   // the data bit DO shows: word * 16 + bit from the MSB
};

}  // namespace tessera::devices
