#pragma once
// Show Logs: the logs of a VM's recent runs (run_log.h), newest first: what
// the guest wrote to its serial console and Tessera's own notes, side by side
// in tabs, and a button that opens the logs folder in the file manager.

#include <QDialog>

#include "core/vm/vm_bundle.h"

class QComboBox;
class QPlainTextEdit;
class QTabWidget;

namespace tessera::ui {

class RunLogsDialog : public QDialog {
    Q_OBJECT
public:
    RunLogsDialog(const vm::VmBundle& bundle, const QString& vmName, QWidget* parent = nullptr);

    QComboBox* runs() const { return runs_; }
    QString serialText() const;
    QString tesseraText() const;

private:
    void showRun(int index);

    vm::VmBundle bundle_;
    QComboBox* runs_;
    QTabWidget* tabs_;
    QPlainTextEdit* serial_;
    QPlainTextEdit* tessera_;
};

}  // namespace tessera::ui
