#include "ui/quit_dialog.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace tessera::ui {

namespace {

QString stateText(vm::VmRunner::State state) {
    switch (state) {
        case vm::VmRunner::State::Starting:
        case vm::VmRunner::State::Running:
            return QuitDialog::tr("Running");
        case vm::VmRunner::State::Paused:
            return QuitDialog::tr("Paused");
        case vm::VmRunner::State::Stopped:
            break;
    }
    return QuitDialog::tr("Off");
}

}  // namespace

QuitDialog::QuitDialog(const QList<vm::VmRunner*>& running, QWidget* parent) : QDialog(parent) {
    setObjectName(QStringLiteral("quitDialog"));
    setWindowTitle(tr("Quit Tessera"));
    auto* heading = new QLabel(tr("%n virtual machine(s) still running", nullptr, int(running.size())), this);
    QFont bold = heading->font();
    bold.setBold(true);
    heading->setFont(bold);
    auto* explanation = new QLabel(
        tr("Quitting Tessera ends them. Shut Down asks each guest to shut down, as its power button "
           "does, so it can save its work. Power Off stops them at once: what the guests have not "
           "saved is lost."),
        this);
    explanation->setWordWrap(true);

    auto* list = new QFormLayout;
    for (vm::VmRunner* runner : running) {
        Vm vm{runner, new QLabel(stateText(runner->state()), this)};
        list->addRow(runner->entry().displayName() + QLatin1Char(':'), vm.status);
        vms_ << vm;
        connect(runner, &vm::VmRunner::stateChanged, vm.status,
                [label = vm.status](vm::VmRunner::State state) { label->setText(stateText(state)); });
        connect(runner, &vm::VmRunner::finished, this, &QuitDialog::updateProgress);
    }

    progress_ = new QProgressBar(this);
    progress_->setRange(0, int(vms_.size()));
    progress_->setFormat(tr("%v of %m stopped"));
    progress_->hide();
    message_ = new QLabel(this);
    message_->setObjectName(QStringLiteral("quitMessage"));
    message_->setWordWrap(true);

    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setObjectName(QStringLiteral("cancelQuit"));
    powerOff_ = new QPushButton(tr("Power Off and Quit"), this);
    powerOff_->setObjectName(QStringLiteral("powerOffAll"));
    shutDown_ = new QPushButton(tr("Shut Down and Quit"), this);
    shutDown_->setObjectName(QStringLiteral("shutDownAll"));
    shutDown_->setDefault(true);
    connect(cancel_, &QPushButton::clicked, this, &QDialog::reject);
    connect(powerOff_, &QPushButton::clicked, this, &QuitDialog::powerOffAll);
    connect(shutDown_, &QPushButton::clicked, this, &QuitDialog::shutDownAll);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(cancel_);
    buttons->addStretch(1);
    buttons->addWidget(powerOff_);
    buttons->addWidget(shutDown_);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(explanation);
    layout->addLayout(list);
    layout->addWidget(progress_);
    layout->addWidget(message_);
    layout->addStretch(1);
    layout->addLayout(buttons);

    tick_.setInterval(1000);
    connect(&tick_, &QTimer::timeout, this, &QuitDialog::tick);
    resize(520, sizeHint().height());
}

bool QuitDialog::stopped(const Vm& vm) const {
    return !vm.runner || vm.runner->state() == vm::VmRunner::State::Stopped;
}

void QuitDialog::shutDownAll() {
    QStringList cannot;
    for (const Vm& vm : std::as_const(vms_)) {
        if (stopped(vm)) continue;
        if (vm.runner->state() == vm::VmRunner::State::Paused)
            vm.runner->setPaused(false);  // to hear the button
        if (Status pressed = vm.runner->shutDown(); !pressed) {
            vm.status->setText(
                tr("Cannot be asked to shut down: %1").arg(QString::fromStdString(pressed.message())));
            cannot << vm.runner->entry().displayName();
        } else {
            vm.status->setText(tr("Shutting down…"));
        }
    }
    shutDown_->setEnabled(false);
    progress_->show();
    waited_.start();
    tick_.start();
    updateProgress();
    const qsizetype left = vms_.size() - progress_->value();
    if (left == 0) return;  // accepted
    if (cannot.size() == left)
        stopWaiting();  // nobody to wait for
    else
        tick();
}

void QuitDialog::powerOffAll() {
    tick_.stop();
    shutDown_->setEnabled(false);
    powerOff_->setEnabled(false);
    progress_->show();
    message_->setText(tr("Powering off… Tessera writes out and closes the VMs' disks."));
    for (const Vm& vm : std::as_const(vms_)) {
        if (stopped(vm)) continue;
        vm.status->setText(tr("Powering off…"));
        vm.runner->powerOff();
    }
    updateProgress();
}

// A VM stopped (or the count is wanted): all stopped = quit.
void QuitDialog::updateProgress() {
    int count = 0;
    for (const Vm& vm : std::as_const(vms_)) count += stopped(vm);
    progress_->setValue(count);
    if (count == vms_.size()) {
        tick_.stop();
        accept();
    }
}

void QuitDialog::tick() {
    const int left = timeoutSeconds_ - int(waited_.elapsed() / 1000);
    if (left <= 0) {
        stopWaiting();
        return;
    }
    message_->setText(tr("Waiting for the guests to shut down… (at most %n more second(s))", nullptr, left));
}

// The wait is over and some VMs still run: the user decides what happens to them.
void QuitDialog::stopWaiting() {
    tick_.stop();
    QStringList names;
    for (const Vm& vm : std::as_const(vms_))
        if (!stopped(vm)) names << vm.runner->entry().displayName();
    message_->setText(
        tr("Still running: %1. Power Off stops them at once (what they have not saved is lost); "
           "Shut Down presses their power buttons again; Cancel keeps Tessera running.")
            .arg(names.join(QStringLiteral(", "))));
    shutDown_->setText(tr("Shut Down Again"));
    shutDown_->setEnabled(true);
}

}  // namespace tessera::ui
