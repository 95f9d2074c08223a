#include "core/vm/boot_failure_watch.h"

#include <QCoreApplication>
#include <algorithm>

namespace tessera::vm {

namespace {

constexpr qsizetype kKeep = 64 * 1024;  // enough for a firmware's last screenful
const QByteArray kBootBanner = QByteArrayLiteral("OpenSBI v");
const QByteArray kUefiShell = QByteArrayLiteral("UEFI Interactive Shell");
const QByteArray kUefiPrompt = QByteArrayLiteral("Shell> ");
const QByteArray kUbootCountdown = QByteArrayLiteral("Hit any key to stop autoboot");
const QByteArray kUbootPrompt = QByteArrayLiteral("=> ");

QString advice(const QString& where) {
    return QCoreApplication::translate(
               "tessera::vm",
               "No bootable disc or disk was found: %1 (see the Serial Console). Insert "
               "an installer disc with Change Disc… or add a disk with an operating "
               "system, then restart the VM.")
        .arg(where);
}

}  // namespace

std::optional<QString> BootFailureWatch::feed(const QByteArray& bytes) {
    // Search from a little before the new bytes: a marker may straddle two chunks.
    const qsizetype from = std::max<qsizetype>(0, text_.size() - kBootBanner.size());
    text_ += bytes;
    if (const qsizetype banner = text_.lastIndexOf(kBootBanner); banner >= from) {
        text_ = text_.mid(banner);
        reported_ = false;
    }
    if (text_.size() > kKeep) text_ = text_.right(kKeep / 2);
    if (reported_) return std::nullopt;
    std::optional<QString> message = check();
    if (message) reported_ = true;
    return message;
}

std::optional<QString> BootFailureWatch::check() const {
    if (const qsizetype shell = text_.indexOf(kUefiShell);
        shell >= 0 && text_.indexOf(kUefiPrompt, shell) >= 0)
        return advice(QCoreApplication::translate("tessera::vm", "the UEFI firmware stopped in its shell"));
    const qsizetype countdown = text_.lastIndexOf(kUbootCountdown);
    if (countdown < 0) return std::nullopt;
    const qsizetype lineEnd = text_.indexOf('\n', countdown);
    if (lineEnd < 0) return std::nullopt;
    const qsizetype prompt = text_.indexOf(kUbootPrompt, lineEnd);
    if (prompt < 0) return std::nullopt;
    // Boot attempts between the countdown and the prompt: autoboot ran and failed.
    if (text_.mid(lineEnd + 1, prompt - lineEnd - 1).trimmed().isEmpty()) return std::nullopt;
    return advice(QCoreApplication::translate("tessera::vm", "U-Boot stopped at its prompt"));
}

}  // namespace tessera::vm
