// Specification: virtio-input (virtio 1.2 §5.8) keyboard and tablet describe
// themselves through select/subsel config queries, and keys/pointer moves
// injected from another thread arrive in the guest's event queue as
// EV_KEY/EV_ABS/EV_SYN events in order.

#include <QtTest>
#include <map>
#include <thread>

#include "core/devices/virtio_input.h"
#include "virtio_test_driver.h"

using namespace tessera;
using namespace tessera::devices;
using namespace tessera::testing;

namespace {

struct InputRig {
    explicit InputRig(VirtioInput::Kind kind) : input(kind), mmio(driver.bus, &input) {
        driver.attach(&mmio);
        initialised = driver.initialise(~0ull, 2, 64);
        for (int i = 0; i < 16; ++i) postBuffer();
    }
    void postBuffer() {
        std::vector<TestBuffer> buffers{TestBuffer::out(8)};
        const uint16_t head = driver.submit(VirtioInput::kEventQueue, buffers);
        addresses[head] = buffers[0].address;
    }
    std::vector<InputEvent> events() {
        std::vector<InputEvent> result;
        for (const UsedElement& used : driver.takeUsed(VirtioInput::kEventQueue)) {
            const uint64_t at = addresses.at(static_cast<uint16_t>(used.id));
            result.push_back({driver.peekValue<uint16_t>(at), driver.peekValue<uint16_t>(at + 2),
                              driver.peekValue<uint32_t>(at + 4)});
            postBuffer();
        }
        return result;
    }
    // Selects a config item; returns (size, payload).
    std::pair<uint8_t, std::vector<uint8_t>> query(uint8_t select, uint8_t subsel) {
        mmio.write(0x100, 1, select);
        mmio.write(0x101, 1, subsel);
        const uint8_t size = static_cast<uint8_t>(mmio.read(0x102, 1));
        std::vector<uint8_t> payload;
        for (unsigned i = 0; i < size; ++i) payload.push_back(static_cast<uint8_t>(mmio.read(0x108 + i, 1)));
        return {size, payload};
    }
    static bool bit(const std::vector<uint8_t>& bitmap, unsigned n) {
        return n / 8 < bitmap.size() && (bitmap[n / 8] >> (n % 8)) & 1;
    }

    VirtioTestDriver driver;
    VirtioInput input;
    VirtioMmio mmio;
    bool initialised = false;
    std::map<uint16_t, uint64_t> addresses;
};

bool sameEvent(const InputEvent& a, uint16_t type, uint16_t code, uint32_t value) {
    return a.type == type && a.code == code && a.value == value;
}

}  // namespace

class VirtioInputTest : public QObject {
    Q_OBJECT
private slots:
    void keyboardDescribesItself() {
        InputRig rig(VirtioInput::Kind::Keyboard);
        QVERIFY(rig.initialised);
        QCOMPARE(rig.driver.reg(virtio_mmio_reg::kDeviceId), 18u);
        auto [nameSize, name] = rig.query(kVirtioInputCfgIdName, 0);
        QCOMPARE(std::string(name.begin(), name.end()), std::string("Tessera Virtio Keyboard"));
        auto [bitsSize, keyBits] = rig.query(kVirtioInputCfgEvBits, kEvKey);
        QVERIFY(bitsSize > 0);
        QVERIFY(InputRig::bit(keyBits, 30));   // KEY_A
        QVERIFY(InputRig::bit(keyBits, 111));  // KEY_DELETE
        QCOMPARE(rig.query(kVirtioInputCfgEvBits, kEvAbs).first, uint8_t{0});
        QCOMPARE(rig.query(kVirtioInputCfgAbsInfo, kAbsX).first, uint8_t{0});
        QCOMPARE(rig.query(0x7f, 0).first, uint8_t{0});  // unknown selector: empty
    }

    void tabletDescribesAbsoluteAxesAndButtons() {
        InputRig rig(VirtioInput::Kind::Tablet);
        auto [absSize, absBits] = rig.query(kVirtioInputCfgEvBits, kEvAbs);
        QVERIFY(InputRig::bit(absBits, kAbsX) && InputRig::bit(absBits, kAbsY));
        auto [keySize, keyBits] = rig.query(kVirtioInputCfgEvBits, kEvKey);
        QVERIFY(InputRig::bit(keyBits, kBtnLeft) && InputRig::bit(keyBits, kBtnRight));
        auto [infoSize, info] = rig.query(kVirtioInputCfgAbsInfo, kAbsY);
        QCOMPARE(infoSize, uint8_t{20});
        uint32_t max = 0;
        std::memcpy(&max, info.data() + 4, 4);
        QCOMPARE(max, VirtioInput::kAbsMax);
    }

