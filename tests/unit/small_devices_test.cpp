// Specification: sifive_test, goldfish RTC and the empty virtio-mmio slots
// behave like QEMU virt's devices of the same name.

#include <QtTest>

#include <chrono>

#include "core/devices/goldfish_rtc.h"
#include "core/devices/sifive_test.h"
#include "core/devices/virtio_mmio.h"
#include "core/hw/memory_bus.h"

using namespace tessera::devices;

class SmallDevicesTest : public QObject {
    Q_OBJECT
private slots:
    void sifiveTestReportsPassFailAndReset() {
        SifiveTest::Request request{};
        int code = -1, calls = 0;
        SifiveTest test([&](SifiveTest::Request r, int c) {
            request = r;
            code = c;
            ++calls;
        });
        test.write(0, 4, 0x5555);
        QCOMPARE(request, SifiveTest::Request::PowerOff);
        QCOMPARE(code, 0);
        test.write(0, 4, (42u << 16) | 0x3333);
        QCOMPARE(code, 42);
        test.write(0, 4, 0x3333);  // failure with code 0 must still fail
        QCOMPARE(code, 1);
        test.write(0, 4, 0x7777);
        QCOMPARE(request, SifiveTest::Request::Reset);
        QCOMPARE(calls, 4);
        test.write(0, 4, 0x1234);  // unknown command
        test.write(4, 4, 0x5555);  // wrong offset
        test.write(0, 1, 0x55);    // byte access: below the finisher's minimum size
        QCOMPARE(calls, 4);
        test.write(0, 2, 0x5555);  // OpenSBI's sifive_test driver uses 16-bit writes
        QCOMPARE(calls, 5);
        QCOMPARE(request, SifiveTest::Request::PowerOff);
    }
    void goldfishRtcReadsHostWallClockLowThenHigh() {
        GoldfishRtc rtc;
        const uint64_t low = rtc.read(GoldfishRtc::TIME_LOW, 4);
        const uint64_t high = rtc.read(GoldfishRtc::TIME_HIGH, 4);
        const uint64_t ns = (high << 32) | low;
        const auto host = std::chrono::duration_cast<std::chrono::nanoseconds>(
                              std::chrono::system_clock::now().time_since_epoch()).count();
        QVERIFY(std::llabs(int64_t(ns) - host) < 1'000'000'000);
    }
    void goldfishRtcCanBeSetAndFiresAnAlarm() {
        GoldfishRtc rtc;
        bool irq = false;
        rtc.irq().connect([&](bool l) { irq = l; });
        const uint64_t target = 1'000'000'000ull * 3600 * 24 * 365 * 10;  // 1980
        rtc.write(GoldfishRtc::TIME_HIGH, 4, target >> 32);
        rtc.write(GoldfishRtc::TIME_LOW, 4, target & 0xFFFFFFFF);
        uint64_t now = rtc.read(GoldfishRtc::TIME_LOW, 4);
        now |= rtc.read(GoldfishRtc::TIME_HIGH, 4) << 32;
        QVERIFY(now >= target && now < target + 1'000'000'000);
        rtc.write(GoldfishRtc::IRQ_ENABLED, 4, 1);
        rtc.write(GoldfishRtc::ALARM_HIGH, 4, now >> 32);
        rtc.write(GoldfishRtc::ALARM_LOW, 4, now & 0xFFFFFFFF);  // already due
        QVERIFY(irq);
        QCOMPARE(rtc.read(GoldfishRtc::ALARM_STATUS, 4), 0ull);
        rtc.write(GoldfishRtc::CLEAR_INTERRUPT, 4, 1);
        QVERIFY(!irq);
    }
    void emptyVirtioSlotSaysNoDevice() {
        tessera::hw::MemoryBus bus;
        tessera::devices::VirtioMmio slot(bus, nullptr);  // an empty slot
        QCOMPARE(slot.read(tessera::devices::virtio_mmio_reg::kMagic, 4), 0x74726976ull);
        QCOMPARE(slot.read(tessera::devices::virtio_mmio_reg::kVersion, 4), 2ull);
        QCOMPARE(slot.read(tessera::devices::virtio_mmio_reg::kDeviceId, 4), 0ull);
        QCOMPARE(slot.read(tessera::devices::virtio_mmio_reg::kVendorId, 4), 0x554D4551ull);
        slot.write(0x070, 4, 0xF);  // status: ignored
        QCOMPARE(slot.read(0x070, 4), 0ull);
        QCOMPARE(slot.read(0, 1), 0ull);  // only 32-bit accesses are defined
        QCOMPARE(slot.read(~uint64_t(0), 8), 0ull);
    }
};

QTEST_APPLESS_MAIN(SmallDevicesTest)
#include "small_devices_test.moc"
