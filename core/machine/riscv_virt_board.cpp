#include "core/machine/riscv_virt_board.h"

#include <chrono>
#include <cstdio>

#include "core/block/open_image.h"
#include "core/cpu/riscv/engine_factory.h"
#include "core/cpu/riscv/hart_state.h"
#include "core/hw/trace.h"
#include "core/machine/riscv_virt_layout.h"

namespace tessera::machine {

RiscvVirtBoard::RiscvVirtBoard(const RiscvVirtConfig& config, VmHost& host)
    : config_(config),
      host_(host),
      clint_(clock_, config.harts),
      plic_(config.harts),
      uart_([this](uint8_t byte) { serialBuffer_.push_back(byte); }),
      test_([this](devices::SifiveTest::Request request, int code) { onTestDevice(request, code); }),
      debug_({[this](bool paused) { requestPause(paused); }, [this] { requestStop(); },
              [this](unsigned index) -> cpu::CpuEngine& { return cpu(index); }, &bus_, config.harts}) {}

RiscvVirtBoard::~RiscvVirtBoard() = default;

Result<std::unique_ptr<RiscvVirtBoard>> RiscvVirtBoard::create(const RiscvVirtConfig& config, VmHost& host) {
    if (config.harts < 1 || config.harts > kMaxHarts)
        return makeError("this build emulates at most " + std::to_string(kMaxHarts) + " hart(s); use --smp " +
                         std::to_string(kMaxHarts) + " or fewer (got " + std::to_string(config.harts) + ").");
    if (config.ramSize < (16ull << 20) || config.ramSize > (64ull << 30) || config.ramSize % 4096 != 0)
        return makeError("guest RAM must be a multiple of 4 KiB between 16 MiB and 64 GiB (-m).");
    auto plan = planBoot(config);
    if (!plan) return plan.error();

    std::unique_ptr<RiscvVirtBoard> board(new RiscvVirtBoard(config, host));
    board->plan_ = std::move(plan.value());
    if (!board->bus_.addRam(virt::kRamBase, config.ramSize))
        return makeError("the host cannot provide " + std::to_string(config.ramSize >> 20) +
                         " MiB of guest RAM; lower -m.");
    if (!board->bus_.addRam(virt::kMromBase, virt::kMromSize))
        return makeError("the host cannot allocate the boot ROM.");
    for (unsigned index = 0; index < config.harts; ++index) {
        riscv::HartConfig hartConfig;
        hartConfig.hartId = index;
        hartConfig.sharedRam = config.harts > 1;
        auto engine = riscv::createEngine(config.engine, board->bus_, hartConfig);
        if (!engine) return engine.error();
        board->harts_.push_back(std::make_unique<HartSlot>());
        board->harts_.back()->engine = std::move(*engine);
    }
    auto virtioDevices = devices::VirtioDeviceSet::create(config.virtio, board->bus_);
    if (!virtioDevices) return virtioDevices.error();
    board->virtio_ = std::move(*virtioDevices);
    TESSERA_TRY(board->addFlash());
    board->wireDevices();
    TESSERA_TRY(applyBootPlan(board->plan_, board->bus_));
    board->resetMachine();
    return board;
}

// Flash, with --pflash only (as QEMU, without images the banks would be
// empty; leaving them out keeps such VMs' memory map and DTB as they were).
// Bank 0 is firmware code the hart executes in place, so it is memory the
// boot plan fills (again at every reset, like a ROM); bank 1 is the CFI
// device holding the firmware's variables.
Status RiscvVirtBoard::addFlash() {
    if (config_.pflash.empty()) return Status::success();
    if (!bus_.addRam(virt::kFlashBase, virt::kFlashBankSize))
        return makeError("the host cannot allocate flash bank 0.");
    std::unique_ptr<block::BlockBackend> vars;
    if (config_.pflash.size() > 1) {
        block::OpenOptions options;
        options.readOnly = false;
        options.format = block::ImageFormat::Raw;
        auto image = block::openImage(config_.pflash[1], options);  // locked while the VM runs
        if (!image) return makeError("flash bank 1 (--pflash): " + image.message());
        vars = std::move(*image);
    }
    auto flash = devices::CfiFlash::create(virt::kFlashBankSize, std::move(vars));
    if (!flash) return flash.error();
    flashVars_ = std::move(*flash);
    return Status::success();
}

void RiscvVirtBoard::wireDevices() {
    if (flashVars_) bus_.addMmio(virt::kFlashBase + virt::kFlashBankSize, flashVars_.get());
    bus_.addMmio(virt::kTestBase, &test_);
    bus_.addMmio(virt::kRtcBase, &rtc_);
    bus_.addMmio(virt::kClintBase, &clint_);
    bus_.addMmio(virt::kPlicBase, &plic_);
    bus_.addMmio(virt::kUartBase, &uart_);
    for (unsigned slot = 0; slot < virt::kVirtioCount; ++slot)
        bus_.addMmio(virt::kVirtioBase + slot * virt::kVirtioStride, &virtio_->slot(slot));

    for (unsigned index = 0; index < harts_.size(); ++index) connectHart(index);
    auto toPlic = [this](unsigned source) {
        return [this, source](bool level) {
            TESSERA_TRACE(Irq, "plic source %u -> %d", source, level);
            plic_.setSourceLevel(source, level);
        };
    };
    uart_.irq().connect(toPlic(virt::kUartIrq));
    rtc_.irq().connect(toPlic(virt::kRtcIrq));
    for (unsigned slot = 0; slot < virt::kVirtioCount; ++slot)
        virtio_->slot(slot).setInterruptLine(toPlic(virt::kVirtioIrqFirst + slot));
    // Device DMA into guest RAM drops decoded code cached for those pages and
    // an LR reservation on those bytes. Devices that write through a RAM
    // pointer report it via the code invalidator; the bus reports the rest.
    bus_.setDmaWriteObserver([this](uint64_t paddr, uint64_t length) { noteExternalWrite(paddr, length); });
    bus_.setMmioLock(&deviceLock_);
    for (unsigned slot = 0; slot < virt::kVirtioCount; ++slot)
        virtio_->slot(slot).setCodeInvalidator(
            [this](uint64_t paddr, uint64_t length) { bus_.noteDmaWrite(paddr, length); });
    virtio_->setWakeCallback([this] { signalHostEvent(); });
}

// Hart `index`'s interrupt wires: CLINT MSIP/MTIP and its two PLIC contexts
// (2h = M, 2h+1 = S), as in the DTB. A rising line wakes the hart if it
// sleeps in WFI. Lines change under the device lock, on any hart's thread.
void RiscvVirtBoard::connectHart(unsigned index) {
    cpu::CpuEngine* hart = harts_[index]->engine.get();
    hart->setTimeSource([this] { return clock_.mtime(); });
    auto toHart = [this, hart, index](unsigned bit) {
        return [this, hart, index, bit](bool level) {
            TESSERA_TRACE(Irq, "hart %u mip bit %u -> %d", index, bit, level);
            hart->setInterruptLevel(bit, level);
            if (level) kickHart(index);
        };
    };
    clint_.softwareIrq(index).connect(toHart(riscv::irq::MSI));
    clint_.timerIrq(index).connect(toHart(riscv::irq::MTI));
    plic_.contextIrq(2 * index).connect(toHart(riscv::irq::MEI));
    plic_.contextIrq(2 * index + 1).connect(toHart(riscv::irq::SEI));
}

void RiscvVirtBoard::resetMachine() {
    std::lock_guard lock(deviceLock_);
    for (const auto& region : bus_.mmioRegions()) region.device->reset();
    for (auto& hart : harts_) {
        hart->engine->reset(plan_.resetVector);  // every hart starts there, as on QEMU's virt
        hart->pc.store(plan_.resetVector, std::memory_order_relaxed);
        std::lock_guard writes(hart->writesMutex);
        hart->externalWrites.clear();
        hart->hasExternalWrites = false;
    }
    TESSERA_TRACE(Boot, "reset: pc=0x%llx entry=0x%llx next=0x%llx dtb=0x%llx",
                  (unsigned long long)plan_.resetVector, (unsigned long long)plan_.entry,
                  (unsigned long long)plan_.nextStage, (unsigned long long)plan_.dtbAddress);
}

void RiscvVirtBoard::onTestDevice(devices::SifiveTest::Request request, int exitCode) {
    if (guestRequest_) return;  // the first request of a slice wins
    RunOutcome outcome;
    if (request == devices::SifiveTest::Request::PowerOff) {
        outcome.kind = RunOutcome::Kind::GuestPoweroff;
        outcome.exitCode = exitCode;
        outcome.message =
            exitCode == 0 ? "guest powered off" : "guest reported failure code " + std::to_string(exitCode);
    } else {
        outcome.kind = RunOutcome::Kind::GuestReset;
        outcome.message = "guest requested a reset";
    }
    guestRequest_ = outcome;
    // Served by the VM thread, which may be running hart 0 or asleep.
    harts_[0]->engine->requestExit();
    signalHostEvent();
}

std::optional<RunOutcome> RiscvVirtBoard::takeGuestRequest() {
    std::lock_guard lock(deviceLock_);
    std::optional<RunOutcome> request = std::move(guestRequest_);
    guestRequest_.reset();
    return request;
}

void RiscvVirtBoard::flushSerial() {
    std::lock_guard lock(deviceLock_);  // the UART appends under it; calls to host_ stay in order
    if (serialBuffer_.empty()) return;
    host_.serialOutput(serialBuffer_);
    serialBuffer_.clear();
}

uint64_t RiscvVirtBoard::instructionsPublished() const {
    uint64_t sum = 0;
    for (const auto& hart : harts_) sum += hart->retired.load(std::memory_order_relaxed);
    return sum;
}

uint64_t RiscvVirtBoard::idleNanosPublished() const {
    uint64_t sum = 0;
    for (const auto& hart : harts_) sum += hart->idleNanos.load(std::memory_order_relaxed);
    return sum;
}

std::string RiscvVirtBoard::hartSummary() const {
    std::string text;
    for (size_t index = 0; index < harts_.size(); ++index) {
        const HartSlot& hart = *harts_[index];
        char line[80];
        std::snprintf(line, sizeof line, "%sCPU #%zu pc=0x%llx %s", index ? " | " : "", index,
                      (unsigned long long)hart.pc.load(std::memory_order_relaxed),
                      paused_                                       ? "paused"
                      : hart.halted.load(std::memory_order_relaxed) ? "halted"
                                                                    : "running");
        text += line;
    }
    return text;
}

uint64_t RiscvVirtBoard::instructionsRetired() const {
    uint64_t sum = 0;
    for (const auto& hart : harts_) sum += hart->engine->instructionsRetired();
    return sum;
}

void RiscvVirtBoard::pushSerialInput(std::span<const uint8_t> bytes) {
    uart_.pushHostInput(bytes);
    signalHostEvent();
}

void RiscvVirtBoard::requestReset() {
    resetRequested_ = true;
    signalHostEvent();
    cpu().requestExit();  // served at the next block boundary, not at the end of the slice
}

void RiscvVirtBoard::requestStop() {
    stopRequested_ = true;
    signalHostEvent();
    debug_.wake();
    cpu().requestExit();
}

void RiscvVirtBoard::requestPause(bool paused) {
    pauseRequested_ = paused;
    signalHostEvent();
    debug_.wake();
    if (paused) cpu().requestExit();
}

void RiscvVirtBoard::signalHostEvent() {
    {
        std::lock_guard lock(wakeMutex_);
        hostEvent_ = true;
    }
    wake_.notify_all();
    // With user networking the idle wait is a poll() on slirp's sockets.
    if (virtio_ && virtio_->nic()) virtio_->nic()->wake();
}

void RiscvVirtBoard::sleepUntil(uint64_t mtimeDeadline) {
    // WFI: idle the host thread (no busy spin) until the next timer deadline
    // or a host event (serial input, stop/pause request, injected input,
    // network traffic, an interrupt line of hart 0 rising on another hart's
    // thread).
    std::unique_lock lock(wakeMutex_);
    if (hostEvent_) {
        hostEvent_ = false;
        return;
    }
    auto wait = clock_.untilMtime(mtimeDeadline);
    if (virtio_->canWait()) {
        if (harts_.size() == 1) {
            lock.unlock();
            const auto millis = std::chrono::ceil<std::chrono::milliseconds>(wait);
            std::lock_guard devices(deviceLock_);  // uncontended: no other hart
            virtio_->poll(std::max(millis, std::chrono::milliseconds(0)));
            lock.lock();
            hostEvent_ = false;
            return;
        }
        // With other harts the network's own wait would hold the device lock
        // while it sleeps, so the VM thread looks at the sockets every 10 ms
        // instead (between its waits here, under the lock, with no wait).
        wait = std::min<std::chrono::nanoseconds>(wait, std::chrono::milliseconds(10));
    }
    wake_.wait_for(lock, wait, [this] { return hostEvent_; });
    hostEvent_ = false;
}

RunOutcome RiscvVirtBoard::run() {
    using Clock = std::chrono::steady_clock;
    const bool hasTimeout = config_.timeoutSeconds > 0;
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(config_.timeoutSeconds));
    host_.stateChanged(VmState::Running);
    HartSlot& boot = *harts_[0];
    cpu::CpuEngine& hart0 = *boot.engine;

