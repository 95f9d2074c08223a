// Specification: the CUDA system controller answers the host side of Linux's
// via-cuda driver — TIP/TACK handshakes on VIA port B, one shift-register
// interrupt per byte, TREQ negated with the last reply byte — with the time
// of day since 1904 and the power-off and restart commands.

#include "core/devices/cuda.h"

#include <QtTest>

using tessera::devices::Cuda;

namespace {
constexpr uint64_t kB = 0x0000, kSr = 0x1400, kAcr = 0x1600, kIfr = 0x1a00, kIer = 0x1c00;
constexpr uint8_t kTreq = 0x08, kTack = 0x10, kTip = 0x20, kSrOut = 0x10, kSrInt = 0x04;

// The host side, step by step as drivers/macintosh/via-cuda.c does it.
struct Host {
    Cuda& cuda;
    bool interrupt() { return cuda.read(kIfr, 1) & kSrInt; }
    uint8_t portB() { return uint8_t(cuda.read(kB, 1)); }
    bool treq() { return !(portB() & kTreq); }
    void setB(uint8_t v) { cuda.write(kB, 1, v); }
    // cuda_init_via: TIP and TACK negated, any left-over interrupt cleared.
    void init() {
        setB(kTip | kTack);
        cuda.read(kSr, 1);
        cuda.write(kIfr, 1, kSrInt);
    }

    void send(const std::vector<uint8_t>& packet) {
        cuda.write(kAcr, 1, kSrOut);
        cuda.write(kSr, 1, packet[0]);
        setB(portB() & ~kTip);  // assert TIP: the first byte goes
        for (size_t i = 1; i < packet.size(); ++i) {
            QVERIFY(interrupt());
            QVERIFY(!treq());
            cuda.write(kSr, 1, packet[i]);
            setB(portB() ^ kTack);
        }
        QVERIFY(interrupt());
        cuda.write(kAcr, 1, 0);
        cuda.read(kSr, 1);
        setB(portB() | kTip | kTack);  // end of packet
    }
    std::vector<uint8_t> receive() {
        std::vector<uint8_t> reply;
        if (!interrupt() || !treq()) return reply;  // the CUDA says it has data
        cuda.read(kSr, 1);
        setB(portB() & ~kTip);
        for (;;) {
            if (!interrupt()) return {};
            const bool more = treq();
            reply.push_back(uint8_t(cuda.read(kSr, 1)));
            if (!more) break;
            setB(portB() ^ kTack);
        }
        setB(portB() | kTip | kTack);
        if (!interrupt()) return {};  // "read done"
        cuda.read(kSr, 1);
        return reply;
    }
};
}  // namespace

class CudaTest : public QObject {
    Q_OBJECT
private slots:
    void theSyncHandshakeIsAnsweredWithTreq() {
        Cuda cuda(nullptr);
        Host host{cuda};
        host.setB(kTip | kTack);
        cuda.read(kSr, 1);
        host.setB(kTip);  // assert TACK without TIP
        QVERIFY(host.treq());
        QVERIFY(host.interrupt());
        cuda.read(kSr, 1);
        host.setB(kTip | kTack);
        QVERIFY(!host.treq());
        QVERIFY(host.interrupt());
    }
    void getTimeCountsSecondsSince1904() {
        Cuda cuda(nullptr, [] { return int64_t(1'700'000'000); });
        Host host{cuda};
        host.init();
        host.send({0x01, 0x03});
        const std::vector<uint8_t> reply = host.receive();
        const uint32_t expected = 1'700'000'000u + 2'082'844'800u;
        QCOMPARE(reply,
                 (std::vector<uint8_t>{0x01, 0x00, 0x03, uint8_t(expected >> 24), uint8_t(expected >> 16),
                                       uint8_t(expected >> 8), uint8_t(expected)}));
    }
    void setTimeMovesTheClockTheGuestSees() {
        Cuda cuda(nullptr, [] { return int64_t(1000); });
        Host host{cuda};
        host.init();
        host.send({0x01, 0x09, 0x00, 0x00, 0x10, 0x00});
        QCOMPARE(host.receive(), (std::vector<uint8_t>{0x01, 0x00, 0x09}));
        host.send({0x01, 0x03});
        QCOMPARE(host.receive(), (std::vector<uint8_t>{0x01, 0x00, 0x03, 0x00, 0x00, 0x10, 0x00}));
    }
    void powerDownAndRestartReachTheBoard() {
        std::vector<Cuda::Request> requests;
        Cuda cuda([&](Cuda::Request r) { requests.push_back(r); });
        Host host{cuda};
        host.init();
        host.send({0x01, 0x0a});
        QCOMPARE(host.receive(), (std::vector<uint8_t>{0x01, 0x00, 0x0a}));
        host.send({0x01, 0x11});
        QCOMPARE(host.receive(), (std::vector<uint8_t>{0x01, 0x00, 0x11}));
        QCOMPARE(requests, (std::vector<Cuda::Request>{Cuda::Request::PowerOff, Cuda::Request::Reset}));
    }
    void adbCommandsFindNoDeviceYet() {
        Cuda cuda(nullptr);
        Host host{cuda};
        host.init();
        host.send({0x00, 0x2c});  // talk register 0 of address 2 (keyboard)
        QCOMPARE(host.receive(), (std::vector<uint8_t>{0x00, 0x02, 0x2c}));  // status bit 1: timeout
    }
    void theShiftInterruptReachesTheLineOnlyWhenEnabled() {
        Cuda cuda(nullptr);
        bool line = false;
        cuda.irq().connect([&](bool l) { line = l; });
        Host host{cuda};
        host.setB(kTip | kTack);
        host.setB(kTip);  // sync: an interrupt
        QVERIFY(host.interrupt());
        QVERIFY(!line);
        cuda.write(kIer, 1, 0x80 | kSrInt);
        QVERIFY(line);
        QCOMPARE(cuda.read(kIfr, 1), uint64_t(0x80 | kSrInt));
        cuda.write(kIfr, 1, kSrInt);
        QVERIFY(!line);
    }
};

QTEST_APPLESS_MAIN(CudaTest)
#include "cuda_test.moc"
