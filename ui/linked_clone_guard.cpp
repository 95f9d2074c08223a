#include "ui/linked_clone_guard.h"

#include <QApplication>
#include <QCoreApplication>
#include <QEventLoop>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QThread>
#include <atomic>

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

// Makes each clone a full copy off the GUI thread, with progress and Cancel (a
// clone of a large disk takes minutes). Returns why it stopped, or empty.
QString copyIntoClones(QWidget* parent, const QList<vm::VmEntry>& clones) {
    QProgressDialog progress(
        QCoreApplication::translate("LinkedCloneGuard", "Making the clones independent…"),
        QCoreApplication::translate("LinkedCloneGuard", "Cancel"), 0, 1000, parent);
    progress.setObjectName(QStringLiteral("cloneCopyProgress"));
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(500);
    progress.setValue(0);
    std::atomic<bool> cancel{false};
    QObject::connect(&progress, &QProgressDialog::canceled, [&cancel] { cancel = true; });
    QString failed;
    QEventLoop wait;
    QThread* worker = QThread::create([&] {
        for (qsizetype i = 0; i < clones.size() && failed.isEmpty(); ++i) {
            block::JobControl control;
            control.cancel = &cancel;
            control.progress = [&progress, i, count = clones.size()](uint64_t done, uint64_t total) {
                if (total == 0) return;
                const int value = int((i * 1000 + qsizetype(done * 1000 / total)) / count);
                // Queued to the dialog: dropped if it is gone.
                QMetaObject::invokeMethod(
                    &progress, [&progress, value] { progress.setValue(value); }, Qt::QueuedConnection);
            };
            if (Status made = vm::makeIndependent(clones[i].bundle, control); !made)
                failed = QCoreApplication::translate("LinkedCloneGuard",
                                                     "\"%1\" could not be made independent: %2")
                             .arg(clones[i].displayName(), QString::fromStdString(made.message()));
        }
    });
    QObject::connect(worker, &QThread::finished, &wait, &QEventLoop::quit);
    worker->start();
    wait.exec();
    worker->wait();
    delete worker;
    return failed;
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

    if (const QString failed = copyIntoClones(parent, clones); !failed.isEmpty()) {
        *error = failed;
        return false;
    }
    return true;
}

}  // namespace tessera::ui
