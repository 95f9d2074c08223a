#pragma once
// A VM's disk image as the guest sees it, read with the real qemu-img (not
// Tessera's block layer), for tests that check what a guest wrote arrived.

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace tessera::testing {

inline QString qemuImg() {
    return QStandardPaths::findExecutable(QStringLiteral("qemu-img"));
}

// `qemu-img check` finds no errors and no leaks.
inline bool imageChecksClean(const QString& image) {
    return QProcess::execute(qemuImg(), {QStringLiteral("check"), QStringLiteral("-q"), image}) == 0;
}

// SHA-256 (hex) of the first `bytes` the guest sees on the disk; empty if qemu-img cannot read it.
inline QString guestDataSha256(const QString& image, qint64 bytes) {
    QTemporaryDir scratch;
    const QString raw = scratch.filePath(QStringLiteral("disk.raw"));
    if (QProcess::execute(qemuImg(), {QStringLiteral("convert"), QStringLiteral("-O"), QStringLiteral("raw"),
                                      image, raw}) != 0)
        return {};
    QFile file(raw);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QString::fromLatin1(
        QCryptographicHash::hash(file.read(bytes), QCryptographicHash::Sha256).toHex());
}

}  // namespace tessera::testing
