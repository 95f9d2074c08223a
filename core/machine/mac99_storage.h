#pragma once
// The mac99 board's storage as QEMU's mac99 lays it out: the two KeyLargo
// ATA buses of the macio ("keylargo-ata" at macio 0x20000 and 0x21000, their
// DBDMA channels at 0x8b00 and 0x8d00, OpenPIC inputs 0x0d and 0x0e, as the
// device tree OpenBIOS builds says), the disk as master of the first bus
// (hd, /dev/sda), a second disk as its slave (/dev/sdb; e.g. the express
// install's answer disk) and the ATAPI CD-ROM as master of the second (cd, /dev/sr0).
// The CD-ROM's media can be changed and ejected from any thread (monitor, GUI).

#include <memory>
#include <optional>
#include <string>

#include "core/devices/device_options.h"
#include "core/devices/keylargo_ata.h"
#include "core/devices/keylargo_macio.h"
#include "core/devices/openpic.h"
#include "core/devices/scsi_cdrom.h"
#include "core/hw/memory_bus.h"
#include "core/util/result.h"

namespace tessera::machine {

struct Mac99StorageConfig {
    std::optional<devices::DiskOption> disk;        // --disk
    std::optional<devices::DiskOption> secondDisk;  // a second --disk: the slave
    bool cdromDrive = false;                        // --cdrom (with or without a disc)
    std::string cdromImage;                         // "" = an empty drive
};

class Mac99Storage {
public:
    static constexpr uint64_t kAtaOffset[2] = {0x20000, 0x21000};
    static constexpr uint64_t kDbdmaOffset[2] = {0x8b00, 0x8d00};
    static constexpr unsigned kIrq[2] = {0x0d, 0x0e};

    explicit Mac99Storage(hw::MemoryBus& bus) : ata0_(bus), ata1_(bus) {}
    Mac99Storage(const Mac99Storage&) = delete;
    Mac99Storage& operator=(const Mac99Storage&) = delete;

    // Opens the images (the disk is locked while the VM runs).
    Status open(const Mac99StorageConfig& config);
    // Both buses on the macio and their interrupts on the OpenPIC.
    void wire(devices::KeyLargoMacio& macio, devices::OpenPic& pic);

    devices::ScsiCdrom* cdrom() { return cdrom_.get(); }
    devices::KeyLargoAta& bus(unsigned n) { return n == 0 ? ata0_ : ata1_; }

private:
    devices::KeyLargoAta ata0_, ata1_;
    std::unique_ptr<devices::ScsiCdrom> cdrom_;
};

}  // namespace tessera::machine
