#include "ui/framebuffer_view.h"

#include <QGuiApplication>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "core/devices/evdev_keys.h"
#include "core/devices/virtio_gpu.h"
#include "core/devices/virtio_input.h"

namespace tessera::ui {

namespace {

using devices::VirtioInput;
namespace gpu = devices::virtio_gpu;

constexpr quint16 kKeyLeftShift = 42, kKeyRightShift = 54;  // linux/input-event-codes.h

// Byte positions of R, G, B inside one 4-byte pixel, per virtio-gpu format
// (virtio 1.2 §5.7.6.8: the names give the byte order in memory).
std::array<int, 3> rgbOffsets(uint32_t format) {
    switch (format) {
        case gpu::kFormatB8G8R8A8:
        case gpu::kFormatB8G8R8X8:
            return {2, 1, 0};
        case gpu::kFormatA8R8G8B8:
        case gpu::kFormatX8R8G8B8:
            return {1, 2, 3};
        case gpu::kFormatR8G8B8A8:
        case gpu::kFormatR8G8B8X8:
            return {0, 1, 2};
        default:
            return {3, 2, 1};  // X8B8G8R8, A8B8G8R8
    }
}

// QImage::Format_RGB32 is 0xffRRGGBB in a native uint32, i.e. B, G, R, 0xff in
// memory on this little-endian host: the same bytes as B8G8R8X8, the format
// Linux's virtio-gpu driver uses, so that case is a row copy.
static_assert(Q_BYTE_ORDER == Q_LITTLE_ENDIAN, "the fast path assumes a little-endian host");

void convertRow(const uint8_t* in, uint32_t* out, int pixels, uint32_t format) {
    if (format == gpu::kFormatB8G8R8X8 || format == gpu::kFormatB8G8R8A8) {
        std::memcpy(out, in, size_t(pixels) * 4);
        for (int x = 0; x < pixels; ++x) out[x] |= 0xff000000u;
        return;
    }
    const auto [r, g, b] = rgbOffsets(format);
    for (int x = 0; x < pixels; ++x, in += 4)
        out[x] = 0xff000000u | uint32_t(in[r]) << 16 | uint32_t(in[g]) << 8 | uint32_t(in[b]);
}

// Characters a US layout types with Shift: when keys come from the Qt key table
// (no scan code, e.g. synthesized input), the view presses Shift for them itself.
bool needsShift(const QString& text) {
    if (text.size() != 1) return false;
    const QChar c = text.at(0);
    return (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
           QStringLiteral("~!@#$%^&*()_+{}|:\"<>?").contains(c);
}

bool platformHasXkbKeycodes() {
    const QString platform = QGuiApplication::platformName();
    return platform == QLatin1String("xcb") || platform.startsWith(QLatin1String("wayland"));
}

}  // namespace

FramebufferView::FramebufferView(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("framebufferView"));
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAttribute(Qt::WA_InputMethodEnabled, false);  // raw keys, no compose/IME text
    setMinimumSize(320, 240);
    setAccessibleName(tr("VM screen"));
    grabHintTimer_.setSingleShot(true);
    grabHintTimer_.setInterval(3000);
    connect(&grabHintTimer_, &QTimer::timeout, this, qOverload<>(&QWidget::update));
    guestResizeTimer_.setSingleShot(true);
    guestResizeTimer_.setInterval(300);
    connect(&guestResizeTimer_, &QTimer::timeout, this, &FramebufferView::offerViewSizeToGuest);
}

// ---- resize guest with window ----

QSize FramebufferView::guestSizeForView() const {
    const QSize pixels = (QSizeF(size()) * devicePixelRatioF()).toSize();
    return QSize(pixels.width() & ~7, pixels.height());
}

void FramebufferView::setResizeGuestWithWindow(bool enabled) {
    resizeGuest_ = enabled;
    if (enabled) offerViewSizeToGuest();
}

void FramebufferView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    if (resizeGuest_) guestResizeTimer_.start();
}

void FramebufferView::offerViewSizeToGuest() {
    if (resizeGuest_ && display_) display_->requestDisplaySize(guestSizeForView());
}

FramebufferView::~FramebufferView() {
    detach();
}

