#include "core/vm/shell_words.h"

#include <QDir>

namespace tessera::vm {

namespace {

bool isBlank(QChar c) { return c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QLatin1Char('\r'); }

}  // namespace

Result<QStringList> splitShellWords(const QString& command) {
    QStringList words;
    QString word;
    bool inWord = false;
    bool tildeAllowed = true;  // only an unquoted ~ at the start of a word means home
    const int n = int(command.size());
    auto finish = [&] {
        if (inWord) words << word;
        word.clear();
        inWord = false;
        tildeAllowed = true;
    };
    for (int i = 0; i < n; ++i) {
        const QChar c = command[i];
        if (c == QLatin1Char('\\')) {
            // Line continuation, tolerating blanks between the backslash and the newline
            // (a real shell would keep "\ " as a space; pasted web text means a continuation).
            int j = i + 1;
            while (j < n && isBlank(command[j])) ++j;
            if (j >= n || command[j] == QLatin1Char('\n')) {
                if (j > i + 1) finish();  // "\  <newline>": the blanks also end the word
                i = j;
                continue;
            }
            if (i + 1 < n) word += command[++i];
            inWord = true;
            tildeAllowed = false;
        } else if (c == QLatin1Char('\'')) {
            const int end = int(command.indexOf(QLatin1Char('\''), i + 1));
            if (end < 0) return makeError("the command ends inside a '…' quote: a closing ' is missing");
            word += command.mid(i + 1, end - i - 1);
            i = end;
            inWord = true;
            tildeAllowed = false;
        } else if (c == QLatin1Char('"')) {
            int j = i + 1;
            for (; j < n && command[j] != QLatin1Char('"'); ++j) {
                if (command[j] == QLatin1Char('\\') && j + 1 < n) {
                    const QChar next = command[j + 1];
                    if (next == QLatin1Char('\n')) { ++j; continue; }
                    if (QStringLiteral("$`\"\\").contains(next)) { word += next; ++j; continue; }
                }
                word += command[j];
            }
            if (j >= n) return makeError("the command ends inside a \"…\" quote: a closing \" is missing");
            i = j;
            inWord = true;
            tildeAllowed = false;
        } else if (isBlank(c) || c == QLatin1Char('\n')) {
            finish();
        } else if (c == QLatin1Char('#') && !inWord) {
            while (i < n && command[i] != QLatin1Char('\n')) ++i;
        } else if (c == QLatin1Char('~') && !inWord && tildeAllowed &&
                   (i + 1 >= n || command[i + 1] == QLatin1Char('/') || isBlank(command[i + 1]))) {
            word += QDir::homePath();
            inWord = true;
            tildeAllowed = false;
        } else {
            word += c;
            inWord = true;
            tildeAllowed = false;
        }
    }
    finish();
    return words;
}

QString shellQuote(const QString& word) {
    if (word.isEmpty()) return QStringLiteral("''");
    bool safe = true;
    for (QChar c : word) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && !QStringLiteral("_@%+=:,./-").contains(c)) {
            safe = false;
            break;
        }
    }
    if (safe) return word;
    QString quoted = word;
    quoted.replace(QLatin1String("'"), QLatin1String("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString shellJoin(const QStringList& words) {
    QStringList quoted;
    for (const QString& w : words) quoted << shellQuote(w);
    return quoted.join(QLatin1Char(' '));
}

}  // namespace tessera::vm
