#pragma once
// The log of one run of a VM bundle, in the bundle's logs/ folder:
//   <stamp>-serial.log   what the guest wrote to its serial console
//   <stamp>-tessera.log  Tessera's own notes: the machine, notices, how the run ended
// The app's runner and `tessera-cli run --vm` both write it, so a run that went
// wrong can be looked at afterwards (Show Logs in the library).
// Bounded: starting a run deletes all but the newest kKeptRuns - 1 earlier runs,
// and each file stops growing at kMaxFileBytes (with a line saying so), so a
// chatty guest cannot fill the disk.
// While a run lasts its tessera log holds an OFD write lock: another process
// (or another window) can tell that the VM is running (isRunning()), which is how
// a port conflict names the VM that holds the port.

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <memory>
#include <mutex>
#include <span>

#include "core/util/result.h"
#include "core/vm/vm_bundle.h"

namespace tessera::vm {

class RunLog {
public:
    static constexpr int kKeptRuns = 10;
    static constexpr qint64 kMaxFileBytes = qint64(8) << 20;

    // Creates both files for a run starting at `startedAt` (local time in the
    // names, so they sort by age) and prunes old runs.
    static Result<std::unique_ptr<RunLog>> begin(const VmBundle& bundle,
                                                 const QDateTime& startedAt = QDateTime::currentDateTime());
    ~RunLog();
    RunLog(const RunLog&) = delete;
    RunLog& operator=(const RunLog&) = delete;

    // Thread-safe: the CLI logs serial output on the VM thread.
    void serial(std::span<const uint8_t> bytes);
    void note(const QString& line);  // one timestamped line in the tessera log
    // The first lines: which program runs which VM, and the machine as a QEMU
    // command line (what a bug report needs).
    void noteStart(const QString& program, const VmConfig& config, const VmBundle& bundle);

    QString serialPath() const;
    QString tesseraPath() const;

    // The runs' file stems ("<logs>/<stamp>"), newest first, and their two files.
    static QStringList runs(const VmBundle& bundle);
    static QString serialFileOf(const QString& stem);
    static QString tesseraFileOf(const QString& stem);
    // Whether some run of the bundle is still going (its tessera log is locked).
    static bool isRunning(const VmBundle& bundle);

private:
    struct File {
        int fd = -1;
        qint64 written = 0;
        bool full = false;
    };
    explicit RunLog(QString stem) : stem_(std::move(stem)) {}
    static void append(File& file, const char* data, qint64 size);

    QString stem_;
    std::mutex mutex_;  // guards both files
    File serial_;
    File tessera_;
};

}  // namespace tessera::vm
