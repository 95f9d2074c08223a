#pragma once
// SiFive "test" finisher as on QEMU's virt board (0x10_0000): a 32-bit write
// whose low 16 bits say what to do. 0x5555 = pass/power off (exit 0),
// 0x3333 = fail with code in bits 31:16, 0x7777 = reset. Linux drives it
// through the syscon-poweroff / syscon-reboot nodes of the DTB, OpenSBI
// through its sifive_test reset driver, bare-metal tests directly.

#include <cstdint>
#include <functional>

#include "core/hw/mmio_device.h"

namespace tessera::devices {

class SifiveTest : public hw::MmioDevice {
public:
    static constexpr uint64_t kSize = 0x1000;
    static constexpr uint32_t kFail = 0x3333;
    static constexpr uint32_t kPass = 0x5555;
    static constexpr uint32_t kReset = 0x7777;

    enum class Request { PowerOff, Reset };
    // exitCode: 0 for pass, the guest's code for fail (never 0: a failing
    // guest that reports code 0 exits 1 so that failure is never silent).
    using Handler = std::function<void(Request, int exitCode)>;
    explicit SifiveTest(Handler handler) : handler_(std::move(handler)) {}

    std::string name() const override { return "sifive_test"; }
    uint64_t mmioSize() const override { return kSize; }
    uint64_t read(uint64_t, unsigned) override { return 0; }
    void write(uint64_t offset, unsigned size, uint64_t value) override;

private:
    Handler handler_;
};

}  // namespace tessera::devices
