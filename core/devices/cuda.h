#pragma once
// Apple CUDA: the Mac's system controller (a microcontroller behind a VIA
// 6522), reached through the VIA's shift register and three port B lines.
// Registers are the VIA's, 0x200 bytes apart (B at 0, DIRB at 0x400, SR at
// 0x1400, ACR at 0x1600, IFR at 0x1a00, IER at 0x1c00).
//
// Protocol (Linux drivers/macintosh/via-cuda.c, the host side): the host
// drives TIP (transfer in progress, bit 5, active low) and TACK (byte
// acknowledge, bit 4); the CUDA drives TREQ (bit 3, active low) and signals
// each byte with the shift-register interrupt (IFR bit 2).
//  - host to CUDA: the host sets ACR shift-out, writes a byte to SR and
//    asserts TIP; each further byte follows a TACK toggle; negating TIP ends
//    the packet, and the CUDA asserts TREQ to send its reply.
//  - CUDA to host: TREQ asserted and an interrupt; the host asserts TIP and
//    reads a byte per interrupt, toggling TACK, until it finds TREQ negated
//    after a byte (the last); negating TIP then ends the transfer (one more
//    interrupt).
//  - sync (driver start): TACK asserted without TIP is answered with TREQ
//    asserted, TACK negated with TREQ negated, each with an interrupt.
// Packets: ADB (type 0) go to the ADB bus (adb_bus.h) and are answered
// [0, status, command, data...], status 0 or 2 (timeout: no device answered);
// CUDA commands (type 1): get/set time (seconds since 1904), power down,
// restart, autopoll on/off, and the other configuration commands Linux and
// OpenBIOS send (rates, device list, power messages, I2C) acknowledged.
// Autopoll: while it is on, poll() (the board calls it between CPU slices)
// sends a device's register 0 news unasked as [0, 0x40, command, data...]
// when no transfer is under way; a packet the host starts first wins, and
// the news waits for the next idle moment.

#include <cstdint>
#include <ctime>
#include <functional>
#include <vector>

#include "core/devices/adb_bus.h"
#include "core/hw/irq_line.h"
#include "core/hw/mmio_device.h"

namespace tessera::devices {

class Cuda : public hw::MmioDevice {
public:
    static constexpr uint64_t kSize = 0x2000;
    enum class Request { PowerOff, Reset };
    using Handler = std::function<void(Request)>;
    // Host wall time in seconds since 1970 (tests pass a fixed clock).
    using WallClock = std::function<int64_t()>;

    explicit Cuda(
        Handler handler, WallClock clock = [] { return int64_t(std::time(nullptr)); })
        : handler_(std::move(handler)), clock_(std::move(clock)) {
        reset();
    }

    std::string name() const override { return "cuda"; }
    uint64_t mmioSize() const override { return kSize; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;
    void reset() override;

    hw::IrqLine& irq() { return irq_; }
    // The bus behind the ADB packets (not owned); without one, nobody answers.
    void attachAdb(AdbBus* bus) { adb_ = bus; }
    // VM thread, between CPU slices: autopoll.
    void poll();
    bool autopoll() const { return autopoll_; }

private:
    void writePortB(uint8_t value);
    void raiseShiftInterrupt();
    void processPacket();
    void reply(std::vector<uint8_t> bytes);
    void updateIrq();
    bool idle() const;

    Handler handler_;
    WallClock clock_;
    hw::IrqLine irq_;
    // VIA registers.
    uint8_t portB_ = 0, dirB_ = 0, acr_ = 0, sr_ = 0, ifr_ = 0, ier_ = 0, pcr_ = 0;
    bool treq_ = false;  // asserted (the line is low)
    // The packet being received and the reply being sent.
    std::vector<uint8_t> in_;
    std::vector<uint8_t> out_;
    size_t outIndex_ = 0;
    bool sending_ = false;    // the current transfer is CUDA to host
    int64_t timeOffset_ = 0;  // set-time: guest time minus host time
    AdbBus* adb_ = nullptr;
    bool autopoll_ = false;
    bool unsolicited_ = false;       // out_ is autopoll news the host has not begun to read
    std::vector<uint8_t> deferred_;  // autopoll news a host packet pre-empted
};

}  // namespace tessera::devices
