// Specification: the mac99 NVRAM starts formatted as QEMU formats it, so that
// Linux's partition walk (arch/powerpc/platforms/powermac/nvram.c) ends and
// OpenBIOS finds its "system" partition: CHRP headers whose lengths chain
// through all 8 KiB, each with a valid checksum; guest writes stay.

#include "core/devices/mac_nvram.h"

#include <QtTest>

using tessera::devices::MacNvram;

namespace {
struct Partition {
    uint8_t signature;
    QByteArray name;
    unsigned length;
};
// The CHRP checksum: signature plus bytes 2..15, end-around carry.
uint8_t checksum(const uint8_t* h) {
    unsigned sum = h[0];
    for (unsigned i = 2; i < 16; ++i) {
        sum += h[i];
        if (sum > 0xff) sum = (sum + 1) & 0xff;
    }
    return uint8_t(sum);
}
}  // namespace

class MacNvramTest : public QObject {
    Q_OBJECT
private slots:
    void partitionsChainThroughTheWholeStoreWithValidChecksums() {
        MacNvram nvram;
        QList<Partition> found;
        unsigned offset = 0;
        while (offset < MacNvram::kSize) {
            const uint8_t* h = nvram.bytes().data() + offset;
            const unsigned length = ((h[2] << 8) | h[3]) * 16;
            QVERIFY2(length >= 16, "a zero-length partition makes Linux loop forever");
            QCOMPARE(h[1], checksum(h));
            found.append({h[0], QByteArray(reinterpret_cast<const char*>(h + 4)), length});
            offset += length;
        }
        QCOMPARE(offset, unsigned(MacNvram::kSize));
        QCOMPARE(found.size(), 3);
        QCOMPARE(found[0].signature, uint8_t(0x70));
        QCOMPARE(found[0].name, QByteArray("system"));
        QCOMPARE(found[0].length, 0xc10u);
        QCOMPARE(found[1].signature, uint8_t(0x7f));
        QCOMPARE(found[1].name, QByteArray("free"));
        QCOMPARE(found[2].signature, uint8_t(0x5a));
        QCOMPARE(found[2].name, QByteArray("wwwwwwwwwww"));  // 11 characters and the NUL
        QCOMPARE(found[2].length, 0x1000u);
    }
    void guestWritesAreKeptByteForByte() {
        MacNvram nvram;
        nvram.write(0x20, 1, 0xab);
        nvram.write(0x1ffe, 2, 0x1234);
        QCOMPARE(nvram.read(0x20, 1), uint64_t(0xab));
        QCOMPARE(nvram.read(0x1ffe, 1), uint64_t(0x34));
        QCOMPARE(nvram.read(0x1fff, 1), uint64_t(0x12));
        QCOMPARE(nvram.read(0x2000, 1), uint64_t(0));  // outside: nothing
    }
};

QTEST_APPLESS_MAIN(MacNvramTest)
#include "mac_nvram_test.moc"
