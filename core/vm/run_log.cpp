#include "core/vm/run_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <QDir>
#include <QFile>

#include "core/vm/qemu_command.h"

namespace tessera::vm {

namespace {

constexpr char kSerialSuffix[] = "-serial.log";
constexpr char kTesseraSuffix[] = "-tessera.log";

int openForAppend(const QString& path) {
    return ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
}

// An OFD lock belongs to the open file description: held while the run's fd is
// open, released by the kernel if the process dies.
bool lockForWriting(int fd) {
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    return ::fcntl(fd, F_OFD_SETLK, &lock) == 0;
}

bool isLocked(const QString& path) {
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    const bool locked = ::fcntl(fd, F_OFD_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
    ::close(fd);
    return locked;
}

}  // namespace

QStringList RunLog::runs(const VmBundle& bundle) {
    const QDir logs(bundle.logsPath());
    QStringList stems;
    for (const QString& name : logs.entryList({QLatin1String("*") + QLatin1String(kTesseraSuffix)},
                                              QDir::Files, QDir::Name | QDir::Reversed))
        stems << logs.filePath(name.chopped(int(qstrlen(kTesseraSuffix))));
    return stems;
}

bool RunLog::isRunning(const VmBundle& bundle) {
    for (const QString& stem : runs(bundle))
        if (isLocked(tesseraFileOf(stem))) return true;
    return false;
}

Result<std::unique_ptr<RunLog>> RunLog::begin(const VmBundle& bundle, const QDateTime& startedAt) {
    const QDir logs(bundle.logsPath());
    if (!QDir().mkpath(logs.path()))
        return makeError(QStringLiteral("cannot create %1").arg(logs.path()).toStdString());
    // Make room: the new run is one of the kept ones. A run still going keeps its files.
    const QStringList earlier = runs(bundle);
    for (qsizetype i = kKeptRuns - 1; i < earlier.size(); ++i) {
        if (isLocked(tesseraFileOf(earlier[i]))) continue;
        QFile::remove(tesseraFileOf(earlier[i]));
        QFile::remove(serialFileOf(earlier[i]));
    }
    // Two runs in the same second (a quick restart) get their own files.
    const QString stamp = startedAt.toString(QStringLiteral("yyyy-MM-dd_HH.mm.ss"));
    QString stem = logs.filePath(stamp);
    for (int n = 2; QFile::exists(tesseraFileOf(stem)); ++n)
        stem = logs.filePath(QStringLiteral("%1_%2").arg(stamp).arg(n));

    std::unique_ptr<RunLog> log(new RunLog(stem));
    log->tessera_.fd = openForAppend(log->tesseraPath());
    log->serial_.fd = openForAppend(log->serialPath());
    if (log->tessera_.fd < 0 || log->serial_.fd < 0)
        return makeError(QStringLiteral("cannot write the run's log in %1: %2")
                             .arg(logs.path(), QString::fromLocal8Bit(strerror(errno)))
                             .toStdString());
    (void)lockForWriting(log->tessera_.fd);  // only informs isRunning(); the run goes on without it
    return log;
}

RunLog::~RunLog() {
    for (File* file : {&serial_, &tessera_})
        if (file->fd >= 0) ::close(file->fd);
}

QString RunLog::serialFileOf(const QString& stem) {
    return stem + QLatin1String(kSerialSuffix);
}
QString RunLog::tesseraFileOf(const QString& stem) {
    return stem + QLatin1String(kTesseraSuffix);
}
QString RunLog::serialPath() const {
    return serialFileOf(stem_);
}
QString RunLog::tesseraPath() const {
    return tesseraFileOf(stem_);
}

void RunLog::append(File& file, const char* data, qint64 size) {
    if (file.full || file.fd < 0) return;
    static constexpr char kFull[] =
        "\n[Tessera: this log reached its size limit; the rest of the run is not logged]\n";
    const qint64 room = kMaxFileBytes - file.written;
    const qint64 now = std::min(size, room);
    // A failed write (disk full) loses log lines, never the run.
    if (now > 0 && ::write(file.fd, data, size_t(now)) == now) file.written += now;
    if (size > room) {
        file.full = true;
        (void)!::write(file.fd, kFull, sizeof kFull - 1);
    }
}

void RunLog::serial(std::span<const uint8_t> bytes) {
    std::lock_guard lock(mutex_);
    append(serial_, reinterpret_cast<const char*>(bytes.data()), qint64(bytes.size()));
}

void RunLog::note(const QString& line) {
    const QByteArray text =
        QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss ")).toUtf8() +
        line.toUtf8() + '\n';
    std::lock_guard lock(mutex_);
    append(tessera_, text.constData(), text.size());
}

void RunLog::noteStart(const QString& program, const VmConfig& config, const VmBundle& bundle) {
    note(QStringLiteral("%1 %2 starts \"%3\" (%4)")
             .arg(program, QLatin1String(TESSERA_VERSION), config.name, bundle.directory()));
    note(QStringLiteral("machine, as a QEMU command: ") + qemuCommandLine(config, &bundle));
}

}  // namespace tessera::vm
