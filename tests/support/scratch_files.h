#pragma once
// Test input files written into a test's own temporary directory: the unit
// tests hand the code under test real files (configs, keys, images), never
// in-memory stand-ins.

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

namespace tessera::testing {

// Writes `bytes` to `name` inside `dir` and returns the file's full path.
inline QString writeScratchFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
    QFile file(dir.filePath(name));
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        qFatal("cannot write test file %s", qPrintable(file.fileName()));
    return file.fileName();
}

}  // namespace tessera::testing
