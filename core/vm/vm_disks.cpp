#include "core/vm/vm_disks.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include "core/block/format_magic.h"

namespace tessera::vm {

QString newDiskFileName(const VmBundle& bundle, const VmConfig& config) {
    auto used = [&](const QString& name) {
        if (QFileInfo::exists(bundle.resolve(name))) return true;
        for (const Disk& disk : config.disks)
            if (bundle.resolve(disk.file) == bundle.resolve(name)) return true;
        return false;
    };
    QString name = QStringLiteral("disk.qcow2");
    for (int n = 2; used(name); ++n) name = QStringLiteral("disk-%1.qcow2").arg(n);
    return name;
}

Result<Disk> diskForExistingImage(const VmBundle& bundle, const QString& path) {
    QFile file(path);
    if (!QFileInfo(path).isFile() || !file.open(QIODevice::ReadOnly))
        return makeError(QStringLiteral("%1 does not exist or cannot be read").arg(path).toStdString());
    const QByteArray head = file.read(qint64(block::kProbeBytes));
    const char* named =
        block::formatNamedByHeader({reinterpret_cast<const uint8_t*>(head.constData()), size_t(head.size())});
    QString format = QStringLiteral("raw");
    if (named && qstrcmp(named, "qcow2") == 0)
        format = QStringLiteral("qcow2");
    else if (named)
        return makeError(
            QStringLiteral("%1 is a %2 image; Tessera uses qcow2 and raw disks. Convert it first: "
                           "tessera-cli img convert -O qcow2 %1 disk.qcow2")
                .arg(path, QString::fromLatin1(named))
                .toStdString());
    return Disk(bundle.relativize(QFileInfo(path).absoluteFilePath()), format, false);
}

}  // namespace tessera::vm
