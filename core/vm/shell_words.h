#pragma once
// POSIX shell word splitting and quoting, enough for pasted QEMU commands:
// '…' and "…" quotes, backslash escapes, line continuations (also the
// "\  " with trailing spaces that web pages leave behind), # comments and
// a leading ~/ for the home folder. No variables, globs or substitutions:
// those are left as literal text.

#include <QString>
#include <QStringList>

#include "core/util/result.h"

namespace tessera::vm {

Result<QStringList> splitShellWords(const QString& command);
// Quotes only when needed, so `qemu-system-riscv64 -m 512M` stays readable.
QString shellQuote(const QString& word);
QString shellJoin(const QStringList& words);

}  // namespace tessera::vm
