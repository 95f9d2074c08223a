#pragma once
// The Disks part of a VM's Settings: the VM's disks in boot order, Add New Disk
// (an empty qcow2 in the VM's folder), Attach Image (an existing qcow2 or raw
// file) and Remove (which asks whether to delete the file too). Nothing touches
// the disk until the settings are saved: new disks are created by
// createNewDisks() and removed files deleted by deleteRemovedFiles(), so Cancel
// leaves the VM and its files as they were.

#include <QList>
#include <QStringList>
#include <QWidget>

#include "core/util/result.h"
#include "core/vm/vm_bundle.h"
#include "core/vm/vm_config.h"

class QListWidget;
class QPushButton;

namespace tessera::ui {

class DiskListEditor : public QWidget {
    Q_OBJECT
public:
    DiskListEditor(const vm::VmBundle& bundle, const vm::VmConfig& config, QWidget* parent = nullptr);

    QList<vm::Disk> disks() const { return disks_; }
    bool changed() const { return changed_; }
    QListWidget* list() const { return list_; }

    // What the buttons do once their dialogs are answered (tests call these).
    void addNewDisk(uint64_t sizeBytes);
    Status attachImage(const QString& path);
    void removeDisk(int row, bool deleteFile);

    Status createNewDisks();    // before config.json is saved; undone on failure
    void deleteRemovedFiles();  // after it is saved

signals:
    void problem(const QString& text);

private:
    struct NewDisk {
        QString file;  // as in config.json
        uint64_t sizeBytes;
    };
    void askNewDisk();
    void askAttach();
    void askRemove();
    void refresh();
    bool isNew(const vm::Disk& disk) const;

    vm::VmBundle bundle_;
    vm::VmConfig config_;  // for new disk names
    QList<vm::Disk> disks_;
    QList<NewDisk> new_;
    QStringList toDelete_;  // resolved paths
    bool changed_ = false;
    QListWidget* list_;
    QPushButton* remove_;
};

}  // namespace tessera::ui
