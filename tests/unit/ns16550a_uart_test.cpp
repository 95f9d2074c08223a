// Specification: the NS16550A behaves as the PC16550D datasheet and Linux's
// 8250 driver expect: instant transmit, RX FIFO fed from the host without
// loss, interrupt identification in priority order, divisor latch.

#include <QtTest>

#include <vector>

#include "core/devices/ns16550a_uart.h"

using Uart = tessera::devices::Ns16550aUart;

class Ns16550aUartTest : public QObject {
    Q_OBJECT
private slots:
    void transmittedBytesReachTheHostAtOnce() {
        std::vector<uint8_t> out;
        Uart uart([&](uint8_t b) { out.push_back(b); });
        for (char c : std::string("hi\n")) uart.write(Uart::RBR_THR_DLL, 1, uint8_t(c));
        QCOMPARE(out, (std::vector<uint8_t>{'h', 'i', '\n'}));
        QCOMPARE(uart.read(Uart::LSR, 1) & (Uart::LSR_THRE | Uart::LSR_TEMT), uint64_t(Uart::LSR_THRE | Uart::LSR_TEMT));
    }
    void hostInputArrivesInOrderThroughTheFifoWithoutLoss() {
        Uart uart(nullptr);
        uart.write(Uart::IIR_FCR, 1, Uart::FCR_ENABLE);
        std::string text(100, '\0');
        for (size_t i = 0; i < text.size(); ++i) text[i] = char('A' + i % 26);
        uart.pushHostInput({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
        uart.pumpHostInput();
        std::string received;
        while (uart.read(Uart::LSR, 1) & Uart::LSR_DR) received.push_back(char(uart.read(Uart::RBR_THR_DLL, 1)));
        QCOMPARE(received, text);
        QVERIFY(!uart.hostInputWaiting());
    }
    void receiveInterruptWhenEnabledAndDataWaits() {
        Uart uart(nullptr);
        bool irq = false;
        uart.irq().connect([&](bool l) { irq = l; });
        const uint8_t byte = 'x';
        uart.pushHostInput({&byte, 1});
        uart.pumpHostInput();
        QVERIFY(!irq);
        QCOMPARE(uart.read(Uart::IIR_FCR, 1), uint64_t(Uart::IIR_NO_INT));
        uart.write(Uart::IER_DLM, 1, Uart::IER_RDI);
        QVERIFY(irq);
        QCOMPARE(uart.read(Uart::IIR_FCR, 1) & 0x0F, uint64_t(Uart::IIR_RDI));
        QCOMPARE(uart.read(Uart::RBR_THR_DLL, 1), uint64_t('x'));
        QVERIFY(!irq);
    }
    void enablingThrInterruptWithEmptyThrRaisesIt() {
        // Linux's 8250 startup checks this (UART_BUG_THRE probe).
        Uart uart([](uint8_t) {});
        bool irq = false;
        uart.irq().connect([&](bool l) { irq = l; });
        uart.write(Uart::IER_DLM, 1, Uart::IER_THRI);
        QVERIFY(irq);
        QCOMPARE(uart.read(Uart::IIR_FCR, 1) & 0x0F, uint64_t(Uart::IIR_THRI));
        QVERIFY(!irq);  // reading IIR acknowledged it
        uart.write(Uart::RBR_THR_DLL, 1, 'a');
        QVERIFY(irq);  // sent at once: THR empty again
        uart.write(Uart::IER_DLM, 1, 0);
        QVERIFY(!irq);
    }
    void receiveOutranksTransmitInIir() {
        Uart uart([](uint8_t) {});
        uart.write(Uart::IER_DLM, 1, Uart::IER_THRI | Uart::IER_RDI);
        const uint8_t byte = 'y';
        uart.pushHostInput({&byte, 1});
        uart.pumpHostInput();
        QCOMPARE(uart.read(Uart::IIR_FCR, 1) & 0x0F, uint64_t(Uart::IIR_RDI));
    }
    void fifoEnabledShowsInIir() {
        Uart uart(nullptr);
        uart.write(Uart::IIR_FCR, 1, Uart::FCR_ENABLE);
        QCOMPARE(uart.read(Uart::IIR_FCR, 1) & 0xC0, uint64_t(0xC0));
    }
    void divisorLatchSharesOffsetsZeroAndOne() {
        std::vector<uint8_t> out;
        Uart uart([&](uint8_t b) { out.push_back(b); });
        uart.write(Uart::LCR, 1, Uart::LCR_DLAB | 0x03);
        uart.write(Uart::RBR_THR_DLL, 1, 0x01);
        uart.write(Uart::IER_DLM, 1, 0x02);
        QCOMPARE(uart.read(Uart::RBR_THR_DLL, 1), 0x01ull);
        QCOMPARE(uart.read(Uart::IER_DLM, 1), 0x02ull);
        QVERIFY(out.empty());  // DLL writes are not data
        uart.write(Uart::LCR, 1, 0x03);
        QCOMPARE(uart.read(Uart::IER_DLM, 1), 0ull);
        QCOMPARE(uart.read(Uart::LCR, 1), 0x03ull);
    }
    void scratchRegisterHoldsItsValue() {
        Uart uart(nullptr);
        uart.write(Uart::SCR, 1, 0xA5);
        QCOMPARE(uart.read(Uart::SCR, 1), 0xA5ull);
    }
    void loopbackSendsTransmittedBytesBackAndMirrorsModemLines() {
        std::vector<uint8_t> out;
        Uart uart([&](uint8_t b) { out.push_back(b); });
        uart.write(Uart::MCR, 1, Uart::MCR_LOOP | Uart::MCR_RTS | Uart::MCR_OUT2);
        uart.write(Uart::RBR_THR_DLL, 1, 0x5A);
        QVERIFY(out.empty());
        QCOMPARE(uart.read(Uart::RBR_THR_DLL, 1), 0x5Aull);
        QCOMPARE(uart.read(Uart::MSR, 1) & 0xF0, uint64_t(Uart::MSR_CTS | Uart::MSR_DCD));
    }
    void hostileAccessesAreHarmless() {
        Uart uart([](uint8_t) {});
        for (uint64_t offset : {uint64_t(6), uint64_t(7), uint64_t(8), uint64_t(0xFF), ~uint64_t(0)})
            for (unsigned size : {1u, 2u, 4u, 8u}) {
                uart.write(offset, size, ~uint64_t(0));
                (void)uart.read(offset, size);
            }
        uart.reset();
        QCOMPARE(uart.read(Uart::LCR, 1), 0ull);
    }
};

QTEST_APPLESS_MAIN(Ns16550aUartTest)
#include "ns16550a_uart_test.moc"
