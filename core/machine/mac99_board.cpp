#include "core/machine/mac99_board.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>

#include "core/cpu/ppc/engine_factory.h"
#include "core/machine/image_loader.h"
#include "core/machine/ppc_elf.h"

namespace tessera::machine {

namespace {
// fw_cfg values QEMU's mac99 gives OpenBIOS.
constexpr uint16_t kMachineIdMac99 = 1;  // OpenBIOS's ARCH_MAC99
constexpr uint16_t kBootFromMemory = 'm';
constexpr uint32_t kViaCuda = 0;  // FW_CFG_PPC_VIACONFIG: CUDA, not a PMU
// PCI slots on the Uni-North bus (QEMU's mac99: the bridge first, then macio).
constexpr uint8_t kHostBridgeDevfn = 11 << 3;
constexpr uint8_t kMacioDevfn = 12 << 3;
constexpr devices::E1000::Mac kDefaultMac = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};  // QEMU's first NIC

uint64_t roundPage(uint64_t a) {
    return (a + 0xfff) & ~uint64_t(0xfff);
}

// OpenBIOS's first segment spans the NVRAM window at 0xfff04000 (its link
// map leaves those bytes zero, for QEMU maps the NVRAM there): place the
// parts before and after the window; a firmware with data there is refused.
Status skipNvramWindow(ElfImage& elf, std::span<const uint8_t> bytes, uint64_t holeBase, uint64_t holeEnd,
                       const std::string& path) {
    std::vector<ElfSegment> out;
    for (const ElfSegment& seg : elf.segments) {
        const uint64_t end = seg.paddr + seg.memSize;
        if (end <= holeBase || seg.paddr >= holeEnd) {
            out.push_back(seg);
            continue;
        }
        for (uint64_t a = std::max(seg.paddr, holeBase); a < std::min(end, holeEnd); ++a) {
            const uint64_t at = a - seg.paddr;
            if (at < seg.fileSize && bytes[seg.fileOffset + at] != 0)
                return makeError("firmware '" + path +
                                 "' has data at the NVRAM window (0xfff04000-0xfff07fff).");
        }
        if (seg.paddr < holeBase) {
            ElfSegment before = seg;
            before.memSize = holeBase - seg.paddr;
            before.fileSize = std::min(seg.fileSize, before.memSize);
            out.push_back(before);
        }
        if (end > holeEnd) {
            ElfSegment after = seg;
            const uint64_t skip = holeEnd - seg.paddr;
            after.paddr = holeEnd;
            after.memSize = end - holeEnd;
            after.fileOffset = seg.fileOffset + std::min(skip, seg.fileSize);
            after.fileSize = seg.fileSize > skip ? seg.fileSize - skip : 0;
            out.push_back(after);
        }
    }
    elf.segments = std::move(out);
    return Status::success();
}
}  // namespace

Mac99Board::Mac99Board(const Mac99Config& config, VmHost& host)
    : config_(config),
      host_(host),
      escc_([this](uint8_t byte) { serialBuffer_.push_back(byte); }),
      cuda_([this](devices::Cuda::Request request) {
          if (request == devices::Cuda::Request::PowerOff)
              guestRequest_ = RunOutcome{RunOutcome::Kind::GuestPoweroff, 0, "the guest powered off"};
          else
              guestRequest_ = RunOutcome{RunOutcome::Kind::GuestReset, 0, "the guest restarted"};
      }),
      hostBridge_({0x106b, 0x001f, 0x060000, 0, 0}),
      macioFunction_({0x106b, 0x0022, 0xff0000, 0, 1}),
      vgaFunction_(devices::BochsVga::pciIdentity()),
      adbMouse_([this] { return vga_.currentSize(); }) {}

Result<std::unique_ptr<Mac99Board>> Mac99Board::create(const Mac99Config& config, VmHost& host) {
    std::unique_ptr<Mac99Board> board(new Mac99Board(config, host));
    if (Status built = board->build(); !built) return makeError(built.message());
    return board;
}

