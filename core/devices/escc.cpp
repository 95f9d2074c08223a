#include "core/devices/escc.h"

namespace tessera::devices {

namespace {
// Register bits (Zilog SCC/ESCC user manual).
constexpr uint8_t kRr0RxAvailable = 0x01;
constexpr uint8_t kRr0TxEmpty = 0x04;
constexpr uint8_t kRr0Dcd = 0x08;
constexpr uint8_t kRr0Cts = 0x20;
constexpr uint8_t kRr1AllSent = 0x01;
constexpr uint8_t kWr1TxIntEnable = 0x02;
constexpr uint8_t kWr1RxIntMask = 0x18;
constexpr uint8_t kWr9MasterEnable = 0x08;
constexpr uint8_t kWr9ResetB = 0x40;
constexpr uint8_t kWr9ResetA = 0x80;
// RR3 bits per channel: receive and transmit interrupt pending.
constexpr uint8_t kRr3RxA = 0x20, kRr3TxA = 0x10, kRr3RxB = 0x04, kRr3TxB = 0x02;
}  // namespace

// A channel reset keeps its interrupt wire (the board's connection).
void Escc::resetChannel(ChannelState& c) {
    for (uint8_t& r : c.wr) r = 0;
    c.pointer = 0;
    c.rx.clear();
    c.txPending = false;
}

void Escc::reset() {
    resetChannel(chan_[A]);
    resetChannel(chan_[B]);
    updateIrq();
}

uint64_t Escc::read(uint64_t offset, unsigned size) {
    if (size != 1 || offset >= kSize) return 0;
    const Channel c = (offset & 0x20) ? A : B;
    return (offset & 0x10) ? readData(c) : readControl(c);
}

void Escc::write(uint64_t offset, unsigned size, uint64_t value) {
    if (size != 1 || offset >= kSize) return;
    const Channel c = (offset & 0x20) ? A : B;
    if (offset & 0x10)
        writeData(c, static_cast<uint8_t>(value));
    else
        writeControl(c, static_cast<uint8_t>(value));
}

uint8_t Escc::readControl(Channel c) {
    ChannelState& ch = chan_[c];
    const unsigned reg = ch.pointer;
    ch.pointer = 0;
    switch (reg) {
        case 0:
            return kRr0TxEmpty | kRr0Dcd | kRr0Cts | (ch.rx.empty() ? 0 : kRr0RxAvailable);
        case 1:
            return kRr1AllSent;
        case 2:
            return ch.wr[2];  // the interrupt vector as written (no status modification)
        case 3:
            return c == A ? pendingBits() : 0;
        case 8:
            return readData(c);
        case 10:
            return 0;
        case 12:
        case 13:
        case 15:
            return ch.wr[reg];
        default:
            return 0;
    }
}

void Escc::writeControl(Channel c, uint8_t value) {
    ChannelState& ch = chan_[c];
    const unsigned reg = ch.pointer;
    ch.pointer = 0;
    if (reg == 0) {
        ch.pointer = value & 7;
        switch ((value >> 3) & 7) {
            case 1:  // point high
                ch.pointer |= 8;
                break;
            case 5:  // reset transmit interrupt pending
                ch.txPending = false;
                break;
            default:  // reset ext/status, error reset, reset highest IUS: nothing latched
                break;
        }
        updateIrq();
        return;
    }
    if (reg == 9) {  // shared by both channels
        if (value & kWr9ResetA) resetChannel(chan_[A]);
        if (value & kWr9ResetB) resetChannel(chan_[B]);
        chan_[A].wr[9] = chan_[B].wr[9] = value & ~(kWr9ResetA | kWr9ResetB);
    } else if (reg == 8) {
        writeData(c, value);
        return;
    } else {
        ch.wr[reg] = value;
    }
    updateIrq();
}

uint8_t Escc::readData(Channel c) {
    ChannelState& ch = chan_[c];
    if (ch.rx.empty()) return 0;
    const uint8_t byte = ch.rx.front();
    ch.rx.pop_front();
    updateIrq();
    return byte;
}

void Escc::writeData(Channel c, uint8_t value) {
    if (c == A && output_) output_(value);
    // The byte leaves at once: the buffer is empty again, which is an
    // interrupt when the driver enabled transmit interrupts.
    chan_[c].txPending = true;
    updateIrq();
}

void Escc::receive(std::span<const uint8_t> bytes) {
    for (uint8_t b : bytes) chan_[A].rx.push_back(b);
    updateIrq();
}

uint8_t Escc::pendingBits() const {
    uint8_t bits = 0;
    const ChannelState& a = chan_[A];
    const ChannelState& b = chan_[B];
    if ((a.wr[1] & kWr1RxIntMask) && !a.rx.empty()) bits |= kRr3RxA;
    if ((a.wr[1] & kWr1TxIntEnable) && a.txPending) bits |= kRr3TxA;
    if ((b.wr[1] & kWr1RxIntMask) && !b.rx.empty()) bits |= kRr3RxB;
    if ((b.wr[1] & kWr1TxIntEnable) && b.txPending) bits |= kRr3TxB;
    return bits;
}

void Escc::updateIrq() {
    const bool enabled = chan_[A].wr[9] & kWr9MasterEnable;
    const uint8_t bits = enabled ? pendingBits() : 0;
    chan_[A].irq.set(bits & (kRr3RxA | kRr3TxA));
    chan_[B].irq.set(bits & (kRr3RxB | kRr3TxB));
}

}  // namespace tessera::devices
