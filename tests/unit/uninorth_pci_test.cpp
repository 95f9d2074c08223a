// Specification: the Uni-North PCI host as OpenBIOS and Linux reach it on
// mac99 — three configuration address formats, absent functions reading as
// all ones, BAR sizing, and memory cycles reaching a BAR only once memory
// decoding is on.

#include "core/devices/uninorth_pci.h"

#include <QtTest>

#include "core/devices/mac_nvram.h"

using tessera::devices::MacNvram;
using tessera::devices::PciFunction;
using tessera::devices::UniNorthPci;

namespace {
constexpr uint8_t kMacioDevfn = 12 << 3;
uint32_t openBiosAddress(unsigned devfn, unsigned reg) {
    return 0x80000000u | (devfn << 8) | reg;
}
uint32_t type0Address(unsigned slot, unsigned fn, unsigned reg) {
    return (1u << slot) | (fn << 8) | reg;
}
}  // namespace

class UniNorthPciTest : public QObject {
    Q_OBJECT
private slots:
    void everyAddressFormatReachesTheSameFunction() {
        UniNorthPci pci;
        PciFunction macio({0x106b, 0x0022, 0xff0000, 0, 1});
        pci.attach(kMacioDevfn, &macio);
        pci.addressRegister().write(0, 4, openBiosAddress(kMacioDevfn, 0));
        QCOMPARE(pci.dataWindow().read(0, 4), uint64_t(0x0022106b));
        pci.addressRegister().write(0, 4, type0Address(12, 0, 0));
        QCOMPARE(pci.dataWindow().read(2, 2), uint64_t(0x0022));           // low address bits pick the byte
        pci.addressRegister().write(0, 4, (kMacioDevfn << 8) | 0x08 | 1);  // type 1, bus 0
        QCOMPARE(pci.dataWindow().read(0, 4), uint64_t(0xff000000));       // class ff, revision 0
    }
    void absentFunctionsReadAllOnes() {
        UniNorthPci pci;
        pci.addressRegister().write(0, 4, openBiosAddress(13 << 3, 0));
        QCOMPARE(pci.dataWindow().read(0, 4), uint64_t(0xffffffff));
        QCOMPARE(pci.dataWindow().read(0, 2), uint64_t(0xffff));
        pci.addressRegister().write(0, 4, 0);  // no IDSEL bit: nothing selected
        QCOMPARE(pci.dataWindow().read(0, 4), uint64_t(0xffffffff));
    }
    void barsSizeLikeHardwareAndDecodeOnceMemoryIsEnabled() {
        UniNorthPci pci;
        MacNvram backing;  // any register window will do
        PciFunction function({0x106b, 0x0022, 0xff0000, 0, 1});
        function.setMemoryBar(0, 0x80000, &backing);
        pci.attach(kMacioDevfn, &function);
        pci.addressRegister().write(0, 4, openBiosAddress(kMacioDevfn, 0x10));
        pci.dataWindow().write(0, 4, 0xffffffff);
        QCOMPARE(pci.dataWindow().read(0, 4), uint64_t(0xfff80000));  // 512 KiB
        pci.dataWindow().write(0, 4, 0x80000000);
        pci.memoryWindow().write(0x10, 1, 0x5a);
        QCOMPARE(backing.read(0x10, 1), uint64_t(0));  // memory decoding still off
        pci.addressRegister().write(0, 4, openBiosAddress(kMacioDevfn, 0x04));
        pci.dataWindow().write(0, 2, 0x0002);
        pci.memoryWindow().write(0x10, 1, 0x5a);
        QCOMPARE(backing.read(0x10, 1), uint64_t(0x5a));
        QCOMPARE(pci.memoryWindow().read(0x10, 1), uint64_t(0x5a));
        QCOMPARE(pci.memoryWindow().read(0x100000, 1), uint64_t(0));  // outside the BAR
    }
};

QTEST_APPLESS_MAIN(UniNorthPciTest)
#include "uninorth_pci_test.moc"
