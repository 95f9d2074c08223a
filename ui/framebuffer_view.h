#pragma once
// FramebufferView: the guest's screen (virtio-gpu scanout 0) in a widget, and
// the guest's keyboard and tablet behind it.
//
// Frames: the display emits frameUpdated() at most once until the view takes
// the dirty area (VirtioGpu::takeDirtyRect), so the event queue carries no
// pixels; the view copies only the dirty rectangle out of the display under
// its short lock into a QImage it owns, and repaints only where that lands.
//
// Keyboard: keys become Linux evdev codes (the XKB keycode where the platform
// has one, so the host layout does not matter; else the Qt key table) for the
// virtio keyboard. Clicking the view or typing into it grabs the keyboard
// (while a machine is attached) so window-manager shortcuts reach the guest;
// Ctrl+Alt+G releases it and Ctrl+Alt+F toggles full screen; neither chord
// reaches the guest. Keys still held when focus or the grab goes away are
// released, so nothing sticks. detach() (the machine is going away) releases
// the grab and clears the picture.
//
// Paused (setPaused): the picture is dimmed under a "Paused" sign, the grab is
// released and keys and pointer moves are dropped, not queued for the guest to
// receive all at once on Resume.
//
// Pointer: absolute tablet events (no grab), the position inside the shown
// image scaled to the tablet's 0..kAbsMax axes, clamped at the edges.
//
// Resize guest with window (optional): the view's size in device pixels is
// offered to the guest as its preferred mode once resizing settles.

#include <QImage>
#include <QPainter>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <QWidget>
#include <optional>

namespace tessera::devices {
class DisplaySurface;
class InputSink;
}  // namespace tessera::devices

namespace tessera::ui {

class FramebufferView : public QWidget {
    Q_OBJECT
public:
    enum class Scaling {
        FitWindow,  // as large as the window allows, aspect kept (black bars)
        Integer,    // whole multiples of the guest's pixels (sharp text); fit when the window is smaller
    };
    Q_ENUM(Scaling)

    explicit FramebufferView(QWidget* parent = nullptr);
    ~FramebufferView() override;

    // Connects to the running machine's devices (any may be null).
    void attach(devices::DisplaySurface* display, devices::InputSink* keyboard, devices::InputSink* tablet);
    void detach();

    // The guest's screen as last copied (null before the guest sets a mode and
    // once the machine is detached).
    const QImage& image() const { return image_; }
    // What the view says instead of a picture while image() is null.
    QString placeholderText() const;
    bool paused() const { return paused_; }
    // The sign drawn over the picture while paused (empty otherwise).
    QString pausedText() const;
    Scaling scaling() const { return scaling_; }
    bool keyboardGrabbed() const { return grabbed_; }
    // Where the guest image is drawn, in widget coordinates.
    QRectF imageRect() const;
    // Tablet coordinates (0..kAbsMax) for a widget position; clamped to the image.
    QPoint tabletPosition(const QPointF& widgetPosition) const;
    bool resizesGuest() const { return resizeGuest_; }
    // The mode offered to the guest for the current view size (device pixels,
    // width a multiple of 8 as display drivers like it).
    QSize guestSizeForView() const;

public slots:
    void setScaling(tessera::ui::FramebufferView::Scaling scaling);
    void setResizeGuestWithWindow(bool enabled);
    void grabInput();
    void releaseInput();
    void setPaused(bool paused);

signals:
    void keyboardGrabChanged(bool grabbed);
    void fullScreenToggleRequested();
    void modeChanged(QSize size);

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    void hideEvent(QHideEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void onFrameUpdated();
    void onModeChanged(QSize size);
    void copyFromDisplay(QRect area);
    bool isHostChord(const QKeyEvent* event) const;
    std::optional<quint16> evdevFor(const QKeyEvent* event) const;
    void pressKey(quint16 code);
    void releaseKey(quint16 code);
    void releaseAllKeys();
    void sendPointer(const QPointF& position, Qt::MouseButtons buttons);
    void offerViewSizeToGuest();
    void paintPausedSign(QPainter& painter);

    QPointer<QObject> displayObject_;
    devices::DisplaySurface* display_ = nullptr;
    devices::InputSink* keyboard_ = nullptr;
    devices::InputSink* tablet_ = nullptr;
    QImage image_;
    Scaling scaling_ = Scaling::FitWindow;
    bool grabbed_ = false;
    bool paused_ = false;
    QSet<quint16> held_;              // evdev codes the guest currently sees pressed
    QSet<quint16> shiftedForSymbol_;  // keys for which the view pressed Shift itself
    QTimer grabHintTimer_;            // the "press Ctrl+Alt+G" overlay shows for a few seconds
    bool resizeGuest_ = false;
    QTimer guestResizeTimer_;         // one mode change when a window resize settles, not one per step
};

}  // namespace tessera::ui
