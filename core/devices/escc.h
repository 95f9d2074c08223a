#pragma once
// Zilog 85C30 ESCC serial controller as the Mac's macio has it (the console:
// Linux's pmac_zilog driver, ttyPZ0 = channel A). Registers are spaced 16
// bytes apart (QEMU's it_shift 4): channel B control at 0x00 and data at
// 0x10, channel A control at 0x20 and data at 0x30. A control write with the
// register pointer at 0 selects the next register (bits 2:0, plus 8 with the
// "point high" command); the following access reads or writes it.
//
// Modelled: transmit (instant: the transmitter is always empty), receive
// with a FIFO, the interrupt sources Linux uses (receive character available,
// transmit buffer empty; WR1 enables, WR9 MIE master enable, RR3 pending bits
// on channel A, the WR0 reset commands) with one level-triggered line per
// channel. Not modelled: baud rates, modem lines (CTS/DCD read as asserted),
// synchronous modes, DMA.

#include <cstdint>
#include <deque>
#include <functional>
#include <span>

#include "core/hw/irq_line.h"
#include "core/hw/mmio_device.h"

namespace tessera::devices {

class Escc : public hw::MmioDevice {
public:
    static constexpr uint64_t kSize = 0x40;
    enum Channel : unsigned { B = 0, A = 1 };

    // Bytes channel A transmits (the console).
    using Output = std::function<void(uint8_t)>;
    explicit Escc(Output output) : output_(std::move(output)) { reset(); }

    std::string name() const override { return "escc"; }
    uint64_t mmioSize() const override { return kSize; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;
    void reset() override;

    // Bytes typed on the console (channel A's receiver).
    void receive(std::span<const uint8_t> bytes);
    hw::IrqLine& irq(Channel channel) { return chan_[channel].irq; }

private:
    struct ChannelState {
        uint8_t wr[16] = {};
        uint8_t pointer = 0;
        std::deque<uint8_t> rx;
        bool txPending = false;  // transmit-buffer-empty interrupt pending
        hw::IrqLine irq;
    };
    static void resetChannel(ChannelState& c);
    uint8_t readControl(Channel c);
    void writeControl(Channel c, uint8_t value);
    uint8_t readData(Channel c);
    void writeData(Channel c, uint8_t value);
    uint8_t pendingBits() const;  // RR3
    void updateIrq();

    Output output_;
    ChannelState chan_[2];
};

}  // namespace tessera::devices
