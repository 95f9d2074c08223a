#pragma once
// The question asked before the GUI saves or applies a port forward that other
// machines could connect to (0.0.0.0, or any address outside 127.0.0.0/8):
// the port-forward table (wizard, settings, the VM window's Port Forwards) and
// the QEMU-command import both ask it, naming each such port.

#include <QList>
#include <QSet>
#include <QString>

#include "core/vm/vm_config.h"

class QWidget;

namespace tessera::ui {

// The socket a valid forward that other machines could reach listens on
// ("tcp:0.0.0.0:8080"); empty for a loopback-only or invalid forward.
QString exposedSocket(const vm::PortForward& forward);

// Asks, in a message box (object name "exposureConfirmation") with "Allow Other
// Computers" and Cancel (the default), about the forwards other machines could
// reach whose socket is not in `allowed`. True = go ahead: nothing to ask, or the
// user allowed it (then their sockets join `allowed`, so the question is not repeated).
bool confirmExposure(QWidget* parent, const QList<vm::PortForward>& forwards, QSet<QString>& allowed);

}  // namespace tessera::ui
