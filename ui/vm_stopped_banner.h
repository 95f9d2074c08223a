#pragma once
// The bar across the top of a stopped VM's window: why the VM stopped (the
// guest powered off, it was powered off, the emulator's error) and a Start
// button, so the window of a VM that has ended is not a dead end. The window
// holds no machine then: its disks are closed and free for other programs.

#include <QFrame>

class QLabel;
class QPushButton;

namespace tessera::ui {

class VmStoppedBanner : public QFrame {
    Q_OBJECT
public:
    explicit VmStoppedBanner(QWidget* parent = nullptr);

    // Shows the bar with `why` (VmRunner's summary of the run).
    void showReason(const QString& why);
    QString text() const;
    QPushButton* startButton() const { return start_; }

signals:
    void startRequested();

private:
    QLabel* text_;
    QPushButton* start_;
};

}  // namespace tessera::ui
