#include "core/vm/vm_runner.h"

#include <QFile>

#include "core/machine/riscv_virt_board.h"
#include "core/vm/vm_config_json.h"

namespace tessera::vm {

// Turns the board's VmHost calls (on the VM thread) into queued Qt signals.
class VmRunner::Host : public machine::VmHost {
public:
    explicit Host(VmRunner* runner) : runner_(runner) {}
    void serialOutput(std::span<const uint8_t> bytes) override {
        const QByteArray data(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()));
        QMetaObject::invokeMethod(runner_, [r = runner_, data] { emit r->serialOutput(data); }, Qt::QueuedConnection);
    }
    void fatalError(const std::string& message) override {
        const QString text = QString::fromStdString(message);
        QMetaObject::invokeMethod(runner_, [r = runner_, text] { emit r->notice(text); }, Qt::QueuedConnection);
    }

private:
    VmRunner* runner_;
};

Result<machine::RiscvVirtConfig> boardConfigFor(const VmConfig& config, const VmBundle& bundle, QStringList* notes) {
    if (config.arch != QLatin1String("riscv64") || config.board != QLatin1String("virt"))
        return makeError(QStringLiteral("Tessera's emulator runs riscv64 \"virt\" machines so far; this VM is %1 \"%2\". "
                                        "Use Show QEMU Command to run it in QEMU meanwhile.")
                             .arg(config.arch, config.board).toStdString());
    machine::RiscvVirtConfig board;
    board.ramSize = config.memoryBytes;
    board.harts = unsigned(config.cpus);
    board.bios = QFile::encodeName(config.boot.firmware.isEmpty() ? QString::fromLatin1(kDefaultRiscvFirmware)
                                                                  : bundle.resolve(config.boot.firmware)).toStdString();
    board.kernel = QFile::encodeName(bundle.resolve(config.boot.kernel)).toStdString();
    board.initrd = QFile::encodeName(bundle.resolve(config.boot.initrd)).toStdString();
    board.append = config.boot.append.toStdString();
    if (notes) {
        if (!config.disks.isEmpty()) *notes << QStringLiteral("The VM's disks are not attached yet: this build has no virtio-blk device.");
        if (!config.cdrom.isEmpty()) *notes << QStringLiteral("The CD-ROM is not attached yet: this build has no virtio-scsi device.");
        if (!config.nics.isEmpty()) *notes << QStringLiteral("The network card is not attached yet: this build has no virtio-net device.");
    }
    return board;
}

VmRunner::VmRunner(VmEntry entry, QObject* parent) : QObject(parent), entry_(std::move(entry)), host_(std::make_unique<Host>(this)) {}

VmRunner::~VmRunner() {
    if (thread_) {
        if (board_) board_->requestStop();
        thread_->wait();
        delete thread_;
    }
}

void VmRunner::setState(State state) {
    state_ = state;
    emit stateChanged(state);
}

Status VmRunner::start() {
    if (thread_) return makeError("the VM is already running");
    if (!entry_.config) return makeError(entry_.error.toStdString());
    QStringList notes;
    auto board = boardConfigFor(*entry_.config, entry_.bundle, &notes);
    if (!board) return board.error();
    auto created = machine::RiscvVirtBoard::create(*board, *host_);
    if (!created) return created.error();
    board_ = std::move(created).value();
    for (const QString& note : notes) emit notice(note);

    // Remember when it last ran, for the library card.
    VmConfig config = *entry_.config;
    config.lastRun = QDateTime::currentDateTimeUtc();
    (void)entry_.bundle.save(config);

    thread_ = QThread::create([this] {
        const machine::RunOutcome outcome = board_->run();
        QString summary;
        switch (outcome.kind) {
            case machine::RunOutcome::Kind::GuestPoweroff: summary = QStringLiteral("The guest powered off (exit code %1).").arg(outcome.exitCode); break;
            case machine::RunOutcome::Kind::GuestReset: summary = QStringLiteral("The guest asked for a reset."); break;
            case machine::RunOutcome::Kind::Timeout: summary = QStringLiteral("The time limit was reached."); break;
            case machine::RunOutcome::Kind::Stopped: summary = QStringLiteral("The VM was powered off."); break;
            case machine::RunOutcome::Kind::Fatal: summary = QStringLiteral("The emulator stopped: %1").arg(QString::fromStdString(outcome.message)); break;
        }
        QMetaObject::invokeMethod(this, [this, summary] {
            setState(State::Stopped);
            emit finished(summary);
        }, Qt::QueuedConnection);
    });
    thread_->setObjectName(QStringLiteral("vm:") + entry_.displayName());
    setState(State::Running);
    thread_->start();
    return Status::success();
}

void VmRunner::sendSerialInput(const QByteArray& bytes) {
    if (board_ && state_ != State::Stopped)
        board_->pushSerialInput({reinterpret_cast<const uint8_t*>(bytes.constData()), size_t(bytes.size())});
}

void VmRunner::setPaused(bool paused) {
    if (!board_ || state_ == State::Stopped) return;
    board_->requestPause(paused);
    setState(paused ? State::Paused : State::Running);
}

void VmRunner::powerOff() {
    if (board_ && state_ != State::Stopped) board_->requestStop();
}

}  // namespace tessera::vm
