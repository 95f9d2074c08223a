#pragma once
// VmRunner: runs one VM bundle on its own thread and reports to the UI with
// signals emitted on the UI thread (serial bytes, state, guest speed, the end
// of the run). The machine comes from the bundle's config.json: the RISC-V
// virt board or the PowerPC mac99, behind machine::Board (board_factory.h).
// Controls are thread-safe; the device models (display, keyboard, tablet,
// CD-ROM, NIC) are reachable while the runner lives, and their own signals and
// entry points are safe to use from the UI thread.
//
// Threads: the VmRunner object belongs to the UI thread; the VM thread runs
// board_->run() and nothing else of it. What the board reports on the VM
// thread waits in Host's outbox (under its mutex) until the UI thread takes it
// in deliverVmReports(); board_ is set before the VM thread starts and
// destroyed after it is joined.
//
// A run owns its machine: when it ends (the guest powers off, Power Off, a
// fatal error) the UI thread joins the VM thread and destroys the board at
// once, which flushes and closes every disk image and ISO and releases their
// locks, so Shrink Disk, Clone, `tessera-cli img` and `run --vm` can use them
// while the VM's window stays open. start() reads config.json again and builds
// a fresh machine. Each run writes its serial output and Tessera's notes to the
// bundle's logs/ (run_log.h).

#include <QObject>
#include <QTimer>
#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "core/devices/virtio_device_set.h"
#include "core/util/result.h"
#include "core/vm/boot_failure_watch.h"
#include "core/vm/vm_library.h"

namespace tessera::machine {
class Board;
}

namespace tessera::vm {

class RunLog;

class VmRunner : public QObject {
    Q_OBJECT
public:
    enum class State { Starting, Running, Paused, Stopped };
    Q_ENUM(State)

    explicit VmRunner(VmEntry entry, QObject* parent = nullptr);
    ~VmRunner() override;  // stops the guest and joins the thread

    const VmEntry& entry() const { return entry_; }
    State state() const { return state_.load(); }

    // Reloads config.json, creates the board (errors come back immediately) and
    // starts the VM thread. Works again after a run has ended.
    Status start();
    void sendSerialInput(const QByteArray& bytes);
    void setPaused(bool paused);
    void reset();       // the reset button
    Status shutDown();  // asks the guest to shut down (power key); it may ignore it
    void powerOff();    // hard stop, like pulling the plug

    // Devices of the running machine; null when it is not running or has none.
    devices::DisplaySurface* display() const;
    devices::InputSink* keyboard() const;
    devices::InputSink* tablet() const;
    devices::ScsiCdrom* cdrom() const;
    devices::VirtioNet* nic() const;

    // Opens `isoPath` read-only and puts it in the CD-ROM drive (the guest gets a
    // UNIT ATTENTION); ejectCd() empties the drive. Both also update config.json,
    // so the disc is still there on the next start.
    Status changeCd(const QString& isoPath);
    Status ejectCd();
    // Replaces the first NIC's port forwards: removed rules stop listening, new
    // ones start, while the VM runs (or just in config.json when stopped). A rule
    // the host refuses (port taken) is reported and left out of config.json.
    Status setPortForwards(const QList<PortForward>& forwards);
    // Saves the current frame as PNG.
    Status saveScreenshot(const QString& path) const;

signals:
    void serialOutput(const QByteArray& bytes);
    void stateChanged(tessera::vm::VmRunner::State state);
    // About once a second while running: guest instructions per second (millions)
    // and the share of that time the guest was idle (0..1, asleep in WFI).
    void speedMeasured(double mips, double idleShare);
    void notice(const QString& text);             // something the user should know (not an error)
    // The run ended: the devices are about to be destroyed. Drop every pointer to them now.
    void releasingMachine();
    // The run ended (poweroff, stop, or a fatal error) and the machine is gone:
    // every image is closed and unlocked. state() is Stopped.
    void finished(const QString& summary);
    // After finished(): an express install powered off and config.json now
    // starts from the installed disk (install_answers.h); the window restarts it.
    void installFinished();

private slots:
    // UI thread, queued by name from the VM thread: emits what Host collected.
    void deliverVmReports();

private:
    class Host;
    void setState(State state);
    void measureSpeed();
    void onFinished(const QString& summary, bool guestPoweredOff);
    void releaseMachine();
    void logAction(const char* what);  // what the user did, in the run's log
    Status saveConfig(const std::function<void(VmConfig&)>& change);

    VmEntry entry_;
    std::unique_ptr<Host> host_;
    BootFailureWatch bootWatch_;  // turns "the firmware found nothing to boot" into a notice
    QByteArray serialTail_;       // the end of the serial output so far, to find kInstallDoneLine across reports
    bool installDone_ = false;    // this run's installer said it finished (install_answers.h)
    std::unique_ptr<machine::Board> board_;
    std::unique_ptr<RunLog> log_;  // the run's logs/ files, while it runs
    std::thread thread_;  // the VM thread, joined when the run ends or by the destructor
    std::atomic<State> state_{State::Stopped};
    QTimer speedTimer_;
    uint64_t lastInstructions_ = 0;
    uint64_t lastIdleNanos_ = 0;
    qint64 lastSpeedSampleMs_ = 0;
};

}  // namespace tessera::vm
