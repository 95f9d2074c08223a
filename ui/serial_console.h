#pragma once
// The serial console tab of the VM window (for guests without a display it
// is the main view).

#include <QWidget>

class QPlainTextEdit;

namespace tessera::ui {

// A plain terminal for the UART: appends output (dropping control sequences it
// does not render), sends every typed key as the bytes a VT100 would send.
// Ctrl+Shift+C copies, Ctrl+Shift+V / Shift+Insert paste into the guest, so
// Ctrl+C, Ctrl+W, ... reach the guest's shell like in a terminal.
class SerialConsole : public QWidget {
    Q_OBJECT
public:
    explicit SerialConsole(QWidget* parent = nullptr);
    QString text() const;
    void appendOutput(const QByteArray& bytes);
    void pasteToGuest();  // the clipboard's text, typed into the guest

signals:
    void input(const QByteArray& bytes);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void showContextMenu(const QPoint& position);

    QPlainTextEdit* view_;
    QByteArray pendingEscape_;
};

}  // namespace tessera::ui
