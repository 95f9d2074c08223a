#include "core/devices/ns16550a_uart.h"

#include "core/hw/trace.h"

namespace tessera::devices {

Ns16550aUart::Ns16550aUart(TxSink txSink) : txSink_(std::move(txSink)) { reset(); }

void Ns16550aUart::reset() {
    rxFifo_.clear();
    ier_ = fcr_ = lcr_ = mcr_ = lsrErrors_ = scr_ = 0;
    // Modem lines of a connected terminal: carrier, data set ready, clear to send.
    msr_ = MSR_DCD | MSR_DSR | MSR_CTS;
    dll_ = 0x0C;
    dlm_ = 0;
    thrInterruptPending_ = false;
    updateIrq();
}

uint8_t Ns16550aUart::currentIir() const {
    // Priorities from the datasheet's IIR table: line status > received data >
    // THR empty > modem status.
    uint8_t iir = IIR_NO_INT;
    if ((ier_ & IER_RLSI) && (lsrErrors_ & (LSR_OE | LSR_BI)))
        iir = IIR_RLSI;
    else if ((ier_ & IER_RDI) && !rxFifo_.empty())
        iir = IIR_RDI;
    else if ((ier_ & IER_THRI) && thrInterruptPending_)
        iir = IIR_THRI;
    else if ((ier_ & IER_MSI) && (msr_ & 0x0F))
        iir = IIR_MSI;
    if (fcr_ & FCR_ENABLE) iir |= IIR_FIFO_ENABLED;
    return iir;
}

void Ns16550aUart::updateIrq() {
    // OUT2 gates the interrupt on PC serial ports but QEMU's virt UART (and
    // OpenSBI/U-Boot relying on it) ignore it, so we do too.
    irq_.set((currentIir() & IIR_NO_INT) == 0);
}

uint8_t Ns16550aUart::readRegister(uint8_t reg) {
    switch (reg) {
        case RBR_THR_DLL: {
            if (lcr_ & LCR_DLAB) return dll_;
            if (rxFifo_.empty()) return 0;
            const uint8_t byte = rxFifo_.front();
            rxFifo_.pop_front();
            TESSERA_TRACE(Mmio, "uart: RBR -> 0x%02x (%zu left)", byte, rxFifo_.size());
            pumpHostInput();
            updateIrq();
            return byte;
        }
        case IER_DLM:
            return (lcr_ & LCR_DLAB) ? dlm_ : ier_;
        case IIR_FCR: {
            const uint8_t iir = currentIir();
            // Reading IIR while it reports THR empty acknowledges that source.
            if ((iir & 0x0F) == IIR_THRI) {
                thrInterruptPending_ = false;
                updateIrq();
            }
            return iir;
        }
        case LCR:
            return lcr_;
        case MCR:
            return mcr_;
        case LSR: {
            uint8_t lsr = LSR_THRE | LSR_TEMT | lsrErrors_;
            if (!rxFifo_.empty()) lsr |= LSR_DR;
            lsrErrors_ = 0;  // error bits clear on read
            updateIrq();
            return lsr;
        }
        case MSR: {
            uint8_t msr = msr_;
            if (mcr_ & MCR_LOOP) {
                // Loopback: modem inputs follow the modem control outputs.
                msr = static_cast<uint8_t>(((mcr_ & MCR_RTS) ? MSR_CTS : 0) | ((mcr_ & MCR_DTR) ? MSR_DSR : 0) |
                                           ((mcr_ & MCR_OUT1) ? MSR_RI : 0) | ((mcr_ & MCR_OUT2) ? MSR_DCD : 0));
            }
            msr_ &= 0xF0;  // delta bits clear on read
            updateIrq();
            return msr;
        }
        case SCR:
            return scr_;
    }
    return 0;
}

void Ns16550aUart::writeRegister(uint8_t reg, uint8_t value) {
    switch (reg) {
        case RBR_THR_DLL:
            if (lcr_ & LCR_DLAB) {
                dll_ = value;
                return;
            }
            if (mcr_ & MCR_LOOP)
                receive(value);
            else if (txSink_)
                txSink_(value);
            // The byte left at once, so THR is empty again and, if enabled,
            // reports that (datasheet: THRE interrupt set when THR empties).
            thrInterruptPending_ = true;
            updateIrq();
            return;
        case IER_DLM:
            if (lcr_ & LCR_DLAB) {
                dlm_ = value;
                return;
            }
            {
                const bool thriWasOff = !(ier_ & IER_THRI);
                ier_ = value & 0x0F;
                TESSERA_TRACE(Mmio, "uart: IER <- 0x%02x", ier_);
                // Enabling THRI with THR empty raises the interrupt right away;
                // Linux's 8250 startup probes exactly this (UART_BUG_THRE).
                if (thriWasOff && (ier_ & IER_THRI)) thrInterruptPending_ = true;
            }
            updateIrq();
            return;
        case IIR_FCR:
            TESSERA_TRACE(Mmio, "uart: FCR <- 0x%02x (rx fifo %zu)", value, rxFifo_.size());
            if (value & FCR_CLEAR_RX) rxFifo_.clear();
            fcr_ = value & 0xC9;  // enable, DMA mode, trigger level
            pumpHostInput();
            updateIrq();
            return;
        case LCR:
            lcr_ = value;
            return;
        case MCR:
            mcr_ = value & 0x1F;
            updateIrq();
            return;
        case LSR:
        case MSR:
            return;  // read-only (factory test registers on some parts)
        case SCR:
            scr_ = value;
            return;
    }
}

uint64_t Ns16550aUart::read(uint64_t offset, unsigned size) {
    if (offset >= 8) return 0;
    // Wider accesses read consecutive byte registers; only byte access is
    // architectural (reg-io-width = 1) but a hostile guest may try others.
    uint64_t value = 0;
    for (unsigned i = 0; i < size && offset + i < 8; ++i)
        value |= uint64_t(readRegister(static_cast<uint8_t>(offset + i))) << (8 * i);
    return value;
}

void Ns16550aUart::write(uint64_t offset, unsigned size, uint64_t value) {
    if (offset >= 8) return;
    for (unsigned i = 0; i < size && offset + i < 8; ++i)
        writeRegister(static_cast<uint8_t>(offset + i), static_cast<uint8_t>(value >> (8 * i)));
}

void Ns16550aUart::receive(uint8_t byte) {
    const size_t depth = (fcr_ & FCR_ENABLE) ? kFifoDepth : 1;
    if (rxFifo_.size() >= depth) {
        lsrErrors_ |= LSR_OE;
        return;
    }
    rxFifo_.push_back(byte);
}

void Ns16550aUart::pushHostInput(std::span<const uint8_t> bytes) {
    std::lock_guard lock(inboxMutex_);
    inbox_.insert(inbox_.end(), bytes.begin(), bytes.end());
}

bool Ns16550aUart::hostInputWaiting() const {
    std::lock_guard lock(inboxMutex_);
    return !inbox_.empty();
}

void Ns16550aUart::pumpHostInput() {
    if (mcr_ & MCR_LOOP) return;  // loopback disconnects the serial input
    const size_t depth = (fcr_ & FCR_ENABLE) ? kFifoDepth : 1;
    bool moved = false;
    {
        std::lock_guard lock(inboxMutex_);
        while (!inbox_.empty() && rxFifo_.size() < depth) {
            rxFifo_.push_back(inbox_.front());
            inbox_.pop_front();
            moved = true;
        }
    }
    if (moved) {
        TESSERA_TRACE(Mmio, "uart: rx fifo now %zu, IER 0x%02x", rxFifo_.size(), ier_);
        updateIrq();
    }
}

}  // namespace tessera::devices