void FramebufferView::attach(devices::DisplaySurface* display, devices::InputSink* keyboard,
                             devices::InputSink* tablet) {
    detach();
    display_ = display;
    displayObject_ = display;
    keyboard_ = keyboard;
    tablet_ = tablet;
    if (display_) {
        // The display emits on the VM thread; AutoConnection queues to this (UI) thread.
        connect(display_, &devices::DisplaySurface::frameUpdated, this, &FramebufferView::onFrameUpdated);
        connect(display_, &devices::DisplaySurface::modeChanged, this,
                [this](QSize size) { onModeChanged(size); });
        onModeChanged(display_->currentSize());
    }
}

void FramebufferView::detach() {
    releaseInput();
    if (displayObject_) disconnect(displayObject_, nullptr, this, nullptr);
    display_ = nullptr;
    displayObject_ = nullptr;
    keyboard_ = nullptr;
    tablet_ = nullptr;
    if (!image_.isNull()) {  // no stale guest screen once the machine is gone
        image_ = QImage();
        update();
        emit modeChanged(image_.size());
    }
}

// ---- frames ----

void FramebufferView::onModeChanged(QSize size) {
    if (!displayObject_) return;
    if (size.isEmpty()) {
        image_ = QImage();  // display off (guest reset, or scanout disabled)
    } else {
        copyFromDisplay(QRect(QPoint(0, 0), size));
    }
    update();
    emit modeChanged(image_.size());
}

void FramebufferView::onFrameUpdated() {
    if (!displayObject_) return;
    // Taking the dirty area re-arms the display's single pending signal.
    const QRect dirty = display_->takeDirtyRect();
    const QSize before = image_.size();
    copyFromDisplay(dirty);
    if (image_.size() != before) {
        update();
        emit modeChanged(image_.size());
        return;
    }
    if (dirty.isEmpty() || image_.isNull()) return;
    const QRectF target = imageRect();
    const qreal sx = target.width() / image_.width(), sy = target.height() / image_.height();
    const QRectF mapped(target.x() + dirty.x() * sx, target.y() + dirty.y() * sy, dirty.width() * sx,
                        dirty.height() * sy);
    update(mapped.toAlignedRect().adjusted(-1, -1, 1, 1));  // smooth scaling bleeds one pixel
}

void FramebufferView::copyFromDisplay(QRect area) {
    const bool active = display_->readFrame([&](const devices::FrameView& frame) {
        if (frame.size != image_.size()) {
            // New mode (the queued modeChanged may still be on its way): take the whole frame.
            image_ = QImage(frame.size, QImage::Format_RGB32);
            area = QRect(QPoint(0, 0), frame.size);
            if (image_.isNull()) return;  // out of memory for a (guest-chosen) huge mode: show nothing
        }
        area &= QRect(QPoint(0, 0), frame.size);
        for (int y = area.top(); y <= area.bottom(); ++y) {
            const uint8_t* in = frame.pixels + uint64_t(y) * frame.stride + uint64_t(area.x()) * 4;
            auto* out = reinterpret_cast<uint32_t*>(image_.scanLine(y)) + area.x();
            convertRow(in, out, area.width(), frame.format);
        }
    });
    if (!active) image_ = QImage();
}

QRectF FramebufferView::imageRect() const {
    if (image_.isNull()) return {};
    // Computed in device pixels so integer scaling is exact on HiDPI screens.
    const qreal dpr = devicePixelRatioF();
    const QSizeF available = QSizeF(size()) * dpr;
    const QSizeF frame = image_.size();
    qreal scale = std::min(available.width() / frame.width(), available.height() / frame.height());
    if (scaling_ == Scaling::Integer && scale >= 1) scale = std::floor(scale);
    const QSizeF shown(std::round(frame.width() * scale), std::round(frame.height() * scale));
    const QPointF topLeft(std::round((available.width() - shown.width()) / 2),
                          std::round((available.height() - shown.height()) / 2));
    return QRectF(topLeft / dpr, shown / dpr);
}

void FramebufferView::setScaling(Scaling scaling) {
    scaling_ = scaling;
    update();
}

QString FramebufferView::placeholderText() const {
    return display_ ? tr("The guest has not turned on its display yet.\n"
                         "Its messages may appear in the Serial Console tab.")
                    : tr("The VM is not running.");
}

