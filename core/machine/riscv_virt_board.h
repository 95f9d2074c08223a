#pragma once
// RiscvVirtBoard: the RISC-V `virt` machine, memory map in
// docs/ARCHITECTURE.md, "The RISC-V `virt` board": RAM, an mrom with QEMU's
// reset vector and fw_dynamic_info, CLINT, PLIC, NS16550A, sifive_test,
// goldfish RTC and eight empty virtio-mmio slots, 1-8 harts run by the CPU
// engine the configuration names; the images named in the configuration; a
// generated DTB; and the run loop.
//
// Threads (docs/ARCHITECTURE.md, "Threads"): run() is the VM thread. It runs
// hart 0 and does the board's I/O between its slices (serial input, virtio
// polling, RTC, stop/pause/reset/poweroff); harts 1..N-1 each run on a host
// thread of their own (riscv_virt_harts.cpp), in parallel. Every device's
// guest-visible state is guarded by one device lock (deviceLock_, like
// QEMU's big lock): the bus takes it on each MMIO access from any hart, the
// VM thread takes it for polling and serial output. Guest RAM is shared
// without a lock (the harts' atomics are host atomics, exec_atomic.h).
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
#include <string>
#include <thread>
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
#include "core/machine/board.h"
#include "core/machine/boot_plan.h"
#include "core/machine/debug_port.h"
#include "core/machine/riscv_virt_config.h"
#include "core/machine/run_outcome.h"
#include "core/machine/vm_host.h"
#include "core/util/result.h"

namespace tessera::machine {

class RiscvVirtBoard final : public Board {
public:
    static Result<std::unique_ptr<RiscvVirtBoard>> create(const RiscvVirtConfig& config, VmHost& host);
    ~RiscvVirtBoard() override;

    RunOutcome run() override;

    // Thread-safe controls, for the UI / terminal thread.
    void pushSerialInput(std::span<const uint8_t> bytes) override;
    void requestStop() override;
    void requestPause(bool paused) override;
    void requestReset() override;  // the reset button: devices and harts restart from the boot plan
    // Instructions retired so far by all harts, published once per slice
    // (any thread; for a speed display).
    uint64_t instructionsPublished() const override;
    // Time spent asleep waiting for an interrupt (the guest idles in WFI) or
    // backing off in a long spin-wait (PAUSE, spin_backoff.h), in
    // nanoseconds summed over harts, published after each sleep (any
    // thread): a speed display tells an idle guest from a slow one with it
    // (divided by hartCount() it is the idle fraction).
    uint64_t idleNanosPublished() const override;
    unsigned hartCount() const { return unsigned(harts_.size()); }
    // Every hart's pc and state (running, halted in WFI, paused), as
    // published at its last slice end or sleep (any thread; the monitor's
    // `info cpus`): "CPU #0 pc=0x80000000 running | CPU #1 ...".
    std::string hartSummary() const;
    unsigned cpuCount() const override { return hartCount(); }
    devices::DisplaySurface* display() override { return virtio_->display(); }
    devices::InputSink* keyboard() override { return virtio_->keyboard(); }
    devices::InputSink* tablet() override { return virtio_->tablet(); }
    devices::ScsiCdrom* cdrom() override { return virtio_->cdrom(); }
    devices::VirtioNet* nic() override { return virtio_->nic(); }
    debug::DebugTarget* debugTarget() override { return &debug_; }

    // Inspection (VM thread or when stopped). cpu() is hart 0.
    cpu::CpuEngine& cpu() { return *harts_[0]->engine; }
    cpu::CpuEngine& cpu(unsigned hart) { return *harts_.at(hart)->engine; }
    hw::MemoryBus& bus() { return bus_; }
    const BootPlan& bootPlan() const { return plan_; }
    const std::vector<uint8_t>& dtb() const { return plan_.dtb; }
    uint64_t instructionsRetired() const;
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
    std::optional<RunOutcome> takeGuestRequest();

    // One hart: its engine and what other threads hand it (riscv_virt_harts.cpp).
    struct HartSlot {
        std::unique_ptr<cpu::CpuEngine> engine;
        // WFI sleep of harts 1..N-1 (hart 0 sleeps in sleepUntil): an
        // interrupt line rising, a park or quit request set `kicked`.
        std::mutex sleepMutex;
        std::condition_variable sleep;
        bool kicked = false;
        // Guest RAM written by a device (DMA) while the hart ran on another
        // thread: dropped from its decoded code and reservation by the hart
        // itself at its next block boundary (drainExternalWrites).
        std::mutex writesMutex;
        std::vector<std::pair<uint64_t, uint64_t>> externalWrites;
        std::atomic<bool> hasExternalWrites{false};
        // Set by the hart's own thread from just before it drains those
        // writes until its slice ends: only then does a DMA need to cut the
        // slice short (noteExternalWrite).
        std::atomic<bool> inSlice{false};
        // Published by the hart's own thread.
        std::atomic<uint64_t> retired{0};
        std::atomic<uint64_t> idleNanos{0};
        std::atomic<uint64_t> pc{0};
        std::atomic<bool> halted{false};  // asleep in WFI
        double busySeconds = 0;
        double idleSeconds = 0;
        std::thread thread;  // harts 1..N-1
    };
    void connectHart(unsigned index);
    void kickHart(unsigned index);
    void noteExternalWrite(uint64_t paddr, uint64_t length);
    void drainExternalWrites(HartSlot& slot);
    // One slice of a hart on its own thread: the DMA it missed, run(), then
    // serial output and the published counters.
    cpu::RunResult runSlice(HartSlot& slot);
    // Harts 1..N-1: the thread body; start/stop the threads; park them (a
    // pause or reset with the VM thread alone running) and let them go on.
    void runSecondaryHart(unsigned index);
    void startSecondaryHarts();
    void stopSecondaryHarts();
    void parkSecondaryHarts();
    void resumeSecondaryHarts();
    void sleepSecondaryHart(unsigned index);

    RiscvVirtConfig config_;
    VmHost& host_;
    hw::VirtualClock clock_;
    hw::MemoryBus bus_;
    // The device lock: every device below and serialBuffer_/guestRequest_.
    // Recursive: a device's MMIO handler may reach the bus again.
    std::recursive_mutex deviceLock_;
    std::vector<std::unique_ptr<HartSlot>> harts_;
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
    std::optional<RunOutcome> guestRequest_;  // sifive_test, or a hart's fatal error (device lock)

    // Parking harts 1..N-1 (parkMutex_): requested by the VM thread, each
    // parked hart counts itself in parked_.
    std::mutex parkMutex_;
    std::condition_variable parkChanged_;
    std::atomic<bool> parkRequested_{false};
    std::atomic<bool> quitRequested_{false};
    unsigned parked_ = 0;

    std::mutex wakeMutex_;
    std::condition_variable wake_;
    bool hostEvent_ = false;
    std::atomic<bool> stopRequested_{false};
    std::atomic<bool> pauseRequested_{false};
    std::atomic<bool> paused_{false};  // every hart parked for a pause (hartSummary)
    std::atomic<bool> resetRequested_{false};
    DebugPort debug_;
};

}  // namespace tessera::machine
