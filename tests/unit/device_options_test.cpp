// Specification: the --disk and --nic options parse QEMU-like syntax and
// reject typos with a message that names the problem.

#include "core/devices/device_options.h"

#include <QtTest>

using namespace tessera::devices;

class DeviceOptionsTest : public QObject {
    Q_OBJECT
private slots:
    void diskOptions() {
        auto plain = parseDiskOption("disk.qcow2");
        QVERIFY(plain);
        QCOMPARE(plain->path, std::string("disk.qcow2"));
        QCOMPARE(plain->format, std::string());
        QVERIFY(!plain->readOnly);
        auto full = parseDiskOption("/tmp/a,,b.img,format=raw,readonly=on,serial=abc");
        QVERIFY(full);
        QCOMPARE(full->path, std::string("/tmp/a,b.img"));
        QCOMPARE(full->format, std::string("raw"));
        QVERIFY(full->readOnly);
        QCOMPARE(full->serial, std::string("abc"));
        QVERIFY(parseDiskOption("x.img,readonly")->readOnly);
        for (const char* bad : {"", ",format=raw", "x,format=vmdk", "x,readonly=maybe", "x,cache=none",
                                "x,serial=123456789012345678901"}) {
            auto parsed = parseDiskOption(bad);
            QVERIFY2(!parsed, bad);
            QVERIFY(!parsed.message().empty());
        }
    }

    void nicOptions() {
        auto nic =
            parseNicOption("user,hostfwd=tcp::2222-:22,hostfwd=udp:0.0.0.0:5353-:53,mac=52:54:00:aa:bb:cc");
        QVERIFY(nic);
        QCOMPARE(nic->forwards.size(), size_t{2});
        QCOMPARE(nic->forwards[0].hostAddress, std::string("127.0.0.1"));
        QCOMPARE(nic->forwards[1].hostAddress, std::string("0.0.0.0"));
        QVERIFY(nic->mac.has_value());
        QCOMPARE((*nic->mac)[5], uint8_t{0xcc});
        QVERIFY(parseNicOption("user"));
        QVERIFY(!parseNicOption("tap,ifname=tap0"));
        QVERIFY(!parseNicOption("user,hostfwd=tcp::22"));
        QVERIFY(!parseNicOption("user,mac=zz"));
        QVERIFY(!parseNicOption("user,restrict=on"));
    }

    void qemusDeviceAndNetdevSpellTheSameNic() {
        // The classic tutorial's line.
        auto pair = parseNetdevNic("e1000,netdev=net0", "user,hostfwd=tcp::2222-:22,id=net0");
        QVERIFY2(pair, pair ? "" : pair.message().c_str());
        QCOMPARE(pair->model, std::string("e1000"));
        QCOMPARE(pair->nic.forwards.size(), size_t{1});
        QCOMPARE(pair->nic.forwards[0].toString(), std::string("tcp:127.0.0.1:2222-:22"));
        QVERIFY(!pair->nic.mac);
        auto withMac = parseNetdevNic("e1000,netdev=n,mac=52:54:00:aa:bb:cc", "user,id=n");
        QVERIFY(withMac && withMac->nic.mac && (*withMac->nic.mac)[5] == 0xcc);
        auto unnamed = parseNetdevNic("e1000", "user,id=net0");
        QVERIFY(!unnamed && unnamed.message().find("needs netdev=ID") != std::string::npos);
        auto mismatch = parseNetdevNic("e1000,netdev=a", "user,id=b");
        QVERIFY(!mismatch && mismatch.message().find("id=b") != std::string::npos);
        QVERIFY(!parseNetdevNic("e1000,netdev=a", "tap,id=a"));
        QVERIFY(!parseNetdevNic("e1000,netdev=a,romfile=x", "user,id=a"));
        QVERIFY(!parseNetdevNic("e1000,netdev=a", "user,id=a,hostfwd=tcp::99999-:22"));
    }
};

QTEST_APPLESS_MAIN(DeviceOptionsTest)
#include "device_options_test.moc"
