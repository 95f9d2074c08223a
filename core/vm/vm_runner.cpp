#include "core/vm/vm_runner.h"

#include <pthread.h>

#include <QDateTime>
#include <QFile>
#include <QStringList>
#include <algorithm>
#include <mutex>
#include <optional>
#include <utility>

#include "core/machine/board.h"
#include "core/vm/board_factory.h"
#include "core/vm/device_monitor_target.h"
#include "core/vm/install_answers.h"
#include "core/vm/missing_files.h"
#include "core/vm/port_conflicts.h"
#include "core/vm/port_forward_rule.h"
#include "core/vm/run_log.h"
#include "core/vm/vm_config_json.h"
#include "core/vm/vm_library.h"
#include "core/vm/vm_machine_config.h"

namespace tessera::vm {

// Carries the board's VmHost calls from the VM thread to the UI thread. The VM
// thread adds to the outbox under mutex_ and, if it was empty, queues one call
// of VmRunner::deliverVmReports, which takes everything under mutex_. The
// queued call is by name and carries no data: everything that crosses threads
// goes through mutex_, a hand-off ThreadSanitizer can check (Qt's event queue
// is not instrumented). It also coalesces a chatty guest's serial output.
class VmRunner::Host : public machine::VmHost {
public:
    struct Reports {
        QByteArray serial;
        QStringList notices;
        std::optional<QString> endOfRun;  // the summary, once the VM thread has left board_->run()
        bool guestPoweredOff = false;     // the run ended with the guest's own power-off
        bool empty() const { return serial.isEmpty() && notices.isEmpty() && !endOfRun; }
    };

    explicit Host(VmRunner* runner) : runner_(runner) {}
    void serialOutput(std::span<const uint8_t> bytes) override {
        add([&](Reports& out) {
            out.serial.append(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()));
        });
    }
    void fatalError(const std::string& message) override {
        add([&](Reports& out) { out.notices.append(QString::fromStdString(message)); });
    }
    void endOfRun(const QString& summary, bool guestPoweredOff) {
        add([&](Reports& out) {
            out.endOfRun = summary;
            out.guestPoweredOff = guestPoweredOff;
        });
    }
    // UI thread.
    Reports take() {
        std::lock_guard lock(mutex_);
        return std::exchange(reports_, {});
    }

private:
    void add(const std::function<void(Reports&)>& change) {
        bool wasEmpty;
        {
            std::lock_guard lock(mutex_);
            wasEmpty = reports_.empty();
            change(reports_);
        }
        if (wasEmpty) QMetaObject::invokeMethod(runner_, "deliverVmReports", Qt::QueuedConnection);
    }

    VmRunner* runner_;
    std::mutex mutex_;
    Reports reports_;  // guarded by mutex_
};

VmRunner::VmRunner(VmEntry entry, QObject* parent) : QObject(parent), entry_(std::move(entry)), host_(std::make_unique<Host>(this)) {
    speedTimer_.setInterval(1000);
    connect(&speedTimer_, &QTimer::timeout, this, &VmRunner::measureSpeed);
}

VmRunner::~VmRunner() {
    if (thread_.joinable()) {
        board_->requestStop();
        thread_.join();
    }
}

void VmRunner::setState(State state) {
    state_ = state;
    emit stateChanged(state);
}

Status VmRunner::saveConfig(const std::function<void(VmConfig&)>& change) {
    if (!entry_.config) return makeError(entry_.error.toStdString());
    // Start from what is on disk: the settings dialog may have saved changes since the start.
    auto onDisk = entry_.bundle.load();
    VmConfig config = onDisk ? *onDisk : *entry_.config;
    change(config);
    TESSERA_TRY(entry_.bundle.save(config));
    entry_.config = config;
    return Status::success();
}

