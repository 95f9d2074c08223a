// Specification: ADB packets through CUDA reach the keyboard (address 2) and
// the mouse (address 3) as Linux's adb.c and adbhid.c use them: Talk register
// 3 tells address and handler, Listen register 3 moves a device or switches
// its handler, SendReset puts everything back; Talk register 0 gives key
// transitions (ADB codes, bit 7 on release) and 7-bit relative mouse motion
// with the buttons. With autopoll on, news arrives unasked as
// [0, 0x40, command, data], and a host packet that starts first is served
// first without losing it. Hostile packets and floods are bounded.

#include <QtTest>

#include "core/devices/adb_bus.h"
#include "core/devices/adb_keyboard.h"
#include "core/devices/adb_mouse.h"
#include "core/devices/cuda.h"
#include "cuda_host.h"

using namespace tessera::devices;
using namespace cuda_host;
using Bytes = std::vector<uint8_t>;

namespace {
constexpr uint16_t kKeyA = 30, kKeyLeftShift = 42, kKeyRightShift = 54, kKeyUnmapped = 0x2fe;
constexpr uint8_t kTalk0Keyboard = 0x2c, kTalk3Keyboard = 0x2f, kListen3Keyboard = 0x2b;
constexpr uint8_t kTalk0Mouse = 0x3c, kTalk3Mouse = 0x3f;

// A CUDA with the board's two ADB devices and the host side of the driver.
struct Rig {
    AdbKeyboard keyboard;
    AdbMouse mouse{[] { return QSize(800, 600); }};
    AdbBus bus;
    Cuda cuda{nullptr};
    Host host{cuda};
    Rig() {
        bus.attach(&keyboard);
        bus.attach(&mouse);
        cuda.attachAdb(&bus);
        host.init();
    }
    Bytes adb(const Bytes& command) {
        Bytes packet{0x00};
        packet.insert(packet.end(), command.begin(), command.end());
        host.send(packet);
        return host.receive();
    }
    void autopoll(bool on) {
        host.send({0x01, 0x01, uint8_t(on)});
        QCOMPARE(host.receive(), (Bytes{0x01, 0x00, 0x01}));
    }
};
}  // namespace