Status Mac99Board::build() {
    if (config_.ramSize < (32ull << 20) || config_.ramSize > (2047ull << 20))
        return makeError("mac99 RAM must be between 32 MiB and 2047 MiB (as QEMU's mac99), not " +
                         std::to_string(config_.ramSize >> 20) + " MiB.");
    if (!bus_.addRam(0, config_.ramSize)) return makeError("the host cannot provide the guest RAM.");
    // The ROM around the NVRAM window (OpenBIOS leaves 0xfff04000-0xfff07fff free for it).
    if (!bus_.addRam(kRomBase, kNvramBase - kRomBase) ||
        !bus_.addRam(kNvramBase + kNvramWindow, kRomBase + kRomSize - (kNvramBase + kNvramWindow)))
        return makeError("the host cannot provide the firmware ROM.");

    auto bios = readImageFile(config_.bios, "firmware");
    if (!bios)
        return makeError(bios.message() +
                         " (the mac99 firmware is OpenBIOS: apt-get install qemu-system-data)");
    rom_ = std::move(*bios);
    if (!config_.kernel.empty()) {
        auto kernel = readImageFile(config_.kernel, "kernel");
        if (!kernel) return makeError(kernel.message());
        kernelFile_ = std::move(*kernel);
    }
    if (!config_.initrd.empty()) {
        if (config_.kernel.empty()) return makeError("--initrd needs --kernel.");
        auto initrd = readImageFile(config_.initrd, "initrd");
        if (!initrd) return makeError(initrd.message());
        initrdFile_ = std::move(*initrd);
    }
    auto engine = ppc::createEngine(config_.engine, bus_, ppc::CpuConfig{});
    if (!engine) return makeError(engine.message());
    engine_ = std::move(*engine);
    if (Status opened = storage_.open(config_.storage); !opened) return opened;
    // Device DMA into RAM (the e1000's receive buffers) may overwrite translated code.
    bus_.setDmaWriteObserver(
        [this](uint64_t paddr, uint64_t length) { engine_->invalidateCode(paddr, length); });
    if (config_.nic) {
        net::SlirpOptions network;
        network.forwards = config_.nic->forwards;
        auto nic = devices::E1000::createOnSlirp(bus_, config_.nic->mac.value_or(kDefaultMac), network);
        if (!nic) return makeError("cannot start user networking: " + nic.message());
        nic_ = std::move(*nic);
    }
    wire();
    if (Status loaded = loadImages(); !loaded) return loaded;
    resetMachine();
    return Status::success();
}