Status VmRunner::start() {
    if (board_) return makeError("the VM is already running");
    // A fresh machine from what config.json says now: the settings may have changed since the last run.
    entry_ = VmLibrary::loadEntry(entry_.bundle.directory());
    if (!entry_.config) return makeError(entry_.error.toStdString());
    serialTail_.clear();
    installDone_ = false;
    // A run that cannot be logged still runs: the log is for looking back.
    if (auto log = RunLog::begin(entry_.bundle)) {
        log_ = std::move(log).value();
        log_->noteStart(QStringLiteral("Tessera"), *entry_.config, entry_.bundle);
    }
    const auto failed = [this](const Error& error) {
        if (log_) log_->note(QStringLiteral("could not start: ") + QString::fromStdString(error.message));
        log_.reset();
        return error;
    };
    // A taken host port is found before the machine exists, naming who holds it
    // (the app offers the free port first: port_conflict_prompt.h).
    if (const QList<PortConflict> conflicts = findPortConflicts(*entry_.config, entry_.bundle);
        !conflicts.isEmpty()) {
        QStringList said;
        for (const PortConflict& conflict : conflicts) said << describePortConflict(conflict);
        return failed(Error{"The VM cannot start: " + said.join(QStringLiteral("; ")).toStdString() +
                            ". Change the port forward in the VM's Settings."});
    }
    // What the emulator cannot run at all is said before the files are looked for.
    if (const QString why = whyEmulatorCannotRun(*entry_.config); !why.isEmpty())
        return failed(makeError(why.toStdString()));
    // A file named in config.json that is not there (an imported command's disk, a moved
    // ISO): said in the app's language, where the board's own check speaks English.
    if (const QStringList missing = missingFiles(*entry_.config, entry_.bundle.directory()); !missing.isEmpty())
        return failed(makeError(tr("Files this VM needs are missing. %1 Put them back, or change the VM's Settings.")
                             .arg(missing.join(QLatin1Char(' ')))
                             .toStdString()));
    QStringList notes;
    auto created = createBoard(*entry_.config, entry_.bundle, *host_, &notes);
    if (!created) return failed(created.error());
    board_ = std::move(created).value();
    for (const QString& note : notes) {
        if (log_) log_->note(note);
        emit notice(note);
    }
    // Remember when it last ran, for the library card.
    (void)saveConfig([](VmConfig& config) { config.lastRun = QDateTime::currentDateTimeUtc(); });

    setState(State::Running);
    lastInstructions_ = 0;
    lastIdleNanos_ = 0;
    lastSpeedSampleMs_ = QDateTime::currentMSecsSinceEpoch();
    speedTimer_.start();
    thread_ = std::thread([this, name = "vm:" + entry_.displayName().toStdString()] {
        pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());  // the kernel keeps 15 bytes
        const machine::RunOutcome outcome = board_->run();
        QString summary;
        switch (outcome.kind) {
            case machine::RunOutcome::Kind::GuestPoweroff: summary = tr("The guest powered off (exit code %1).").arg(outcome.exitCode); break;
            case machine::RunOutcome::Kind::GuestReset: summary = tr("The guest asked for a reset."); break;
            case machine::RunOutcome::Kind::Timeout: summary = tr("The time limit was reached."); break;
            case machine::RunOutcome::Kind::Stopped: summary = tr("The VM was powered off."); break;
            case machine::RunOutcome::Kind::Fatal: summary = tr("The emulator stopped: %1").arg(QString::fromStdString(outcome.message)); break;
        }
        host_->endOfRun(summary, outcome.kind == machine::RunOutcome::Kind::GuestPoweroff);
    });
    return Status::success();
}

void VmRunner::deliverVmReports() {
    Host::Reports reports = host_->take();
    if (log_) {
        log_->serial(
            {reinterpret_cast<const uint8_t*>(reports.serial.constData()), size_t(reports.serial.size())});
        for (const QString& text : std::as_const(reports.notices)) log_->note(text);
        if (reports.endOfRun) log_->note(*reports.endOfRun);
    }
    if (!reports.serial.isEmpty()) {
        emit serialOutput(reports.serial);
        if (std::optional<QString> failure = bootWatch_.feed(reports.serial)) emit notice(*failure);
        serialTail_ += reports.serial;
        installDone_ = installDone_ || serialTail_.contains(kInstallDoneLine);
        serialTail_ = serialTail_.right(int(sizeof kInstallDoneLine));
    }
    for (const QString& text : std::as_const(reports.notices)) emit notice(text);
    if (reports.endOfRun) onFinished(*reports.endOfRun, reports.guestPoweredOff);
}

void VmRunner::onFinished(const QString& summary, bool guestPoweredOff) {
    speedTimer_.stop();
    // The last frame becomes the library thumbnail.
    if (display()) (void)display()->saveLastFrame(QFile::encodeName(entry_.bundle.screenshotPath()).toStdString());
    releaseMachine();
    log_.reset();  // closed (and unlocked) with the machine: the VM is no longer running
    setState(State::Stopped);
    emit finished(summary);
    // An express install that powered off: the next start is from the installed disk.
    if (guestPoweredOff && installDone_ && entry_.config && shouldRestartAfterInstall(*entry_.config)) {
        if (Status switched = saveConfig(switchToInstalledDisk); !switched) {
            emit notice(tr("The installation finished, but the VM could not be switched to its disk: %1")
                            .arg(QString::fromStdString(switched.message())));
            return;
        }
        QFile::remove(entry_.bundle.resolve(QLatin1String(kAnswersDiskFile)));
        emit installFinished();
    }
}

void VmRunner::releaseMachine() {
    thread_.join();  // it has left board_->run() and only returns now
    emit releasingMachine();
    board_.reset();  // flushes and closes the images, stops the NIC's forwards
}

