#include "core/machine/boot_plan.h"

#include <algorithm>
#include <cstring>
#include <sstream>

#include "core/machine/riscv_virt_dtb.h"
#include "core/machine/riscv_virt_layout.h"

namespace tessera::machine {

namespace {

constexpr uint64_t kMiB = 1ull << 20;
constexpr uint64_t kFwDynamicMagic = 0x4942534f;  // "OSBI"
constexpr uint64_t kFwDynamicVersion = 2;
constexpr uint64_t kNextModeSupervisor = 1;

std::string hex(uint64_t value) {
    std::ostringstream out;
    out << "0x" << std::hex << value;
    return out.str();
}

uint64_t alignDown(uint64_t value, uint64_t alignment) { return value & ~(alignment - 1); }
uint64_t alignUp(uint64_t value, uint64_t alignment) {
    return alignDown(value + alignment - 1, alignment);
}

// U-Boot's legacy image header starts with the big-endian magic 0x27051956 (image.h IH_MAGIC).
bool looksLikeUImage(std::span<const uint8_t> bytes) {
    return bytes.size() >= 64 && bytes[0] == 0x27 && bytes[1] == 0x05 && bytes[2] == 0x19 && bytes[3] == 0x56;
}

Result<PlacedImage> loadPlaced(const std::string& role, const std::string& path) {
    auto bytes = readImageFile(path, role);
    if (!bytes) return bytes.error();
    PlacedImage image;
    image.role = role;
    image.path = path;
    image.bytes = std::move(bytes.value());
    return image;
}

Status checkInRam(const PlacedImage& image, const RiscvVirtConfig& config) {
    const uint64_t ramEnd = virt::kRamBase + config.ramSize;
    if (image.address < virt::kRamBase || image.end > ramEnd || image.end < image.address)
        return makeError(image.role + " '" + image.path + "' needs guest memory " + hex(image.address) + "-" +
                         hex(image.end) + " but RAM is " + hex(virt::kRamBase) + "-" + hex(ramEnd) +
                         "; increase -m.");
    return Status::success();
}

}  // namespace

Result<BootPlan> planBoot(const RiscvVirtConfig& config) {
    BootPlan plan;
    const uint64_t ramEnd = virt::kRamBase + config.ramSize;

    if (config.biosNone && config.kernel.empty())
        return makeError("--bios none needs --kernel with a bare-metal RISC-V ELF program to run.");
    if (config.bios.empty() && !config.biosNone)
        return makeError("no firmware given: use --bios PATH (e.g. OpenSBI fw_jump.bin) or --bios none.");
    if (!config.initrd.empty() && config.kernel.empty()) return makeError("--initrd needs --kernel.");
    if (!config.append.empty() && config.kernel.empty()) return makeError("--append needs --kernel.");
    if (config.pflash.size() > 2)
        return makeError("--pflash given " + std::to_string(config.pflash.size()) +
                         " times; the board has two flash banks (firmware code, then its variables).");
    if (!config.pflash.empty() && config.biosNone)
        return makeError(
            "firmware in flash (--pflash) runs on top of OpenSBI: pass --bios with OpenSBI "
            "fw_dynamic.bin instead of --bios none.");

    // Firmware at the RAM base.
    if (!config.biosNone) {
        auto firmware = loadPlaced("firmware", config.bios);
        if (!firmware) return firmware.error();
        PlacedImage& fw = firmware.value();
        if (looksLikeElf(fw.bytes)) {
            auto elf = parseRiscvElf(fw.bytes, fw.path);
            if (!elf) return elf.error();
            fw.address = elf->lowest;
            fw.end = elf->highest;
            plan.entry = elf->entry;
            fw.elf = std::move(elf.value());
        } else {
            fw.address = virt::kRamBase;
            fw.end = fw.address + fw.bytes.size();
            plan.entry = fw.address;
        }
        TESSERA_TRY(checkInRam(fw, config));
        plan.images.push_back(std::move(fw));
    }

    // Kernel: an ELF at its own addresses; anything else (a Linux Image, a raw
    // binary such as U-Boot's u-boot.bin) where QEMU's riscv_load_kernel puts a
    // non-ELF, non-uImage file: riscv_calc_kernel_start_addr rounds the end of the
    // firmware up to 2 MiB on RV64 (4 MiB on RV32), the firmware's end being the
    // RAM base with -bios none. With OpenSBI (~120 KiB at 0x80000000) that is
    // 0x80200000, where fw_jump jumps and U-Boot's S-mode build is linked.
    uint64_t kernelEnd = plan.images.empty() ? virt::kRamBase : plan.images.back().end;
    const uint64_t kernelStart = alignUp(kernelEnd, 2 * kMiB);
    if (!config.kernel.empty()) {
        auto loaded = loadPlaced("kernel", config.kernel);
        if (!loaded) return loaded.error();
        PlacedImage& kernel = loaded.value();
        if (looksLikeElf(kernel.bytes)) {
            auto elf = parseRiscvElf(kernel.bytes, kernel.path);
            if (!elf) return elf.error();
            kernel.address = elf->lowest;
            kernel.end = elf->highest;
            plan.nextStage = elf->entry;
            kernel.elf = std::move(elf.value());
        } else if (looksLikeLinuxImage(kernel.bytes)) {
            auto header = parseLinuxImage(kernel.bytes, kernel.path);
            if (!header) return header.error();
            if (config.biosNone)
                return makeError("kernel '" + kernel.path +
                                 "' is a Linux Image, which needs firmware (an SBI) underneath: pass --bios "
                                 "with OpenSBI instead of --bios none.");
            kernel.address = kernelStart;
            kernel.end = kernel.address + std::max<uint64_t>(header->imageSize, kernel.bytes.size());
            plan.nextStage = kernel.address;
        } else if (looksLikeUImage(kernel.bytes)) {
            return makeError("kernel '" + kernel.path +
                             "' is a U-Boot uImage, which Tessera does not load yet: give the ELF or the raw "
                             "binary (e.g. the Image inside it, dumpimage -T kernel -p 0).");
        } else {
            kernel.address = kernelStart;  // a raw binary, copied as it is
            kernel.end = kernel.address + kernel.bytes.size();
            plan.nextStage = kernel.address;
        }
        TESSERA_TRY(checkInRam(kernel, config));
        if (!plan.images.empty() && kernel.address < plan.images.back().end && kernel.end > plan.images.back().address)
            return makeError("kernel '" + kernel.path + "' (" + hex(kernel.address) + "-" + hex(kernel.end) +
                             ") overlaps the firmware (" + hex(plan.images.back().address) + "-" +
                             hex(plan.images.back().end) + ").");
        kernelEnd = std::max(kernelEnd, kernel.end);
        plan.images.push_back(std::move(kernel));
    } else if (!config.pflash.empty()) {
        // No kernel but firmware in flash bank 0 (EDK2): OpenSBI continues there.
        plan.nextStage = virt::kFlashBase;
    } else {
        // No kernel: tell fw_dynamic to continue where fw_jump would.
        plan.nextStage = virt::kRamBase + virt::kKernelOffset;
    }
    if (config.biosNone) plan.entry = plan.nextStage;

    // Extra raw files (--load FILE@ADDRESS).
    for (const RawLoad& load : config.loads) {
        auto loaded = loadPlaced("file", load.path);
        if (!loaded) return loaded.error();
        loaded->address = load.address;
        loaded->end = load.address + loaded->bytes.size();
        TESSERA_TRY(checkInRam(loaded.value(), config));
        plan.images.push_back(std::move(loaded.value()));
    }

    // Flash bank 0: firmware code, executed in place (bank 1 is a device the board makes).
    if (!config.pflash.empty()) {
        auto loaded = loadPlaced("flash code", config.pflash[0]);
        if (!loaded) return loaded.error();
        if (loaded->bytes.size() > virt::kFlashBankSize)
            return makeError("flash image '" + config.pflash[0] + "' is " +
                             std::to_string(loaded->bytes.size()) +
                             " bytes, larger than the 32 MiB flash bank.");
        loaded->address = virt::kFlashBase;
        loaded->end = virt::kFlashBase + loaded->bytes.size();
        plan.images.push_back(std::move(loaded.value()));
    }

    // DTB at the top of RAM below 3 GiB, 2 MiB aligned (QEMU riscv_compute_fdt_addr).
    VirtDtbConfig dtbConfig;
    dtbConfig.ramBase = virt::kRamBase;
    dtbConfig.ramSize = config.ramSize;
    dtbConfig.harts = config.harts;
    dtbConfig.bootargs = config.append;
    dtbConfig.flash = !config.pflash.empty();

    std::optional<PlacedImage> initrd;
    if (!config.initrd.empty()) {
        auto loaded = loadPlaced("initrd", config.initrd);
        if (!loaded) return loaded.error();
        initrd = std::move(loaded.value());
    }

    // The DTB's size depends on whether it lists an initrd, but not on the
    // initrd's address (fixed-width cells), so size it first with a placeholder.
    if (initrd) dtbConfig.initrd = std::make_pair(uint64_t(0), uint64_t(0));
    auto sizing = buildVirtDtb(dtbConfig);
    if (!sizing) return sizing.error();
    const uint64_t dtbTop = std::min<uint64_t>(ramEnd, 3072 * kMiB);
    if (sizing->size() + 2 * kMiB > dtbTop - virt::kRamBase)
        return makeError("guest RAM is too small for the device tree; use at least -m 16M.");
    plan.dtbAddress = alignDown(dtbTop - sizing->size(), 2 * kMiB);
    if (plan.dtbAddress < kernelEnd)
        return makeError("guest RAM (" + std::to_string(config.ramSize >> 20) +
                         " MiB) is too small: the kernel ends at " + hex(kernelEnd) +
                         " where the device tree must go (" + hex(plan.dtbAddress) + "); increase -m.");

    if (initrd) {
        const uint64_t size = initrd->bytes.size();
        if (size > plan.dtbAddress - kernelEnd)
            return makeError("guest RAM (" + std::to_string(config.ramSize >> 20) + " MiB) is too small for kernel (ends at " +
                             hex(kernelEnd) + ") plus initrd '" + initrd->path + "' (" + std::to_string(size) +
                             " bytes) below the device tree at " + hex(plan.dtbAddress) + "; increase -m.");
        initrd->address = alignDown(plan.dtbAddress - size, 4096);
        if (initrd->address < kernelEnd)
            return makeError("guest RAM is too small for kernel plus initrd '" + initrd->path + "'; increase -m.");
        initrd->end = initrd->address + size;
        plan.initrd = std::make_pair(initrd->address, initrd->end);
        dtbConfig.initrd = plan.initrd;
        plan.images.push_back(std::move(*initrd));
    }

    auto dtb = buildVirtDtb(dtbConfig);
    if (!dtb) return dtb.error();
    plan.dtb = std::move(dtb.value());
    plan.resetVector = virt::kMromBase;
    return plan;
}

Status applyBootPlan(const BootPlan& plan, hw::MemoryBus& bus) {
    for (const PlacedImage& image : plan.images) {
        if (image.elf)
            TESSERA_TRY(placeElf(*image.elf, image.bytes, bus, image.path));
        else
            TESSERA_TRY(placeRaw(image.bytes, image.address, bus, image.path));
    }
    TESSERA_TRY(placeRaw(plan.dtb, plan.dtbAddress, bus, "device tree"));

    // mrom: QEMU's reset vector (hw/riscv/boot.c riscv_setup_rom_reset_vec),
    // re-encoded here, followed by its data words and fw_dynamic_info.
    const uint32_t resetCode[] = {
        0x00000297,  // auipc t0, 0
        0x02828613,  // addi  a2, t0, 40      -> &fw_dynamic_info
        0xf1402573,  // csrr  a0, mhartid
        0x0202b583,  // ld    a1, 32(t0)      -> DTB address
        0x0182b283,  // ld    t0, 24(t0)      -> entry
        0x00028067,  // jr    t0
    };
    const uint64_t data[] = {
        plan.entry, plan.dtbAddress,
        // struct fw_dynamic_info
        kFwDynamicMagic, kFwDynamicVersion, plan.nextStage, kNextModeSupervisor, 0 /*options*/, 0 /*boot_hart*/,
    };
    uint8_t rom[sizeof resetCode + sizeof data];
    std::memcpy(rom, resetCode, sizeof resetCode);
    std::memcpy(rom + sizeof resetCode, data, sizeof data);
    return placeRaw(rom, plan.resetVector, bus, "reset vector");
}

}  // namespace tessera::machine
