// Specification: the generated device tree describes the board as QEMU's
// virt machine does, from the actual configuration, and parses back with libfdt.

#include <QtTest>

extern "C" {
#include <libfdt.h>
}

#include <QProcess>
#include <QTemporaryDir>

#include "core/machine/riscv_virt_dtb.h"

using namespace tessera::machine;

namespace {
std::string stringProp(const void* fdt, const char* path, const char* name) {
    const int node = fdt_path_offset(fdt, path);
    if (node < 0) return "<no node " + std::string(path) + ">";
    int len = 0;
    const char* value = static_cast<const char*>(fdt_getprop(fdt, node, name, &len));
    return value ? std::string(value, len > 0 ? size_t(len - 1) : 0) : "<no property>";
}
std::vector<uint32_t> cells(const void* fdt, const char* path, const char* name) {
    const int node = fdt_path_offset(fdt, path);
    int len = 0;
    const auto* value = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, name, &len));
    std::vector<uint32_t> out;
    for (int i = 0; value && i < len / 4; ++i) out.push_back(fdt32_to_cpu(value[i]));
    return out;
}
uint32_t phandleOf(const void* fdt, const char* path) {
    return fdt_get_phandle(fdt, fdt_path_offset(fdt, path));
}

// QEMU 7.2's own virt DTB (qemu-system-misc, a project dependency), the
// reference the tests compare with; empty if QEMU did not run or write it.
QByteArray qemuVirtDtb(const QStringList& extraOptions = {}) {
    QTemporaryDir dir;
    const QString dumped = dir.filePath("qemu-virt.dtb");
    QProcess qemu;
    qemu.start("qemu-system-riscv64",
               QStringList{"-machine", "virt,dumpdtb=" + dumped, "-m", "256M", "-nographic"} + extraOptions);
    if (!qemu.waitForFinished(30000)) return {};
    QFile file(dumped);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}
}  // namespace

