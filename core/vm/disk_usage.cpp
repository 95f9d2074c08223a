#include "core/vm/disk_usage.h"

#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QtEndian>
#include <sys/stat.h>

namespace tessera::vm {

namespace {

uint64_t fileBlocksBytes(const QString& path) {
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0) return 0;
    return uint64_t(st.st_blocks) * 512;  // POSIX: st_blocks counts 512-byte units
}

}  // namespace

uint64_t allocatedBytes(const QString& path) {
    const QFileInfo info(path);
    if (!info.isDir()) return fileBlocksBytes(path);
    uint64_t total = 0;
    QDirIterator it(path, QDir::Files | QDir::Hidden | QDir::NoSymLinks, QDirIterator::Subdirectories);
    while (it.hasNext()) total += fileBlocksBytes(it.next());
    return total;
}

Result<DiskUsage> diskUsage(const QString& path, const QString& format) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("cannot open the disk image %1: %2").arg(path, file.errorString()).toStdString());
    DiskUsage usage;
    usage.allocatedBytes = fileBlocksBytes(path);
    if (format == QLatin1String("qcow2")) {
        const QByteArray header = file.read(32);
        if (header.size() < 32 || !header.startsWith(QByteArray("QFI\xfb", 4)))
            return makeError(QStringLiteral("%1 is not a qcow2 image (wrong magic)").arg(path).toStdString());
        usage.virtualBytes = qFromBigEndian<quint64>(header.constData() + 24);
    } else {
        usage.virtualBytes = uint64_t(file.size());
    }
    return usage;
}

}  // namespace tessera::vm
