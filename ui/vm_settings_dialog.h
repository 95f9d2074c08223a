#pragma once
// "Edit settings" for a stopped VM: hardware, boot files, CD, network.

#include <QDialog>

#include "core/vm/vm_bundle.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace tessera::ui {

class PortForwardEditor;

class VmSettingsDialog : public QDialog {
    Q_OBJECT
public:
    VmSettingsDialog(const vm::VmBundle& bundle, const vm::VmConfig& config, QWidget* parent = nullptr);
    vm::VmConfig editedConfig() const;

    void accept() override;  // validates and saves; stays open with the message on error

private:
    vm::VmBundle bundle_;
    vm::VmConfig original_;
    QSpinBox* memoryMiB_;
    QSpinBox* cpus_;
    QLineEdit* kernel_;
    QLineEdit* initrd_;
    QLineEdit* append_;
    QLineEdit* cdrom_;
    QCheckBox* nat_;
    QComboBox* display_;
    PortForwardEditor* forwards_;
    QLabel* problem_;
};

}  // namespace tessera::ui
