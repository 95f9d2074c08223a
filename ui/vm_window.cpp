#include "ui/vm_window.h"

#include <QAction>
#include <QActionGroup>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QToolBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>

#include "core/devices/evdev_keys.h"
#include "core/devices/scsi_cdrom.h"
#include "core/devices/virtio_input.h"
#include "core/devices/virtio_net.h"
#include "ui/copy_ssh_command.h"
#include "ui/framebuffer_view.h"
#include "ui/port_conflict_prompt.h"
#include "ui/port_forwards_dialog.h"
#include "ui/vm_library_model.h"
#include "ui/vm_stopped_banner.h"

namespace tessera::ui {

namespace {

// The desktop's icon where its theme has one; Tessera's own otherwise, so the
// toolbar has icons on a bare system (no icon theme installed) too.
QIcon themed(const char* name, const char* fallback = nullptr) {
    return QIcon::fromTheme(QLatin1String(name), fallback ? QIcon(QLatin1String(fallback)) : QIcon());
}

QString discNameOf(const QString& path) {
    return path.isEmpty() ? QString() : QFileInfo(path).fileName();
}

// The Send Key menu (as virt-manager offers): key names as the QEMU monitor spells them.
struct SendKeyItem {
    const char* label;  // shown in the menu (translated)
    const char* keys;
};
const SendKeyItem kSendKeys[] = {
    {QT_TRANSLATE_NOOP("tessera::ui::VmWindow", "Ctrl+Alt+Del"), "ctrl-alt-delete"},
    {QT_TRANSLATE_NOOP("tessera::ui::VmWindow", "Ctrl+Alt+Backspace"), "ctrl-alt-backspace"},
    {QT_TRANSLATE_NOOP("tessera::ui::VmWindow", "Print Screen"), "print"},
};

}  // namespace

VmWindow::VmWindow(const vm::VmEntry& entry, QWidget* parent) : QMainWindow(parent) {
    setAttribute(Qt::WA_DeleteOnClose, false);
    setWindowTitle(tr("%1 — Tessera").arg(entry.displayName()));
    setWindowIcon(QIcon(QStringLiteral(":/icons/tessera.svg")));
    runner_ = new vm::VmRunner(entry, this);

    tabs_ = new QTabWidget(this);
    tabs_->setObjectName(QStringLiteral("vmTabs"));
    tabs_->setDocumentMode(true);
    console_ = new SerialConsole(tabs_);
    tabs_->addTab(console_, QIcon(QStringLiteral(":/icons/actions/terminal.svg")), tr("Serial Console"));
    stoppedBanner_ = new VmStoppedBanner(this);
    auto* central = new QWidget(this);
    auto* column = new QVBoxLayout(central);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(0);
    column->addWidget(stoppedBanner_);
    column->addWidget(tabs_, 1);
    setCentralWidget(central);
    connect(tabs_, &QTabWidget::currentChanged, this, [this] { tabs_->currentWidget()->setFocus(); });

    createActions();
    createMenusAndToolbar();
    createStatusBar();
    const bool hasDisplay = entry.config && entry.config->display.type != QLatin1String("none");
    setScreenShown(hasDisplay);

    connect(stoppedBanner_, &VmStoppedBanner::startRequested, start_, &QAction::trigger);
    connect(console_, &SerialConsole::input, runner_, &vm::VmRunner::sendSerialInput);
    connect(runner_, &vm::VmRunner::serialOutput, console_, &SerialConsole::appendOutput);
    connect(runner_, &vm::VmRunner::stateChanged, this, &VmWindow::onState);
    connect(runner_, &vm::VmRunner::speedMeasured, this, &VmWindow::showSpeed);
    connect(runner_, &vm::VmRunner::notice, this,
            [this](const QString& text) { console_->appendOutput(("[Tessera] " + text + "\n").toUtf8()); });
    // The view holds raw device pointers: it lets go before the machine is destroyed.
    connect(runner_, &vm::VmRunner::releasingMachine, this, [this] {
        if (screen_) screen_->detach();
    });
    connect(runner_, &vm::VmRunner::finished, this, &VmWindow::onFinished);
    connect(runner_, &vm::VmRunner::installFinished, this, &VmWindow::onInstallFinished);
    onState(vm::VmRunner::State::Stopped);
    resize(hasDisplay ? QSize(1060, 860) : QSize(820, 560));
}

VmWindow::~VmWindow() {
    // The view holds raw device pointers; drop them before the runner (and its board) goes.
    if (screen_) screen_->detach();
}

void VmWindow::createActions() {
    start_ = new QAction(themed("media-playback-start", ":/icons/actions/start.svg"), tr("Start"), this);
    start_->setObjectName(QStringLiteral("actionStartVm"));
    start_->setToolTip(tr("Start the VM again, with the settings it has now"));
    connect(start_, &QAction::triggered, this, &VmWindow::startFromWindow);

    pause_ = new QAction(themed("media-playback-pause", ":/icons/actions/pause.svg"), tr("Pause"), this);
    pause_->setObjectName(QStringLiteral("actionPause"));
    pause_->setCheckable(true);
    pause_->setToolTip(tr("Stop the guest's clock and processor until you resume"));
    connect(pause_, &QAction::toggled, runner_, &vm::VmRunner::setPaused);

    reset_ = new QAction(themed("view-refresh", ":/icons/actions/reset.svg"), tr("Reset"), this);
    reset_->setObjectName(QStringLiteral("actionReset"));
    reset_->setToolTip(tr("Restart the VM at once, like a reset button"));
    connect(reset_, &QAction::triggered, this, [this] {
        if (confirm(tr("Reset %1?").arg(runner_->entry().displayName()),
                    tr("Resetting restarts the VM at once: unsaved work in the VM is lost."), tr("Reset")))
            runner_->reset();
    });

    shutDown_ =
        new QAction(themed("system-shutdown", ":/icons/actions/shut-down.svg"), tr("Shut Down"), this);
    shutDown_->setObjectName(QStringLiteral("actionShutDown"));
    shutDown_->setToolTip(tr("Press the VM's power button; the guest decides whether to shut down"));
    connect(shutDown_, &QAction::triggered, this, [this] {
        if (Status pressed = runner_->shutDown(); !pressed)
            statusBar()->showMessage(tr("The VM cannot be asked to shut down: %1. Use Power Off.")
                                         .arg(QString::fromStdString(pressed.message())),
                                     10000);
        else
            statusBar()->showMessage(tr("The VM's power button was pressed. If the guest does not shut down, "
                                        "use Power Off."),
                                     10000);
    });

    powerOff_ = new QAction(QIcon(QStringLiteral(":/icons/actions/power-off.svg")), tr("Power Off"),
                            this);  // ours everywhere: it must not look like Shut Down
    powerOff_->setObjectName(QStringLiteral("actionPowerOff"));
    powerOff_->setToolTip(tr("Stop the VM at once, like pulling the plug"));
    connect(powerOff_, &QAction::triggered, this, [this] {
        if (confirm(tr("Power off %1?").arg(runner_->entry().displayName()),
                    tr("Powering off is like pulling the plug: unsaved work in the VM is lost."),
                    tr("Power Off")))
            runner_->powerOff();
    });

    screenshot_ =
        new QAction(themed("camera-photo", ":/icons/actions/screenshot.svg"), tr("Screenshot…"), this);
    screenshot_->setObjectName(QStringLiteral("actionScreenshot"));
    connect(screenshot_, &QAction::triggered, this, &VmWindow::chooseScreenshotPath);

    changeCd_ = new QAction(themed("media-optical", ":/icons/actions/disc.svg"), tr("Change Disc…"), this);
    changeCd_->setObjectName(QStringLiteral("actionChangeCd"));
    connect(changeCd_, &QAction::triggered, this, &VmWindow::chooseCd);
    ejectCd_ = new QAction(themed("media-eject", ":/icons/actions/eject.svg"), tr("Eject"), this);
    ejectCd_->setObjectName(QStringLiteral("actionEjectCd"));
    connect(ejectCd_, &QAction::triggered, this, [this] {
        if (Status ejected = ejectCd(); !ejected) showError(tr("The disc could not be ejected"), ejected);
    });
    discName_ = new QAction(this);
    discName_->setObjectName(QStringLiteral("actionDiscName"));
    discName_->setEnabled(false);  // information only

    portForwards_ =
        new QAction(themed("network-wired", ":/icons/actions/network.svg"), tr("Port Forwards…"), this);
    portForwards_->setObjectName(QStringLiteral("actionPortForwards"));
    connect(portForwards_, &QAction::triggered, this, &VmWindow::editPortForwards);
    copySsh_ = createCopySshAction(this);
    connect(copySsh_, &QAction::triggered, this, [this] {
        if (const auto& config = runner_->entry().config)
            statusBar()->showMessage(copySshCommand(*config), 10000);
    });

    auto* scaling = new QActionGroup(this);
    fitWindow_ = scaling->addAction(tr("Fit to Window"));
    fitWindow_->setObjectName(QStringLiteral("actionFitWindow"));
    integerScaling_ = scaling->addAction(tr("Integer Scaling (Sharp Pixels)"));
    integerScaling_->setObjectName(QStringLiteral("actionIntegerScaling"));
    for (QAction* a : {fitWindow_, integerScaling_}) a->setCheckable(true);
    fitWindow_->setChecked(true);
    connect(scaling, &QActionGroup::triggered, this, [this](QAction* chosen) {
        if (screen_)
            screen_->setScaling(chosen == integerScaling_ ? FramebufferView::Scaling::Integer
                                                          : FramebufferView::Scaling::FitWindow);
    });

    resizeGuest_ = new QAction(tr("Resize Guest with Window"), this);
    resizeGuest_->setObjectName(QStringLiteral("actionResizeGuest"));
    resizeGuest_->setCheckable(true);
    resizeGuest_->setToolTip(tr("Offer the window's size to the guest as its screen resolution "
                                "(guests with a desktop follow it; a text console keeps its size)"));
    connect(resizeGuest_, &QAction::toggled, this, [this](bool on) {
        if (screen_) screen_->setResizeGuestWithWindow(on);
    });

    fullScreen_ =
        new QAction(themed("view-fullscreen", ":/icons/actions/fullscreen.svg"), tr("Full Screen"), this);
    fullScreen_->setObjectName(QStringLiteral("actionFullScreen"));
    fullScreen_->setCheckable(true);
    fullScreen_->setShortcut(QKeySequence(Qt::Key_F11));
    fullScreen_->setToolTip(tr("Full screen (F11, or Ctrl+Alt+F while the VM has the keyboard)"));
    connect(fullScreen_, &QAction::toggled, this, &VmWindow::setFullScreenMode);
    addAction(fullScreen_);  // the shortcut keeps working while the menu bar is hidden

    showDisplay_ = new QAction(tr("Display"), this);
    showDisplay_->setObjectName(QStringLiteral("actionShowDisplay"));
    connect(showDisplay_, &QAction::triggered, this, &VmWindow::showDisplayTab);
    showConsole_ = new QAction(tr("Serial Console"), this);
    showConsole_->setObjectName(QStringLiteral("actionShowConsole"));
    connect(showConsole_, &QAction::triggered, this, &VmWindow::showConsoleTab);

    runningOnly_ = {pause_, reset_, shutDown_, powerOff_, changeCd_, ejectCd_};
    displayControls_ = {showDisplay_, fitWindow_, integerScaling_, resizeGuest_, fullScreen_};
}

void VmWindow::createMenusAndToolbar() {
    QMenu* machine = menuBar()->addMenu(tr("&Machine"));
    machine->addActions({start_, pause_, reset_, shutDown_, powerOff_});
    machine->addSeparator();
    machine->addAction(screenshot_);
    machine->addAction(copySsh_);
    machine->addSeparator();
    machine->addAction(tr("Close Window"), this,
                       &QWidget::close);  // no shortcut: Ctrl+W belongs to the guest

    QMenu* devicesMenu = menuBar()->addMenu(tr("&Devices"));
    QMenu* cd = devicesMenu->addMenu(themed("media-optical", ":/icons/actions/disc.svg"), tr("CD-ROM"));
    cd->addAction(discName_);
    cd->addSeparator();
    cd->addActions({changeCd_, ejectCd_});
    devicesMenu->addAction(portForwards_);

    sendKeyMenu_ = menuBar()->addMenu(tr("Send &Key"));
    sendKeyMenu_->setObjectName(QStringLiteral("menuSendKey"));
    auto addSendKey = [this](const QString& label, const QString& keys) {
        QAction* action = sendKeyMenu_->addAction(label, this, [this, keys] {
            if (Status sent = sendKeys(keys); !sent) showError(tr("The keys could not be sent"), sent);
        });
        action->setData(keys);
        runningOnly_ << action;
    };
    for (const SendKeyItem& item : kSendKeys) addSendKey(tr(item.label), QLatin1String(item.keys));
    QMenu* consoles = sendKeyMenu_->addMenu(tr("Ctrl+Alt+F1…F12"));
    for (int n = 1; n <= 12; ++n) {
        QAction* action = consoles->addAction(tr("Ctrl+Alt+F%1").arg(n), this, [this, n] {
            if (Status sent = sendKeys(QStringLiteral("ctrl-alt-f%1").arg(n)); !sent)
                showError(tr("The keys could not be sent"), sent);
        });
        action->setData(QStringLiteral("ctrl-alt-f%1").arg(n));
        runningOnly_ << action;
    }

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addActions({showDisplay_, showConsole_});
    view->addSeparator();
    view->addActions({fitWindow_, integerScaling_});
    view->addSeparator();
    view->addAction(resizeGuest_);
    view->addAction(fullScreen_);

    toolbar_ = addToolBar(tr("Machine"));
    toolbar_->setObjectName(QStringLiteral("machineToolbar"));
    toolbar_->setMovable(false);
    toolbar_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar_->addActions({start_, pause_, reset_, shutDown_, powerOff_});
    toolbar_->addSeparator();
    toolbar_->addAction(screenshot_);
    auto* cdButton = new QToolButton(toolbar_);
    cdButton->setMenu(cd);
    cdButton->setPopupMode(QToolButton::InstantPopup);
    cdButton->setText(tr("CD-ROM"));
    cdButton->setIcon(themed("media-optical", ":/icons/actions/disc.svg"));
    cdButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolbar_->addWidget(cdButton);
    toolbar_->addAction(portForwards_);
    auto* keysButton = new QToolButton(toolbar_);
    keysButton->setMenu(sendKeyMenu_);
    keysButton->setPopupMode(QToolButton::InstantPopup);
    keysButton->setText(tr("Send Key"));
    keysButton->setIcon(themed("input-keyboard", ":/icons/actions/keyboard.svg"));
    keysButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto* fullScreenButton = new QToolButton(toolbar_);
    fullScreenButton->setDefaultAction(fullScreen_);
    fullScreenButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    displayToolbar_ = {toolbar_->addWidget(keysButton), toolbar_->addSeparator(),
                       toolbar_->addWidget(fullScreenButton)};
}

void VmWindow::createStatusBar() {
    auto label = [this](const char* name) {
        auto* l = new QLabel(this);
        l->setObjectName(QLatin1String(name));
        return l;
    };
    stateLabel_ = label("stateLabel");
    speedLabel_ = label("speedLabel");
    speedLabel_->setToolTip(speedExplanation());
    grabLabel_ = label("grabLabel");
    networkLabel_ = label("networkLabel");
    cdLabel_ = label("cdLabel");
    statusBar()->addWidget(stateLabel_);
    statusBar()->addWidget(speedLabel_);
    statusBar()->addWidget(grabLabel_, 1);
    statusBar()->addPermanentWidget(networkLabel_);
    statusBar()->addPermanentWidget(cdLabel_);
    const auto& config = runner_->entry().config;
    updateCdStatus(config ? discNameOf(config->cdrom) : QString());
}

Status VmWindow::start() {
    TESSERA_TRY(runner_->start());
    // config.json was read again: the name, display, disc and network may have changed.
    setWindowTitle(tr("%1 — Tessera").arg(runner_->entry().displayName()));
    stoppedBanner_->hide();
    attachDevices();
    if (screen_)
        screen_->setFocus();
    else
        console_->setFocus();
    return Status::success();
}

void VmWindow::startFromWindow() {
    if (!resolvePortConflicts(this, runner_->entry())) return;
    if (Status started = start(); !started)
        showError(tr("Cannot start %1").arg(runner_->entry().displayName()), started);
}

void VmWindow::attachDevices() {
    setScreenShown(runner_->display() != nullptr);
    if (screen_) {
        screen_->attach(runner_->display(), runner_->keyboard(), runner_->tablet());
        tabs_->setCurrentWidget(screen_);
    }
    const auto& config = runner_->entry().config;
    updateCdStatus(config ? discNameOf(config->cdrom) : QString());
    if (devices::ScsiCdrom* cd = runner_->cdrom()) {
        connect(cd, &devices::ScsiCdrom::mediaChanged, this,
                [this](const QString& file) { updateCdStatus(discNameOf(file)); });
        connect(cd, &devices::ScsiCdrom::mediaEjected, this, [this] { updateCdStatus({}); });
    }
    if (devices::VirtioNet* nic = runner_->nic())
        connect(nic, &devices::VirtioNet::linkChanged, this, &VmWindow::updateNetworkStatus);
    updateNetworkStatus();
}

// The Display tab exists while the VM has a display; the view keeps the
// window's scaling choices when it comes back.
void VmWindow::setScreenShown(bool shown) {
    if (shown && !screen_) {
        screen_ = new FramebufferView(tabs_);
        tabs_->insertTab(0, screen_, tr("Display"));
        screen_->setScaling(integerScaling_->isChecked() ? FramebufferView::Scaling::Integer
                                                         : FramebufferView::Scaling::FitWindow);
        screen_->setResizeGuestWithWindow(resizeGuest_->isChecked());
        connect(screen_, &FramebufferView::keyboardGrabChanged, this, &VmWindow::updateGrabStatus);
        connect(screen_, &FramebufferView::fullScreenToggleRequested, fullScreen_, &QAction::toggle);
    } else if (!shown && screen_) {
        if (fullScreen_->isChecked()) fullScreen_->setChecked(false);
        delete screen_;  // takes its tab along
        screen_ = nullptr;
    }
    for (QAction* a : std::as_const(displayControls_)) a->setEnabled(shown);
    for (QAction* a : std::as_const(displayToolbar_)) a->setVisible(shown);
    sendKeyMenu_->setEnabled(shown);
    sendKeyMenu_->setToolTip(shown ? QString() : tr("This VM has no display and no keyboard"));
    updateGrabStatus(false);
}

void VmWindow::onState(vm::VmRunner::State state) {
    VmRunState shown = VmRunState::Stopped;
    switch (state) {
        case vm::VmRunner::State::Starting:
        case vm::VmRunner::State::Running:
            shown = VmRunState::Running;
            break;
        case vm::VmRunner::State::Paused:
            shown = VmRunState::Paused;
            break;
        case vm::VmRunner::State::Stopped:
            shown = VmRunState::Stopped;
            break;
    }
    stopped_ = state == vm::VmRunner::State::Stopped;
    for (QAction* a : std::as_const(runningOnly_)) a->setEnabled(!stopped_);
    // Only a machine without a CD-ROM drive takes no disc (the app gives every VM one, empty or not).
    changeCd_->setEnabled(!stopped_ && runner_->cdrom());
    start_->setEnabled(stopped_);
    {
        const QSignalBlocker quiet(pause_);  // reflect the state without asking the runner again
        pause_->setChecked(state == vm::VmRunner::State::Paused);
    }
    pause_->setText(state == vm::VmRunner::State::Paused ? tr("Resume") : tr("Pause"));
    pause_->setIcon(state == vm::VmRunner::State::Paused
                        ? themed("media-playback-start", ":/icons/actions/start.svg")
                        : themed("media-playback-pause", ":/icons/actions/pause.svg"));
    if (screen_) {
        screen_->setPaused(state == vm::VmRunner::State::Paused);
        updateGrabStatus(screen_->keyboardGrabbed());
    }
    if (state != vm::VmRunner::State::Running) speedLabel_->clear();
    stateLabel_->setText(VmLibraryModel::stateText(shown));
    // Eject is a running-only action, but there must also be a disc to eject.
    ejectCd_->setEnabled(!stopped_ && hasDisc_);
    if (stopped_) {
        updateNetworkStatus();
        updateGrabStatus(false);
    }
    emit runStateChanged(runner_->entry().bundle.directory(), int(shown));
}

// The machine is gone (VmRunner released it before this): nothing in the
// window may still speak of it as running.
void VmWindow::onFinished(const QString& summary) {
    console_->appendOutput(("\n[Tessera] " + summary + "\n").toUtf8());
    statusBar()->clearMessage();                                   // e.g. "the power button was pressed"
    if (fullScreen_->isChecked()) fullScreen_->setChecked(false);  // so the bar below is seen
    stoppedBanner_->showReason(summary);
}

// The express install powered off and config.json now starts from the disk:
// start again at once, and say what happened where the user looks.
void VmWindow::onInstallFinished() {
    const QString message =
        tr("The installation has finished: Tessera ejected the installer disc and starts the VM from its disk.");
    console_->appendOutput(("[Tessera] " + message + "\n").toUtf8());
    updateCdStatus(QString());
    startFromWindow();
    statusBar()->showMessage(message, 30000);
}

// A guest waiting for work (WFI) lets the emulator sleep: it then runs few
// instructions, which is idleness, not slowness, and is shown as such.
void VmWindow::showSpeed(double mips, double idleShare) {
    const QString figure = QLocale().toString(mips, 'f', mips < 10 ? 1 : 0);
    const int busyPercent = int(std::lround((1.0 - idleShare) * 100));
    speedLabel_->setText(idleShare >= kIdleShare ? tr("Idle") : tr("%1 MIPS").arg(figure));
    speedLabel_->setToolTip(tr("%1\n\nLast second: %2 million instructions per second; the processor was "
                               "busy %3% of the time.")
                                .arg(speedExplanation(), figure)
                                .arg(busyPercent));
}

QString VmWindow::speedExplanation() {
    return tr(
        "Speed of the emulated processor: millions of guest instructions run per second (MIPS). "
        "When the guest has nothing to do it waits for an interrupt and Tessera lets it sleep, "
        "so the figure drops and the status bar says Idle: that is not slowness.");
}

void VmWindow::updateCdStatus(const QString& discName) {
    const QString text = discName.isEmpty() ? tr("No disc") : discName;
    cdLabel_->setText(tr("CD: %1").arg(text));
    discName_->setText(discName.isEmpty() ? tr("No disc in the drive")
                                          : tr("In the drive: %1").arg(discName));
    hasDisc_ = !discName.isEmpty();
    ejectCd_->setEnabled(!stopped_ && hasDisc_);
    ejectCd_->setToolTip(hasDisc_ ? QString() : tr("There is no disc in the drive"));
}

void VmWindow::updateNetworkStatus() {
    const auto& config = runner_->entry().config;
    const bool hasNic = config && !config->nics.isEmpty();
    portForwards_->setEnabled(hasNic);
    portForwards_->setToolTip(hasNic ? QString() : tr("This VM has no network card"));
    if (!hasNic)
        networkLabel_->setText(tr("No network"));
    else if (stopped_ || !runner_->nic())
        networkLabel_->setText(tr("Network: off"));
    else
        networkLabel_->setText(runner_->nic()->linkUp() ? tr("Network: connected")
                                                        : tr("Network: cable unplugged"));
}

void VmWindow::updateGrabStatus(bool grabbed) {
    if (!screen_ || stopped_) {
        grabLabel_->clear();
        return;
    }
    if (screen_->paused()) {
        grabLabel_->setText(tr("Paused: keys typed now are not sent to the VM"));
        return;
    }
    grabLabel_->setText(grabbed ? tr("Press Ctrl+Alt+G to release the keyboard")
                                : tr("Click the screen to type into the VM"));
}

bool VmWindow::confirm(const QString& title, const QString& text, const QString& action) {
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::Cancel, this);
    QPushButton* yes = box.addButton(action, QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == yes;
}

void VmWindow::showError(const QString& title, const Status& status) {
    QMessageBox::warning(this, title, QString::fromStdString(status.message()));
}

// ---- CD-ROM ----

Status VmWindow::changeCd(const QString& isoPath) {
    if (!QFileInfo(isoPath).isFile())
        return makeError(tr("%1 does not exist or is not a file.").arg(isoPath).toStdString());
    TESSERA_TRY(runner_->changeCd(isoPath));
    updateCdStatus(discNameOf(isoPath));
    return Status::success();
}

Status VmWindow::ejectCd() {
    TESSERA_TRY(runner_->ejectCd());
    updateCdStatus({});
    return Status::success();
}

void VmWindow::chooseCd() {
    const auto& config = runner_->entry().config;
    const QString current = config ? config->cdrom : QString();
    const QString start = current.isEmpty()
                              ? QStandardPaths::writableLocation(QStandardPaths::DownloadLocation)
                              : QFileInfo(runner_->entry().bundle.resolve(current)).absolutePath();
    const QString path = QFileDialog::getOpenFileName(this, tr("Insert a Disc"), start,
                                                      tr("CD/DVD images (*.iso *.img);;All files (*)"));
    if (path.isEmpty()) return;
    if (Status changed = changeCd(path); !changed) showError(tr("The disc could not be inserted"), changed);
}

// ---- network ----

Status VmWindow::setPortForwards(const QList<vm::PortForward>& forwards) {
    return runner_->setPortForwards(forwards);
}

void VmWindow::editPortForwards() {
    const auto& config = runner_->entry().config;
    if (!config || config->nics.isEmpty()) return;
    PortForwardsDialog dialog(runner_->entry().displayName(), config->nics.first().forwards, this);
    if (dialog.exec() != QDialog::Accepted) return;
    if (Status applied = setPortForwards(dialog.forwards()); !applied)
        QMessageBox::warning(
            this, tr("Some port forwards could not be set up"),
            tr("%1\n\nThe other forwards are active. Another program may use that host port: "
               "choose a different one.")
                .arg(QString::fromStdString(applied.message())));
}

// ---- screenshot, keys, view ----

Status VmWindow::saveScreenshot(const QString& pngPath) {
    if (screen_) return runner_->saveScreenshot(pngPath);
    // No display: the serial console is the VM's screen.
    if (!console_->grab().save(pngPath, "PNG"))
        return makeError(tr("Cannot write %1.").arg(pngPath).toStdString());
    return Status::success();
}

void VmWindow::chooseScreenshotPath() {
    const QString name =
        tr("%1 %2.png")
            .arg(runner_->entry().displayName(),
                 QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd hh.mm.ss")));
    // Screenshots go to the Pictures folder, made if missing (a new account may have
    // none, and a file dialog given a folder that does not exist opens elsewhere).
    QString folder = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    if (folder.isEmpty() || !QDir().mkpath(folder)) folder = QDir::homePath();
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Screenshot"),
                                                      QDir(folder).filePath(name), tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    if (Status saved = saveScreenshot(path); !saved)
        showError(tr("The screenshot could not be saved"), saved);
}

Status VmWindow::sendKeys(const QString& combination) {
    devices::InputSink* keyboard = runner_->keyboard();
    if (!keyboard || stopped_)
        return makeError(tr("The VM has no keyboard or is not running.").toStdString());
    const auto codes = devices::parseKeyCombination(combination.toStdString());
    if (!codes) return makeError(tr("Unknown key combination: %1").arg(combination).toStdString());
    for (uint16_t code : *codes) keyboard->injectKey(code, true);
    for (auto it = codes->rbegin(); it != codes->rend(); ++it) keyboard->injectKey(*it, false);
    return Status::success();
}

void VmWindow::setFullScreenMode(bool fullScreen) {
    if (fullScreen_->isChecked() != fullScreen) {
        fullScreen_->setChecked(fullScreen);  // re-enters through toggled()
        return;
    }
    menuBar()->setVisible(!fullScreen);
    toolbar_->setVisible(!fullScreen);
    statusBar()->setVisible(!fullScreen);
    tabs_->tabBar()->setVisible(!fullScreen);
    if (fullScreen) {
        showDisplayTab();
        showFullScreen();
    } else {
        showNormal();
    }
}

void VmWindow::showDisplayTab() {
    if (screen_) tabs_->setCurrentWidget(screen_);
}

void VmWindow::showConsoleTab() {
    tabs_->setCurrentWidget(console_);
}

void VmWindow::closeEvent(QCloseEvent* event) {
    if (runner_->state() == vm::VmRunner::State::Stopped) {
        if (fullScreen_->isChecked()) fullScreen_->setChecked(false);
        event->accept();
        return;
    }
    QMessageBox box(QMessageBox::Question, tr("%1 is running").arg(runner_->entry().displayName()),
                    tr("Power off the VM, or keep it running without its window? "
                       "Open Window in the library brings the window back."),
                    QMessageBox::Cancel, this);
    QPushButton* off = box.addButton(tr("Power Off"), QMessageBox::DestructiveRole);
    QPushButton* keep = box.addButton(tr("Keep Running"), QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() == off) {
        runner_->powerOff();
        event->accept();
    } else if (box.clickedButton() == keep) {
        event->accept();  // only hides: the window (and the VM) live on
    } else {
        event->ignore();
    }
}

}  // namespace tessera::ui
