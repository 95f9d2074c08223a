#pragma once
// The question asked before a disk may read a backing file outside its VM
// folder (core/vm/backing_trust.h explains the rule): when a VM is started,
// created from a disk image or a download, or imported from a QEMU command.
// The dialog names the disk and the file (and the name the image gave it,
// when a symlink or "../" made it look like something else); the safe answer
// is the default. What the user allows is recorded in config.json, so the
// next start does not ask again.

#include <QDialog>

#include "core/vm/backing_trust.h"

class QLabel;
class QPushButton;

namespace tessera::ui {

class BackingFileDialog : public QDialog {
    Q_OBJECT
public:
    BackingFileDialog(const vm::VmConfig& config, const vm::OutsideBacking& backing,
                      QWidget* parent = nullptr);
    const vm::OutsideBacking& backing() const { return backing_; }

private:
    vm::OutsideBacking backing_;
};

// Asks about every refused backing file of the bundle's disks, one dialog per
// file (accepting one may reveal the next file of its chain), and saves the
// allowed ones into config.json. `config` is the bundle's config and receives
// the allowed files. False when the user declined one (what was allowed before
// it is kept) or config.json could not be saved (`error` then says why).
bool confirmOutsideBacking(QWidget* parent, const vm::VmBundle& bundle, vm::VmConfig& config,
                           QString* error = nullptr);

}  // namespace tessera::ui