void VmRunner::measureSpeed() {
    if (!board_ || state_ != State::Running) return;
    const uint64_t instructions = board_->instructionsPublished();
    const uint64_t idleNanos = board_->idleNanosPublished();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const double seconds = double(now - lastSpeedSampleMs_) / 1000.0;
    if (seconds > 0)
        emit speedMeasured(
            double(instructions - lastInstructions_) / seconds / 1e6,
            std::clamp(double(idleNanos - lastIdleNanos_) / 1e9 / seconds / board_->cpuCount(), 0.0, 1.0));
    lastInstructions_ = instructions;
    lastIdleNanos_ = idleNanos;
    lastSpeedSampleMs_ = now;
}

void VmRunner::sendSerialInput(const QByteArray& bytes) {
    if (board_ && state_ != State::Stopped)
        board_->pushSerialInput({reinterpret_cast<const uint8_t*>(bytes.constData()), size_t(bytes.size())});
}

void VmRunner::setPaused(bool paused) {
    if (!board_ || state_ == State::Stopped) return;
    board_->requestPause(paused);
    logAction(paused ? "paused" : "resumed");
    setState(paused ? State::Paused : State::Running);
    lastInstructions_ = board_->instructionsPublished();
    lastIdleNanos_ = board_->idleNanosPublished();
    lastSpeedSampleMs_ = QDateTime::currentMSecsSinceEpoch();
}

void VmRunner::reset() {
    if (!board_ || state_ == State::Stopped) return;
    logAction("reset");
    board_->requestReset();
}

Status VmRunner::shutDown() {
    if (!board_ || state_ == State::Stopped) return makeError("the VM is not running");
    logAction("power button pressed");
    return pressPowerKey(keyboard());
}

void VmRunner::powerOff() {
    if (!board_ || state_ == State::Stopped) return;
    logAction("powered off by the user");
    board_->requestStop();
}

void VmRunner::logAction(const char* what) {
    if (log_) log_->note(QLatin1String(what));
}

devices::DisplaySurface* VmRunner::display() const {
    return board_ ? board_->display() : nullptr;
}
devices::InputSink* VmRunner::keyboard() const {
    return board_ ? board_->keyboard() : nullptr;
}
devices::InputSink* VmRunner::tablet() const {
    return board_ ? board_->tablet() : nullptr;
}
devices::ScsiCdrom* VmRunner::cdrom() const {
    return board_ ? board_->cdrom() : nullptr;
}
devices::VirtioNet* VmRunner::nic() const {
    return board_ ? board_->nic() : nullptr;
}

Status VmRunner::changeCd(const QString& isoPath) {
    if (!board_) return makeError("the VM is not running");
    if (!cdrom()) return makeError("this machine has no CD-ROM drive");
    TESSERA_TRY(cdrom()->insertMediaFile(QFile::encodeName(isoPath).toStdString()));
    return saveConfig([&](VmConfig& config) { config.cdrom = entry_.bundle.relativize(isoPath); });
}

Status VmRunner::ejectCd() {
    if (!board_) return makeError("the VM is not running");
    if (!cdrom()) return makeError("this machine has no CD-ROM drive");
    cdrom()->ejectMedia();
    return saveConfig([](VmConfig& config) { config.cdrom.clear(); });
}

Status VmRunner::setPortForwards(const QList<PortForward>& forwards) {
    if (!entry_.config || entry_.config->nics.isEmpty()) return makeError("this VM has no network card");
    // The whole list is checked the way config.json is before anything changes:
    // a bad address is refused by name, never bound somewhere else.
    VmConfig proposed = *entry_.config;
    proposed.nics.first().forwards = forwards;
    TESSERA_TRY(validate(proposed, QStringLiteral("port forwards")));
    const QList<PortForward> before = entry_.config->nics.first().forwards;
    QList<PortForward> applied = forwards;
    std::string failures;
    if (nic() && state_ != State::Stopped) {
        for (int i = 0; i < before.size(); ++i)
            if (!forwards.contains(before[i]))
                if (auto old = hostForwardFor(before[i], QStringLiteral("nics[0].forwards[%1]").arg(i)))
                    (void)nic()->removeHostForward(*old);
        for (int i = 0; i < forwards.size(); ++i) {
            const PortForward& forward = forwards[i];
            if (before.contains(forward)) continue;
            const Result<net::HostForward> rule =
                hostForwardFor(forward, QStringLiteral("nics[0].forwards[%1]").arg(i));
            if (Status added = rule ? nic()->addHostForward(*rule) : Status(rule.error()); !added) {
                applied.removeAll(forward);
                failures += (failures.empty() ? "" : "; ") + added.message();
                if (const QString holder = portHolder(forward, entry_.bundle); !holder.isEmpty())
                    failures += " (the VM \"" + holder.toStdString() + "\" forwards it and is running)";
            }
        }
    }
    TESSERA_TRY(saveConfig([&](VmConfig& config) { config.nics.first().forwards = applied; }));
    if (!failures.empty()) return makeError(failures);
    return Status::success();
}

Status VmRunner::saveScreenshot(const QString& path) const {
    if (!display()) return makeError("this VM has no display");
    return display()->saveScreenshot(QFile::encodeName(path).toStdString());
}

}  // namespace tessera::vm
