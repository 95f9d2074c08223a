#pragma once
// What this process really has open, read back from the kernel (the targets
// of /proc/self/fd), for the tests that check a stopped VM let go of its disk
// and ISO. A file moved elsewhere (to the Trash) shows under its new path.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

namespace tessera::testing {

// Open files whose name (last path component) is one of `names`.
inline QStringList openFilesNamed(const QStringList& names) {
    QStringList found;
    const QDir fds(QStringLiteral("/proc/self/fd"));
    for (const QString& fd : fds.entryList(QDir::System | QDir::Files | QDir::NoDotAndDotDot)) {
        const QString target = QFile::symLinkTarget(fds.filePath(fd));
        if (!target.isEmpty() && names.contains(QFileInfo(target).fileName())) found << target;
    }
    return found;
}

}  // namespace tessera::testing
