#pragma once
// The window of one VM: the guest's screen (Display tab, the default when the
// VM has a display) and its serial console (the main view for guests without
// one); machine controls (Start, Pause/Resume, Reset, Shut Down, Power Off),
// Screenshot, CD-ROM Change Disc/Eject, live Port Forwards, Send Key, scaling
// and full screen; a status bar with state, guest speed, keyboard grab, network
// link and the disc in the drive. Closing a running VM's window asks first.
// When the run ends the window stays, says why the VM stopped and offers Start,
// but holds no machine: the devices are gone, the keyboard is released and the
// disks are closed. Start builds a fresh machine from config.json (the Display
// tab comes and goes with the configured display).
// Everything here talks to the VM through VmRunner and the device models'
// thread-safe entry points: the UI thread never waits for the VM thread.

#include <QMainWindow>

#include "core/vm/vm_runner.h"
#include "ui/serial_console.h"

class QAction;
class QActionGroup;
class QLabel;
class QMenu;
class QTabWidget;
class QToolBar;

namespace tessera::ui {

class FramebufferView;
class VmStoppedBanner;

class VmWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit VmWindow(const vm::VmEntry& entry, QWidget* parent = nullptr);
    ~VmWindow() override;

    Status start();
    vm::VmRunner* runner() const { return runner_; }
    VmStoppedBanner* stoppedBanner() const { return stoppedBanner_; }
    SerialConsole* console() const { return console_; }
    FramebufferView* screen() const { return screen_; }  // null when the VM has no display
    QTabWidget* tabs() const { return tabs_; }

    // What the dialog-driven actions do, without the dialogs (tests call these).
    // Errors come back as values; the menu actions show them in a message box.
    Status changeCd(const QString& isoPath);
    Status ejectCd();
    Status setPortForwards(const QList<vm::PortForward>& forwards);
    Status saveScreenshot(const QString& pngPath);
    // Key names as in the QEMU monitor's sendkey: "ctrl-alt-delete".
    Status sendKeys(const QString& combination);

public slots:
    void setFullScreenMode(bool fullScreen);
    void showDisplayTab();
    void showConsoleTab();

signals:
    void runStateChanged(const QString& bundleDirectory, int state);  // int(VmRunState)

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createMenusAndToolbar();
    void createStatusBar();
    void attachDevices();
    void setScreenShown(bool shown);
    void startFromWindow();
    void onState(vm::VmRunner::State state);
    void onFinished(const QString& summary);
    void onInstallFinished();
    void showSpeed(double mips, double idleShare);
    static QString speedExplanation();  // the speed figure's tooltip
    void updateCdStatus(const QString& discName);
    void updateNetworkStatus();
    void updateGrabStatus(bool grabbed);
    bool confirm(const QString& title, const QString& text, const QString& action);
    void chooseCd();
    void chooseScreenshotPath();
    void editPortForwards();
    void showError(const QString& title, const Status& status);

    vm::VmRunner* runner_;
    SerialConsole* console_;
    FramebufferView* screen_ = nullptr;
    QTabWidget* tabs_;
    VmStoppedBanner* stoppedBanner_;
    QToolBar* toolbar_ = nullptr;

    QAction* start_ = nullptr;
    QAction* pause_ = nullptr;
    QAction* reset_ = nullptr;
    QAction* shutDown_ = nullptr;
    QAction* powerOff_ = nullptr;
    QAction* screenshot_ = nullptr;
    QAction* changeCd_ = nullptr;
    QAction* ejectCd_ = nullptr;
    QAction* discName_ = nullptr;
    QAction* portForwards_ = nullptr;
    QAction* copySsh_ = nullptr;
    QAction* fitWindow_ = nullptr;
    QAction* integerScaling_ = nullptr;
    QAction* resizeGuest_ = nullptr;
    QAction* fullScreen_ = nullptr;
    QAction* showDisplay_ = nullptr;
    QAction* showConsole_ = nullptr;
    QMenu* sendKeyMenu_ = nullptr;
    QList<QAction*> runningOnly_;      // enabled only while the VM runs
    QList<QAction*> displayControls_;  // enabled only while the window has a Display tab
    QList<QAction*> displayToolbar_;   // toolbar items shown only then

    QLabel* stateLabel_;
    QLabel* speedLabel_;
    QLabel* grabLabel_;
    QLabel* networkLabel_;
    QLabel* cdLabel_;
    bool stopped_ = true;
    // Idle this share of the last second or more: the status bar says "Idle", not a low MIPS figure.
    static constexpr double kIdleShare = 0.9;
    bool hasDisc_ = false;  // what the CD-ROM drive holds, as last reported
};

}  // namespace tessera::ui
