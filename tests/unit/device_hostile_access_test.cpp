// Specification: guest-controlled register accesses cannot crash or wedge a
// device. A deterministic stream of random offsets, sizes and values is thrown
// at every virt device (meaningful under ASan/UBSan); afterwards each device
// still does its job after reset.

#include <QtTest>
#include <random>

#include "core/devices/clint.h"
#include "core/devices/goldfish_rtc.h"
#include "core/devices/ns16550a_uart.h"
#include "core/devices/plic.h"
#include "core/devices/sifive_test.h"
#include "core/devices/virtio_mmio.h"
#include "core/hw/memory_bus.h"
#include "core/hw/virtual_clock.h"

using namespace tessera::devices;

class DeviceHostileAccessTest : public QObject {
    Q_OBJECT

    static void hammer(tessera::hw::MmioDevice& device, uint32_t seed) {
        std::mt19937_64 random(seed);
        const unsigned sizes[] = {1, 2, 4, 8};
        for (int i = 0; i < 200000; ++i) {
            // Mostly inside the window, sometimes anywhere at all.
            const uint64_t offset = (i % 16 == 0) ? random() : random() % (device.mmioSize() + 64);
            const unsigned size = sizes[random() % 4];
            if (random() % 2)
                device.write(offset, size, random());
            else
                (void)device.read(offset, size);
        }
    }

private slots:
    void everyDeviceSurvivesRandomAccesses() {
        tessera::hw::VirtualClock clock;
        Clint clint(clock, 1);
        Plic plic(1);
        std::vector<uint8_t> sent;
        Ns16550aUart uart([&](uint8_t b) { sent.push_back(b); });
        int requests = 0;
        SifiveTest test([&](SifiveTest::Request, int) { ++requests; });
        GoldfishRtc rtc;
        tessera::hw::MemoryBus bus;
        tessera::devices::VirtioMmio slot(bus, nullptr);  // an empty slot
        plic.contextIrq(0).connect([](bool) {});
        uart.irq().connect([&](bool level) { plic.setSourceLevel(10, level); });
        const uint8_t input[] = "hello";
        uart.pushHostInput(input);

        hammer(clint, 1);
        hammer(plic, 2);
        hammer(uart, 3);
        hammer(test, 4);
        hammer(rtc, 5);
        hammer(slot, 6);

        // Still functional after a reset.
        uart.reset();
        sent.clear();
        uart.write(Ns16550aUart::RBR_THR_DLL, 1, 'k');
        QCOMPARE(sent, std::vector<uint8_t>{'k'});
        plic.reset();
        plic.write(5 * 4, 4, 1);
        plic.write(Plic::kEnableBase, 4, 1u << 5);
        plic.setSourceLevel(5, true);
        QCOMPARE(plic.read(Plic::kContextBase + 4, 4), 5ull);
        clint.reset();
        QCOMPARE(clint.read(Clint::kMtimecmpBase, 8), ~0ull);
        QCOMPARE(slot.read(tessera::devices::virtio_mmio_reg::kMagic, 4),
                 uint64_t(tessera::devices::kVirtioMmioMagic));
    }
};

QTEST_APPLESS_MAIN(DeviceHostileAccessTest)
#include "device_hostile_access_test.moc"
