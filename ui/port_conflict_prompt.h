#pragma once
// Before a VM starts: if a host port it forwards is taken, say by whom (the VM
// that holds it, or another program) and offer the next free port, which is
// then saved in the VM's config.json. Cancel leaves everything as it was.

class QWidget;

namespace tessera::vm {
struct VmEntry;
}

namespace tessera::ui {

// True when the VM may start now (no conflict, or the user took the free ports).
bool resolvePortConflicts(QWidget* parent, const vm::VmEntry& entry);

}  // namespace tessera::ui
