#pragma once
// The command that reaches a VM's SSH server from this computer, as the
// classic QEMU tutorial types it: `ssh -p 2222 me@127.0.0.1`. The library
// card and the VM window copy it to the clipboard.

#include <QString>
#include <cstdint>

#include "core/vm/vm_config.h"

namespace tessera::vm {

// The forward of host TCP port -> guest port 22 on a NAT interface, if any:
// its host port, or 0.
uint16_t sshHostPort(const VmConfig& config);

// "ssh -p PORT USER@ADDRESS" for that forward (USER from the express install,
// left out when unknown; a forward listening on every address is reached on
// loopback), or empty when the VM forwards nothing to port 22.
QString sshCommand(const VmConfig& config);

}  // namespace tessera::vm
