#pragma once
// "Copy SSH Command" in the library and the VM window: puts the command that
// reaches the VM's SSH server (core/vm/ssh_command.h) on the clipboard.

#include <QString>

#include "core/vm/vm_config.h"

class QAction;
class QObject;

namespace tessera::ui {

QAction* createCopySshAction(QObject* parent);

// Copies the command for config; returns what to tell the user (what was
// copied, or why there is nothing to copy and how to get it).
QString copySshCommand(const vm::VmConfig& config);

}  // namespace tessera::ui
