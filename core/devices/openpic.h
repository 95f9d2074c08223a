#pragma once
// OpenPIC (MPIC) interrupt controller as KeyLargo's macio has it, for one
// CPU: 64 level- or edge-triggered sources (QEMU's keylargo model), each with
// a vector/priority register (IVPR: mask bit 31, activity 30, sense 22,
// priority 19:16, vector 7:0) and a destination register; the per-CPU
// current task priority, interrupt acknowledge and end-of-interrupt registers.
// Registers are 32-bit little-endian (Linux's mpic driver without
// "big-endian" in the device tree) at the OpenPIC offsets: global registers
// at 0x1000, sources at 0x10000 + 0x20*n, CPU 0 at 0x20000.
//
// Delivery: the output (the CPU's external interrupt input) is high while
// the highest-priority pending, unmasked source outranks both the task
// priority and the interrupt in service. Acknowledge returns its vector and
// puts it in service; end-of-interrupt retires the highest in service. A
// level source stays pending while its input is high, an edge source is
// latched on the rising edge and cleared by the acknowledge.
// Not modelled: IPIs, global timers, more than one CPU.

#include <array>
#include <cstdint>
#include <vector>

#include "core/hw/irq_line.h"
#include "core/hw/mmio_device.h"

namespace tessera::devices {

class OpenPic : public hw::MmioDevice {
public:
    static constexpr uint64_t kSize = 0x40000;
    static constexpr unsigned kSources = 64;
    static constexpr uint32_t kSpuriousDefault = 0xff;

    OpenPic() { reset(); }

    std::string name() const override { return "openpic"; }
    uint64_t mmioSize() const override { return kSize; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;
    void reset() override;

    // Source inputs (any device's IrqLine connects here).
    void setSourceLevel(unsigned source, bool level);
    hw::IrqLine& output() { return output_; }

private:
    struct Source {
        uint32_t ivpr = 0;
        uint32_t idr = 0;
        bool input = false;
        bool latched = false;  // edge sources: a rising edge not yet acknowledged
    };
    bool pending(unsigned n) const;
    unsigned priority(unsigned n) const { return (sources_[n].ivpr >> 16) & 0xf; }
    int highestPending() const;  // -1 when none
    int inServicePriority() const;
    uint32_t acknowledge();
    void endOfInterrupt();
    void update();

    std::array<Source, kSources> sources_{};
    std::vector<unsigned> inService_;  // sources in service, in acknowledge order
    uint32_t taskPriority_ = 0;
    uint32_t spurious_ = kSpuriousDefault;
    uint32_t globalConfig_ = 0;
    hw::IrqLine output_;
};

}  // namespace tessera::devices