    const auto runStart = Clock::now();
    auto seconds = [](Clock::duration d) { return std::chrono::duration<double>(d).count(); };
    startSecondaryHarts();
    auto finish = [&](RunOutcome outcome) {
        stopSecondaryHarts();
        stats_ = RunStats{};
        stats_.harts = unsigned(harts_.size());
        stats_.wallSeconds = seconds(Clock::now() - runStart);
        for (const auto& hart : harts_) {
            const uint64_t retired = hart->engine->instructionsRetired();
            stats_.instructions += retired;
            stats_.busySeconds += hart->busySeconds;
            stats_.idleSeconds += hart->idleSeconds;
            if (hart->busySeconds > 0) stats_.mips += double(retired) / hart->busySeconds / 1e6;
            stats_.translation += hart->engine->translationStats();
        }
        flushSerial();
        debug_.ended();
        host_.stateChanged(VmState::Stopped);
        return outcome;
    };
    // A reset reloads the images (the guest may have overwritten them) and
    // restarts every device and hart, the others parked meanwhile.
    auto reboot = [&]() -> std::optional<RunOutcome> {
        parkSecondaryHarts();
        if (Status status = applyBootPlan(plan_, bus_); !status)
            return finish({RunOutcome::Kind::Fatal, 125, status.message()});
        resetMachine();
        resumeSecondaryHarts();
        return std::nullopt;
    };

