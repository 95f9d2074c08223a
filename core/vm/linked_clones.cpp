#include "core/vm/linked_clones.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSet>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/block/image_convert.h"
#include "core/vm/backing_trust.h"
#include "core/vm/vm_tr.h"

namespace tessera::vm {

namespace {

QString canonical(const QString& path) {
    const QString resolved = QFileInfo(path).canonicalFilePath();
    return resolved.isEmpty() ? QDir::cleanPath(QFileInfo(path).absoluteFilePath()) : resolved;
}

// The disks of a VM as files (canonical), optionally only those it writes.
QSet<QString> diskFiles(const VmConfig& config, const VmBundle& bundle, bool writableOnly) {
    QSet<QString> files;
    for (const Disk& disk : config.disks)
        if (!writableOnly || !disk.readOnly) files.insert(canonical(bundle.resolve(disk.file)));
    return files;
}

QSet<QString> chainFiles(const VmConfig& config, const VmBundle& bundle) {
    QSet<QString> files;
    for (const Disk& disk : config.disks)
        for (const QString& file : backingFilesOf(disk, bundle)) files.insert(file);
    return files;
}

QString quotedNames(const QList<VmEntry>& entries) {
    QStringList names;
    for (const VmEntry& entry : entries) names << tr("\"%1\"").arg(entry.displayName());
    return names.join(tr(", "));
}

}  // namespace

CloneLinks findCloneLinks(const QList<VmEntry>& library) {
    CloneLinks links;
    links.basesOf.resize(library.size());
    links.clonesOf.resize(library.size());
    QHash<QString, int> ownerOfDisk;
    for (int i = 0; i < library.size(); ++i)
        if (library[i].config)
            for (const QString& file : diskFiles(*library[i].config, library[i].bundle, false))
                ownerOfDisk.insert(file, i);
    for (int clone = 0; clone < library.size(); ++clone) {
        if (!library[clone].config) continue;
        for (const Disk& disk : library[clone].config->disks) {
            for (const QString& file : backingFilesOf(disk, library[clone].bundle)) {  // nearest first
                const int base = ownerOfDisk.value(file, -1);
                if (base < 0 || base == clone || links.basesOf[clone].contains(base)) continue;
                links.basesOf[clone] << base;
                links.clonesOf[base] << clone;
            }
        }
    }
    return links;
}

QList<VmEntry> clonesDamagedByStarting(const VmConfig& config, const VmBundle& bundle) {
    const QSet<QString> written = diskFiles(config, bundle, true);
    if (written.isEmpty()) return {};
    const QString self = canonical(bundle.directory());
    QList<VmEntry> damaged;
    for (const VmEntry& other : VmLibrary(QFileInfo(self).absolutePath()).scan()) {
        if (!other.config || canonical(other.bundle.directory()) == self) continue;
        if (chainFiles(*other.config, other.bundle).intersects(written)) damaged << other;
    }
    return damaged;
}

QString describeDamagedClones(const VmConfig& config, const QList<VmEntry>& clones) {
    return tr("\"%1\" is the original of %n linked clone(s) (%2): they store only their own changes and read "
              "everything else from its disk. Starting it would change that disk under them and damage them. "
              "Start a clone instead, or make the clones independent copies first.",
              nullptr, int(clones.size()))
        .arg(config.name, quotedNames(clones));
}

Status makeIndependent(const VmBundle& clone, const block::JobControl& control) {
    Result<VmConfig> loaded = clone.load();
    if (!loaded) return loaded.error();
    VmConfig config = *loaded;
    // Reading through a file the clone may not read would copy it into the clone.
    if (const QList<OutsideBacking> refused = outsideBackingFiles(config, clone); !refused.isEmpty())
        return makeError(describeOutsideBacking(config, refused.first()).toStdString());
    const QString inside = canonical(clone.directory()) + QLatin1Char('/');
    bool changed = false;
    for (Disk& disk : config.disks) {
        const QStringList chain = backingFilesOf(disk, clone);
        const bool leavesBundle = std::any_of(chain.begin(), chain.end(),
                                              [&](const QString& file) { return !file.startsWith(inside); });
        if (!leavesBundle) continue;
        const QString path = clone.resolve(disk.file);
        const QFileInfo info(path);
        // Next to the disk, so that the rename below stays in one file system and is atomic.
        const QString copy =
            info.absoluteDir().filePath(QStringLiteral(".%1.independent.tmp").arg(info.fileName()));
        QFile::remove(copy);  // a copy left by an earlier, interrupted attempt
        block::ConvertRequest request;
        request.source = QFile::encodeName(path).toStdString();
        request.sourceFormat = block::parseImageFormat(disk.format.toStdString());
        request.target = QFile::encodeName(copy).toStdString();
        request.targetOptions.format = block::ImageFormat::Qcow2;
        TESSERA_TRY(block::convertImage(request, control));
        if (std::rename(request.target.c_str(), request.source.c_str()) != 0) {
            const int error = errno;
            QFile::remove(copy);
            return makeError(tr("cannot replace %1: %2")
                                 .arg(path, QString::fromLocal8Bit(std::strerror(error)))
                                 .toStdString());
        }
        disk.format = QStringLiteral("qcow2");
        disk.acceptedBacking.clear();
        changed = true;
    }
    return changed ? clone.save(config) : Status::success();
}

}  // namespace tessera::vm