QString FramebufferView::pausedText() const {
    return paused_ ? tr("Paused — Resume to continue. Keys typed now do not reach the VM.") : QString();
}

void FramebufferView::setPaused(bool paused) {
    if (paused == paused_) return;
    if (paused) releaseInput();  // keys held now are released before the guest stops
    paused_ = paused;
    update();
}

void FramebufferView::paintPausedSign(QPainter& painter) {
    painter.fillRect(rect(), QColor(0, 0, 0, 150));
    QFont font = painter.font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.4);
    painter.setFont(font);
    painter.setPen(Qt::white);
    painter.drawText(rect().adjusted(24, 24, -24, -24), Qt::AlignCenter | Qt::TextWordWrap, pausedText());
}

void FramebufferView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), Qt::black);
    if (image_.isNull()) {
        painter.setPen(QColor(0xc8, 0xc8, 0xc8));
        painter.drawText(rect().adjusted(24, 24, -24, -24), Qt::AlignCenter | Qt::TextWordWrap,
                         paused_ ? pausedText() : placeholderText());
        return;
    }
    const QRectF target = imageRect();
    const qreal dpr = devicePixelRatioF();
    const bool wholeMultiple = std::fmod(target.width() * dpr, image_.width()) == 0;
    painter.setRenderHint(QPainter::SmoothPixmapTransform, !wholeMultiple);
    painter.drawImage(target, image_);
    if (paused_) {
        paintPausedSign(painter);
        return;
    }

    if (grabbed_ && grabHintTimer_.isActive()) {
        const QString hint = tr("Press Ctrl+Alt+G to release the keyboard");
        QFont font = painter.font();
        font.setBold(true);
        painter.setFont(font);
        const QRect text = painter.fontMetrics().boundingRect(hint).adjusted(-12, -6, 12, 6);
        const QRect box(QPoint((width() - text.width()) / 2, 12), text.size());
        painter.setRenderHint(QPainter::Antialiasing);
        QPainterPath path;
        path.addRoundedRect(box, 6, 6);
        painter.fillPath(path, QColor(0, 0, 0, 190));
        painter.setPen(Qt::white);
        painter.drawText(box, Qt::AlignCenter, hint);
    }
}

// ---- keyboard ----

bool FramebufferView::event(QEvent* event) {
    switch (event->type()) {
        case QEvent::ShortcutOverride:
            // While grabbed every key belongs to the guest, not to the window's shortcuts.
            if (grabbed_) {
                event->accept();
                return true;
            }
            break;
        case QEvent::KeyPress:
            // Tab and Backtab would move the focus instead; the guest wants them.
            keyPressEvent(static_cast<QKeyEvent*>(event));
            return true;
        case QEvent::KeyRelease:
            keyReleaseEvent(static_cast<QKeyEvent*>(event));
            return true;
        default:
            break;
    }
    return QWidget::event(event);
}

bool FramebufferView::isHostChord(const QKeyEvent* event) const {
    const auto mods =
        event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::ShiftModifier | Qt::MetaModifier);
    return mods == (Qt::ControlModifier | Qt::AltModifier) &&
           (event->key() == Qt::Key_G || event->key() == Qt::Key_F);
}

std::optional<quint16> FramebufferView::evdevFor(const QKeyEvent* event) const {
    if (platformHasXkbKeycodes() && event->nativeScanCode() > 8) {
        if (auto code = devices::evdevFromXkbKeycode(event->nativeScanCode())) return *code;
    }
    if (auto code = devices::evdevFromQtKey(event->key(), event->modifiers() & Qt::KeypadModifier))
        return *code;
    return std::nullopt;
}

void FramebufferView::keyPressEvent(QKeyEvent* event) {
    event->accept();
    if (isHostChord(event)) {
        if (event->isAutoRepeat()) return;
        if (event->key() == Qt::Key_G)
            releaseInput();
        else
            emit fullScreenToggleRequested();
        return;
    }
    if (paused_) return;  // a paused guest reads nothing: queued keys would all land on Resume
    if (!grabbed_) grabInput();
    if (event->isAutoRepeat()) return;  // the guest runs its own key repeat
    const auto code = evdevFor(event);
    if (!code) return;
    const bool fromScanCode = platformHasXkbKeycodes() && event->nativeScanCode() > 8;
    if (!fromScanCode && needsShift(event->text()) && !held_.contains(kKeyLeftShift) &&
        !held_.contains(kKeyRightShift)) {
        pressKey(kKeyLeftShift);
        shiftedForSymbol_.insert(*code);
    }
    pressKey(*code);
}

