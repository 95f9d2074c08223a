#pragma once
// E1000: an Intel 82540EM gigabit Ethernet controller (PCI 8086:100e) as
// QEMU's `-device e1000` presents it and Linux's e1000 driver drives it
// (Intel's "PCI/PCI-X Family of Gigabit Ethernet Controllers Software
// Developer's Manual", 8254x):
// - BAR0: the 128 KiB register file; BAR1: the 64-byte I/O window (IOADDR at
//   0 selects a register, IODATA at 4 reads/writes it; Linux resets the
//   82540 through it);
// - the Microwire EEPROM (e1000_eeprom.h) and the M88E1011 PHY behind MDIC;
// - interrupt causes ICR/ICS, mask IMS/IMC on the function's INTA#;
// - transmit and receive descriptor rings in guest RAM (legacy and extended
//   descriptors, the context descriptor's checksum offload and TCP
//   segmentation: e1000_offload.h), moved by bus-master DMA.
// Registers and descriptors are little-endian whatever the guest's byte order.
//
// Guest-controlled values are hostile: rings and buffers are read and
// written only through MemoryBus's all-or-nothing RAM DMA, a transmit kick
// processes at most one ring's worth of descriptors, a head or tail beyond
// the ring stops the ring (the guest must reset it), and a frame grows to at
// most kMaxFrameBytes. Receive filtering follows RCTL (unicast addresses in
// RA, multicast hash table MTA, broadcast/promiscuous bits).
//
// Threads: everything here runs on the VM thread (register accesses from the
// CPU, poll() from the board's run loop, which services the slirp network and
// so delivers its frames). Only wake() and the port-forward calls may come
// from other threads; SlirpNetwork serialises them.

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "core/devices/e1000_eeprom.h"
#include "core/devices/e1000_offload.h"
#include "core/devices/pci_function.h"
#include "core/hw/irq_line.h"
#include "core/hw/memory_bus.h"
#include "core/hw/mmio_device.h"
#include "core/net/slirp_network.h"

namespace tessera::devices {

class E1000 final : public hw::MmioDevice {
public:
    using Mac = std::array<uint8_t, 6>;
    using FrameSink = std::function<void(std::span<const uint8_t> frame)>;

    static constexpr uint16_t kVendorId = 0x8086, kDeviceId = 0x100e;
    static constexpr uint32_t kRegisterBytes = 0x20000, kIoBytes = 0x40;
    static constexpr size_t kMaxFrameBytes = 0x10000 + 256;  // a 64 KiB TSO payload with its headers
    static constexpr size_t kMaxPendingRxFrames = 256;       // kept while the guest gives no buffers

    // Register offsets (8254x manual, "Register Summary").
    enum Reg : uint32_t {
        CTRL = 0x0000,
        STATUS = 0x0008,
        EECD = 0x0010,
        EERD = 0x0014,
        CTRL_EXT = 0x0018,
        MDIC = 0x0020,
        ICR = 0x00c0,
        ICS = 0x00c8,
        IMS = 0x00d0,
        IMC = 0x00d8,
        RCTL = 0x0100,
        TCTL = 0x0400,
        LEDCTL = 0x0e00,
        PBA = 0x1000,
        RDBAL = 0x2800,
        RDBAH = 0x2804,
        RDLEN = 0x2808,
        RDH = 0x2810,
        RDT = 0x2818,
        TDBAL = 0x3800,
        TDBAH = 0x3804,
        TDLEN = 0x3808,
        TDH = 0x3810,
        TDT = 0x3818,
        STATS_FIRST = 0x4000,
        STATS_LAST = 0x40fc,
        GPRC = 0x4074,
        GPTC = 0x4080,
        TPR = 0x40d0,
        TPT = 0x40d4,
        MTA = 0x5200,
        RA = 0x5400,
    };
    // Interrupt causes.
    static constexpr uint32_t kIcrTxdw = 1u << 0, kIcrTxqe = 1u << 1, kIcrLsc = 1u << 2, kIcrRxdmt0 = 1u << 4,
                              kIcrRxt0 = 1u << 7, kIcrMdac = 1u << 9;

