// Specification: boot images are checked and placed like QEMU's riscv boot
// code does, and every user mistake is an error before the guest starts.

#include <QtTest>

#include <QTemporaryDir>

extern "C" {
#include <libfdt.h>
}

#include "core/machine/boot_plan.h"
#include "core/machine/image_loader.h"

using namespace tessera::machine;
using tessera::hw::MemoryBus;

namespace {

std::vector<uint8_t> linuxImage(size_t size, uint64_t imageSize = 0) {
    std::vector<uint8_t> bytes(size, 0);
    const uint64_t textOffset = 0x200000;
    std::memcpy(&bytes[8], &textOffset, 8);
    std::memcpy(&bytes[16], &imageSize, 8);
    std::memcpy(&bytes[0x38], "RSC\x05", 4);
    return bytes;
}

// Minimal ELF64 with one PT_LOAD segment.
std::vector<uint8_t> elfImage(uint16_t machine, uint64_t paddr, uint64_t entry, uint64_t fileSize, uint64_t memSize) {
    std::vector<uint8_t> bytes(0x78 + fileSize, 0xAB);
    std::memset(bytes.data(), 0, 0x78);
    const uint8_t ident[] = {0x7F, 'E', 'L', 'F', 2, 1, 1};
    std::memcpy(bytes.data(), ident, sizeof ident);
    auto put16 = [&](size_t at, uint16_t v) { std::memcpy(&bytes[at], &v, 2); };
    auto put32 = [&](size_t at, uint32_t v) { std::memcpy(&bytes[at], &v, 4); };
    auto put64 = [&](size_t at, uint64_t v) { std::memcpy(&bytes[at], &v, 8); };
    put16(16, 2);  // ET_EXEC
    put16(18, machine);
    put64(24, entry);
    put64(32, 0x40);  // phoff
    put16(54, 56);
    put16(56, 1);
    put32(0x40, 1);  // PT_LOAD
    put64(0x40 + 8, 0x78);
    put64(0x40 + 16, paddr);
    put64(0x40 + 24, paddr);
    put64(0x40 + 32, fileSize);
    put64(0x40 + 40, memSize);
    return bytes;
}

}  // namespace

class BootPlanTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    std::string write(const char* name, const std::vector<uint8_t>& bytes) {
        const QString path = dir_.filePath(name);
        QFile file(path);
        file.open(QIODevice::WriteOnly);
        file.write(reinterpret_cast<const char*>(bytes.data()), qint64(bytes.size()));
        return path.toStdString();
    }
    static std::string errorOf(const RiscvVirtConfig& config) {
        auto plan = planBoot(config);
        return plan.ok() ? std::string("<no error>") : plan.message();
    }

