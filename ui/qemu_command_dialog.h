#pragma once
// "Show QEMU command": the equivalent qemu-system line, selectable and copyable.

#include <QDialog>

#include "core/vm/vm_bundle.h"

namespace tessera::ui {

class QemuCommandDialog : public QDialog {
    Q_OBJECT
public:
    QemuCommandDialog(const vm::VmConfig& config, const vm::VmBundle& bundle, QWidget* parent = nullptr);
};

}  // namespace tessera::ui
