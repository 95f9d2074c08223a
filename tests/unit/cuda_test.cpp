// Specification: the CUDA system controller answers the host side of Linux's
// via-cuda driver — TIP/TACK handshakes on VIA port B, one shift-register
// interrupt per byte, TREQ negated with the last reply byte — with the time
// of day since 1904 and the power-off and restart commands.

#include "core/devices/cuda.h"

#include <QtTest>

#include "cuda_host.h"

using tessera::devices::Cuda;
using namespace cuda_host;

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
    void adbCommandsWithoutABusTimeOut() {
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