class VirtDtbTest : public QObject {
    Q_OBJECT
private slots:
    void describesMemoryCpusAndChosenFromTheConfiguration() {
        VirtDtbConfig config;
        config.ramBase = 0x80000000;
        config.ramSize = 256ull << 20;
        config.bootargs = "console=ttyS0 earlycon";
        config.initrd = std::make_pair(uint64_t(0x8f000000), uint64_t(0x8f100000));
        auto blob = buildVirtDtb(config);
        QVERIFY2(blob.ok(), blob.ok() ? "" : blob.message().c_str());
        const void* fdt = blob->data();
        QCOMPARE(fdt_check_header(fdt), 0);
        QCOMPARE(cells(fdt, "/memory@80000000", "reg"),
                 (std::vector<uint32_t>{0, 0x80000000, 0, 256u << 20}));
        QCOMPARE(cells(fdt, "/cpus", "timebase-frequency"), std::vector<uint32_t>{10000000});
        QCOMPARE(stringProp(fdt, "/cpus/cpu@0", "riscv,isa"), std::string("rv64imafdc_zihintpause"));
        QCOMPARE(stringProp(fdt, "/cpus/cpu@0", "mmu-type"), std::string("riscv,sv48"));
        QCOMPARE(stringProp(fdt, "/chosen", "bootargs"), std::string("console=ttyS0 earlycon"));
        QCOMPARE(stringProp(fdt, "/chosen", "stdout-path"), std::string("/soc/serial@10000000"));
        QCOMPARE(cells(fdt, "/chosen", "linux,initrd-start"), (std::vector<uint32_t>{0, 0x8f000000}));
        QCOMPARE(cells(fdt, "/chosen", "linux,initrd-end"), (std::vector<uint32_t>{0, 0x8f100000}));
    }
    void interruptWiringMatchesTheBoard() {
        VirtDtbConfig config;
        config.ramBase = 0x80000000;
        config.ramSize = 64ull << 20;
        auto blob = buildVirtDtb(config);
        QVERIFY(blob.ok());
        const void* fdt = blob->data();
        const uint32_t intc = phandleOf(fdt, "/cpus/cpu@0/interrupt-controller");
        const uint32_t plic = phandleOf(fdt, "/soc/plic@c000000");
        QVERIFY(intc != 0 && plic != 0 && intc != plic);
        QCOMPARE(cells(fdt, "/soc/clint@2000000", "interrupts-extended"),
                 (std::vector<uint32_t>{intc, 3, intc, 7}));
        QCOMPARE(cells(fdt, "/soc/plic@c000000", "interrupts-extended"),
                 (std::vector<uint32_t>{intc, 11, intc, 9}));
        QCOMPARE(cells(fdt, "/soc/plic@c000000", "riscv,ndev"), std::vector<uint32_t>{96});
        QCOMPARE(cells(fdt, "/soc/serial@10000000", "interrupts"), std::vector<uint32_t>{10});
        QCOMPARE(cells(fdt, "/soc/serial@10000000", "interrupt-parent"), std::vector<uint32_t>{plic});
        QCOMPARE(cells(fdt, "/soc/rtc@101000", "interrupts"), std::vector<uint32_t>{11});
        QCOMPARE(stringProp(fdt, "/soc/rtc@101000", "compatible"), std::string("google,goldfish-rtc"));
        for (unsigned slot = 0; slot < 8; ++slot) {
            const std::string path =
                "/soc/virtio_mmio@" + QString::number(0x10001000 + slot * 0x1000, 16).toStdString();
            QCOMPARE(cells(fdt, path.c_str(), "interrupts"), std::vector<uint32_t>{1 + slot});
        }
        // No initrd configured: no initrd properties.
        QVERIFY(fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "linux,initrd-start", nullptr) == nullptr);
    }
    void poweroffAndRebootGoThroughTheTestDevice() {
        VirtDtbConfig config;
        config.ramBase = 0x80000000;
        config.ramSize = 64ull << 20;
        auto blob = buildVirtDtb(config);
        QVERIFY(blob.ok());
        const void* fdt = blob->data();
        const int test = fdt_path_offset(fdt, "/soc/test@100000");
        QVERIFY(test >= 0);
        QCOMPARE(fdt_node_check_compatible(fdt, test, "sifive,test0"), 0);
        QCOMPARE(fdt_node_check_compatible(fdt, test, "syscon"), 0);
        const uint32_t testPhandle = fdt_get_phandle(fdt, test);
        QCOMPARE(cells(fdt, "/poweroff", "regmap"), std::vector<uint32_t>{testPhandle});
        QCOMPARE(cells(fdt, "/poweroff", "value"), std::vector<uint32_t>{0x5555});
        QCOMPARE(cells(fdt, "/reboot", "value"), std::vector<uint32_t>{0x7777});
    }
    void devicesMatchQemuVirtDeviceTree() {
        // The reference: QEMU 7.2's own virt DTB (qemu-system-misc, a project
        // dependency). Every device we share must sit at the same path with the
        // same compatible, reg, interrupts and interrupt wiring.
        const QByteArray reference = qemuVirtDtb();
        QVERIFY2(!reference.isEmpty(),
                 "qemu-system-riscv64 (package qemu-system-misc) did not write its virt DTB");
        const void* qemuFdt = reference.constData();
        QCOMPARE(fdt_check_header(qemuFdt), 0);

        VirtDtbConfig config;
        config.ramBase = 0x80000000;
        config.ramSize = 256ull << 20;
        auto blob = buildVirtDtb(config);
        QVERIFY(blob.ok());
        const void* ours = blob->data();

        auto raw = [](const void* fdt, const char* path, const char* name) {
            int len = 0;
            const char* value =
                static_cast<const char*>(fdt_getprop(fdt, fdt_path_offset(fdt, path), name, &len));
            return value ? QByteArray(value, len) : QByteArray("<missing>");
        };
        // interrupts-extended: compare the interrupt numbers, not the phandles.
        auto irqNumbers = [](const void* fdt, const char* path) {
            std::vector<uint32_t> all = cells(fdt, path, "interrupts-extended"), numbers;
            for (size_t i = 1; i < all.size(); i += 2) numbers.push_back(all[i]);
            return numbers;
        };
        const char* devices[] = {"/soc/serial@10000000",      "/soc/plic@c000000",
                                 "/soc/clint@2000000",        "/soc/test@100000",
                                 "/soc/rtc@101000",           "/soc/virtio_mmio@10001000",
                                 "/soc/virtio_mmio@10008000", "/memory@80000000"};
        for (const char* path : devices) {
            QVERIFY2(fdt_path_offset(qemuFdt, path) >= 0, path);
            for (const char* property : {"compatible", "reg", "interrupts", "riscv,ndev", "clock-frequency"})
                QVERIFY2(raw(ours, path, property) == raw(qemuFdt, path, property),
                         qPrintable(QString("%1 %2").arg(path, property)));
            QCOMPARE(irqNumbers(ours, path), irqNumbers(qemuFdt, path));
        }
        QCOMPARE(cells(ours, "/cpus", "timebase-frequency"), cells(qemuFdt, "/cpus", "timebase-frequency"));
        QCOMPARE(stringProp(ours, "/chosen", "stdout-path"), stringProp(qemuFdt, "/chosen", "stdout-path"));
        QCOMPARE(cells(ours, "/poweroff", "value"), cells(qemuFdt, "/poweroff", "value"));
        QCOMPARE(cells(ours, "/reboot", "value"), cells(qemuFdt, "/reboot", "value"));
    }
    void flashBanksMatchQemuVirtDeviceTree() {
        // EDK2 finds its variable bank through this node; QEMU's virt always
        // has it, ours only with --pflash.
        const QByteArray reference = qemuVirtDtb();
        QVERIFY2(!reference.isEmpty(),
                 "qemu-system-riscv64 (package qemu-system-misc) did not write its virt DTB");

        VirtDtbConfig config;
        config.ramBase = 0x80000000;
        config.ramSize = 256ull << 20;
        auto without = buildVirtDtb(config);
        QVERIFY(without.ok());
        QVERIFY(fdt_path_offset(without->data(), "/flash@20000000") < 0);
        config.flash = true;
        auto with = buildVirtDtb(config);
        QVERIFY(with.ok());
        for (const char* property : {"reg", "bank-width"})
            QCOMPARE(cells(with->data(), "/flash@20000000", property),
                     cells(reference.constData(), "/flash@20000000", property));
        QCOMPARE(stringProp(with->data(), "/flash@20000000", "compatible"),
                 stringProp(reference.constData(), "/flash@20000000", "compatible"));
        QCOMPARE(cells(with->data(), "/flash@20000000", "reg"),
                 (std::vector<uint32_t>{0, 0x20000000, 0, 0x2000000, 0, 0x22000000, 0, 0x2000000}));
    }
    void everyHartIsDescribedAsQemuVirtDescribesItsHarts() {
        // QEMU's `-smp 4` DTB is the reference: a cpu node per hart with its
        // interrupt controller, a cpu-map core per hart, and the CLINT (MSIP,
        // MTIP) and PLIC (M then S context) wired to every hart in hart order.
        const QByteArray reference = qemuVirtDtb({"-smp", "4"});
        QVERIFY2(!reference.isEmpty(),
                 "qemu-system-riscv64 (package qemu-system-misc) did not write its virt DTB");

        VirtDtbConfig config;
        config.ramBase = 0x80000000;
        config.ramSize = 256ull << 20;
        config.harts = 4;
        auto blob = buildVirtDtb(config);
        QVERIFY(blob.ok());

        // Phandles differ between the two trees: resolve each to the hart
        // (the reg of the cpu node it is, or is the interrupt controller of).
        auto hartOf = [](const void* fdt, uint32_t phandle) -> int {
            int node = fdt_node_offset_by_phandle(fdt, phandle);
            if (node < 0) return -1;
            if (std::string(fdt_get_name(fdt, node, nullptr)) == "interrupt-controller")
                node = fdt_parent_offset(fdt, node);
            int len = 0;
            const auto* reg = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, "reg", &len));
            return reg && len == 4 ? int(fdt32_to_cpu(*reg)) : -1;
        };
        auto wiring = [&](const void* fdt, const char* path) {
            std::vector<std::pair<int, uint32_t>> pairs;  // (hart, mip bit)
            const std::vector<uint32_t> all = cells(fdt, path, "interrupts-extended");
            for (size_t i = 0; i + 1 < all.size(); i += 2)
                pairs.emplace_back(hartOf(fdt, all[i]), all[i + 1]);
            return pairs;
        };
        for (const void* fdt :
             {static_cast<const void*>(reference.constData()), static_cast<const void*>(blob->data())}) {
            for (int hart = 0; hart < 4; ++hart) {
                const std::string cpu = "/cpus/cpu@" + std::to_string(hart);
                QCOMPARE(cells(fdt, cpu.c_str(), "reg"), std::vector<uint32_t>{uint32_t(hart)});
                QCOMPARE(stringProp(fdt, (cpu + "/interrupt-controller").c_str(), "compatible"),
                         std::string("riscv,cpu-intc"));
                const std::string core = "/cpus/cpu-map/cluster0/core" + std::to_string(hart);
                const std::vector<uint32_t> target = cells(fdt, core.c_str(), "cpu");
                QCOMPARE(target.size(), size_t(1));
                QCOMPARE(hartOf(fdt, target[0]), hart);
            }
            QVERIFY(fdt_path_offset(fdt, "/cpus/cpu@4") < 0);
        }
        for (const char* path : {"/soc/clint@2000000", "/soc/plic@c000000"})
            QCOMPARE(wiring(blob->data(), path), wiring(reference.constData(), path));
        const std::vector<std::pair<int, uint32_t>> plic = wiring(blob->data(), "/soc/plic@c000000");
        QCOMPARE(plic.size(), size_t(8));
        QCOMPARE(plic[6], std::make_pair(3, uint32_t(11)));  // context 6 = hart 3, M mode
        QCOMPARE(plic[7], std::make_pair(3, uint32_t(9)));   // context 7 = hart 3, S mode
    }
    void leavesRoomForFirmwareFixups() {
        VirtDtbConfig config;
        config.ramBase = 0x80000000;
        config.ramSize = 64ull << 20;
        auto blob = buildVirtDtb(config);
        QVERIFY(blob.ok());
        std::vector<uint8_t> copy = blob.value();
        const int chosen = fdt_path_offset(copy.data(), "/chosen");
        QCOMPARE(fdt_setprop_string(copy.data(), chosen, "bootargs", std::string(4000, 'x').c_str()), 0);
    }
};

QTEST_GUILESS_MAIN(VirtDtbTest)
#include "virt_dtb_test.moc"
