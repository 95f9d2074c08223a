#pragma once
// QEMU's firmware configuration device (fw_cfg) in its memory-mapped form, as
// the PowerPC boards have it (docs/specs/fw_cfg.rst in QEMU): a 16-bit
// big-endian selector register at offset 0 and an 8-bit data register at
// offset 2. Writing the selector picks an item and rewinds its read position;
// each data read returns the item's next byte (0 past its end or for an
// unknown item). OpenBIOS reads the machine's description from it: signature
// "QEMU", machine id, RAM size, kernel/initrd/command line, CPU frequencies.
// The device is read-only for the guest (no DMA interface, no writable items).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/hw/mmio_device.h"

namespace tessera::devices {

class FwCfg : public hw::MmioDevice {
public:
    // Item keys (QEMU's include/standard-headers/linux/qemu_fw_cfg.h).
    enum Key : uint16_t {
        Signature = 0x00,
        Id = 0x01,
        Uuid = 0x02,
        RamSize = 0x03,
        NoGraphic = 0x04,
        NbCpus = 0x05,
        MachineId = 0x06,
        KernelAddr = 0x07,
        KernelSize = 0x08,
        KernelCmdline = 0x09,
        InitrdAddr = 0x0a,
        InitrdSize = 0x0b,
        BootDevice = 0x0c,
        MaxCpus = 0x0f,
        // PowerPC's arch-local items (QEMU hw/ppc: FW_CFG_ARCH_LOCAL + n).
        PpcWidth = 0x8000,
        PpcHeight = 0x8001,
        PpcDepth = 0x8002,
        PpcTbFreq = 0x8003,
        PpcClockFreq = 0x8004,
        PpcIsKvm = 0x8005,
        PpcNvramAddr = 0x8008,
        PpcBusFreq = 0x8009,
        PpcNvramFlat = 0x800a,
        PpcViaConfig = 0x800b,
    };
    static constexpr uint64_t kSize = 4;

    // Items are stored little-endian, as QEMU's fw_cfg_add_i16/i32/i64 store them.
    void setBytes(uint16_t key, std::vector<uint8_t> bytes) { items_[key] = std::move(bytes); }
    void setU16(uint16_t key, uint16_t value) { setLittleEndian(key, value, 2); }
    void setU32(uint16_t key, uint32_t value) { setLittleEndian(key, value, 4); }
    void setU64(uint16_t key, uint64_t value) { setLittleEndian(key, value, 8); }

    std::string name() const override { return "fw_cfg"; }
    uint64_t mmioSize() const override { return kSize; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;
    void reset() override;

    uint16_t selected() const { return selector_; }

private:
    void setLittleEndian(uint16_t key, uint64_t value, unsigned bytes);

    std::map<uint16_t, std::vector<uint8_t>> items_;
    uint16_t selector_ = 0;
    size_t position_ = 0;
};

}  // namespace tessera::devices
