#pragma once
// A host port forward in QEMU's `hostfwd=` syntax:
//   [tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT
// Unlike QEMU, an empty HOSTADDR means 127.0.0.1: a forwarded guest port is
// reachable from other machines only if the user names an address explicitly.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/util/result.h"

namespace tessera::net {

struct HostForward {
    bool udp = false;
    std::string hostAddress = "127.0.0.1";
    uint16_t hostPort = 0;
    std::string guestAddress;  // empty: the guest's DHCP address (10.0.2.15)
    uint16_t guestPort = 0;

    // Back to the textual form, e.g. "tcp:127.0.0.1:2222-:22".
    std::string toString() const;
};

// Parses one rule (with or without a leading "hostfwd="); both ports must be 1..65535.
Result<HostForward> parseHostForward(std::string_view text);

}  // namespace tessera::net