class CudaAdbTest : public QObject {
    Q_OBJECT
private slots:
    void talkRegister3TellsAddressAndHandler() {
        Rig rig;
        QCOMPARE(rig.adb({kTalk3Keyboard}), (Bytes{0x00, 0x00, kTalk3Keyboard, 0x62, 0x01}));
        QCOMPARE(rig.adb({kTalk3Mouse}), (Bytes{0x00, 0x00, kTalk3Mouse, 0x63, 0x02}));
        QCOMPARE(rig.adb({0x7f}), (Bytes{0x00, 0x02, 0x7f}));  // address 7: nobody, a timeout
    }
    void listenRegister3SwitchesToSupportedHandlersOnly() {
        Rig rig;
        QCOMPARE(rig.adb({kListen3Keyboard, 0x22, 0x03}), (Bytes{0x00, 0x00, kListen3Keyboard}));
        QCOMPARE(rig.adb({kTalk3Keyboard}).back(), uint8_t(0x03));  // extended keyboard, as Linux asks
        rig.adb({kListen3Keyboard, 0x22, 0x42});                    // a handler the keyboard does not speak
        QCOMPARE(rig.adb({kTalk3Keyboard}).back(), uint8_t(0x03));
        rig.adb({0x3b, 0x23, 0x04});  // the mouse: no extended protocol
        QCOMPARE(rig.adb({kTalk3Mouse}).back(), uint8_t(0x02));
    }
    void devicesMoveAndSendResetBringsThemBack() {
        Rig rig;
        rig.adb({kListen3Keyboard, 0x6a, 0xfe});  // move to address 10 (Linux's collision probe)
        QCOMPARE(rig.adb({kTalk3Keyboard}), (Bytes{0x00, 0x02, kTalk3Keyboard}));
        QCOMPARE(rig.adb({0xaf}), (Bytes{0x00, 0x00, 0xaf, 0x6a, 0x01}));
        rig.adb({0xab, 0x62, 0x00});
        QCOMPARE(rig.adb({kTalk3Keyboard}), (Bytes{0x00, 0x00, kTalk3Keyboard, 0x62, 0x01}));
        rig.adb({kListen3Keyboard, 0x6a, 0xfe});
        rig.adb({0xab, 0x6a, 0x03});                           // at address 10, handler 3
        QCOMPARE(rig.adb({0x00}), (Bytes{0x00, 0x00, 0x00}));  // SendReset
        QCOMPARE(rig.adb({kTalk3Keyboard}), (Bytes{0x00, 0x00, kTalk3Keyboard, 0x62, 0x01}));
    }
    void keysArriveAsAdbCodesTwoPerTalk() {
        Rig rig;
        QCOMPARE(rig.adb({kTalk0Keyboard}), (Bytes{0x00, 0x02, kTalk0Keyboard}));  // nothing new: silent
        rig.keyboard.injectKey(kKeyA, true);
        rig.keyboard.injectKey(kKeyUnmapped, true);  // no ADB key: dropped
        rig.keyboard.injectKey(kKeyA, false);
        rig.keyboard.injectKey(kKeyLeftShift, true);
        QCOMPARE(rig.adb({kTalk0Keyboard}), (Bytes{0x00, 0x00, kTalk0Keyboard, 0x00, 0x80}));
        QCOMPARE(rig.adb({kTalk0Keyboard}), (Bytes{0x00, 0x00, kTalk0Keyboard, 0x38, 0xff}));
        QCOMPARE(rig.adb({kTalk0Keyboard}), (Bytes{0x00, 0x02, kTalk0Keyboard}));
        rig.keyboard.injectKey(kKeyRightShift, true);
        rig.adb({0x21});  // Flush the keyboard
        QCOMPARE(rig.adb({kTalk0Keyboard}), (Bytes{0x00, 0x02, kTalk0Keyboard}));
    }
    void mouseMotionIsRelativeAtMost63PerReport() {
        Rig rig;
        rig.mouse.injectPointer(0, 0, 0);  // the first position: a reference, no motion
        QCOMPARE(rig.adb({kTalk0Mouse}), (Bytes{0x00, 0x02, kTalk0Mouse}));
        rig.mouse.injectPointer(4096, 8192, InputSink::kButtonLeft);  // 800x600: +100, +150
        int dx = 0, dy = 0, reports = 0;
        for (;;) {
            const Bytes reply = rig.adb({kTalk0Mouse});
            if (reply[1] != 0x00) break;
            QCOMPARE(reply.size(), size_t(5));
            // Byte 3: button (0 = pressed) and Y; byte 4: the second button (released) and X.
            if (reports++ == 0) QCOMPARE(reply[3] & 0x80, 0x80);  // the motion came before the press
            QCOMPARE(reply[4] & 0x80, 0x80);
            dy += int8_t(uint8_t(reply[3] << 1)) >> 1;
            dx += int8_t(uint8_t(reply[4] << 1)) >> 1;
        }
        QCOMPARE(dx, 100);
        QCOMPARE(dy, 150);
        QCOMPARE(reports, 4);              // 63+63+24 in Y, then the press on its own
        rig.mouse.injectPointer(0, 0, 0);  // back: -100, -150, released
        const Bytes first = rig.adb({kTalk0Mouse});
        QCOMPARE(first, (Bytes{0x00, 0x00, kTalk0Mouse, 0x00 | 0x41, 0x80 | 0x41}));  // -63, still pressed
    }
    void aClickFasterThanThePollIsStillAPressAndARelease() {
        Rig rig;
        rig.mouse.injectPointer(100, 100, InputSink::kButtonLeft);
        rig.mouse.injectPointer(100, 100, 0);
        QCOMPARE(rig.adb({kTalk0Mouse}), (Bytes{0x00, 0x00, kTalk0Mouse, 0x00, 0x80}));
        QCOMPARE(rig.adb({kTalk0Mouse}), (Bytes{0x00, 0x00, kTalk0Mouse, 0x80, 0x80}));
        QCOMPARE(rig.adb({kTalk0Mouse}), (Bytes{0x00, 0x02, kTalk0Mouse}));
    }
    void autopollSendsNewsUnasked() {
        Rig rig;
        rig.keyboard.injectKey(kKeyA, true);
        rig.cuda.poll();
        QVERIFY(!rig.host.treq());  // autopoll is off
        rig.autopoll(true);
        QVERIFY(rig.cuda.autopoll());
        rig.cuda.poll();
        QCOMPARE(rig.host.receive(), (Bytes{0x00, 0x40, kTalk0Keyboard, 0x00, 0xff}));
        rig.cuda.poll();
        QVERIFY(!rig.host.treq());  // nothing more to say
        rig.autopoll(false);
        rig.keyboard.injectKey(kKeyA, false);
        rig.cuda.poll();
        QVERIFY(!rig.host.treq());
    }
    void aHostPacketThatStartsFirstWinsAndTheNewsWaits() {
        Rig rig;
        rig.autopoll(true);
        rig.keyboard.injectKey(kKeyA, true);
        rig.cuda.poll();
        QVERIFY(rig.host.treq());
        // The host had already decided to send: it asserts TIP with the shift register out.
        rig.host.send({0x01, 0x03});
        const Bytes time = rig.host.receive();
        QCOMPARE(time.size(), size_t(7));
        QCOMPARE(time[2], uint8_t(0x03));
        rig.cuda.poll();
        QCOMPARE(rig.host.receive(), (Bytes{0x00, 0x40, kTalk0Keyboard, 0x00, 0xff}));
    }
    void hostileInputIsBounded() {
        Rig rig;
        QCOMPARE(rig.adb({}), (Bytes{0x00, 0x02, 0x00}));  // an ADB packet without a command
        rig.adb({kListen3Keyboard});                       // Listen without data
        rig.adb({kListen3Keyboard, 0x22});
        QCOMPARE(rig.adb({kTalk3Keyboard}), (Bytes{0x00, 0x00, kTalk3Keyboard, 0x62, 0x01}));
        for (int i = 0; i < 100000; ++i) rig.keyboard.injectKey(kKeyA, i % 2 == 0);
        int talks = 0;
        while (rig.adb({kTalk0Keyboard})[1] == 0x00) ++talks;
        QCOMPARE(talks, int(AdbKeyboard::kMaxPending / 2));
        for (int i = 0; i < 1000; ++i) rig.mouse.injectPointer(i % 2 ? 0xffffffffu : 0, 0, unsigned(i));
        talks = 0;
        while (rig.adb({kTalk0Mouse})[1] == 0x00 && talks < 100000) ++talks;
        QVERIFY(talks > 0);
        QVERIFY(talks < 100000);
    }
};

QTEST_GUILESS_MAIN(CudaAdbTest)
#include "cuda_adb_test.moc"
