#pragma once
// VmRunner: runs one VM bundle on its own QThread and reports to the UI with
// queued signals (serial bytes, state, the end of the run). Builds the board
// configuration from the bundle's config.json. Thread-safe controls:
// sendSerialInput, pause, powerOff.

#include <QObject>
#include <QThread>
#include <atomic>
#include <memory>

#include "core/machine/riscv_virt_config.h"
#include "core/util/result.h"
#include "core/vm/vm_library.h"

namespace tessera::machine {
class RiscvVirtBoard;
}

namespace tessera::vm {

// Debian's OpenSBI (package opensbi): the firmware used when config.json names none,
// as QEMU's virt board loads its bundled OpenSBI by default.
inline constexpr char kDefaultRiscvFirmware[] = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin";

// The board knobs for a bundle; an error names what the emulator cannot do yet.
// `notes` receives what is configured but not attached in this build (disks, CD, NICs).
Result<machine::RiscvVirtConfig> boardConfigFor(const VmConfig& config, const VmBundle& bundle, QStringList* notes = nullptr);

class VmRunner : public QObject {
    Q_OBJECT
public:
    enum class State { Starting, Running, Paused, Stopped };
    Q_ENUM(State)

    explicit VmRunner(VmEntry entry, QObject* parent = nullptr);
    ~VmRunner() override;  // stops the guest and joins the thread

    const VmEntry& entry() const { return entry_; }
    State state() const { return state_.load(); }

    // Creates the board (errors come back immediately) and starts the VM thread.
    Status start();
    void sendSerialInput(const QByteArray& bytes);
    void setPaused(bool paused);
    void powerOff();  // hard stop, like pulling the plug

signals:
    void serialOutput(const QByteArray& bytes);
    void stateChanged(tessera::vm::VmRunner::State state);
    void notice(const QString& text);             // something the user should know (not an error)
    void finished(const QString& summary);        // the run ended: poweroff, stop, or a fatal error

private:
    class Host;
    void setState(State state);

    VmEntry entry_;
    std::unique_ptr<Host> host_;
    std::unique_ptr<machine::RiscvVirtBoard> board_;
    QThread* thread_ = nullptr;
    std::atomic<State> state_{State::Stopped};
};

}  // namespace tessera::vm
