#pragma once
// Mac99Board: the PowerPC "NewWorld" Power Mac as QEMU's `mac99` machine lays
// it out for OpenBIOS (docs/ARCHITECTURE.md, "The PowerPC mac99 board"): one
// PowerPC 750 on the interpreter, RAM at 0, OpenBIOS in the 1 MiB ROM at
// 0xfff00000 (reset vector 0xfff00100), NVRAM at 0xfff04000, fw_cfg at
// 0xf0000510, the Uni-North PCI host (configuration at 0xf2800000/0xf2c00000,
// memory window 0x80000000, I/O at 0xf2000000) with the host bridge in slot
// 11, KeyLargo macio in slot 12 (ESCC serial, CUDA with the ADB keyboard and
// mouse, OpenPIC behind its BAR, the ATA buses), with a display QEMU's VGA in
// slot 14 (its legacy ports in the PCI I/O window), with a network an e1000 in
// the next free slot (14 or 15, where QEMU's mac99 puts `-device e1000`; slot
// 13 is QEMU's USB controller), and the Uni-North register block at
// 0xf8000000. The time base and decrementer
// count at 10 MHz from the board's virtual clock (fw_cfg tells OpenBIOS,
// which tells Linux).
//
// Threads: run() is the VM thread and owns every device, the e1000 and its
// slirp network included (polled between CPU slices); the Board controls
// (pushSerialInput, requestStop/Pause/Reset, the published counters) may come
// from any thread (they only queue or read atomics), and so may the e1000's
// port-forward calls (e1000()).
// run() returns when the guest powers off (CUDA), the timeout expires, a stop
// is requested or a host-side fatal error occurs.

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "core/cpu/cpu_engine.h"
#include "core/devices/adb_keyboard.h"
#include "core/devices/adb_mouse.h"
#include "core/devices/bochs_vga.h"
#include "core/devices/cuda.h"
#include "core/devices/e1000.h"
#include "core/devices/escc.h"
#include "core/devices/fw_cfg.h"
#include "core/devices/keylargo_macio.h"
#include "core/devices/mac_nvram.h"
#include "core/devices/openpic.h"
#include "core/devices/pci_function.h"
#include "core/devices/uninorth_pci.h"
#include "core/hw/memory_bus.h"
#include "core/hw/virtual_clock.h"
#include "core/machine/board.h"
#include "core/machine/debug_port.h"
#include "core/machine/mac99_config.h"
#include "core/machine/mac99_storage.h"
#include "core/machine/run_outcome.h"
#include "core/machine/vm_host.h"
#include "core/util/result.h"

namespace tessera::machine {

class Mac99Board final : public Board {
public:
    // Physical addresses QEMU's mac99 and OpenBIOS agree on.
    static constexpr uint64_t kRomBase = 0xfff00000;
    static constexpr uint64_t kRomSize = 0x100000;
    static constexpr uint64_t kResetVector = 0xfff00100;
    static constexpr uint64_t kNvramBase = 0xfff04000;
    static constexpr uint64_t kNvramWindow = 0x4000;  // the ROM hole OpenBIOS leaves for it
    static constexpr uint64_t kFwCfgBase = 0xf0000510;
    static constexpr uint64_t kUniNorthRegs = 0xf8000000;
    static constexpr uint64_t kKernelBase = 0x01000000;  // QEMU's KERNEL_LOAD_ADDR
    static constexpr uint64_t kKernelGap = 0x00100000;   // QEMU's KERNEL_GAP before the initrd
    // OpenPIC inputs (QEMU's mac99 wiring, OpenBIOS's "interrupts" properties).
    static constexpr unsigned kIrqCuda = 0x19, kIrqEsccB = 0x24, kIrqEsccA = 0x25;
    static constexpr unsigned kVgaSlot = 14;  // QEMU's mac99 slot for its VGA
    static constexpr uint8_t kVgaDevfn = kVgaSlot << 3;
    static constexpr uint32_t kTimebaseHz = hw::VirtualClock::kFrequencyHz;
    static constexpr uint32_t kCpuHz = 900'000'000, kBusHz = 100'000'000;