    void injectedKeysArriveAsKeyAndSynEvents() {
        InputRig rig(VirtioInput::Kind::Keyboard);
        int wakes = 0;
        rig.input.setWakeCallback([&] { ++wakes; });
        // From another thread, like the UI.
        std::thread ui([&] {
            rig.input.injectKey(*evdevFromQtKey(Qt::Key_A), true);
            rig.input.injectKey(*evdevFromQtKey(Qt::Key_A), false);
        });
        ui.join();
        QCOMPARE(wakes, 2);
        rig.input.poll();
        const auto events = rig.events();
        QCOMPARE(events.size(), size_t{4});
        QVERIFY(sameEvent(events[0], kEvKey, 30, 1));
        QVERIFY(sameEvent(events[1], kEvSyn, kSynReport, 0));
        QVERIFY(sameEvent(events[2], kEvKey, 30, 0));
        QVERIFY(sameEvent(events[3], kEvSyn, kSynReport, 0));
        QVERIFY(rig.driver.interruptLevel);
    }

    void eventsWaitForBuffersInsteadOfBeingLost() {
        InputRig rig(VirtioInput::Kind::Keyboard);
        for (int i = 0; i < 20; ++i) rig.input.injectKey(2, i % 2 == 0);  // 40 events, 16 buffers
        rig.input.poll();
        auto first = rig.events();  // re-posts 16 buffers, which notifies and delivers more
        QCOMPARE(first.size(), size_t{16});
        rig.input.poll();
        auto second = rig.events();
        rig.input.poll();
        auto third = rig.events();
        QCOMPARE(first.size() + second.size() + third.size(), size_t{40});
    }

    void pointerMovesAreAbsoluteWithButtonChanges() {
        InputRig rig(VirtioInput::Kind::Tablet);
        rig.input.injectPointer(100, 200, 0);
        rig.input.injectPointer(40000, 5, VirtioInput::kButtonLeft);  // x is clamped
        rig.input.poll();
        const auto events = rig.events();
        QCOMPARE(events.size(), size_t{7});
        QVERIFY(sameEvent(events[0], kEvAbs, kAbsX, 100));
        QVERIFY(sameEvent(events[1], kEvAbs, kAbsY, 200));
        QVERIFY(sameEvent(events[2], kEvSyn, kSynReport, 0));
        QVERIFY(sameEvent(events[3], kEvAbs, kAbsX, VirtioInput::kAbsMax));
        QVERIFY(sameEvent(events[4], kEvAbs, kAbsY, 5));
        QVERIFY(sameEvent(events[5], kEvKey, kBtnLeft, 1));
        QVERIFY(sameEvent(events[6], kEvSyn, kSynReport, 0));
    }

    void keyTablesMapQtKeysAndMonitorNames() {
        QCOMPARE(*evdevFromQtKey(Qt::Key_Escape), uint16_t{1});
        QCOMPARE(*evdevFromQtKey(Qt::Key_Exclam), uint16_t{2});  // shift+1 on a US layout
        QCOMPARE(*evdevFromQtKey(Qt::Key_5, true), uint16_t{76});  // keypad 5
        QCOMPARE(*evdevFromQtKey(Qt::Key_5, false), uint16_t{6});
        QVERIFY(!evdevFromQtKey(Qt::Key_unknown));
        QCOMPARE(*evdevFromXkbKeycode(38), uint16_t{30});  // XKB 'a'
        auto combo = parseKeyCombination("ctrl-alt-delete");
        QVERIFY(combo);
        QCOMPARE(*combo, (std::vector<uint16_t>{29, 56, 111}));
        QVERIFY(!parseKeyCombination("ctrl-nosuchkey"));
        QVERIFY(!parseKeyCombination("ctrl-"));
        QVERIFY(!parseKeyCombination(""));
        // No two Qt keys of the main table collide with a different code.
        for (int key = Qt::Key_A; key <= Qt::Key_Z; ++key) QVERIFY(evdevFromQtKey(key).has_value());
    }
};

QTEST_APPLESS_MAIN(VirtioInputTest)
#include "virtio_input_test.moc"