void Mac99Board::wire() {
    bus_.addMmio(kFwCfgBase, &fwCfg_);
    bus_.addMmio(kNvramBase, &nvram_);
    bus_.addMmio(kUniNorthRegs, &uniNorthRegs_);
    bus_.addMmio(devices::UniNorthPci::kConfigAddress, &pci_.addressRegister());
    bus_.addMmio(devices::UniNorthPci::kConfigData, &pci_.dataWindow());
    bus_.addMmio(devices::UniNorthPci::kMemoryBase, &pci_.memoryWindow());
    bus_.addMmio(devices::UniNorthPci::kIoBase, &pci_.ioWindow());

    macioFunction_.setMemoryBar(0, devices::KeyLargoMacio::kSize, &macio_);
    pci_.attach(kHostBridgeDevfn, &hostBridge_);
    pci_.attach(kMacioDevfn, &macioFunction_);
    macio_.attach(devices::KeyLargoMacio::kEsccOffset, &escc_);
    macio_.attach(devices::KeyLargoMacio::kCudaOffset, &cuda_);
    macio_.attach(devices::KeyLargoMacio::kOpenPicOffset, &pic_);
    storage_.wire(macio_, pic_);
    if (config_.display) {  // QEMU's mac99 has no VGA with -nographic either
        vgaFunction_.setMemoryBar(0, devices::BochsVga::kVramSize, &vga_.framebuffer(), true);
        vgaFunction_.setMemoryBar(2, devices::BochsVga::kMmioSize, &vga_.registers());
        pci_.attach(kVgaDevfn, &vgaFunction_);
        using devices::BochsVga;
        pci_.attachLegacyIo(BochsVga::kVgaPortBase, BochsVga::kVgaPortCount, &vgaFunction_, &vga_.registers(),
                            BochsVga::kVgaPortsInRegisters);
        pci_.attachLegacyIo(BochsVga::kVbePortBase, BochsVga::kVbePortCount, &vgaFunction_, &vga_.vbePorts(),
                            0);
    }
    adb_.attach(&adbKeyboard_);
    adb_.attach(&adbMouse_);
    cuda_.attachAdb(&adb_);

    escc_.irq(devices::Escc::A).connect([this](bool level) { pic_.setSourceLevel(kIrqEsccA, level); });
    escc_.irq(devices::Escc::B).connect([this](bool level) { pic_.setSourceLevel(kIrqEsccB, level); });
    cuda_.irq().connect([this](bool level) { pic_.setSourceLevel(kIrqCuda, level); });
    if (nic_) {
        // The next free slot, as QEMU places `-device e1000`: 14, or 15 behind the VGA.
        const unsigned slot = config_.display ? kVgaSlot + 1 : kVgaSlot;
        pci_.attach(static_cast<uint8_t>(slot << 3), &nic_->pci());
        nic_->irq().connect([this, slot](bool level) {
            pic_.setSourceLevel(devices::UniNorthPci::interruptSource(slot, 1), level);
        });
    }
    pic_.output().connect([this](bool level) { engine_->setInterruptLevel(0, level); });
    engine_->setTimeSource([this] { return clock_.mtime(); });
}

// A vmlinux ELF goes where QEMU's translate_kernel_address puts it (the low
// 28 bits of each segment's address, from 16 MiB up); any other file is a raw
// image at 16 MiB, as QEMU's mac99 loads a kernel that is not an ELF
// (load_image_targphys at KERNEL_LOAD_ADDR). OpenBIOS enters either at 16 MiB.
// Returns how many bytes from 16 MiB the kernel spans.
Result<uint64_t> Mac99Board::placeKernel() {
    std::optional<ElfImage> image;
    uint64_t size = kernelFile_.size();
    if (looksLikeElf(kernelFile_)) {
        auto parsed = parsePpcElf(kernelFile_, config_.kernel);
        if (!parsed) return makeError(parsed.message() + " (mac99 boots a vmlinux ELF or a raw image)");
        image = std::move(*parsed);
        for (ElfSegment& seg : image->segments) seg.paddr = (seg.paddr & 0x0fffffff) + kKernelBase;
        size = image->highest - image->lowest;
    }
    if (kKernelBase + size > config_.ramSize)
        return makeError("kernel '" + config_.kernel + "' does not fit in " +
                         std::to_string(config_.ramSize >> 20) + " MiB of RAM.");
    Status placed = image ? placeElf(*image, kernelFile_, bus_, config_.kernel)
                          : placeRaw(kernelFile_, kKernelBase, bus_, config_.kernel);
    if (!placed) return makeError(placed.message());
    return size;
}