    for (;;) {
        if (stopRequested_) return finish({RunOutcome::Kind::Stopped, 0, "stopped by request"});
        if (pauseRequested_) {
            parkSecondaryHarts();
            paused_ = true;
            flushSerial();
            clock_.pause();
            host_.stateChanged(VmState::Paused);
            // Paused: a debugger's jobs (registers, memory, single steps) run here.
            debug_.servePause([this] { return !pauseRequested_ || stopRequested_; });
            {
                std::lock_guard lock(wakeMutex_);
                hostEvent_ = false;
            }
            clock_.resume();
            paused_ = false;
            resumeSecondaryHarts();
            host_.stateChanged(VmState::Running);
            continue;
        }
        if (hasTimeout && Clock::now() >= deadline) {
            char message[160];
            std::snprintf(message, sizeof message,
                          "timeout: the guest was still running after %g s (pc 0x%llx, %llu instructions)",
                          config_.timeoutSeconds, (unsigned long long)hart0.pc(),
                          (unsigned long long)instructionsPublished());
            return finish({RunOutcome::Kind::Timeout, 124, message});
        }

        {
            std::lock_guard devices(deviceLock_);
            uart_.pumpHostInput();
            virtio_->poll(std::chrono::milliseconds(0));  // injected input, network frames and timers
            rtc_.updateAlarm();
            clint_.updateTimers();
        }
        const cpu::RunResult result = runSlice(boot);

        if (std::optional<RunOutcome> request = takeGuestRequest()) {
            if (request->kind == RunOutcome::Kind::Fatal) {  // on another hart
                host_.fatalError(request->message);
                return finish(*request);
            }
            if (request->kind == RunOutcome::Kind::GuestPoweroff) {
                host_.guestPoweroff(request->exitCode);
                return finish(*request);
            }
            host_.guestReset();
            if (config_.noReboot)
                return finish({RunOutcome::Kind::GuestReset, 0, "guest reset (--no-reboot)"});
            if (auto failed = reboot()) return *failed;
            continue;
        }
        if (resetRequested_.exchange(false)) {
            if (auto failed = reboot()) return *failed;
            continue;
        }

        switch (result.reason) {
            case cpu::StopReason::BudgetExhausted:
            case cpu::StopReason::ExitRequested:  // a host request; served at the top of the loop
                break;
            case cpu::StopReason::Breakpoint:  // the debugger's: the machine pauses at the top of the loop
                debug_.noteBreakpoint(0);
                break;
            case cpu::StopReason::WaitForInterrupt: {
                if (hart0.interruptPending()) break;
                uint64_t wakeAt;
                {
                    std::lock_guard devices(deviceLock_);
                    clint_.updateTimers();
                    wakeAt = clint_.nextDeadline(0);
                }
                if (hasTimeout) {
                    // Never sleep past the --timeout deadline.
                    const auto left =
                        std::chrono::duration_cast<std::chrono::nanoseconds>(deadline - Clock::now());
                    const uint64_t limit =
                        clock_.mtime() + uint64_t(std::max<int64_t>(left.count(), 0)) / 100 + 1;
                    wakeAt = std::min(wakeAt, limit);
                }
                if (hart0.interruptPending()) break;
                TESSERA_TRACE(Loop, "wfi: sleeping until mtime 0x%llx", (unsigned long long)wakeAt);
                const auto sleepStart = Clock::now();
                boot.halted.store(true, std::memory_order_relaxed);
                sleepUntil(wakeAt);
                boot.halted.store(false, std::memory_order_relaxed);
                const auto slept = Clock::now() - sleepStart;
                boot.idleSeconds += seconds(slept);
                boot.idleNanos.fetch_add(
                    uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(slept).count()),
                    std::memory_order_relaxed);
                break;
            }
            case cpu::StopReason::FatalError: {
                const std::string message =
                    "host-side fatal error: " + result.fatalMessage + "\n" + hart0.dumpState();
                host_.fatalError(message);
                return finish({RunOutcome::Kind::Fatal, 125, message});
            }
        }
    }
}

}  // namespace tessera::machine
