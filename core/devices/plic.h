#pragma once
// RISC-V Platform-Level Interrupt Controller (riscv-plic-spec 1.0.0, memory map
// in ch. "Memory Map"): per-source priority (0x000000 + 4*id), pending bits
// (0x001000), per-context enable bits (0x002000 + 0x80*ctx), per-context
// threshold and claim/complete (0x200000 + 0x1000*ctx). As on QEMU's virt
// board every hart has two contexts: 2h = M-mode (drives mip.MEIP) and
// 2h+1 = S-mode (drives mip.SEIP).
//
// Sources are level-triggered through a gateway (spec ch. "Interrupt
// Gateways"): a raised level becomes pending once; a claimed source is not
// pending again until its completion, and re-pends then if its level is still
// high.
//
// Threads: with several harts, the board's device lock guards every call
// (any hart's MMIO, device lines raised from any thread holding it).

#include <cstdint>
#include <vector>

#include "core/hw/irq_line.h"
#include "core/hw/mmio_device.h"

namespace tessera::devices {

class Plic : public hw::MmioDevice {
public:
    static constexpr uint64_t kSize = 0x600000;
    // Source ids 1..96 (riscv,ndev = 96 as in QEMU 7.2's virt DTB); 0 means "none".
    static constexpr unsigned kSources = 97;
    static constexpr unsigned kWords = (kSources + 31) / 32;  // enable/pending words
    static constexpr uint64_t kPriorityBase = 0x000000;
    static constexpr uint64_t kPendingBase = 0x001000;
    static constexpr uint64_t kEnableBase = 0x002000;
    static constexpr uint64_t kEnableStride = 0x80;
    static constexpr uint64_t kContextBase = 0x200000;
    static constexpr uint64_t kContextStride = 0x1000;
    static constexpr uint32_t kPriorityMask = 7;  // 3 priority bits, like QEMU virt

    explicit Plic(unsigned harts);

    std::string name() const override { return "plic"; }
    uint64_t mmioSize() const override { return kSize; }
    uint64_t read(uint64_t offset, unsigned size) override;
    void write(uint64_t offset, unsigned size, uint64_t value) override;
    void reset() override;

    // Device side: level of source `id` (1..96); out-of-range ids are ignored.
    void setSourceLevel(unsigned id, bool level);
    // Hart side: context 2h -> MEIP of hart h, 2h+1 -> SEIP.
    hw::IrqLine& contextIrq(unsigned context) { return contexts_.at(context).line; }
    unsigned contextCount() const { return static_cast<unsigned>(contexts_.size()); }

private:
    struct Context {
        uint32_t enable[kWords] = {};
        uint32_t threshold = 0;
        hw::IrqLine line;
    };

    uint32_t read32(uint64_t offset);
    void write32(uint64_t offset, uint32_t value);
    unsigned bestPending(const Context& context) const;
    uint32_t claim(Context& context);
    void complete(Context& context, uint32_t id);
    void update();

    bool isEnabled(const Context& context, unsigned id) const {
        return (context.enable[id / 32] >> (id % 32)) & 1;
    }

    uint32_t priority_[kSources] = {};
    bool level_[kSources] = {};
    bool pending_[kSources] = {};
    bool inService_[kSources] = {};
    std::vector<Context> contexts_;
};

}  // namespace tessera::devices
