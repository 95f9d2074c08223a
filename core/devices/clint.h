#pragma once
// SiFive CLINT (core-local interruptor) as on QEMU's virt board: per hart a
// software-interrupt register (msip, mip.MSIP) and a timer compare register
// (mtimecmp, mip.MTIP), plus the shared mtime counter from a clock
// (hw::GuestClock: the board's VirtualClock, or the lockstep tester's
// InstructionClock). Layout: msip[h] at 0x0000 + 4h, mtimecmp[h] at
// 0x4000 + 8h, mtime at 0xBFF8 (SiFive FU540 manual, ch. 9 "Core Local
// Interruptor").
//
// Threads: with several harts, the board's device lock guards every call
// (any hart's MMIO, and each hart's thread updating timers between slices).

#include <cstdint>
#include <vector>

#include "core/hw/guest_clock.h"
#include "core/hw/irq_line.h"
#include "core/hw/mmio_device.h"

namespace tessera::devices {

class Clint : public hw::MmioDevice {
public:
    static constexpr uint64_t kSize = 0x10000;
    static constexpr uint64_t kMsipBase = 0x0000;
    static constexpr uint64_t kMtimecmpBase = 0x4000;
    static constexpr uint64_t kMtime = 0xBFF8;

    Clint(hw::GuestClock& clock, unsigned harts);

    std::string name() const override { return "clint"; }
    uint64_t mmioSize() const override { return kSize; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;
    void reset() override;

    // Wires to each hart's mip.MSIP / mip.MTIP.
    hw::IrqLine& softwareIrq(unsigned hart) { return harts_.at(hart).msipLine; }
    hw::IrqLine& timerIrq(unsigned hart) { return harts_.at(hart).mtipLine; }

    // Re-evaluates MTIP against the current mtime; the run loop calls this
    // between CPU slices. Returns the earliest mtimecmp still in the future
    // (UINT64_MAX if none), i.e. the next deadline to sleep until on WFI.
    uint64_t updateTimers();
    uint64_t mtimecmp(unsigned hart) const { return harts_.at(hart).mtimecmp; }
    // Hart `hart`'s own timer deadline while it is still in the future
    // (UINT64_MAX otherwise): how long that hart may sleep in WFI.
    uint64_t nextDeadline(unsigned hart) const;

private:
    struct HartRegs {
        uint32_t msip = 0;
        uint64_t mtimecmp = UINT64_MAX;
        hw::IrqLine msipLine;
        hw::IrqLine mtipLine;
    };

    hw::GuestClock& clock_;
    std::vector<HartRegs> harts_;
};

}  // namespace tessera::devices
