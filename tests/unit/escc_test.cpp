// Specification: the Zilog ESCC as Linux's pmac_zilog and OpenBIOS drive it
// on mac99 — channel A (the console) at 0x20/0x30, channel B at 0x00/0x10,
// the register pointer in WR0, an always-empty transmitter, a receive FIFO,
// and transmit/receive interrupts gated by WR1 and WR9's master enable.

#include "core/devices/escc.h"

#include <QtTest>

using tessera::devices::Escc;

namespace {
constexpr uint64_t kCtrlA = 0x20, kDataA = 0x30, kCtrlB = 0x00;
void writeReg(Escc& escc, uint64_t ctrl, uint8_t reg, uint8_t value) {
    escc.write(ctrl, 1, reg);
    escc.write(ctrl, 1, value);
}
uint8_t readReg(Escc& escc, uint64_t ctrl, uint8_t reg) {
    escc.write(ctrl, 1, reg);
    return uint8_t(escc.read(ctrl, 1));
}
}  // namespace

class EsccTest : public QObject {
    Q_OBJECT
private slots:
    void channelADataGoesToTheConsoleAndTheTransmitterIsAlwaysEmpty() {
        QByteArray out;
        Escc escc([&](uint8_t b) { out.append(char(b)); });
        QVERIFY(escc.read(kCtrlA, 1) & 0x04);  // RR0 Tx buffer empty
        escc.write(kDataA, 1, 'o');
        escc.write(kDataA, 1, 'k');
        escc.write(0x10, 1, 'x');  // channel B is not the console
        QCOMPARE(out, QByteArray("ok"));
    }
    void receivedBytesAreReadInOrderWithRr0SayingSo() {
        Escc escc(nullptr);
        const uint8_t typed[] = {'h', 'i'};
        QCOMPARE(escc.read(kCtrlA, 1) & 0x01, 0u);
        escc.receive(typed);
        QCOMPARE(escc.read(kCtrlA, 1) & 0x01, 1u);
        QCOMPARE(escc.read(kDataA, 1), uint64_t('h'));
        QCOMPARE(escc.read(kDataA, 1), uint64_t('i'));
        QCOMPARE(escc.read(kCtrlA, 1) & 0x01, 0u);
    }
    void thePointerSelectsOneRegisterThenFallsBackToZero() {
        Escc escc(nullptr);
        writeReg(escc, kCtrlA, 12, 0x0a);
        QCOMPARE(readReg(escc, kCtrlA, 12), uint8_t(0x0a));
        escc.write(kCtrlA, 1, 0x08 | 7);  // "point high" + 7 = WR15
        escc.write(kCtrlA, 1, 0x55);
        QCOMPARE(readReg(escc, kCtrlA, 15), uint8_t(0x55));
        QVERIFY(escc.read(kCtrlA, 1) & 0x04);  // the next read is RR0 again
    }
    void interruptsNeedTheirEnableAndTheMasterEnable() {
        Escc escc(nullptr);
        bool irqA = false, irqB = false;
        escc.irq(Escc::A).connect([&](bool l) { irqA = l; });
        escc.irq(Escc::B).connect([&](bool l) { irqB = l; });
        const uint8_t typed[] = {'x'};
        escc.receive(typed);
        QVERIFY(!irqA);
        writeReg(escc, kCtrlA, 1, 0x10);  // receive interrupts on all characters
        QVERIFY(!irqA);                   // WR9 MIE still off
        writeReg(escc, kCtrlA, 9, 0x08);
        QVERIFY(irqA);
        QCOMPARE(readReg(escc, kCtrlA, 3), uint8_t(0x20));  // RR3: channel A Rx pending
        escc.read(kDataA, 1);
        QVERIFY(!irqA);
        writeReg(escc, kCtrlA, 1, 0x02);  // transmit interrupts
        escc.write(kDataA, 1, 'y');
        QVERIFY(irqA);
        QCOMPARE(readReg(escc, kCtrlA, 3), uint8_t(0x10));
        escc.write(kCtrlA, 1, 0x28);  // reset Tx interrupt pending
        QVERIFY(!irqA);
        QVERIFY(!irqB);
        QCOMPARE(readReg(escc, kCtrlB, 3), uint8_t(0));  // RR3 exists on channel A only
    }
    void aChannelResetInWr9ClearsItsState() {
        Escc escc(nullptr);
        const uint8_t typed[] = {'x'};
        escc.receive(typed);
        writeReg(escc, kCtrlA, 12, 0x0a);
        writeReg(escc, kCtrlA, 9, 0x80);  // reset channel A
        QCOMPARE(readReg(escc, kCtrlA, 12), uint8_t(0));
        QCOMPARE(escc.read(kCtrlA, 1) & 0x01, 0u);
    }
};

QTEST_APPLESS_MAIN(EsccTest)
#include "escc_test.moc"
