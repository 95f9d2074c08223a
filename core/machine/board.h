#pragma once
// Board: what a runner (the GUI's VmRunner) needs of a machine, whatever its
// CPU: run it on the VM thread, control it from another, read its speed, and
// reach the devices the VM window shows and drives. RiscvVirtBoard and
// Mac99Board implement it; the VmHost a board is created with carries its
// serial output and state back. A board without some device answers null.
//
// Threads: run() is the VM thread; every other call may come from any thread.

#include <cstdint>
#include <span>

#include "core/machine/run_outcome.h"

namespace tessera::debug {
class DebugTarget;
}  // namespace tessera::debug

namespace tessera::devices {
class DisplaySurface;
class InputSink;
class ScsiCdrom;
class VirtioNet;
}  // namespace tessera::devices

namespace tessera::machine {

class Board {
public:
    virtual ~Board() = default;

    virtual RunOutcome run() = 0;

    virtual void pushSerialInput(std::span<const uint8_t> bytes) = 0;
    virtual void requestStop() = 0;
    // While paused the guest runs no instructions and its clock stands still.
    virtual void requestPause(bool paused) = 0;
    virtual void requestReset() = 0;  // the reset button: the machine restarts from its firmware

    // Instructions retired by all CPUs and the time they slept waiting for an
    // interrupt (nanoseconds summed over CPUs), both published while running,
    // for a speed display; divided by cpuCount() the idle time is a share.
    virtual uint64_t instructionsPublished() const = 0;
    virtual uint64_t idleNanosPublished() const = 0;
    virtual unsigned cpuCount() const = 0;

    // The screen, keyboard, pointer, CD-ROM drive and network card the UI
    // drives; null when this machine has none (or not yet).
    virtual devices::DisplaySurface* display() { return nullptr; }
    virtual devices::InputSink* keyboard() { return nullptr; }
    virtual devices::InputSink* tablet() { return nullptr; }  // the pointer: a tablet or a mouse
    virtual devices::ScsiCdrom* cdrom() { return nullptr; }
    virtual devices::VirtioNet* nic() { return nullptr; }
    // What a debugger (the GDB stub) drives: the CPUs, memory and the pause.
    virtual debug::DebugTarget* debugTarget() { return nullptr; }
};

}  // namespace tessera::machine
