#include "ui/linked_clone_guard.h"

#include <QApplication>
#include <QCoreApplication>
#include <QMessageBox>
#include <QPushButton>

#include "core/vm/disk_usage.h"
#include "core/vm/linked_clones.h"
#include "core/vm/size_text.h"

namespace tessera::ui {

namespace {

// Each clone receives a copy of what it reads from the original: at most the
// space the original's disks take now.
quint64 spaceForCopies(const vm::VmEntry& entry, qsizetype clones) {
    quint64 used = 0;
    for (const vm::Disk& disk : entry.config->disks)
        if (const auto usage = vm::diskUsage(entry.bundle.resolve(disk.file), disk.format))
            used += usage->allocatedBytes;
    return used * quint64(clones);
}

}  // namespace

bool confirmStartOfCloneBase(QWidget* parent, const vm::VmEntry& entry, QString* error) {
    if (!entry.config) return true;  // a broken VM fails to start with its own message
    const QList<vm::VmEntry> clones = vm::clonesDamagedByStarting(*entry.config, entry.bundle);
    if (clones.isEmpty()) return true;
    QMessageBox box(QMessageBox::Warning,
                    QCoreApplication::translate("LinkedCloneGuard", "Start %1?").arg(entry.displayName()),
                    vm::describeDamagedClones(*entry.config, clones), QMessageBox::NoButton, parent);
    box.setObjectName(QStringLiteral("cloneBaseQuestion"));
    box.setInformativeText(
        QCoreApplication::translate("LinkedCloneGuard",
                                    "Making them independent copies the data they share into each "
                                    "clone (up to %1 of disk space); then this VM starts.")
            .arg(vm::formatSizeForHumans(spaceForCopies(entry, clones.size()))));
    QPushButton* independent =
        box.addButton(QCoreApplication::translate("LinkedCloneGuard", "Make Clones Independent and Start"),
                      QMessageBox::AcceptRole);
    independent->setObjectName(QStringLiteral("makeClonesIndependent"));
    QPushButton* cancel = box.addButton(QMessageBox::Cancel);
    cancel->setObjectName(QStringLiteral("cancel"));
    box.setDefaultButton(cancel);
    box.exec();
    if (box.clickedButton() != independent) return false;

    QApplication::setOverrideCursor(Qt::WaitCursor);
    for (const vm::VmEntry& clone : clones) {
        if (Status made = vm::makeIndependent(clone.bundle); !made) {
            QApplication::restoreOverrideCursor();
            *error =
                QCoreApplication::translate("LinkedCloneGuard", "\"%1\" could not be made independent: %2")
                    .arg(clone.displayName(), QString::fromStdString(made.message()));
            return false;
        }
    }
    QApplication::restoreOverrideCursor();
    return true;
}

}  // namespace tessera::ui
