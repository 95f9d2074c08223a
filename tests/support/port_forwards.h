#pragma once
// A config.json port forward to guest port 22 for the exposure tests; what
// matters there is the host address as the user wrote it.

#include <cstdint>

#include "core/vm/vm_config.h"

namespace tessera::testing {

inline vm::PortForward portForward(const QString& hostAddress, uint16_t hostPort, uint16_t guestPort = 22) {
    vm::PortForward f;
    f.hostAddress = hostAddress;
    f.hostPort = hostPort;
    f.guestPort = guestPort;
    return f;
}

}  // namespace tessera::testing
