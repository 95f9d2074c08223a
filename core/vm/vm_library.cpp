#include "core/vm/vm_library.h"

#include <QDir>
#include <QFileInfo>
#include <algorithm>

namespace tessera::vm {

VmLibrary::VmLibrary(const QString& rootOverride) : root_(libraryRoot(rootOverride)) {}

VmEntry VmLibrary::loadEntry(const QString& bundleDirectory) {
    VmEntry entry;
    entry.bundle = VmBundle(QDir::cleanPath(bundleDirectory));
    Result<VmConfig> loaded = entry.bundle.load();
    if (loaded) entry.config = std::move(loaded).value();
    else entry.error = QString::fromStdString(loaded.message());
    return entry;
}

QList<VmEntry> VmLibrary::scan() const {
    QList<VmEntry> entries;
    const QDir dir(root_);
    const QStringList pattern{QStringLiteral("*") + QLatin1String(kBundleSuffix)};
    for (const QString& name : dir.entryList(pattern, QDir::Dirs | QDir::NoDotAndDotDot))
        entries << loadEntry(dir.filePath(name));
    std::sort(entries.begin(), entries.end(), [](const VmEntry& a, const VmEntry& b) {
        return a.displayName().compare(b.displayName(), Qt::CaseInsensitive) < 0;
    });
    return entries;
}

Result<VmEntry> VmLibrary::find(const QString& nameOrPath) const {
    QString directory;
    const QFileInfo asPath(nameOrPath);
    if (asPath.isDir() && QFileInfo::exists(QDir(nameOrPath).filePath(QLatin1String(kConfigFileName)))) directory = asPath.absoluteFilePath();
    else if (asPath.isFile() && asPath.fileName() == QLatin1String(kConfigFileName)) directory = asPath.absolutePath();
    else if (QFileInfo(VmBundle::forName(root_, nameOrPath).directory()).isDir()) directory = VmBundle::forName(root_, nameOrPath).directory();
    if (directory.isEmpty()) {
        for (const VmEntry& entry : scan())  // the name inside config.json may differ from the folder name
            if (entry.config && entry.config->name == nameOrPath) return entry;
        return makeError(QStringLiteral("no VM called \"%1\" in %2, and no VM folder at that path").arg(nameOrPath, root_).toStdString());
    }
    VmEntry entry = loadEntry(directory);
    if (entry.broken()) return makeError(QStringLiteral("%1: %2").arg(directory, entry.error).toStdString());
    return entry;
}

QString VmLibrary::uniqueName(const QString& wanted) const {
    const QString base = wanted.trimmed().isEmpty() ? QStringLiteral("VM") : wanted.trimmed();
    auto taken = [&](const QString& name) { return QFileInfo::exists(VmBundle::forName(root_, name).directory()); };
    if (!taken(base)) return base;
    for (int i = 2;; ++i) {
        const QString candidate = QStringLiteral("%1 %2").arg(base).arg(i);
        if (!taken(candidate)) return candidate;
    }
}

}  // namespace tessera::vm
