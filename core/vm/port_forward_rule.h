#pragma once
// A config.json port forward (vm::PortForward) checked by the network's one
// validator (net::validateHostForward), so config.json, the GUI's table, the
// QEMU import and the running VM agree with --nic and the monitor on what
// listens where ("localhost" = 127.0.0.1, 0.0.0.0 only when written, the rest
// refused by field name).

#include <QString>

#include "core/net/host_forward.h"
#include "core/util/result.h"
#include "core/vm/vm_config.h"

namespace tessera::vm {

net::HostForwardFields fieldsOf(const PortForward& forward);

// The NIC's rule for a forward; an error names the field under `where`, e.g.
// `nics[0].forwards[1].hostAddress: "::1" is not an IPv4 address; …`.
Result<net::HostForward> hostForwardFor(const PortForward& forward, const QString& where);

}  // namespace tessera::vm
