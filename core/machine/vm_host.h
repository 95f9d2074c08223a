#pragma once
// VmHost: everything the core tells the outside world about a running VM.
// The CLI implements it with stdio, the GUI with queued Qt signals, tests with
// a small recorder. Calls arrive on the VM thread, except serialOutput, which
// any hart's thread may make (one at a time, under the board's device lock);
// implementations must not block for long (the guest is stopped while they run).

#include <cstdint>
#include <span>
#include <string>

namespace tessera::machine {

enum class VmState { Created, Running, Paused, Stopped };

class VmHost {
public:
    virtual ~VmHost() = default;
    virtual void serialOutput(std::span<const uint8_t> bytes) = 0;
    virtual void stateChanged(VmState) {}
    // The guest asked to power off (exit code 0 = success) or to reset.
    virtual void guestPoweroff(int) {}
    virtual void guestReset() {}
    // Host-side fatal condition (emulator bug, unrecoverable state): message
    // plus the guest register dump.
    virtual void fatalError(const std::string& message) = 0;
};

}  // namespace tessera::machine
