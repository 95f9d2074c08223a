#pragma once
// Quitting Tessera while VMs run. The VMs live in this process, so quitting
// ends them; this dialog says which ones and offers three ways on:
// - Shut Down and Quit (the default): presses each VM's power button, as a
//   person would, so the guests save their work and power off; waits a bounded
//   time with progress, then says which VMs did not stop;
// - Power Off and Quit: stops them at once, like pulling the plug (what the
//   guests have not written out is lost; Tessera still flushes and closes its
//   disk images when each machine is released);
// - Cancel: Tessera keeps running.
// It accepts once every VM has stopped and its machine is released.

#include <QDialog>
#include <QElapsedTimer>
#include <QList>
#include <QPointer>
#include <QTimer>

#include "core/vm/vm_runner.h"

class QLabel;
class QProgressBar;
class QPushButton;

namespace tessera::ui {

class QuitDialog : public QDialog {
    Q_OBJECT
public:
    // `running`: the runners of the VMs that have not stopped.
    explicit QuitDialog(const QList<vm::VmRunner*>& running, QWidget* parent = nullptr);

    static constexpr int kDefaultShutDownSeconds =
        90;  // a guest's services get time to stop, as systemd gives them
    void setShutDownTimeout(int seconds) { timeoutSeconds_ = seconds; }

    QLabel* message() const { return message_; }
    QPushButton* shutDownButton() const { return shutDown_; }
    QPushButton* powerOffButton() const { return powerOff_; }

public slots:
    void shutDownAll();
    void powerOffAll();

private:
    struct Vm {
        QPointer<vm::VmRunner> runner;
        QLabel* status = nullptr;
    };
    bool stopped(const Vm& vm) const;
    void updateProgress();
    void tick();
    void stopWaiting();

    QList<Vm> vms_;
    QLabel* message_;
    QProgressBar* progress_;
    QPushButton* shutDown_;
    QPushButton* powerOff_;
    QPushButton* cancel_;
    QTimer tick_;
    QElapsedTimer waited_;
    int timeoutSeconds_ = kDefaultShutDownSeconds;
};

}  // namespace tessera::ui