    // A NIC whose transmitted frames go to `transmit` (the network, or a test).
    E1000(hw::MemoryBus& bus, const Mac& mac, FrameSink transmit);
    // A NIC on its own slirp user network (`-netdev user`).
    static Result<std::unique_ptr<E1000>> createOnSlirp(hw::MemoryBus& bus, const Mac& mac,
                                                        const net::SlirpOptions& options);

    // The PCI function (config header, BAR0 = this, BAR1 = ioPort()) and its INTA# line.
    PciFunction& pci() { return pci_; }
    hw::MmioDevice& ioPort() { return io_; }
    hw::IrqLine& irq() { return irq_; }

    // BAR0.
    std::string name() const override { return "e1000"; }
    uint64_t mmioSize() const override { return kRegisterBytes; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;
    void reset() override;  // power-on / PCI reset: registers, PHY, EEPROM state, rings

    // A frame from the network to the guest (Ethernet, without FCS).
    void receive(std::span<const uint8_t> frame);
    // Run-loop hook: services the slirp network (if any) and retries frames
    // that waited for receive buffers.
    void poll(std::chrono::milliseconds maxWait);
    void wake();
    Status addHostForward(const net::HostForward& rule);
    Status removeHostForward(const net::HostForward& rule);

    const Mac& mac() const { return mac_; }
    uint64_t droppedRxFrames() const { return droppedRx_; }
    uint16_t phyRegister(unsigned index) const { return phy_[index % 32]; }

private:
    struct IoPort : hw::MmioDevice {
        explicit IoPort(E1000& nic) : nic(nic) {}
        std::string name() const override { return "e1000-io"; }
        uint64_t mmioSize() const override { return kIoBytes; }
        uint64_t read(uint64_t offset, unsigned size) override;
        void write(uint64_t offset, unsigned size, uint64_t value) override;
        E1000& nic;
        uint32_t address = 0;  // IOADDR
    };
    // A frame being gathered from transmit descriptors up to the one with EOP.
    struct TxPacket {
        std::vector<uint8_t> bytes;
        bool started = false;
        bool broken = false;          // a buffer outside RAM or too much data: dropped at EOP
        bool tse = false;             // TCP segmentation (extended data descriptor)
        uint8_t options = 0;          // POPTS: IXSM (1) and TXSM (2)
        bool legacyChecksum = false;  // legacy CMD.IC: insert at CSO, summed from CSS
        uint8_t cso = 0, css = 0;
    };

    uint32_t& reg(uint32_t offset) { return regs_[offset / 4]; }
    uint32_t reg(uint32_t offset) const { return regs_[offset / 4]; }
    uint32_t readRegister(uint32_t offset);
    void writeRegister(uint32_t offset, uint32_t value);
    void raise(uint32_t causes);
    void updateIrq();
    void phyAccess(uint32_t mdic);
    uint32_t status() const;

    void transmit();
    bool transmitDescriptor(uint64_t address);
    void appendTxBuffer(uint64_t address, uint32_t length);
    void finishTxPacket();
    void send(std::span<const uint8_t> frame);

    bool accepts(std::span<const uint8_t> frame) const;
    void deliverPending();
    bool deliver(const std::vector<uint8_t>& frame);
    uint32_t rxBufferSize() const;

    hw::MemoryBus& bus_;
    Mac mac_;
    FrameSink transmit_;
    std::unique_ptr<net::SlirpNetwork> network_;
    PciFunction pci_;
    IoPort io_{*this};
    hw::IrqLine irq_;
    E1000Eeprom eeprom_;
    std::vector<uint32_t> regs_;
    std::array<uint16_t, 32> phy_{};
    E1000TxContext txContext_;
    bool txContextTse_ = false;
    TxPacket tx_;
    std::deque<std::vector<uint8_t>> pendingRx_;
    uint64_t droppedRx_ = 0;
};

}  // namespace tessera::devices
