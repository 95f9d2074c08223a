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