// Places OpenBIOS, the kernel and the initrd as QEMU's mac99 does, and
// describes them in fw_cfg.
Status Mac99Board::loadImages() {
    auto bios = parsePpcElf(rom_, config_.bios);
    if (!bios) return makeError(bios.message());
    if (Status skipped = skipNvramWindow(*bios, rom_, kNvramBase, kNvramBase + kNvramWindow, config_.bios);
        !skipped)
        return skipped;
    if (Status placed = placeElf(*bios, rom_, bus_, config_.bios); !placed) return placed;

    uint64_t kernelSize = 0, initrdBase = 0, cmdlineBase = 0;
    if (!kernelFile_.empty()) {
        auto placed = placeKernel();
        if (!placed) return makeError(placed.message());
        kernelSize = *placed;
        cmdlineBase = roundPage(kKernelBase + kernelSize + kKernelGap);
        if (!initrdFile_.empty()) {
            initrdBase = cmdlineBase;
            if (initrdBase + initrdFile_.size() + 0x1000 > config_.ramSize)
                return makeError("initrd '" + config_.initrd +
                                 "' does not fit in RAM after the kernel; give more -m.");
            if (Status placed = placeRaw(initrdFile_, initrdBase, bus_, config_.initrd); !placed)
                return placed;
            cmdlineBase = roundPage(initrdBase + initrdFile_.size());
        }
        std::vector<uint8_t> cmdline(config_.append.begin(), config_.append.end());
        cmdline.push_back(0);
        if (cmdline.size() > 0x1000) return makeError("the kernel command line is longer than 4095 bytes.");
        if (Status placed = placeRaw(cmdline, cmdlineBase, bus_, "command line"); !placed) return placed;
    }

    fwCfg_.setBytes(devices::FwCfg::Signature, {'Q', 'E', 'M', 'U'});
    fwCfg_.setU32(devices::FwCfg::Id, 1);
    fwCfg_.setBytes(devices::FwCfg::Uuid, std::vector<uint8_t>(16, 0));
    fwCfg_.setU64(devices::FwCfg::RamSize, config_.ramSize);
    fwCfg_.setU16(devices::FwCfg::NoGraphic, config_.display ? 0 : 1);
    fwCfg_.setU16(devices::FwCfg::NbCpus, 1);
    fwCfg_.setU16(devices::FwCfg::MaxCpus, 1);
    fwCfg_.setU16(devices::FwCfg::MachineId, kMachineIdMac99);
    fwCfg_.setU32(devices::FwCfg::KernelAddr, kernelFile_.empty() ? 0 : uint32_t(kKernelBase));
    fwCfg_.setU32(devices::FwCfg::KernelSize, uint32_t(kernelSize));
    fwCfg_.setU32(devices::FwCfg::KernelCmdline, uint32_t(kernelFile_.empty() ? 0 : cmdlineBase));
    fwCfg_.setU32(devices::FwCfg::InitrdAddr, uint32_t(initrdBase));
    fwCfg_.setU32(devices::FwCfg::InitrdSize, uint32_t(initrdFile_.size()));
    fwCfg_.setU16(devices::FwCfg::BootDevice,
                  kernelFile_.empty() ? uint16_t(config_.bootDevice) : kBootFromMemory);
    fwCfg_.setU16(devices::FwCfg::PpcWidth, 800);
    fwCfg_.setU16(devices::FwCfg::PpcHeight, 600);
    fwCfg_.setU16(devices::FwCfg::PpcDepth, 32);
    fwCfg_.setU32(devices::FwCfg::PpcIsKvm, 0);
    fwCfg_.setU32(devices::FwCfg::PpcTbFreq, kTimebaseHz);
    fwCfg_.setU32(devices::FwCfg::PpcClockFreq, kCpuHz);
    fwCfg_.setU32(devices::FwCfg::PpcBusFreq, kBusHz);
    fwCfg_.setU32(devices::FwCfg::PpcNvramAddr, uint32_t(kNvramBase));
    fwCfg_.setU32(devices::FwCfg::PpcNvramFlat, 1);
    fwCfg_.setU32(devices::FwCfg::PpcViaConfig, kViaCuda);
    return Status::success();
}

void Mac99Board::resetMachine() {
    fwCfg_.reset();
    pic_.reset();
    escc_.reset();
    cuda_.reset();
    macio_.reset();
    pci_.reset();
    if (nic_) nic_->reset();
    vga_.reset();
    engine_->reset(kResetVector);
}

void Mac99Board::pushSerialInput(std::span<const uint8_t> bytes) {
    std::lock_guard lock(inputMutex_);
    serialInput_.insert(serialInput_.end(), bytes.begin(), bytes.end());
}

void Mac99Board::flushSerial() {
    if (serialBuffer_.empty()) return;
    host_.serialOutput(serialBuffer_);
    serialBuffer_.clear();
}

// The CPU sleeps (MSR[POW]) until an interrupt: the decrementer or OpenPIC.
// Sleep a little host time and look again; the decrementer is recomputed
// from the clock on the next slice.
void Mac99Board::idle() {
    std::this_thread::sleep_for(std::chrono::microseconds(200));
}

