#pragma once
// The question asked before a VM starts whose disk other VMs build on (its
// linked clones, core/vm/linked_clones.h): starting it writable would damage
// them, so it starts only after the clones were made full copies, which the
// dialog offers; the safe answer, Cancel, is the default.

#include <QString>

#include "core/vm/vm_library.h"

class QWidget;

namespace tessera::ui {

// True when `entry` may start: no clone depends on it, or the user had them
// made independent. False when the user cancelled (`error` empty) or making a
// clone independent failed (`error` says why).
bool confirmStartOfCloneBase(QWidget* parent, const vm::VmEntry& entry, QString* error);

}  // namespace tessera::ui
