#pragma once
// Host port conflicts, found before a VM starts: two VMs forwarding host port
// 2222 must not fail silently (libslirp binds UDP with SO_REUSEADDR, so a
// second VM's UDP forward "succeeds" and receives nothing) nor with a bare
// "in use". Each forward of the VM's first NIC is tried the way the VM would
// listen; a taken port is reported with who holds it (a running VM of the
// library that forwards the same port, else "another program") and the next
// free port, which the app offers and the CLI prints.

#include <QList>
#include <QString>

#include "core/vm/vm_bundle.h"
#include "core/vm/vm_config.h"

namespace tessera::vm {

struct PortConflict {
    int index = -1;         // in config.nics[0].forwards
    PortForward forward;    // as configured
    QString holder;         // the running VM holding the port; empty: another program
    uint16_t freePort = 0;  // the next free host port after it; 0 if none was found
};

// `bundle` is the VM about to start (it is not its own holder); the library is
// the folder that holds it.
QList<PortConflict> findPortConflicts(const VmConfig& config, const VmBundle& bundle);

// "host port 2222 (tcp on 127.0.0.1) is in use by the VM "Debian"; port 2223 is free"
QString describePortConflict(const PortConflict& conflict);

// The config with each conflicting forward moved to its free port.
VmConfig withFreePorts(VmConfig config, const QList<PortConflict>& conflicts);

// The running VM of `self`'s library that forwards the same host port; empty if none.
QString portHolder(const PortForward& forward, const VmBundle& self);

// Whether `address`:`port` can be listened on now, as a VM's forward would.
bool hostPortFree(const QString& protocol, const QString& address, uint16_t port);

}  // namespace tessera::vm
