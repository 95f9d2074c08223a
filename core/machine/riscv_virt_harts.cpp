// RiscvVirtBoard, the harts' side: harts 1..N-1 on host threads of their own
// (hart 0 runs on the VM thread, in run()), their WFI sleep, parking them
// for a pause or reset, and handing them device DMA. See the threads note
// at the top of riscv_virt_board.h.

#include <algorithm>
#include <chrono>

#include "core/hw/trace.h"
#include "core/machine/riscv_virt_board.h"

namespace tessera::machine {

namespace {
// More pending DMA ranges than this and a hart drops code over their hull.
constexpr size_t kMaxExternalWrites = 64;
double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

void RiscvVirtBoard::kickHart(unsigned index) {
    if (index == 0) {
        signalHostEvent();
        return;
    }
    HartSlot& slot = *harts_[index];
    {
        std::lock_guard lock(slot.sleepMutex);
        slot.kicked = true;
    }
    slot.sleep.notify_one();
}

// Device DMA into guest RAM (any thread, usually under the device lock).
// A hart's decoded code and reservation belong to its own thread, so with
// several harts each gets the range queued and drops what the DMA made stale
// itself (drainExternalWrites), before its next slice; a hart inside a slice
// leaves it at the next block boundary to do so. A guest learns that DMA
// finished from an interrupt, which is also taken at a block boundary, and
// Linux follows DMA into code with FENCE.I anyway.
//
// Only a hart inside a slice is asked to leave it: a hart between slices
// (asleep in WFI, or hart 0 while the VM thread polls the devices) drains the
// queue before it runs anyway, and an exit request it found on entering its
// next slice would end that slice before a single instruction. A device that
// writes guest RAM on every poll (a virtqueue that is full, writing its
// avail_event) then kept hart 0 from ever running again: the guest hung as
// soon as input or network frames arrived faster than it took them.
void RiscvVirtBoard::noteExternalWrite(uint64_t paddr, uint64_t length) {
    if (harts_.size() == 1) {  // the only hart runs on this very thread, or not at all
        harts_[0]->engine->invalidateCode(paddr, length);
        return;
    }
    for (auto& hart : harts_) {
        {
            std::lock_guard lock(hart->writesMutex);
            auto& writes = hart->externalWrites;
            if (writes.size() < kMaxExternalWrites) {
                writes.emplace_back(paddr, length);
            } else {
                uint64_t low = paddr, high = paddr + length;
                for (const auto& [from, size] : writes) {
                    low = std::min(low, from);
                    high = std::max(high, from + size);
                }
                writes.assign(1, {low, high - low});
            }
            hart->hasExternalWrites.store(true, std::memory_order_seq_cst);
        }
        // Sequentially consistent with runSlice's store to inSlice and load
        // of hasExternalWrites: either the hart sees this write when it
        // drains, or this sees it in its slice and cuts the slice short.
        if (hart->inSlice.load(std::memory_order_seq_cst)) hart->engine->requestExit();
    }
}

void RiscvVirtBoard::drainExternalWrites(HartSlot& slot) {
    if (!slot.hasExternalWrites.load(std::memory_order_seq_cst)) return;
    std::vector<std::pair<uint64_t, uint64_t>> writes;
    {
        std::lock_guard lock(slot.writesMutex);
        writes.swap(slot.externalWrites);
        slot.hasExternalWrites.store(false, std::memory_order_relaxed);
    }
    for (const auto& [paddr, length] : writes) slot.engine->invalidateCode(paddr, length);
}

cpu::RunResult RiscvVirtBoard::runSlice(HartSlot& slot) {
    slot.inSlice.store(true, std::memory_order_seq_cst);
    drainExternalWrites(slot);
    const auto start = std::chrono::steady_clock::now();
    const uint64_t backedOffBefore = slot.engine->backedOffNanos();
    const cpu::RunResult result = slot.engine->run(config_.sliceInstructions);
    slot.inSlice.store(false, std::memory_order_relaxed);
    // A spin-wait that backed off (yields, sleeps at PAUSE) left the host
    // core to others: idle time like a WFI sleep, not busy time.
    const uint64_t backedOff = slot.engine->backedOffNanos() - backedOffBefore;
    slot.busySeconds += std::max(0.0, secondsSince(start) - double(backedOff) / 1e9);
    slot.idleSeconds += double(backedOff) / 1e9;
    slot.idleNanos.fetch_add(backedOff, std::memory_order_relaxed);
    slot.retired.store(slot.engine->instructionsRetired(), std::memory_order_relaxed);
    slot.pc.store(slot.engine->pc(), std::memory_order_relaxed);
    flushSerial();
    return result;
}

void RiscvVirtBoard::startSecondaryHarts() {
    quitRequested_ = false;
    // Started paused (--paused): no hart runs an instruction before the pause is served.
    parkRequested_ = pauseRequested_.load();
    parked_ = 0;
    for (unsigned index = 1; index < harts_.size(); ++index)
        harts_[index]->thread = std::thread([this, index] { runSecondaryHart(index); });
}

void RiscvVirtBoard::stopSecondaryHarts() {
    {
        std::lock_guard lock(parkMutex_);
        quitRequested_ = true;
    }
    parkChanged_.notify_all();
    for (unsigned index = 1; index < harts_.size(); ++index) {
        harts_[index]->engine->requestExit();
        kickHart(index);
    }
    for (unsigned index = 1; index < harts_.size(); ++index)
        if (harts_[index]->thread.joinable()) harts_[index]->thread.join();
}

// Returns once every other hart has left its slice (at a block boundary)
// and waits: the VM thread then has the machine to itself.
void RiscvVirtBoard::parkSecondaryHarts() {
    if (harts_.size() == 1) return;
    {
        std::lock_guard lock(parkMutex_);
        parkRequested_ = true;
    }
    parkChanged_.notify_all();  // a hart waiting at a breakpoint (runSecondaryHart) parks now
    for (unsigned index = 1; index < harts_.size(); ++index) {
        harts_[index]->engine->requestExit();
        kickHart(index);
    }
    std::unique_lock lock(parkMutex_);
    parkChanged_.wait(lock, [this] { return parked_ == harts_.size() - 1; });
}

void RiscvVirtBoard::resumeSecondaryHarts() {
    {
        std::lock_guard lock(parkMutex_);
        parkRequested_ = false;
    }
    parkChanged_.notify_all();
}

// WFI on hart `index`: its thread sleeps until one of its interrupt lines
// rises (kickHart), its own timer deadline, or a park/quit request.
void RiscvVirtBoard::sleepSecondaryHart(unsigned index) {
    HartSlot& slot = *harts_[index];
    uint64_t wakeAt;
    {
        std::lock_guard devices(deviceLock_);
        clint_.updateTimers();
        wakeAt = clint_.nextDeadline(index);
    }
    if (slot.engine->interruptPending()) return;
    TESSERA_TRACE(Loop, "hart %u wfi: sleeping until mtime 0x%llx", index, (unsigned long long)wakeAt);
    const auto start = std::chrono::steady_clock::now();
    slot.halted.store(true, std::memory_order_relaxed);
    {
        std::unique_lock lock(slot.sleepMutex);
        slot.sleep.wait_for(lock, clock_.untilMtime(wakeAt), [&] {
            return slot.kicked || parkRequested_ || quitRequested_ || slot.engine->interruptPending();
        });
        slot.kicked = false;
    }
    slot.halted.store(false, std::memory_order_relaxed);
    const double slept = secondsSince(start);
    slot.idleSeconds += slept;
    slot.idleNanos.fetch_add(uint64_t(slept * 1e9), std::memory_order_relaxed);
}

void RiscvVirtBoard::runSecondaryHart(unsigned index) {
    HartSlot& slot = *harts_[index];
    cpu::CpuEngine& hart = *slot.engine;
    // Parks this thread until the VM thread lets it go on (or ends the run).
    auto park = [this](bool forGood) {
        std::unique_lock lock(parkMutex_);
        ++parked_;
        parkChanged_.notify_all();
        parkChanged_.wait(lock, [&] { return quitRequested_ || (!forGood && !parkRequested_); });
        if (!forGood) --parked_;
    };
    while (!quitRequested_) {
        if (parkRequested_) {
            park(false);
            continue;
        }
        {
            std::lock_guard devices(deviceLock_);
            clint_.updateTimers();
        }
        const cpu::RunResult result = runSlice(slot);
        if (result.reason == cpu::StopReason::FatalError) {
            {
                std::lock_guard devices(deviceLock_);
                if (!guestRequest_)
                    guestRequest_ = RunOutcome{RunOutcome::Kind::Fatal, 125,
                                               "host-side fatal error on hart " + std::to_string(index) +
                                                   ": " + result.fatalMessage + "\n" + hart.dumpState()};
            }
            harts_[0]->engine->requestExit();
            signalHostEvent();
            park(true);  // counted as parked for good: the VM thread ends the run
            return;
        }
        if (result.reason == cpu::StopReason::Breakpoint) {
            // The debugger's: the board pauses; wait for the park (running
            // on would only stop at the breakpoint again).
            debug_.noteBreakpoint(index);
            std::unique_lock lock(parkMutex_);
            parkChanged_.wait(lock, [this] { return parkRequested_ || quitRequested_; });
            continue;
        }
        if (result.reason == cpu::StopReason::WaitForInterrupt) sleepSecondaryHart(index);
    }
}

}  // namespace tessera::machine
