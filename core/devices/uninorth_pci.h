#pragma once
// Apple Uni-North PCI host bridge as on QEMU's mac99 (the PCI bus OpenBIOS
// enumerates, "pci@f2000000"): a configuration address register and a data
// window, and the PCI memory window that reaches the functions' BARs.
//
// Configuration address formats (QEMU's hw/pci-host/uninorth.c, Linux's
// arch/powerpc/platforms/powermac/pci.c):
//   bit 31 set   OpenBIOS: bus << 16 | devfn << 8 | register
//   bit 0 set    type 1: bus << 16 | devfn << 8 | register, for buses behind bridges
//   otherwise    type 0 on bus 0: one IDSEL bit per slot (bit 11 + slot), function << 8
// The data window adds the low address bits (0..7) to the register. Both
// registers are little-endian; absent functions read as all ones.
//
// Interrupts: Uni-North wires the four PCI interrupt lines to OpenPIC inputs
// 0x1b..0x1e and rotates them by slot (QEMU's pci_unin_map_irq; OpenBIOS
// writes the same mapping into the bus's "interrupt-map", where Linux reads
// it): INTA# of slot 13 is input 0x1c, of slot 14 input 0x1d.
//
// The PCI I/O window at 0xf2000000 (OpenBIOS's and Linux's isa_io_base on
// mac99) carries the functions' I/O BARs and the legacy ports a function
// decodes at fixed addresses, as a VGA's 0x3c0-0x3df and the Bochs VBE
// index/data at 0x1ce/0x1d0, while its command register enables I/O space.
// Unclaimed ports read as all ones and unclaimed memory as 0, as on QEMU.

#include <cstdint>
#include <map>
#include <vector>

#include "core/devices/pci_function.h"
#include "core/hw/mmio_device.h"

namespace tessera::devices {

class UniNorthPci {
public:
    // Bus addresses as OpenBIOS's MAC99 description (its pci_arch_t) has them.
    static constexpr uint64_t kConfigAddress = 0xf2800000;
    static constexpr uint64_t kConfigData = 0xf2c00000;
    static constexpr uint64_t kMemoryBase = 0x80000000;
    static constexpr uint64_t kMemorySize = 0x10000000;
    // PCI I/O space (OpenBIOS's "ranges": I/O 0..0x7fffff at 0xf2000000).
    static constexpr uint64_t kIoBase = 0xf2000000;
    static constexpr uint64_t kIoSize = 0x00800000;
    static constexpr unsigned kFirstIrq = 0x1b;

    // The OpenPIC input the interrupt `pin` (1 = INTA#) of a device in `slot` drives.
    static constexpr unsigned interruptSource(unsigned slot, unsigned pin) {
        return kFirstIrq + ((slot + pin - 1) & 3);
    }

    // `function` (not owned) at bus 0, devfn.
    void attach(uint8_t devfn, PciFunction* function) { functions_[devfn] = function; }

    // Ports [port, port + count) of `owner` (not owned), served by `device`
    // from `deviceOffset` on.
    void attachLegacyIo(uint32_t port, uint32_t count, PciFunction* owner, hw::MmioDevice* device,
                        uint64_t deviceOffset) {
        legacyIo_.push_back({port, count, owner, device, deviceOffset});
    }

    // The four bus windows, added to the memory bus by the board.
    hw::MmioDevice& addressRegister() { return address_; }
    hw::MmioDevice& dataWindow() { return data_; }
    hw::MmioDevice& memoryWindow() { return memory_; }
    hw::MmioDevice& ioWindow() { return io_; }

    uint32_t configAddress() const { return address_.value; }
    void reset();

private:
    // The function and register a data-window access at `offset` reaches.
    PciFunction* decode(uint64_t offset, unsigned& reg) const;

    struct AddressRegister : hw::MmioDevice {
        std::string name() const override { return "uninorth-pci-config-address"; }
        uint64_t mmioSize() const override { return 0x1000; }
        uint64_t read(uint64_t offset, unsigned size) override {
            return offset == 0 && size == 4 ? value : 0;
        }
        void write(uint64_t offset, unsigned size, uint64_t v) override {
            if (offset == 0 && size == 4) value = static_cast<uint32_t>(v);
        }
        uint32_t value = 0;
    };
    struct DataWindow : hw::MmioDevice {
        explicit DataWindow(UniNorthPci& host) : host(host) {}
        std::string name() const override { return "uninorth-pci-config-data"; }
        uint64_t mmioSize() const override { return 0x1000; }
        uint64_t read(uint64_t offset, unsigned size) override;
        void write(uint64_t offset, unsigned size, uint64_t value) override;
        UniNorthPci& host;
    };
    // Memory or I/O cycles, decoded by the functions' BARs.
    struct BarWindow : hw::MmioDevice {
        BarWindow(UniNorthPci& host, bool io) : host(host), io(io) {}
        std::string name() const override { return io ? "uninorth-pci-io" : "uninorth-pci-memory"; }
        uint64_t mmioSize() const override { return io ? kIoSize : kMemorySize; }
        uint64_t read(uint64_t offset, unsigned size) override;
        void write(uint64_t offset, unsigned size, uint64_t value) override;
        hw::MmioDevice* decode(uint64_t offset, uint32_t& inner) const;
        UniNorthPci& host;
        bool io;
    };

    struct LegacyIo {
        uint32_t port = 0, count = 0;
        PciFunction* owner = nullptr;
        hw::MmioDevice* device = nullptr;
        uint64_t deviceOffset = 0;
    };
    // The claim an access of `size` bytes at `port` falls wholly inside, if enabled.
    const LegacyIo* decodeIo(uint64_t port, unsigned size) const;

    std::map<uint8_t, PciFunction*> functions_;
    std::vector<LegacyIo> legacyIo_;
    AddressRegister address_;
    DataWindow data_{*this};
    BarWindow memory_{*this, false};
    BarWindow io_{*this, true};
};

}  // namespace tessera::devices