    static Result<std::unique_ptr<Mac99Board>> create(const Mac99Config& config, VmHost& host);

    RunOutcome run() override;

    void pushSerialInput(std::span<const uint8_t> bytes) override;
    void requestStop() override {
        stopRequested_ = true;
        debug_.wake();
    }
    // Served at the end of the CPU's slice (cut short at the next block).
    void requestPause(bool paused) override {
        pauseRequested_ = paused;
        debug_.wake();
        if (paused && engine_) engine_->requestExit();
    }
    void requestReset() override { resetRequested_ = true; }
    uint64_t instructionsPublished() const override { return instructionsPublished_; }
    uint64_t idleNanosPublished() const override { return idleNanosPublished_; }
    unsigned cpuCount() const override { return 1; }
    debug::DebugTarget* debugTarget() override { return &debug_; }

    cpu::CpuEngine& cpu() { return *engine_; }
    hw::MemoryBus& bus() { return bus_; }
    devices::FwCfg& fwCfg() { return fwCfg_; }
    devices::ScsiCdrom* cdrom() override { return storage_.cdrom(); }  // nullptr without --cdrom
    devices::E1000* e1000() { return nic_.get(); }  // nullptr without a network
    // The host side of the screen (with a display only), keyboard and mouse
    // (any thread; see display_surface.h, input_sink.h).
    devices::DisplaySurface* display() override { return config_.display ? &vga_ : nullptr; }
    devices::InputSink* keyboard() override { return &adbKeyboard_; }
    devices::InputSink* tablet() override { return &adbMouse_; }
    RunStats stats() const { return stats_; }

private:
    Mac99Board(const Mac99Config& config, VmHost& host);
    Status build();
    Status loadImages();
    Result<uint64_t> placeKernel();
    void wire();
    void resetMachine();
    void flushSerial();
    void idle();

    Mac99Config config_;
    VmHost& host_;
    hw::VirtualClock clock_;
    hw::MemoryBus bus_;
    std::unique_ptr<cpu::CpuEngine> engine_;

    devices::FwCfg fwCfg_;
    devices::MacNvram nvram_;
    devices::OpenPic pic_;
    devices::Escc escc_;
    devices::Cuda cuda_;
    devices::KeyLargoMacio macio_;
    devices::UniNorthPci pci_;
    devices::PciFunction hostBridge_;
    devices::PciFunction macioFunction_;
    devices::ScratchRegisters uniNorthRegs_;
    Mac99Storage storage_{bus_};
    std::unique_ptr<devices::E1000> nic_;  // with a network only
    devices::BochsVga vga_;
    devices::PciFunction vgaFunction_;
    devices::AdbBus adb_;
    devices::AdbKeyboard adbKeyboard_;
    devices::AdbMouse adbMouse_;

    std::vector<uint8_t> rom_;  // OpenBIOS's segments, re-placed on reset
    std::vector<uint8_t> kernelFile_, initrdFile_;
    RunStats stats_;
    std::vector<uint8_t> serialBuffer_;
    std::optional<RunOutcome> guestRequest_;

    std::mutex inputMutex_;
    std::vector<uint8_t> serialInput_;
    std::atomic<bool> stopRequested_{false};
    std::atomic<bool> resetRequested_{false};
    std::atomic<bool> pauseRequested_{false};
    std::atomic<uint64_t> instructionsPublished_{0}, idleNanosPublished_{0};
    DebugPort debug_{{[this](bool paused) { requestPause(paused); }, [this] { requestStop(); },
                      [this](unsigned) -> cpu::CpuEngine& { return *engine_; }, &bus_, 1}};
};

}  // namespace tessera::machine
