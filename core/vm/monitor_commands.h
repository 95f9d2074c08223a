#pragma once
// The line-based VM monitor (`tessera-cli run --monitor PATH`): a small,
// QEMU-HMP-like command set. Parsing is separate from execution: a
// MonitorTarget (the running VM) does the work; every line gets exactly one
// reply line, "OK ..." or "error: ...", and a malformed line is an error
// reply, never a crash.
//
//   screenshot FILE            write the display as PNG
//   sendkey KEYS               e.g. sendkey ctrl-alt-delete (press in order, release in reverse)
//   mouse_move X Y             absolute pointer position, 0..32767 each
//   mouse_button BITS          1 left, 2 right, 4 middle
//   eject cd                   remove the disc (also: eject -f cd)
//   change cd FILE             insert a disc image (read-only)
//   hostfwd_add RULE           e.g. hostfwd_add tcp::2222-:22
//   hostfwd_remove RULE        e.g. hostfwd_remove tcp::2222
//   system_powerdown           ask the guest to power off
//   system_reset               the reset button: every hart and device restarts
//   stop / cont                pause the VM (every hart) / let it run on
//   info cpus                  every hart's pc and state (running, halted, paused)
//   quit                       stop the VM now
//   help

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/net/host_forward.h"
#include "core/util/result.h"

namespace tessera::vm {

class MonitorTarget {
public:
    virtual ~MonitorTarget() = default;
    virtual Status screenshot(const std::string& path) = 0;
    virtual Status sendKeys(const std::vector<uint16_t>& evdevCodes) = 0;
    virtual Status movePointer(uint32_t x, uint32_t y) = 0;
    virtual Status setPointerButtons(unsigned buttons) = 0;
    virtual Status ejectCd() = 0;
    virtual Status changeCd(const std::string& path) = 0;
    virtual Status addHostForward(const net::HostForward& rule) = 0;
    virtual Status removeHostForward(const net::HostForward& rule) = 0;
    virtual Status powerdown() = 0;
    virtual Status reset() = 0;
    virtual Status pause(bool paused) = 0;
    // One line, e.g. "CPU #0 pc=0x80000000 running | CPU #1 pc=0x80001234 halted".
    virtual Result<std::string> cpus() = 0;
    virtual Status quit() = 0;
};

// Executes one line; returns the reply line (without newline).
std::string executeMonitorLine(std::string_view line, MonitorTarget& target);

}  // namespace tessera::vm
