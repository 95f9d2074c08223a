#pragma once
// One channel of Apple's descriptor-based DMA engine (DBDMA), as the KeyLargo
// macio has them at 0x8000 + channel * 0x100 and Linux's pata_macio drives
// them: the guest writes a list of 16-byte little-endian descriptors to RAM
// (req_count, command, address, cmd_dep, res_count, xfer_status), points
// CommandPtr at it and sets RUN; the channel moves data between guest RAM and
// its device (DbdmaDevice) descriptor by descriptor until a STOP.
//
// Registers (little-endian, as Linux's in_le32/out_le32 see them):
//   0x00 ChannelControl (write: mask << 16 | value), 0x04 ChannelStatus,
//   0x0c CommandPtr, 0x10 InterruptSelect, 0x14 BranchSelect, 0x18 WaitSelect.
//
// The descriptors are guest data and may be hostile: every fetch and transfer
// is bounds-checked against RAM (a bad address sets DEAD and stops the channel),
// and one pump() walks at most kMaxDescriptorsPerPump descriptors, so a branch
// loop costs bounded host time (the channel stays ACTIVE, as hardware would
// spin, and continues on the next register access or device kick).
// Descriptor interrupts are not delivered and wait conditions never hold a
// descriptor: pata_macio waits on the ATA interrupt, requests no DBDMA
// interrupt and sets no wait bits.

#include <cstdint>
#include <span>

#include "core/hw/memory_bus.h"
#include "core/hw/mmio_device.h"

namespace tessera::devices {

// The device end of a channel: what it has to give (INPUT: device -> RAM) or
// can take (OUTPUT: RAM -> device) right now.
class DbdmaDevice {
public:
    virtual ~DbdmaDevice() = default;
    // Bytes the device can deliver now (0: nothing yet, the channel waits).
    virtual uint64_t dmaInputAvailable() = 0;
    virtual void dmaInput(std::span<uint8_t> out) = 0;  // out.size() <= dmaInputAvailable()
    virtual uint64_t dmaOutputWanted() = 0;
    virtual void dmaOutput(std::span<const uint8_t> data) = 0;  // data.size() <= dmaOutputWanted()
};

class DbdmaChannel final : public hw::MmioDevice {
public:
    static constexpr uint64_t kSize = 0x100;
    static constexpr unsigned kMaxDescriptorsPerPump = 4096;
    // ChannelStatus bits.
    static constexpr uint32_t kRun = 0x8000, kPause = 0x4000, kFlush = 0x2000, kWake = 0x1000, kDead = 0x0800,
                              kActive = 0x0400, kBranchTaken = 0x0100;
    // Descriptor commands (bits 15-12 of the command word).
    enum Command : uint16_t {
        OutputMore = 0,
        OutputLast = 1,
        InputMore = 2,
        InputLast = 3,
        StoreWord = 4,
        LoadWord = 5,
        Nop = 6,
        Stop = 7,
    };

    DbdmaChannel(hw::MemoryBus& bus, DbdmaDevice& device) : bus_(bus), device_(device) {}

    std::string name() const override { return "dbdma"; }
    uint64_t mmioSize() const override { return kSize; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;
    void reset() override;

    // The device has data or room now: continue a waiting transfer.
    void kick() { pump(); }

    uint32_t status() const { return status_; }
    uint32_t commandPointer() const { return commandPtr_; }

private:
    struct Descriptor {
        uint16_t reqCount, command;
        uint32_t address, cmdDep;
    };
    void pump();
    // Runs the descriptor at commandPtr_; false: it cannot finish yet (wait).
    bool execute(const Descriptor& d);
    bool transfer(const Descriptor& d, bool input);
    bool condition(uint32_t select) const;
    void finish(uint16_t residual);  // res_count and xfer_status into the descriptor
    void die();

    hw::MemoryBus& bus_;
    DbdmaDevice& device_;
    uint32_t status_ = 0;
    uint32_t commandPtr_ = 0;
    uint32_t interruptSelect_ = 0, branchSelect_ = 0, waitSelect_ = 0;
    uint32_t progress_ = 0;  // bytes of the current descriptor already moved
    bool pumping_ = false;   // a device callback re-entering kick()
};

}  // namespace tessera::devices
