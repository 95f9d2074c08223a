#pragma once
// GuestClock: what a timer device (the CLINT) needs from the board's notion of
// time: the current mtime and a way for the guest to set it. The board uses
// VirtualClock (host wall time, so guest time matches the user's); the
// lockstep tester uses InstructionClock (time as a function of retired
// instructions, so that two engines running the same program see the same
// time at the same instruction).

#include <cstdint>

namespace tessera::hw {

class GuestClock {
public:
    virtual ~GuestClock() = default;
    virtual uint64_t mtime() const = 0;
    virtual void setMtime(uint64_t value) = 0;
};

}  // namespace tessera::hw
