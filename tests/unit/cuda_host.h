#pragma once
// The host side of the CUDA protocol for tests, step by step as Linux's
// drivers/macintosh/via-cuda.c does it (cuda.h has the protocol).

#include <QtTest>
#include <vector>

#include "core/devices/cuda.h"

namespace cuda_host {
using tessera::devices::Cuda;

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
}  // namespace cuda_host