void FramebufferView::keyReleaseEvent(QKeyEvent* event) {
    event->accept();
    if (event->isAutoRepeat() || isHostChord(event)) return;
    const auto code = evdevFor(event);
    if (!code) return;
    releaseKey(*code);
    if (shiftedForSymbol_.remove(*code)) releaseKey(kKeyLeftShift);
}

void FramebufferView::pressKey(quint16 code) {
    if (!keyboard_) return;
    held_.insert(code);
    keyboard_->injectKey(code, true);
}

void FramebufferView::releaseKey(quint16 code) {
    if (!keyboard_ || !held_.remove(code)) return;
    keyboard_->injectKey(code, false);
}

void FramebufferView::releaseAllKeys() {
    if (keyboard_)
        for (quint16 code : std::as_const(held_)) keyboard_->injectKey(code, false);
    held_.clear();
    shiftedForSymbol_.clear();
}

void FramebufferView::grabInput() {
    if (grabbed_ || !keyboard_ || paused_) return;  // nothing to type into (the VM is not running)
    setFocus(Qt::OtherFocusReason);
    grabKeyboard();
    grabbed_ = true;
    grabHintTimer_.start();
    update();
    emit keyboardGrabChanged(true);
}

void FramebufferView::releaseInput() {
    releaseAllKeys();
    if (!grabbed_) return;
    releaseKeyboard();
    grabbed_ = false;
    grabHintTimer_.stop();
    update();
    emit keyboardGrabChanged(false);
}

void FramebufferView::focusOutEvent(QFocusEvent* event) {
    releaseInput();  // no stuck keys in the guest when another window takes over
    QWidget::focusOutEvent(event);
}

void FramebufferView::hideEvent(QHideEvent* event) {
    releaseInput();
    QWidget::hideEvent(event);
}

// ---- pointer ----

QPoint FramebufferView::tabletPosition(const QPointF& widgetPosition) const {
    const QRectF target = imageRect();
    if (target.isEmpty()) return {};
    // Guest pixel under the pointer, then that pixel on the tablet's axis
    // (Linux maps 0..max onto the screen's first..last pixel).
    auto axis = [](qreal position, qreal start, qreal length, int pixels) {
        const int pixel = std::clamp(int(std::floor((position - start) * pixels / length)), 0, pixels - 1);
        return pixels > 1 ? int(std::lround(double(pixel) * VirtioInput::kAbsMax / (pixels - 1))) : 0;
    };
    return QPoint(axis(widgetPosition.x(), target.x(), target.width(), image_.width()),
                  axis(widgetPosition.y(), target.y(), target.height(), image_.height()));
}

void FramebufferView::sendPointer(const QPointF& position, Qt::MouseButtons buttons) {
    if (!tablet_ || image_.isNull() || paused_) return;
    unsigned bits = 0;
    if (buttons & Qt::LeftButton) bits |= VirtioInput::kButtonLeft;
    if (buttons & Qt::RightButton) bits |= VirtioInput::kButtonRight;
    if (buttons & Qt::MiddleButton) bits |= VirtioInput::kButtonMiddle;
    const QPoint at = tabletPosition(position);
    tablet_->injectPointer(uint32_t(at.x()), uint32_t(at.y()), bits);
}

void FramebufferView::mousePressEvent(QMouseEvent* event) {
    grabInput();
    sendPointer(event->position(), event->buttons());
    event->accept();
}

void FramebufferView::mouseReleaseEvent(QMouseEvent* event) {
    sendPointer(event->position(), event->buttons());
    event->accept();
}

void FramebufferView::mouseMoveEvent(QMouseEvent* event) {
    sendPointer(event->position(), event->buttons());
    event->accept();
}

}  // namespace tessera::ui