private slots:
    void firmwareAtRamBaseKernelAtTwoMegabytesInitrdAndDtbHigh() {
        RiscvVirtConfig config;
        config.ramSize = 128ull << 20;
        config.bios = write("fw.bin", std::vector<uint8_t>(4096, 0x13));
        config.kernel = write("Image", linuxImage(1 << 20, 2 << 20));
        config.initrd = write("initrd", std::vector<uint8_t>(300000, 0x42));
        config.append = "console=ttyS0";
        auto plan = planBoot(config);
        QVERIFY2(plan.ok(), plan.ok() ? "" : plan.message().c_str());
        QCOMPARE(plan->entry, 0x80000000ull);
        QCOMPARE(plan->nextStage, 0x80200000ull);
        QCOMPARE(plan->dtbAddress % (2 << 20), 0ull);
        QVERIFY(plan->dtbAddress + plan->dtb.size() <= 0x80000000ull + config.ramSize);
        QVERIFY(plan->initrd.has_value());
        QVERIFY(plan->initrd->second <= plan->dtbAddress);
        QVERIFY(plan->initrd->first >= 0x80200000ull + (2 << 20));
        QCOMPARE(plan->initrd->second - plan->initrd->first, 300000ull);
        // The DTB tells the kernel where the initrd went.
        const int chosen = fdt_path_offset(plan->dtb.data(), "/chosen");
        int len = 0;
        const void* start = fdt_getprop(plan->dtb.data(), chosen, "linux,initrd-start", &len);
        QVERIFY(start && len == 8);
        QCOMPARE(fdt64_ld(static_cast<const fdt64_t*>(start)), plan->initrd->first);  // unaligned-safe

        MemoryBus bus;
        bus.addRam(0x80000000, config.ramSize);
        bus.addRam(0x1000, 0xF000);
        QVERIFY(applyBootPlan(plan.value(), bus).ok());
        uint64_t word = 0;
        QVERIFY(bus.read(0x1028, 8, word));
        QCOMPARE(word, 0x4942534full);  // fw_dynamic_info.magic "OSBI"
        QVERIFY(bus.read(0x1038, 8, word));
        QCOMPARE(word, 0x80200000ull);  // next_addr
        QVERIFY(bus.read(0x80200038, 4, word));
        QCOMPARE(word, 0x05435352ull);  // the kernel's "RSC\x05"
    }
    void elfIsLoadedAtItsPhysicalAddressWithBssZeroed() {
        RiscvVirtConfig config;
        config.biosNone = true;
        config.kernel = write("prog.elf", elfImage(243, 0x80000000, 0x80000010, 64, 4096));
        auto plan = planBoot(config);
        QVERIFY2(plan.ok(), plan.ok() ? "" : plan.message().c_str());
        QCOMPARE(plan->entry, 0x80000010ull);
        MemoryBus bus;
        uint8_t* ram = bus.addRam(0x80000000, config.ramSize);
        bus.addRam(0x1000, 0xF000);
        std::memset(ram, 0xEE, 8192);
        QVERIFY(applyBootPlan(plan.value(), bus).ok());
        QCOMPARE(ram[0], uint8_t(0xAB));
        QCOMPARE(ram[63], uint8_t(0xAB));
        QCOMPARE(ram[64], uint8_t(0));
        QCOMPARE(ram[4095], uint8_t(0));
    }
    // QEMU's riscv_load_kernel: a file that is neither ELF nor uImage is copied as
    // it is to the firmware's end rounded up to 2 MiB (riscv_calc_kernel_start_addr),
    // the RAM base without firmware; U-Boot's S-mode u-boot.bin is such a file.
    void aRawKernelGoesToTheNext2MiBBoundaryAfterTheFirmwareAsInQemu() {
        RiscvVirtConfig config;
        config.bios = write("fw-small.bin", std::vector<uint8_t>(120 << 10, 0x13));
        config.kernel = write("u-boot.bin", std::vector<uint8_t>(600 << 10, 0x6f));
        auto plan = planBoot(config);
        QVERIFY2(plan.ok(), plan.ok() ? "" : plan.message().c_str());
        QCOMPARE(plan->images.at(1).role, std::string("kernel"));
        QCOMPARE(plan->images.at(1).address, 0x80200000ull);
        QCOMPARE(plan->nextStage, 0x80200000ull);  // fw_dynamic_info.next_addr

        config.bios = write("fw-big.bin", std::vector<uint8_t>((2 << 20) + 4096, 0x13));
        plan = planBoot(config);
        QVERIFY2(plan.ok(), plan.ok() ? "" : plan.message().c_str());
        QCOMPARE(plan->images.at(1).address, 0x80400000ull);

        config.bios.clear();
        config.biosNone = true;
        plan = planBoot(config);
        QVERIFY2(plan.ok(), plan.ok() ? "" : plan.message().c_str());
        QCOMPARE(plan->images.at(0).address, 0x80000000ull);
        QCOMPARE(plan->entry, 0x80000000ull);
    }
    void rejectsWhatCannotBoot() {
        RiscvVirtConfig config;
        config.bios = write("fw2.bin", std::vector<uint8_t>(4096, 0));
        std::vector<uint8_t> uImage(4096, 0);
        const uint8_t magic[] = {0x27, 0x05, 0x19, 0x56};
        std::memcpy(uImage.data(), magic, sizeof magic);
        config.kernel = write("uImage", uImage);
        QVERIFY(errorOf(config).find("uImage") != std::string::npos);

        config.kernel = write("x86.elf", elfImage(62, 0x80200000, 0x80200000, 16, 16));
        QVERIFY(errorOf(config).find("not a RISC-V program") != std::string::npos);

        config.kernel = dir_.filePath("missing").toStdString();
        QVERIFY(errorOf(config).find("cannot be opened") != std::string::npos);

        config.kernel = write("empty", {});
        QVERIFY(errorOf(config).find("is empty") != std::string::npos);

        auto truncated = elfImage(243, 0x80200000, 0x80200000, 16, 16);
        truncated.resize(0x50);
        config.kernel = write("truncated.elf", truncated);
        QVERIFY(errorOf(config).find("truncated program header") != std::string::npos);

        auto outside = elfImage(243, 0x80200000, 0x80200000, 16, 16);
        const uint64_t hugeOffset = 1ull << 40;
        std::memcpy(&outside[0x48], &hugeOffset, 8);
        config.kernel = write("outside.elf", outside);
        QVERIFY(errorOf(config).find("outside the file") != std::string::npos);

        config.kernel = write("lowelf.elf", elfImage(243, 0x1000, 0x1000, 16, 16));
        QVERIFY(errorOf(config).find("increase -m") != std::string::npos);
    }
    void ramTooSmallForKernelPlusInitrdIsAnError() {
        RiscvVirtConfig config;
        config.ramSize = 32ull << 20;
        config.bios = write("fw3.bin", std::vector<uint8_t>(4096, 0));
        config.kernel = write("Image2", linuxImage(4 << 20, 20 << 20));
        config.initrd = write("big-initrd", std::vector<uint8_t>(16 << 20, 1));
        const std::string error = errorOf(config);
        QVERIFY2(error.find("too small") != std::string::npos, error.c_str());
        QVERIFY(error.find("increase -m") != std::string::npos);
    }
    void linuxImageWithoutFirmwareIsRefused() {
        RiscvVirtConfig config;
        config.biosNone = true;
        config.kernel = write("Image3", linuxImage(8192));
        QVERIFY(errorOf(config).find("needs firmware") != std::string::npos);
    }
    void firmwareInFlashRunsAfterOpenSbiWhenThereIsNoKernel() {
        // QEMU >= 8.1 virt: with pflash0 and no -kernel, fw_dynamic's next
        // stage is the flash base, in S-mode (EDK2's RISCV_VIRT_CODE.fd).
        RiscvVirtConfig config;
        config.ramSize = 64ull << 20;
        config.bios = write("fw.bin", std::vector<uint8_t>(4096, 0x13));
        config.pflash = {write("code.fd", std::vector<uint8_t>(8192, 0x73))};
        auto plan = planBoot(config);
        QVERIFY2(plan.ok(), plan.ok() ? "" : plan.message().c_str());
        QCOMPARE(plan->nextStage, uint64_t(0x20000000));
        QCOMPARE(plan->entry, uint64_t(0x80000000));
        const PlacedImage& code = plan->images.back();
        QCOMPARE(code.role, std::string("flash code"));
        QCOMPARE(code.address, uint64_t(0x20000000));
        QVERIFY(fdt_path_offset(plan->dtb.data(), "/flash@20000000") >= 0);

        MemoryBus bus;
        bus.addRam(0x80000000, config.ramSize);
        bus.addRam(0x1000, 0xF000);
        bus.addRam(0x20000000, 0x2000000);
        QVERIFY(applyBootPlan(*plan, bus).ok());
        uint64_t word = 0;
        QVERIFY(bus.read(0x20000000 + 8184, 8, word));
        QCOMPARE(word, 0x7373737373737373ull);

        // A kernel still wins, as in QEMU: the flash is then only described.
        config.kernel = write("Image", linuxImage(4096));
        auto withKernel = planBoot(config);
        QVERIFY(withKernel.ok());
        QCOMPARE(withKernel->nextStage, uint64_t(0x80200000));
    }
    void flashMistakesAreErrors() {
        RiscvVirtConfig config;
        config.bios = write("fw2.bin", std::vector<uint8_t>(4096, 0x13));
        const std::string code = write("code2.fd", std::vector<uint8_t>(4096, 0));
        config.pflash = {code, code, code};
        QVERIFY(errorOf(config).find("two flash banks") != std::string::npos);
        config.pflash = {write("huge.fd", std::vector<uint8_t>((32u << 20) + 1, 0))};
        QVERIFY(errorOf(config).find("larger than the 32 MiB flash bank") != std::string::npos);
        config.pflash = {code};
        config.bios.clear();
        config.biosNone = true;
        config.kernel = write("bare.elf", elfImage(243, 0x80000000, 0x80000000, 16, 16));
        QVERIFY(errorOf(config).find("runs on top of OpenSBI") != std::string::npos);
        config.pflash = {dir_.filePath("missing.fd").toStdString()};
        config.kernel.clear();
        config.biosNone = false;
        config.bios = write("fw3.bin", std::vector<uint8_t>(4096, 0x13));
        QVERIFY(errorOf(config).find("missing.fd") != std::string::npos);
    }
    void rawLoadsMustFitInRam() {
        RiscvVirtConfig config;
        config.bios = write("fw4.bin", std::vector<uint8_t>(4096, 0));
        config.loads.push_back({write("blob", std::vector<uint8_t>(8192, 1)), 0x80000000ull + config.ramSize - 4096});
        QVERIFY(errorOf(config).find("increase -m") != std::string::npos);
    }
};

QTEST_MAIN(BootPlanTest)
#include "boot_plan_test.moc"
