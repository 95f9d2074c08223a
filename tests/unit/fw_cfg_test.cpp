// Specification: QEMU's memory-mapped fw_cfg as OpenBIOS reads it on mac99 —
// a big-endian 16-bit selector at offset 0, bytes of the selected item at
// offset 2, little-endian numbers, zeros past an item's end.

#include "core/devices/fw_cfg.h"

#include <QtTest>

using tessera::devices::FwCfg;

namespace {
// The guest's `sth` of a big-endian selector arrives on the bus with the
// byte at the lowest address in bits 7:0.
void select(FwCfg& cfg, uint16_t key) {
    cfg.write(0, 2, uint64_t((key >> 8) | ((key & 0xff) << 8)));
}
uint8_t next(FwCfg& cfg) {
    return uint8_t(cfg.read(2, 1));
}
}  // namespace

class FwCfgTest : public QObject {
    Q_OBJECT
private slots:
    void theSelectorIsBigEndianAndPicksTheItem() {
        FwCfg cfg;
        cfg.setBytes(FwCfg::Signature, {'Q', 'E', 'M', 'U'});
        cfg.setU16(FwCfg::PpcViaConfig, 0x1234);
        select(cfg, FwCfg::PpcViaConfig);
        QCOMPARE(cfg.selected(), uint16_t(0x800b));
        QCOMPARE(next(cfg), uint8_t(0x34));  // little-endian, as fw_cfg_add_i16 stores it
        QCOMPARE(next(cfg), uint8_t(0x12));
        select(cfg, FwCfg::Signature);
        QByteArray signature;
        for (int i = 0; i < 4; ++i) signature.append(char(next(cfg)));
        QCOMPARE(signature, QByteArray("QEMU"));
    }
    void reselectingRewindsAndReadsPastTheEndAreZero() {
        FwCfg cfg;
        cfg.setU32(FwCfg::RamSize, 0x20000000);
        select(cfg, FwCfg::RamSize);
        for (int i = 0; i < 4; ++i) next(cfg);
        QCOMPARE(next(cfg), uint8_t(0));
        select(cfg, FwCfg::RamSize);
        QCOMPARE(next(cfg), uint8_t(0x00));
        QCOMPARE(next(cfg), uint8_t(0x00));
        QCOMPARE(next(cfg), uint8_t(0x00));
        QCOMPARE(next(cfg), uint8_t(0x20));
    }
    void unknownItemsOtherWidthsAndOffsetsReadAsZero() {
        FwCfg cfg;
        cfg.setU32(FwCfg::Id, 1);
        select(cfg, 0x4242);
        QCOMPARE(next(cfg), uint8_t(0));
        select(cfg, FwCfg::Id);
        QCOMPARE(cfg.read(2, 4), uint64_t(0));  // the data register is 8 bits wide
        QCOMPARE(cfg.read(0, 2), uint64_t(0));
        cfg.write(2, 1, 0xff);  // read-only: ignored
        QCOMPARE(next(cfg), uint8_t(1));
    }
};

QTEST_APPLESS_MAIN(FwCfgTest)
#include "fw_cfg_test.moc"
