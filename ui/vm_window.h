#pragma once
// The window of one running VM. This first version shows the serial console
// (for guests without a display it is the main view): guest output appears
// as it comes, typed keys go to the guest's UART. Pause/Resume and Power Off
// in the toolbar; closing a running VM's window asks first.
// The framebuffer view joins when the display device lands in the core.

#include <QMainWindow>

#include "core/vm/vm_runner.h"

class QAction;
class QLabel;
class QPlainTextEdit;

namespace tessera::ui {

class SerialConsole;

class VmWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit VmWindow(const vm::VmEntry& entry, QWidget* parent = nullptr);
    ~VmWindow() override;

    Status start();
    vm::VmRunner* runner() const { return runner_; }
    SerialConsole* console() const { return console_; }

signals:
    void runStateChanged(const QString& bundleDirectory, int state);  // int(VmRunState)

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void onState(vm::VmRunner::State state);

    vm::VmRunner* runner_;
    SerialConsole* console_;
    QAction* pause_;
    QAction* powerOff_;
    QLabel* status_;
};

// A plain terminal for the UART: appends output (dropping control sequences it
// does not render), sends every typed key as the bytes a VT100 would send.
class SerialConsole : public QWidget {
    Q_OBJECT
public:
    explicit SerialConsole(QWidget* parent = nullptr);
    QString text() const;
    void appendOutput(const QByteArray& bytes);

signals:
    void input(const QByteArray& bytes);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QPlainTextEdit* view_;
    QByteArray pendingEscape_;
};

}  // namespace tessera::ui
