#pragma once
// One-click disk shrink: shows how large the disk is for the guest, how much
// it takes on this computer and how much data it really holds; then runs the
// block layer's compact job on a worker thread with progress and Cancel.
// Cancel or failure leaves the original byte-identical (compact writes a
// verified copy and renames it over the original only at the very end).

#include <QDialog>
#include <atomic>
#include <optional>

#include "core/vm/vm_library.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QThread;

namespace tessera::ui {

class ShrinkDiskDialog : public QDialog {
    Q_OBJECT
public:
    ShrinkDiskDialog(const vm::VmEntry& entry, bool vmRunning, QWidget* parent = nullptr);
    ~ShrinkDiskDialog() override;

    QPushButton* shrinkButton() const { return shrink_; }
    QPushButton* cancelButton() const { return cancel_; }
    QProgressBar* progressBar() const { return progress_; }
    QLabel* resultLabel() const { return result_; }
    QLabel* sizesLabel() const { return sizes_; }
    QCheckBox* compressBox() const { return compress_; }
    bool isRunning() const { return worker_ != nullptr; }

public slots:
    void startShrink();
    void cancelShrink();

signals:
    void finished(bool ok);  // after a shrink attempt, successful or not

protected:
    void reject() override;  // closing while running cancels first

private:
    void describeSelectedDisk();
    QString selectedDiskPath() const;
    void onProgress(quint64 done, quint64 total);
    void onDone(bool ok, const QString& message, quint64 before, quint64 after);

    vm::VmEntry entry_;
    QComboBox* disks_;
    QLabel* sizes_;
    QLabel* hint_;
    QCheckBox* compress_;
    QProgressBar* progress_;
    QLabel* result_;
    QPushButton* shrink_;
    QPushButton* cancel_;
    QPushButton* close_;
    QThread* worker_ = nullptr;
    std::atomic<bool> cancelRequested_{false};
};

}  // namespace tessera::ui
