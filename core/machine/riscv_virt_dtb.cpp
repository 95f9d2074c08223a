#include "core/machine/riscv_virt_dtb.h"

extern "C" {
#include <libfdt.h>
}

#include <cstdio>

#include "core/machine/riscv_virt_layout.h"

namespace tessera::machine {

namespace {

// Sequential-write helper that remembers the first libfdt error, so the tree
// is written straight-line and checked once.
class FdtWriter {
public:
    explicit FdtWriter(size_t capacity) : blob_(capacity) { check(fdt_create(blob_.data(), int(capacity))); }

    void check(int rc) {
        if (rc < 0 && error_ == 0) error_ = rc;
    }
    void begin(const std::string& name) { check(fdt_begin_node(blob_.data(), name.c_str())); }
    void end() { check(fdt_end_node(blob_.data())); }
    void prop(const char* name, const std::string& value) { check(fdt_property_string(blob_.data(), name, value.c_str())); }
    void propEmpty(const char* name) { check(fdt_property(blob_.data(), name, nullptr, 0)); }
    void propU32(const char* name, uint32_t value) { check(fdt_property_u32(blob_.data(), name, value)); }
    void propU64(const char* name, uint64_t value) { check(fdt_property_u64(blob_.data(), name, value)); }
    void propCells(const char* name, const std::vector<uint32_t>& cells) {
        std::vector<fdt32_t> be;
        for (uint32_t c : cells) be.push_back(cpu_to_fdt32(c));
        check(fdt_property(blob_.data(), name, be.data(), int(be.size() * sizeof(fdt32_t))));
    }
    // "reg" with #address-cells = #size-cells = 2.
    void propReg(uint64_t base, uint64_t size) {
        propCells("reg", {uint32_t(base >> 32), uint32_t(base), uint32_t(size >> 32), uint32_t(size)});
    }
    // A list of NUL-separated strings (e.g. several compatibles).
    void propStrings(const char* name, const std::vector<std::string>& values) {
        std::string joined;
        for (const auto& v : values) joined.append(v).push_back('\0');
        check(fdt_property(blob_.data(), name, joined.data(), int(joined.size())));
    }

    Result<std::vector<uint8_t>> finish() {
        check(fdt_finish(blob_.data()));
        if (error_ != 0) return makeError(std::string("device tree generation failed: ") + fdt_strerror(error_));
        blob_.resize(fdt_totalsize(blob_.data()));
        return std::move(blob_);
    }
    void start() {
        check(fdt_finish_reservemap(blob_.data()));
    }

private:
    std::vector<uint8_t> blob_;
    int error_ = 0;
};

std::string unitName(const char* node, uint64_t address) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%s@%llx", node, static_cast<unsigned long long>(address));
    return buffer;
}

}  // namespace

