#include "core/vm/vm_bundle_ops.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>

#include "core/block/image_compact.h"
#include "core/vm/backing_trust.h"
#include "core/vm/disk_image_factory.h"
#include "core/vm/disk_usage.h"
#include "core/vm/run_log.h"
#include "core/vm/vm_config_json.h"
#include "core/vm/vm_library.h"

namespace tessera::vm {

namespace {

Status copyTree(const QString& from, const QString& to) {
    QDirIterator it(from, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        const QString relative = QDir(from).relativeFilePath(file);
        // A compact's temporary copy is a half-written disk, not part of the VM.
        if (relative == QLatin1String(kConfigFileName) || relative == QLatin1String(kScreenshotFileName) ||
            relative.startsWith(QLatin1String(kLogsDirName) + QLatin1Char('/')) ||
            block::isCompactTemporaryName(QFile::encodeName(QFileInfo(file).fileName()).toStdString()))
            continue;
        const QString target = QDir(to).filePath(relative);
        QDir().mkpath(QFileInfo(target).path());
        if (!QFile::copy(file, target))
            return makeError(QStringLiteral("cannot copy %1 to %2 (is the disk full?)").arg(file, target).toStdString());
    }
    return Status::success();
}

}  // namespace

Result<VmBundle> cloneBundle(const VmBundle& source, const QString& root, const QString& newName, CloneKind kind) {
    Result<VmConfig> loaded = source.load();
    if (!loaded) return loaded.error();
    VmConfig config = *loaded;
    config.name = newName;
    config.lastRun.reset();
    for (NetworkInterface& nic : config.nics) nic.mac.clear();  // two VMs must not share a MAC
    // The name becomes a directory: check it before anything is created
    // (a "../x" or "a/b" would otherwise make folders outside the library).
    TESSERA_TRY(validate(config, QStringLiteral("clone")));

    const VmBundle target = VmBundle::forName(root, newName);
    if (QFileInfo::exists(target.directory()))
        return makeError(QStringLiteral("a VM named \"%1\" already exists").arg(newName).toStdString());
    if (!QDir().mkpath(target.logsPath())) return makeError(QStringLiteral("cannot create %1").arg(target.directory()).toStdString());
    auto fail = [&](const Error& e) -> Result<VmBundle> {
        QDir(target.directory()).removeRecursively();
        return e;
    };

    if (kind == CloneKind::FullCopy) {
        if (Status s = copyTree(source.directory(), target.directory()); !s) return fail(s.error());
    } else {
        for (Disk& disk : config.disks) {
            const QString original = source.resolve(disk.file);
            const auto usage = diskUsage(original, disk.format);
            if (!usage) return fail(usage.error());
            NewDiskImage overlay;
            overlay.path = target.resolve(QFileInfo(disk.file).fileName());
            overlay.sizeBytes = usage->virtualBytes;
            overlay.backingFile = QFileInfo(original).absoluteFilePath();
            overlay.backingFormat = disk.format;
            if (Status s = createDiskImage(overlay); !s) return fail(s.error());
            disk.file = QFileInfo(disk.file).fileName();
            disk.format = QStringLiteral("qcow2");
        }
        // Everything else in the bundle (kernel, ISO, firmware) is shared by absolute path.
        auto absolute = [&](QString& path) {
            if (!path.isEmpty()) path = source.resolve(path);
        };
        absolute(config.boot.firmware);
        absolute(config.boot.kernel);
        absolute(config.boot.initrd);
        absolute(config.cdrom);
    }
    // Backing files the original trusted stay trusted for the copy (Tessera
    // made these links itself); anything else is still asked about at start.
    for (int i = 0; i < config.disks.size(); ++i) {
        Disk& disk = config.disks[i];
        for (const QString& file : inheritedBacking(target.resolve(disk.file), disk.format, target, source,
                                                    loaded->disks[i].acceptedBacking))
            if (!disk.acceptedBacking.contains(file)) disk.acceptedBacking << file;
    }
    if (Status s = target.save(config); !s) return fail(s.error());
    return target;
}

Status checkRename(const VmBundle& bundle, const QString& newName) {
    if (QString why; !isValidVmName(newName, &why))
        return makeError(QStringLiteral("\"%1\" cannot be a VM's name: %2").arg(newName, why).toStdString());
    const QString root = QFileInfo(bundle.directory()).absolutePath();
    const VmBundle target = VmBundle::forName(root, newName);
    if (QFileInfo::exists(target.directory()) &&
        QFileInfo(target.directory()) != QFileInfo(bundle.directory()))
        return makeError(QStringLiteral("a VM named \"%1\" already exists").arg(newName).toStdString());
    if (RunLog::isRunning(bundle)) return makeError("the VM is running: shut it down to rename it");
    // A linked clone names its original's disk by absolute path (cloneBundle), and
    // remembers it in its acceptedBacking: the rename would cut it off.
    const QString inside = QFileInfo(bundle.directory()).absoluteFilePath() + QLatin1Char('/');
    for (const VmEntry& other : VmLibrary(root).scan()) {
        if (!other.config || QFileInfo(other.bundle.directory()) == QFileInfo(bundle.directory())) continue;
        for (const Disk& disk : other.config->disks)
            for (const QString& backing : disk.acceptedBacking)
                if (backing.startsWith(inside))
                    return makeError(
                        QStringLiteral("the linked clone \"%1\" reads this VM's disk %2: renaming "
                                       "would cut it off")
                            .arg(other.displayName(), QFileInfo(backing).fileName())
                            .toStdString());
    }
    return Status::success();
}

Result<VmBundle> renameBundle(const VmBundle& bundle, const QString& newName) {
    TESSERA_TRY(checkRename(bundle, newName));
    Result<VmConfig> loaded = bundle.load();
    if (!loaded) return loaded.error();
    const VmBundle target = VmBundle::forName(QFileInfo(bundle.directory()).absolutePath(), newName);
    VmConfig config = *loaded;
    config.name = newName;
    const QString oldInside = QFileInfo(bundle.directory()).absoluteFilePath() + QLatin1Char('/');
    const QString newInside = QFileInfo(target.directory()).absoluteFilePath() + QLatin1Char('/');
    auto follow = [&](QString& path) {
        if (path.startsWith(oldInside)) path = newInside + path.mid(oldInside.size());
    };
    for (Disk& disk : config.disks) {
        follow(disk.file);
        for (QString& backing : disk.acceptedBacking) follow(backing);
    }
    for (QString* path : {&config.boot.firmware, &config.boot.kernel, &config.boot.initrd, &config.cdrom})
        follow(*path);

    const bool sameFolder = QFileInfo(target.directory()) == QFileInfo(bundle.directory());
    if (!sameFolder && !QDir().rename(bundle.directory(), target.directory()))
        return makeError(QStringLiteral("cannot rename %1 to %2")
                             .arg(bundle.directory(), target.directory())
                             .toStdString());
    if (Status saved = target.save(config); !saved) {
        if (!sameFolder) QDir().rename(target.directory(), bundle.directory());  // as it was
        return saved.error();
    }
    return target;
}

Status deleteBundle(const VmBundle& bundle, DeleteKind kind) {
    if (!QFileInfo(bundle.directory()).isDir() || !bundle.directory().endsWith(QLatin1String(kBundleSuffix)))
        return makeError(QStringLiteral("%1 is not a VM folder").arg(bundle.directory()).toStdString());
    if (kind == DeleteKind::MoveToTrash) {
        QString inTrash;
        if (!QFile::moveToTrash(bundle.directory(), &inTrash))
            return makeError(QStringLiteral("cannot move %1 to the trash (no trash on this file system?)").arg(bundle.directory()).toStdString());
        return Status::success();
    }
    if (!QDir(bundle.directory()).removeRecursively())
        return makeError(QStringLiteral("could not delete everything in %1").arg(bundle.directory()).toStdString());
    return Status::success();
}

}  // namespace tessera::vm
