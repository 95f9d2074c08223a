#include "ui/serial_console.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QMenu>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QVBoxLayout>

namespace tessera::ui {

SerialConsole::SerialConsole(QWidget* parent) : QWidget(parent) {
    view_ = new QPlainTextEdit(this);
    view_->setObjectName(QStringLiteral("serialConsole"));
    view_->setReadOnly(true);
    view_->setUndoRedoEnabled(false);
    view_->setMaximumBlockCount(20000);  // scrollback
    view_->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    QFont mono(QStringLiteral("monospace"));
    mono.setStyleHint(QFont::TypeWriter);
    view_->setFont(mono);
    QPalette terminal = view_->palette();
    terminal.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    terminal.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
    view_->setPalette(terminal);
    view_->installEventFilter(this);
    view_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view_, &QPlainTextEdit::customContextMenuRequested, this, &SerialConsole::showContextMenu);
    view_->setFocusPolicy(Qt::StrongFocus);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view_);
    setFocusProxy(view_);
}

QString SerialConsole::text() const {
    return view_->toPlainText();
}

void SerialConsole::appendOutput(const QByteArray& bytes) {
    // Keep printable text, newlines and tabs; drop CR and ANSI escape sequences (ESC [ ... letter),
    // which this plain view does not interpret, so they never show up as garbage.
    QByteArray clean;
    QByteArray data = pendingEscape_ + bytes;
    pendingEscape_.clear();
    for (qsizetype i = 0; i < data.size(); ++i) {
        const char c = data[i];
        if (c == '\x1b') {
            qsizetype j = i + 1;
            if (j < data.size() && data[j] == '[') {
                ++j;
                while (j < data.size() && !QChar::fromLatin1(data[j]).isLetter()) ++j;
            }
            if (j >= data.size()) {  // sequence continues in the next chunk
                pendingEscape_ = data.mid(i);
                break;
            }
            i = j;
            continue;
        }
        if (c == '\r' || c == '\a') continue;
        if (c == '\b') {
            clean.chop(1);
            continue;
        }
        clean += c;
    }
    QScrollBar* bar = view_->verticalScrollBar();
    const bool atBottom = bar->value() == bar->maximum();
    QTextCursor cursor(view_->document());
    cursor.movePosition(QTextCursor::End);
    cursor.insertText(QString::fromUtf8(clean));
    if (atBottom) bar->setValue(bar->maximum());
}

void SerialConsole::pasteToGuest() {
    QString text = QGuiApplication::clipboard()->text();
    // A terminal's Enter is CR; the guest's tty turns it into a newline.
    text.replace(QStringLiteral("\r\n"), QStringLiteral("\r")).replace(QLatin1Char('\n'), QLatin1Char('\r'));
    if (!text.isEmpty()) emit input(text.toUtf8());
}

void SerialConsole::showContextMenu(const QPoint& position) {
    QMenu* menu = view_->createStandardContextMenu(position);
    menu->addAction(tr("Paste to the VM"), this, &SerialConsole::pasteToGuest)
        ->setEnabled(!QGuiApplication::clipboard()->text().isEmpty());
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(view_->viewport()->mapToGlobal(position));
}

bool SerialConsole::eventFilter(QObject* watched, QEvent* event) {
    if (watched != view_) return QWidget::eventFilter(watched, event);
    if (event->type() == QEvent::ShortcutOverride) {
        // Control characters belong to the guest's shell (Ctrl+W, Ctrl+D, ...), not to window shortcuts.
        if (static_cast<QKeyEvent*>(event)->modifiers() & Qt::ControlModifier) {
            event->accept();
            return true;
        }
        return false;
    }
    if (event->type() != QEvent::KeyPress) return QWidget::eventFilter(watched, event);
    auto* key = static_cast<QKeyEvent*>(event);
    // Copy and paste as terminals do: Ctrl+Shift+C / Ctrl+Shift+V (Shift+Insert), so Ctrl+C stays the
    // interrupt.
    const auto mods =
        key->modifiers() & (Qt::ControlModifier | Qt::ShiftModifier | Qt::AltModifier | Qt::MetaModifier);
    if (mods == (Qt::ControlModifier | Qt::ShiftModifier) && key->key() == Qt::Key_C) {
        view_->copy();
        return true;
    }
    if ((mods == (Qt::ControlModifier | Qt::ShiftModifier) && key->key() == Qt::Key_V) ||
        (mods == Qt::ShiftModifier && key->key() == Qt::Key_Insert)) {
        pasteToGuest();
        return true;
    }
    QByteArray bytes;
    switch (key->key()) {
        case Qt::Key_Return:
        case Qt::Key_Enter:
            bytes = "\r";
            break;
        case Qt::Key_Backspace:
            bytes = "\x7f";
            break;
        case Qt::Key_Tab:
            bytes = "\t";
            break;
        case Qt::Key_Escape:
            bytes = "\x1b";
            break;
        case Qt::Key_Up:
            bytes = "\x1b[A";
            break;
        case Qt::Key_Down:
            bytes = "\x1b[B";
            break;
        case Qt::Key_Right:
            bytes = "\x1b[C";
            break;
        case Qt::Key_Left:
            bytes = "\x1b[D";
            break;
        default:
            if ((key->modifiers() & Qt::ControlModifier) && key->key() >= Qt::Key_A &&
                key->key() <= Qt::Key_Z)
                bytes =
                    QByteArray(1, char(key->key() - Qt::Key_A + 1));  // Ctrl+C = 0x03, as a terminal sends
            else
                bytes = key->text().toUtf8();
    }
    if (!bytes.isEmpty()) emit input(bytes);
    return true;
}

}  // namespace tessera::ui
