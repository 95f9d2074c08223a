#pragma once
// NS16550A UART (TI PC16550D datasheet, "Register Descriptions"), byte
// registers at offsets 0..7 (reg-shift 0), as on QEMU's virt board at
// 0x1000_0000, IRQ 10. Transmission is instantaneous: THR is empty again as
// soon as a byte is written, which is what Linux's 8250 driver and OpenSBI's
// uart8250 expect from an emulated port.
//
// Threading: the device itself runs on the VM thread. The host feeds received
// bytes through a thread-safe inbox (pushHostInput); the run loop moves them
// into the 16-byte RX FIFO with pumpHostInput() as space frees up, so a paste
// larger than the FIFO is delivered without loss.

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <span>

#include "core/hw/irq_line.h"
#include "core/hw/mmio_device.h"

namespace tessera::devices {

class Ns16550aUart : public hw::MmioDevice {
public:
    static constexpr uint64_t kSize = 0x100;
    static constexpr size_t kFifoDepth = 16;

    // Register offsets and bits (PC16550D datasheet, Table 2).
    enum : uint8_t { RBR_THR_DLL = 0, IER_DLM = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };
    enum : uint8_t { IER_RDI = 0x01, IER_THRI = 0x02, IER_RLSI = 0x04, IER_MSI = 0x08 };
    enum : uint8_t { IIR_NO_INT = 0x01, IIR_MSI = 0x00, IIR_THRI = 0x02, IIR_RDI = 0x04, IIR_RLSI = 0x06,
                     IIR_RX_TIMEOUT = 0x0C, IIR_FIFO_ENABLED = 0xC0 };
    enum : uint8_t { FCR_ENABLE = 0x01, FCR_CLEAR_RX = 0x02, FCR_CLEAR_TX = 0x04 };
    enum : uint8_t { LCR_DLAB = 0x80 };
    enum : uint8_t { MCR_DTR = 0x01, MCR_RTS = 0x02, MCR_OUT1 = 0x04, MCR_OUT2 = 0x08, MCR_LOOP = 0x10 };
    enum : uint8_t { LSR_DR = 0x01, LSR_OE = 0x02, LSR_BI = 0x10, LSR_THRE = 0x20, LSR_TEMT = 0x40 };
    enum : uint8_t { MSR_DCTS = 0x01, MSR_DDSR = 0x02, MSR_TERI = 0x04, MSR_DDCD = 0x08, MSR_CTS = 0x10,
                     MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80 };

    using TxSink = std::function<void(uint8_t)>;
    explicit Ns16550aUart(TxSink txSink);

    std::string name() const override { return "ns16550a"; }
    uint64_t mmioSize() const override { return kSize; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;
    void reset() override;

    hw::IrqLine& irq() { return irq_; }

    // Any thread.
    void pushHostInput(std::span<const uint8_t> bytes);
    bool hostInputWaiting() const;
    // VM thread: moves inbox bytes into the RX FIFO while it has room.
    void pumpHostInput();

private:
    uint8_t readRegister(uint8_t reg);
    void writeRegister(uint8_t reg, uint8_t value);
    void receive(uint8_t byte);
    void updateIrq();
    uint8_t currentIir() const;

    TxSink txSink_;
    hw::IrqLine irq_;

    std::deque<uint8_t> rxFifo_;
    uint8_t ier_ = 0, fcr_ = 0, lcr_ = 0, mcr_ = 0, lsrErrors_ = 0, msr_ = 0, scr_ = 0;
    uint8_t dll_ = 0x0C, dlm_ = 0;
    bool thrInterruptPending_ = false;  // cleared by reading IIR or writing THR

    mutable std::mutex inboxMutex_;
    std::deque<uint8_t> inbox_;
};

}  // namespace tessera::devices