RunOutcome Mac99Board::run() {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    host_.stateChanged(VmState::Running);
    RunOutcome outcome;
    for (;;) {
        if (stopRequested_) {  // also a debugger's kill while paused: no further slice
            outcome = {RunOutcome::Kind::Stopped, 0, "stopped"};
            break;
        }
        if (pauseRequested_ && !stopRequested_) {  // serial input waits in its queue meanwhile
            clock_.pause();
            host_.stateChanged(VmState::Paused);
            // Paused: a debugger's jobs (registers, memory, single steps) run here.
            debug_.servePause([this] { return !pauseRequested_ || stopRequested_; });
            clock_.resume();
            host_.stateChanged(VmState::Running);
            continue;
        }
        {
            std::lock_guard lock(inputMutex_);
            if (!serialInput_.empty()) {
                escc_.receive(serialInput_);
                serialInput_.clear();
            }
        }
        if (nic_)
            nic_->poll(std::chrono::milliseconds(0));  // host sockets, slirp timers, frames to the guest
        const auto sliceStart = Clock::now();
        cuda_.poll();  // autopoll: keys and pointer motion the host fed the ADB devices
        const cpu::RunResult result = engine_->run(config_.sliceInstructions);
        stats_.instructions += result.executed;
        instructionsPublished_.store(stats_.instructions, std::memory_order_relaxed);
        stats_.busySeconds += std::chrono::duration<double>(Clock::now() - sliceStart).count();
        flushSerial();
        if (result.reason == cpu::StopReason::Breakpoint) debug_.noteBreakpoint(0);  // pauses at the top
        if (result.reason == cpu::StopReason::FatalError) {
            outcome = {RunOutcome::Kind::Fatal, 1, result.fatalMessage + "\n" + engine_->dumpState()};
            host_.fatalError(outcome.message);
            break;
        }
        if (guestRequest_) {
            outcome = *guestRequest_;
            guestRequest_.reset();
            if (outcome.kind == RunOutcome::Kind::GuestReset && !config_.noReboot) {
                host_.guestReset();
                if (Status loaded = loadImages(); !loaded) {
                    outcome = {RunOutcome::Kind::Fatal, 1, loaded.message()};
                    break;
                }
                resetMachine();
                continue;
            }
            if (outcome.kind == RunOutcome::Kind::GuestPoweroff) host_.guestPoweroff(outcome.exitCode);
            break;
        }
        if (stopRequested_) {
            outcome = {RunOutcome::Kind::Stopped, 0, "stopped"};
            break;
        }
        if (resetRequested_.exchange(false)) {
            (void)loadImages();
            resetMachine();
            continue;
        }
        const double wall = std::chrono::duration<double>(Clock::now() - start).count();
        if (config_.timeoutSeconds > 0 && wall >= config_.timeoutSeconds) {
            // Where the guest was: a boot that hangs is diagnosed from this.
            char seconds[32];
            std::snprintf(seconds, sizeof seconds, "%g", config_.timeoutSeconds);
            outcome = {
                RunOutcome::Kind::Timeout, 0,
                std::string("timeout after ") + seconds + " s; the CPU was at\n" + engine_->dumpState()};
            break;
        }
        if (result.reason == cpu::StopReason::WaitForInterrupt) {
            const auto sleepStart = Clock::now();
            idle();
            stats_.idleSeconds += std::chrono::duration<double>(Clock::now() - sleepStart).count();
            idleNanosPublished_.store(uint64_t(stats_.idleSeconds * 1e9), std::memory_order_relaxed);
        }
    }
    flushSerial();
    stats_.wallSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    stats_.translation = engine_->translationStats();
    stats_.mips = stats_.busySeconds > 0 ? double(stats_.instructions) / stats_.busySeconds / 1e6 : 0;
    debug_.ended();
    host_.stateChanged(VmState::Stopped);
    return outcome;
}

}  // namespace tessera::machine
