#pragma once
// RiscvVirtBoard: the RISC-V `virt` machine, memory map in
// docs/ARCHITECTURE.md, "The RISC-V `virt` board": RAM, an mrom with QEMU's
// reset vector and fw_dynamic_info, CLINT, PLIC, NS16550A, sifive_test,
// goldfish RTC and eight empty virtio-mmio slots, one hart run by the CPU
// engine the configuration names; the images named in the configuration; a
// generated DTB; and the run loop that drives it all on the calling thread.
//
// Construction validates everything a user could get wrong (missing files,
// non-RISC-V kernels, RAM too small) so that errors appear before the guest
// starts. run() returns when the guest powers off, the timeout expires, a stop
// is requested or a host-side fatal error occurs.

#include <array>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "core/cpu/cpu_engine.h"
#include "core/devices/cfi_flash.h"
#include "core/devices/clint.h"
#include "core/devices/goldfish_rtc.h"
#include "core/devices/ns16550a_uart.h"
#include "core/devices/plic.h"
#include "core/devices/sifive_test.h"
#include "core/devices/virtio_device_set.h"
#include "core/hw/memory_bus.h"
#include "core/hw/virtual_clock.h"
#include "core/machine/boot_plan.h"
#include "core/machine/riscv_virt_config.h"
#include "core/machine/vm_host.h"
#include "core/util/result.h"

namespace tessera::machine {

struct RunOutcome {
    enum class Kind { GuestPoweroff, GuestReset, Timeout, Stopped, Fatal };
    Kind kind = Kind::Stopped;
    int exitCode = 0;  // guest's code for GuestPoweroff
    std::string message;
};

// Where the run loop's wall time went: executing guest code vs idling in WFI.
struct RunStats {
    uint64_t instructions = 0;
    double wallSeconds = 0;
    double busySeconds = 0;  // inside CpuEngine::run
    double idleSeconds = 0;  // sleeping on WFI
    cpu::TranslationStats translation;  // the JIT's; zero for the interpreter
    double mips() const { return busySeconds > 0 ? double(instructions) / busySeconds / 1e6 : 0; }
};

class RiscvVirtBoard {
public:
    static Result<std::unique_ptr<RiscvVirtBoard>> create(const RiscvVirtConfig& config, VmHost& host);
    ~RiscvVirtBoard();

    RunOutcome run();

    // Thread-safe controls, for the UI / terminal thread.
    void pushSerialInput(std::span<const uint8_t> bytes);
    void requestStop();
    void requestPause(bool paused);
    void requestReset();  // the reset button: devices and hart restart from the boot plan
    // Instructions retired so far, published once per slice (any thread; for a speed display).
    uint64_t instructionsPublished() const { return instructionsPublished_.load(std::memory_order_relaxed); }
    // Time spent asleep waiting for an interrupt (the guest idles in WFI), in
    // nanoseconds, published after each sleep (any thread): a speed display
    // tells an idle guest from a slow one with it.
    uint64_t idleNanosPublished() const { return idleNanosPublished_.load(std::memory_order_relaxed); }

    // Inspection (VM thread or when stopped).
    cpu::CpuEngine& cpu() { return *cpu_; }
    hw::MemoryBus& bus() { return bus_; }
    const BootPlan& bootPlan() const { return plan_; }
    const std::vector<uint8_t>& dtb() const { return plan_.dtb; }
    uint64_t instructionsRetired() const { return cpu_->instructionsRetired(); }
    devices::VirtioDeviceSet& virtioDevices() { return *virtio_; }
    RunStats stats() const { return stats_; }

private:
    RiscvVirtBoard(const RiscvVirtConfig& config, VmHost& host);
    Status addFlash();
    void wireDevices();
    Status loadImages();
    void resetMachine();
    void flushSerial();
    void onTestDevice(devices::SifiveTest::Request request, int exitCode);
    void sleepUntil(uint64_t mtimeDeadline);
    void signalHostEvent();

    RiscvVirtConfig config_;
    VmHost& host_;
    hw::VirtualClock clock_;
    hw::MemoryBus bus_;
    std::unique_ptr<cpu::CpuEngine> cpu_;  // the one hart, run by the engine the config names
    devices::Clint clint_;
    devices::Plic plic_;
    devices::Ns16550aUart uart_;
    devices::SifiveTest test_;
    devices::GoldfishRtc rtc_;
    std::unique_ptr<devices::VirtioDeviceSet> virtio_;  // the eight virtio-mmio slots
    std::unique_ptr<devices::CfiFlash> flashVars_;      // flash bank 1, with --pflash only
    BootPlan plan_;

    RunStats stats_;
    std::vector<uint8_t> serialBuffer_;
    std::optional<RunOutcome> guestRequest_;  // set by sifive_test during a slice

    std::mutex wakeMutex_;
    std::condition_variable wake_;
    bool hostEvent_ = false;
    std::atomic<bool> stopRequested_{false};
    std::atomic<bool> pauseRequested_{false};
    std::atomic<bool> resetRequested_{false};
    std::atomic<uint64_t> instructionsPublished_{0};
    std::atomic<uint64_t> idleNanosPublished_{0};
};

}  // namespace tessera::machine