Result<std::vector<uint8_t>> buildVirtDtb(const VirtDtbConfig& config) {
    if (config.harts == 0) return makeError("a board needs at least one hart");
    // phandles: 1..harts = per-hart interrupt controllers, then PLIC and
    // test, then the cpu nodes (for cpu-map).
    const uint32_t plicPhandle = config.harts + 1;
    const uint32_t testPhandle = config.harts + 2;
    auto intcPhandle = [](unsigned hart) { return uint32_t(hart + 1); };
    auto cpuPhandle = [&config](unsigned hart) { return uint32_t(config.harts + 3 + hart); };

    FdtWriter fdt(64 * 1024);
    fdt.start();
    fdt.begin("");
    fdt.propU32("#address-cells", 2);
    fdt.propU32("#size-cells", 2);
    fdt.prop("compatible", "riscv-virtio");
    fdt.prop("model", "riscv-virtio,qemu");

    fdt.begin("chosen");
    if (!config.bootargs.empty()) fdt.prop("bootargs", config.bootargs);
    fdt.prop("stdout-path", unitName("/soc/serial", virt::kUartBase));
    if (config.initrd) {
        fdt.propU64("linux,initrd-start", config.initrd->first);
        fdt.propU64("linux,initrd-end", config.initrd->second);
    }
    fdt.end();

    fdt.begin(unitName("memory", config.ramBase));
    fdt.prop("device_type", "memory");
    fdt.propReg(config.ramBase, config.ramSize);
    fdt.end();

    if (config.flash) {
        // One node for both banks, at the root as QEMU's virt has it: EDK2
        // (VirtNorFlashDxe) takes the bank that is not its own code for its
        // variables, Linux's physmap-of driver probes both.
        fdt.begin(unitName("flash", virt::kFlashBase));
        fdt.propU32("bank-width", 4);
        const uint64_t bank1 = virt::kFlashBase + virt::kFlashBankSize;
        fdt.propCells("reg", {0, uint32_t(virt::kFlashBase), 0, uint32_t(virt::kFlashBankSize), 0,
                              uint32_t(bank1), 0, uint32_t(virt::kFlashBankSize)});
        fdt.prop("compatible", "cfi-flash");
        fdt.end();
    }

    fdt.begin("cpus");
    fdt.propU32("#address-cells", 1);
    fdt.propU32("#size-cells", 0);
    fdt.propU32("timebase-frequency", 10'000'000);  // VirtualClock::kFrequencyHz
    for (unsigned hart = 0; hart < config.harts; ++hart) {
        fdt.begin(unitName("cpu", hart));
        fdt.propU32("phandle", cpuPhandle(hart));
        fdt.prop("device_type", "cpu");
        fdt.propU32("reg", hart);
        fdt.prop("status", "okay");
        fdt.prop("compatible", "riscv");
        fdt.prop("riscv,isa", config.isa);
        fdt.prop("mmu-type", config.mmuType);
        fdt.begin("interrupt-controller");
        fdt.propU32("#interrupt-cells", 1);
        fdt.propEmpty("interrupt-controller");
        fdt.prop("compatible", "riscv,cpu-intc");
        fdt.propU32("phandle", intcPhandle(hart));
        fdt.end();
        fdt.end();
    }
    // The topology, as QEMU's virt describes it: one cluster, a core per hart.
    fdt.begin("cpu-map");
    fdt.begin("cluster0");
    for (unsigned hart = 0; hart < config.harts; ++hart) {
        fdt.begin("core" + std::to_string(hart));
        fdt.propU32("cpu", cpuPhandle(hart));
        fdt.end();
    }
    fdt.end();
    fdt.end();
    fdt.end();

    fdt.begin("soc");
    fdt.propU32("#address-cells", 2);
    fdt.propU32("#size-cells", 2);
    fdt.prop("compatible", "simple-bus");
    fdt.propEmpty("ranges");

    fdt.begin(unitName("clint", virt::kClintBase));
    fdt.propStrings("compatible", {"sifive,clint0", "riscv,clint0"});
    fdt.propReg(virt::kClintBase, 0x10000);
    {
        std::vector<uint32_t> cells;
        for (unsigned hart = 0; hart < config.harts; ++hart)
            for (uint32_t bit : {3u, 7u}) cells.insert(cells.end(), {intcPhandle(hart), bit});  // MSIP, MTIP
        fdt.propCells("interrupts-extended", cells);
    }
    fdt.end();

    fdt.begin(unitName("plic", virt::kPlicBase));
    fdt.propU32("#address-cells", 0);
    fdt.propU32("#interrupt-cells", 1);
    fdt.propStrings("compatible", {"sifive,plic-1.0.0", "riscv,plic0"});
    fdt.propEmpty("interrupt-controller");
    fdt.propReg(virt::kPlicBase, 0x600000);
    fdt.propU32("riscv,ndev", virt::kPlicSources);
    {
        std::vector<uint32_t> cells;
        for (unsigned hart = 0; hart < config.harts; ++hart)
            for (uint32_t bit : {11u, 9u}) cells.insert(cells.end(), {intcPhandle(hart), bit});  // M then S context
        fdt.propCells("interrupts-extended", cells);
    }
    fdt.propU32("phandle", plicPhandle);
    fdt.end();

    fdt.begin(unitName("serial", virt::kUartBase));
    fdt.prop("compatible", "ns16550a");
    fdt.propReg(virt::kUartBase, 0x100);
    fdt.propU32("clock-frequency", virt::kUartClockHz);
    fdt.propU32("interrupts", virt::kUartIrq);
    fdt.propU32("interrupt-parent", plicPhandle);
    fdt.end();

    fdt.begin(unitName("test", virt::kTestBase));
    fdt.propStrings("compatible", {"sifive,test1", "sifive,test0", "syscon"});
    fdt.propReg(virt::kTestBase, 0x1000);
    fdt.propU32("phandle", testPhandle);
    fdt.end();

    fdt.begin(unitName("rtc", virt::kRtcBase));
    fdt.prop("compatible", "google,goldfish-rtc");
    fdt.propReg(virt::kRtcBase, 0x1000);
    fdt.propU32("interrupts", virt::kRtcIrq);
    fdt.propU32("interrupt-parent", plicPhandle);
    fdt.end();

    // Listed from the highest address down, as QEMU does. Linux names the
    // devices in this order, so the board puts its first device in the
    // highest slot (VirtioDeviceSet::create).
    for (int slot = int(virt::kVirtioCount) - 1; slot >= 0; --slot) {
        const uint64_t base = virt::kVirtioBase + uint64_t(slot) * virt::kVirtioStride;
        fdt.begin(unitName("virtio_mmio", base));
        fdt.prop("compatible", "virtio,mmio");
        fdt.propReg(base, virt::kVirtioStride);
        fdt.propU32("interrupts", virt::kVirtioIrqFirst + unsigned(slot));
        fdt.propU32("interrupt-parent", plicPhandle);
        fdt.end();
    }
    fdt.end();  // soc

    fdt.begin("poweroff");
    fdt.prop("compatible", "syscon-poweroff");
    fdt.propU32("regmap", testPhandle);
    fdt.propU32("offset", 0);
    fdt.propU32("value", 0x5555);
    fdt.end();

    fdt.begin("reboot");
    fdt.prop("compatible", "syscon-reboot");
    fdt.propU32("regmap", testPhandle);
    fdt.propU32("offset", 0);
    fdt.propU32("value", 0x7777);
    fdt.end();

    fdt.end();  // root
    auto blob = fdt.finish();
    if (!blob) return blob;
    // Leave room for firmware fixups (OpenSBI adds reserved-memory nodes, U-Boot
    // adds /chosen entries); the blob's totalsize says how much is in use.
    std::vector<uint8_t> padded = std::move(blob.value());
    const size_t used = padded.size();
    padded.resize(used + 16 * 1024);
    if (int rc = fdt_open_into(padded.data(), padded.data(), int(padded.size())); rc < 0)
        return makeError(std::string("device tree generation failed: ") + fdt_strerror(rc));
    return padded;
}

}  // namespace tessera::machine
