#pragma once
// Typing into the Linux guest fixture's serial shell (ttyS0) through its VM
// window and waiting for what it prints, as a person at the console would.

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QtTest>

#include "ui/vm_window.h"

namespace tessera::testing {

// What the fixture prints once its shell on ttyS0 takes commands.
inline const QString kGuestShellReady = QStringLiteral("TESSERA-GUEST-READY Linux[\\s\\S]*tessera:/# ");

// Types `command` (nothing if null) and waits for `expect` in what the guest
// prints afterwards; returns the match. On timeout the console so far is logged.
inline QRegularExpressionMatch typeAndWait(ui::VmWindow& window, const QString& command,
                                           const QString& expect, int timeoutMs = 60000) {
    const qsizetype from = window.console()->text().size();
    if (!command.isNull()) window.runner()->sendSerialInput((command + QLatin1Char('\n')).toUtf8());
    const QRegularExpression pattern(expect);
    QRegularExpressionMatch match;
    QElapsedTimer waited;
    waited.start();
    while (!(match = pattern.match(window.console()->text(), from)).hasMatch() &&
           waited.elapsed() < timeoutMs)
        QTest::qWait(50);
    if (!match.hasMatch())
        qWarning().noquote() << "console so far:\n" << window.console()->text().right(3000);
    return match;
}

}  // namespace tessera::testing
