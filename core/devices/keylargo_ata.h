#pragma once
// One KeyLargo ATA bus of the macio ("keylargo-ata", model "ata-3", as
// OpenBIOS describes it for QEMU's mac99 and Linux's pata_macio drives it):
// the ATA task file at offset n << 4 (data 0x00 ... status/command 0x70),
// device control / alternate status at 0x160 (pata_macio; OpenBIOS uses the
// same register as "port 8", 0x80), the timing register at 0x200,
// and its DBDMA channel for the data of DMA commands. The master drive is an
// ATA disk on the block layer (qcow2/raw) or an ATAPI CD-ROM whose packet
// commands ScsiCdrom executes; the slave, when there is one, is a second disk
// on a bus whose master is a disk (an absent slave's status reads 0). The task
// file is the bus's, as both drives see every write; the device register's
// DEV bit picks the drive that answers and runs commands.
//
// Commands run synchronously on the VM thread: PIO data goes through the
// data register in blocks (one interrupt per block), DMA data through the
// channel's descriptors; the interrupt (INTRQ, a level) rises when the drive
// wants the host and drops when the host reads the status register.
// Guest input is hostile: transfer sizes are bounded by the command (at most
// 65536 sectors), every LBA is checked against the disk, unknown commands abort.
// keylargo_ata.cpp: registers, PIO and DMA data; keylargo_ata_disk.cpp: the
// disk's commands; keylargo_ata_atapi.cpp: the CD-ROM's PACKET protocol.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "core/block/block_backend.h"
#include "core/devices/ata_identify.h"
#include "core/devices/dbdma.h"
#include "core/devices/scsi_cdrom.h"
#include "core/hw/irq_line.h"
#include "core/hw/memory_bus.h"
#include "core/hw/mmio_device.h"

namespace tessera::devices {

class KeyLargoAta final : public hw::MmioDevice, public DbdmaDevice {
public:
    static constexpr uint64_t kSize = 0x1000;
    static constexpr uint64_t kControlOffset = 0x160;
    static constexpr uint64_t kLegacyControlOffset = 0x80;
    static constexpr uint64_t kTimingOffset = 0x200;
    // Status bits.
    static constexpr uint8_t kBsy = 0x80, kDrdy = 0x40, kDsc = 0x10, kDrq = 0x08, kErr = 0x01;
    // Error bits.
    static constexpr uint8_t kAbrt = 0x04, kIdnf = 0x10, kUnc = 0x40;

    explicit KeyLargoAta(hw::MemoryBus& bus) : dma_(bus, *this) {}

    // The master drive (before the VM runs). The CD-ROM is not owned.
    void attachDisk(std::shared_ptr<block::BlockBackend> disk, bool readOnly);
    // The slave drive, a disk: only beside a master disk (their signatures,
    // in the shared task file after a reset, are a disk's).
    void attachSlaveDisk(std::shared_ptr<block::BlockBackend> disk, bool readOnly);
    void attachCdrom(ScsiCdrom* cdrom);

    DbdmaChannel& dma() { return dma_; }
    hw::IrqLine& irq() { return irq_; }

    std::string name() const override { return "keylargo-ata"; }
    uint64_t mmioSize() const override { return kSize; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;
    void reset() override;

    uint64_t dmaInputAvailable() override;
    void dmaInput(std::span<uint8_t> out) override;
    uint64_t dmaOutputWanted() override;
    void dmaOutput(std::span<const uint8_t> data) override;

private:
    void attachDiskAs(unsigned unit, std::shared_ptr<block::BlockBackend> disk,
                      bool readOnly);  // 0 master, 1 slave
    enum class Drive { None, Disk, Cdrom };
    enum class Phase { Idle, PioIn, PioOut, DmaIn, DmaOut, Packet };
    struct Register {
        uint8_t value = 0, previous = 0;  // previous: the LBA48 "high order byte"
        void set(uint8_t v) {
            previous = value;
            value = v;
        }
    };

    unsigned selected() const { return (device_ >> 4) & 1; }  // 0 master, 1 slave
    Drive drive() const { return drive_[selected()]; }
    block::BlockBackend& disk() { return *disk_[selected()]; }
    bool diskReadOnly() const { return diskReadOnly_[selected()]; }
    bool present() const { return drive() != Drive::None; }
    uint8_t readRegister(unsigned reg);
    void writeRegister(unsigned reg, uint8_t value);
    uint16_t readData();
    void writeData(uint16_t word);
    void setSignature();
    void softReset();
    void raise();
    void updateIrq();

    void command(uint8_t opcode);
    void diskCommand(uint8_t opcode);
    void cdromCommand(uint8_t opcode);
    void abort(uint8_t error = kAbrt);
    void complete();
    // LBA and count of the READ/WRITE command in the task file.
    bool transferRange(bool lba48, uint64_t& lba, uint64_t& sectors);
    void startRead(bool lba48, bool dma, unsigned blockSectors);
    void startWrite(bool lba48, bool dma, unsigned blockSectors);
    void finishWrite();
    void startPioIn(std::vector<uint8_t> data, unsigned blockBytes);
    void pioBlockDone();
    void packet();
    void packetData(std::vector<uint8_t> data);

    DbdmaChannel dma_;
    hw::IrqLine irq_;
    Drive drive_[2] = {Drive::None, Drive::None};  // master, slave
    std::shared_ptr<block::BlockBackend> disk_[2];
    bool diskReadOnly_[2] = {false, false};
    ScsiCdrom* cdrom_ = nullptr;

    Register feature_, count_, lbaLow_, lbaMid_, lbaHigh_;
    uint8_t device_ = 0, status_ = 0, error_ = 0, control_ = 0;
    uint32_t timing_ = 0;
    bool pending_ = false;  // INTRQ before nIEN
    uint8_t multiple_ = 16;

    Phase phase_ = Phase::Idle;
    std::vector<uint8_t> buffer_;
    uint64_t position_ = 0;  // bytes of buffer_ the host has taken or given
    uint64_t blockEnd_ = 0;  // end of the current PIO block (ATAPI: byte-count chunk)
    unsigned blockBytes_ = 512;
    uint64_t writeLba_ = 0;
    bool packetDma_ = false;
    std::optional<SenseCode> sense_;  // of the last failed packet, for REQUEST SENSE
};

}  // namespace tessera::devices
