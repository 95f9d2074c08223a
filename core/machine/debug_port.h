#pragma once
// DebugPort: a board's debug::DebugTarget. It works through the board's own
// pause (the one the monitor's `stop`/`cont` use): a stop request is a pause
// request, and while the board is paused its VM thread serves the
// debugger's jobs here (servePause) instead of only sleeping, so that every
// access to a CPU or to memory happens on the VM thread with every CPU
// parked. A CPU that reaches a breakpoint calls noteBreakpoint(), which
// pauses the board; the pause then reports which CPU it was.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>

#include "core/debug/debug_target.h"

namespace tessera::machine {

class DebugPort final : public debug::DebugTarget {
public:
    struct Hooks {
        std::function<void(bool paused)> pause;  // the board's requestPause
        std::function<void()> quit;              // the board's requestStop
        std::function<cpu::CpuEngine&(unsigned)> cpu;
        hw::MemoryBus* memory = nullptr;
        unsigned cpuCount = 1;
    };
    explicit DebugPort(Hooks hooks) : hooks_(std::move(hooks)) {}

    // debug::DebugTarget (any thread).
    unsigned cpuCount() const override { return hooks_.cpuCount; }
    void requestStop() override { hooks_.pause(true); }
    void resume() override { hooks_.pause(false); }
    void quit() override { hooks_.quit(); }
    bool stopped() const override;
    bool whileStopped(const std::function<void()>& job) override;
    cpu::CpuEngine& cpu(unsigned index) override { return hooks_.cpu(index); }
    hw::MemoryBus& memory() override { return *hooks_.memory; }
    void setStopListener(std::function<void(const debug::StopEvent&)> listener) override;

    // The board's side.
    // CPU `index` stopped at a breakpoint (its run slice returned
    // StopReason::Breakpoint; any thread): the board pauses.
    void noteBreakpoint(unsigned index);
    // The VM thread, with every CPU parked: reports the stop, then runs the
    // debugger's jobs until `leave` holds (looked at whenever wake() is called).
    void servePause(const std::function<bool()>& leave);
    // The condition servePause waits for may have changed (any thread).
    void wake();
    // run() has returned: jobs fail from now on, the listener hears Ended.
    void ended();

private:
    void report(const debug::StopEvent& event);

    Hooks hooks_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    bool paused_ = false;
    bool ended_ = false;
    int breakpointCpu_ = -1;
    const std::function<void()>* job_ = nullptr;  // waiting to run
    uint64_t jobsDone_ = 0;
    std::mutex listenerMutex_;
    std::function<void(const debug::StopEvent&)> listener_;
};

}  // namespace tessera::machine
