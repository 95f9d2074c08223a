#pragma once
// DebugTarget: what a machine offers a debugger (the GDB stub,
// gdb_server.h), whatever its ISA: stop and resume every CPU (the same pause
// the monitor's `stop`/`cont` use), inspect and change the CPUs and memory
// while they stand still, and hear when they come to a stop (a breakpoint,
// a requested stop, the end of the VM). machine::DebugPort implements it for
// the boards.
//
// Threads: every call may come from any thread; the stop listener is called
// on the VM thread (or a hart's thread) and must not block.

#include <cstdint>
#include <functional>

#include "core/cpu/cpu_engine.h"
#include "core/hw/memory_bus.h"

namespace tessera::debug {

struct StopEvent {
    enum class Kind {
        Breakpoint,  // `cpu` is about to execute an instruction at a breakpoint
        Stopped,     // a requested stop (the debugger's, the monitor's, --paused)
        Ended,       // the VM has ended: nothing can be inspected any more
    };
    Kind kind = Kind::Stopped;
    unsigned cpu = 0;
};

class DebugTarget {
public:
    virtual ~DebugTarget() = default;
    virtual unsigned cpuCount() const = 0;
    // Asks every CPU to stop at its next instruction boundary; the stop is
    // reported to the listener. No effect if already stopped.
    virtual void requestStop() = 0;
    // Lets every CPU run on.
    virtual void resume() = 0;
    // Ends the VM (GDB's kill): run() returns as for a stop request.
    virtual void quit() = 0;
    virtual bool stopped() const = 0;
    // Runs `job` on the VM thread while every CPU stands still and returns
    // true; false (job not run) when the machine is running or has ended.
    // Only inside a job may cpu() and memory() be used.
    virtual bool whileStopped(const std::function<void()>& job) = 0;
    virtual cpu::CpuEngine& cpu(unsigned index) = 0;
    virtual hw::MemoryBus& memory() = 0;
    // Replaces the listener (nullptr: none).
    virtual void setStopListener(std::function<void(const StopEvent&)> listener) = 0;
};

}  // namespace tessera::debug
