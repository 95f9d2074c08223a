#pragma once
// What the in-app install tests (gui_ppc_tutorial_install_test,
// install_debian_in_app_test) use to follow a VM window: its serial console,
// and the app's message boxes, which are modal and would wait for a click
// forever: they are noted and closed, and a wait fails on them with their text.

#include <QApplication>
#include <QDebug>
#include <QDir>
#include <QElapsedTimer>
#include <QImage>
#include <QMessageBox>
#include <QRegularExpression>
#include <QTimer>
#include <QtTest>

#include "ui/serial_console.h"
#include "ui/vm_window.h"

namespace tessera::testing {

class VmWindowWatch : public QObject {
public:
    void setWindow(ui::VmWindow* window) { window_ = window; }
    QString console() const { return window_ ? window_->console()->text() : QString(); }

    // From now on, once a second: a message box's text is noted and the box closed.
    void watchErrorBoxes() {
        connect(&timer_, &QTimer::timeout, this, [this] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                errorBoxes_ += box->text() + QLatin1Char(' ') + box->informativeText() + QLatin1Char('\n');
                box->reject();
            }
        });
        timer_.start(1000);
    }

    // Waits for `pattern` in the serial console from `from` on; false on a
    // timeout or a message box, after printing the box and the console's end.
    bool waitForConsole(const QString& pattern, int timeoutMs, qsizetype from = 0) {
        const QRegularExpression regex(pattern);
        QElapsedTimer waited;
        waited.start();
        while (!regex.match(console(), from).hasMatch()) {
            if (waited.elapsed() > timeoutMs || !errorBoxes_.isEmpty()) {
                qWarning().noquote() << "message box:" << errorBoxes_;
                qWarning().noquote() << "console so far:\n" << console().right(3000);
                return false;
            }
            QTest::qWait(100);
        }
        return true;
    }

private:
    ui::VmWindow* window_ = nullptr;
    QString errorBoxes_;
    QTimer timer_;
};

// `widget` as it looks after `settleMs` (the guest's last lines reach the
// screen), saved for the README as <build>/screenshots/NAME.png.
inline bool saveScreenshot(QWidget* widget, const QString& name, int settleMs = 1000) {
    QTest::qWait(settleMs);
    const QImage image = widget->grab().toImage();
    const QString dir = QStringLiteral(TESSERA_BINARY_DIR "/screenshots");
    const QString path = QDir(dir).filePath(name + QStringLiteral(".png"));
    if (image.isNull() || !QDir().mkpath(dir) || !image.save(path)) {
        qWarning().noquote() << "cannot save the screenshot" << path;
        return false;
    }
    qInfo().noquote() << "saved" << path;
    return true;
}

}  // namespace tessera::testing
