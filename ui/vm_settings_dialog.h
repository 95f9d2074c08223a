#pragma once
// "Edit settings" for a stopped VM: name, hardware, disks, boot files, CD,
// network. Renaming moves the VM's folder (vm_bundle_ops.h); renaming and
// changing disks are refused while the VM runs (in another window or
// tessera-cli), with the reason in the dialog.

#include <QDialog>

#include "core/vm/vm_bundle.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace tessera::ui {

class DiskListEditor;
class PortForwardEditor;

class VmSettingsDialog : public QDialog {
    Q_OBJECT
public:
    VmSettingsDialog(const vm::VmBundle& bundle, const vm::VmConfig& config, QWidget* parent = nullptr);
    vm::VmConfig editedConfig() const;

    void accept() override;  // validates and saves; stays open with the message on error

    // The VM's folder: after a rename, the new one.
    QString bundleDirectory() const { return bundle_.directory(); }
    DiskListEditor* disks() const { return disks_; }

private:
    vm::VmBundle bundle_;
    vm::VmConfig original_;
    QLineEdit* name_;
    DiskListEditor* disks_;
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
