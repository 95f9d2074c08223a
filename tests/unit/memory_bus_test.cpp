// Specification: the memory bus maps RAM and devices and rejects everything else.

#include <QtTest>

#include "core/machine/memory_bus.h"

using tessera::machine::MemoryBus;

class MemoryBusTest : public QObject {
    Q_OBJECT
private slots:
    void ramReadsBackWhatWasWritten() {
        MemoryBus bus;
        QVERIFY(bus.addRam(0x80000000, 0x10000) != nullptr);
        QVERIFY(bus.write(0x80000010, 8, 0x1122334455667788ull));
        uint64_t value = 0;
        QVERIFY(bus.read(0x80000014, 4, value));
        QCOMPARE(value, 0x11223344ull);
    }
    void accessOutsideEveryRegionFails() {
        MemoryBus bus;
        bus.addRam(0x80000000, 0x1000);
        uint64_t value = 0;
        QVERIFY(!bus.read(0x7ffffff8, 8, value));
        QVERIFY(!bus.write(0x80000ffc, 8, 0));  // straddles the end of RAM
        uint8_t buffer[16] = {};
        QVERIFY(!bus.readBlock(0x80000ff8, buffer));
        QVERIFY(bus.readBlock(0x80000ff0, buffer));
    }
};

QTEST_APPLESS_MAIN(MemoryBusTest)
#include "memory_bus_test.moc"
