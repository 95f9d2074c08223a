#include "ui/disk_list_editor.h"

#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

#include "core/vm/disk_image_factory.h"
#include "core/vm/disk_usage.h"
#include "core/vm/size_text.h"
#include "core/vm/vm_disks.h"

namespace tessera::ui {

DiskListEditor::DiskListEditor(const vm::VmBundle& bundle, const vm::VmConfig& config, QWidget* parent)
    : QWidget(parent), bundle_(bundle), config_(config), disks_(config.disks) {
    list_ = new QListWidget(this);
    list_->setObjectName(QStringLiteral("disks"));
    list_->setMaximumHeight(96);
    auto* addNew = new QPushButton(tr("Add New Disk…"), this);
    addNew->setObjectName(QStringLiteral("addNewDisk"));
    auto* attach = new QPushButton(tr("Attach Image…"), this);
    attach->setObjectName(QStringLiteral("attachImage"));
    remove_ = new QPushButton(tr("Remove…"), this);
    remove_->setObjectName(QStringLiteral("removeDisk"));
    connect(addNew, &QPushButton::clicked, this, &DiskListEditor::askNewDisk);
    connect(attach, &QPushButton::clicked, this, &DiskListEditor::askAttach);
    connect(remove_, &QPushButton::clicked, this, &DiskListEditor::askRemove);
    connect(list_, &QListWidget::currentRowChanged, this, [this](int row) { remove_->setEnabled(row >= 0); });

    auto* buttons = new QVBoxLayout;
    buttons->addWidget(addNew);
    buttons->addWidget(attach);
    buttons->addWidget(remove_);
    buttons->addStretch(1);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(list_, 1);
    layout->addLayout(buttons);
    refresh();
}

bool DiskListEditor::isNew(const vm::Disk& disk) const {
    return std::any_of(new_.begin(), new_.end(), [&](const NewDisk& n) { return n.file == disk.file; });
}

void DiskListEditor::refresh() {
    list_->clear();
    for (const vm::Disk& disk : std::as_const(disks_)) {
        QString size;
        if (isNew(disk)) {
            for (const NewDisk& n : std::as_const(new_))
                if (n.file == disk.file) size = tr("new, %1").arg(vm::formatSizeForHumans(n.sizeBytes));
        } else if (auto usage = vm::diskUsage(bundle_.resolve(disk.file), disk.format)) {
            size = vm::formatSizeForHumans(usage->virtualBytes);
        } else {
            size = tr("cannot be read");
        }
        list_->addItem(tr("%1 — %2, %3").arg(disk.file, disk.format, size));
    }
    if (disks_.isEmpty()) list_->addItem(tr("No disk: the VM runs from its kernel, initrd or CD"));
    list_->setEnabled(!disks_.isEmpty());
    remove_->setEnabled(!disks_.isEmpty() && list_->currentRow() >= 0);
}

void DiskListEditor::addNewDisk(uint64_t sizeBytes) {
    vm::VmConfig pending = config_;
    pending.disks = disks_;  // with the new ones not created yet
    const QString file = vm::newDiskFileName(bundle_, pending);
    new_ << NewDisk{file, sizeBytes};
    disks_ << vm::Disk(file, QStringLiteral("qcow2"), false);
    changed_ = true;
    refresh();
}

Status DiskListEditor::attachImage(const QString& path) {
    auto disk = vm::diskForExistingImage(bundle_, path);
    if (!disk) return disk.error();
    for (const vm::Disk& existing : std::as_const(disks_))
        if (bundle_.resolve(existing.file) == bundle_.resolve(disk->file))
            return makeError(tr("%1 is already a disk of this VM.").arg(path).toStdString());
    disks_ << *disk;
    changed_ = true;
    refresh();
    return Status::success();
}

void DiskListEditor::removeDisk(int row, bool deleteFile) {
    if (row < 0 || row >= disks_.size()) return;
    const vm::Disk disk = disks_.takeAt(row);
    if (isNew(disk))  // never created: nothing on disk to keep or delete
        new_.removeIf([&](const NewDisk& n) { return n.file == disk.file; });
    else if (deleteFile)
        toDelete_ << bundle_.resolve(disk.file);
    changed_ = true;
    refresh();
}

Status DiskListEditor::createNewDisks() {
    QStringList made;
    for (const NewDisk& n : std::as_const(new_)) {
        vm::NewDiskImage image;
        image.path = bundle_.resolve(n.file);
        image.sizeBytes = n.sizeBytes;
        if (Status created = vm::createDiskImage(image); !created) {
            for (const QString& file : std::as_const(made)) QFile::remove(file);
            return created;
        }
        made << image.path;
    }
    new_.clear();
    return Status::success();
}

void DiskListEditor::deleteRemovedFiles() {
    for (const QString& file : std::as_const(toDelete_)) {
        // Never a file the VM still uses (removed and attached again).
        const bool stillUsed = std::any_of(
            disks_.begin(), disks_.end(), [&](const vm::Disk& d) { return bundle_.resolve(d.file) == file; });
        if (!stillUsed) QFile::remove(file);
    }
    toDelete_.clear();
}

void DiskListEditor::askNewDisk() {
    bool ok = false;
    const int gib = QInputDialog::getInt(this, tr("Add a New Disk"),
                                         tr("Maximum size in GiB (the file starts small and grows as the VM "
                                            "writes to it):"),
                                         16, 1, int(vm::kMaxDiskBytes >> 30), 1, &ok);
    if (ok) addNewDisk(uint64_t(gib) << 30);
}

void DiskListEditor::askAttach() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Attach a Disk Image"), bundle_.directory(),
                                                      tr("Disk images (*.qcow2 *.img *.raw);;All files (*)"));
    if (path.isEmpty()) return;
    if (Status attached = attachImage(path); !attached)
        emit problem(QString::fromStdString(attached.message()));
}

void DiskListEditor::askRemove() {
    const int row = list_->currentRow();
    if (row < 0 || row >= disks_.size()) return;
    if (isNew(disks_[row])) {
        removeDisk(row, false);
        return;
    }
    QMessageBox box(QMessageBox::Question, tr("Remove %1?").arg(disks_[row].file),
                    tr("Remove the disk %1 from this VM. Keep its file, or delete it and everything on it?")
                        .arg(disks_[row].file),
                    QMessageBox::Cancel, this);
    box.setObjectName(QStringLiteral("removeDiskQuestion"));
    QPushButton* keep = box.addButton(tr("Keep the File"), QMessageBox::AcceptRole);
    keep->setObjectName(QStringLiteral("keepFile"));
    QPushButton* erase = box.addButton(tr("Delete the File"), QMessageBox::DestructiveRole);
    erase->setObjectName(QStringLiteral("deleteFile"));
    box.setDefaultButton(keep);
    box.setInformativeText(tr("Nothing happens until you save the settings."));
    box.exec();
    if (box.clickedButton() == keep)
        removeDisk(row, false);
    else if (box.clickedButton() == erase)
        removeDisk(row, true);
}

}  // namespace tessera::ui
