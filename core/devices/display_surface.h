#pragma once
// DisplaySurface: what the host side (the VM window, the monitor's
// screenshot, the CLI's --screenshot, the bundle thumbnail) needs from a
// guest display device, whichever board has it: virtio-gpu on RISC-V virt,
// the Bochs VBE VGA on PowerPC mac99.
// frameUpdated() is coalesced (at most one pending; the receiver calls
// takeDirtyRect() to re-arm it); modeChanged() follows a new size or format;
// readFrame() hands out the pixels under the display's short lock. All of
// these are safe from any thread.

#include <QObject>
#include <QRect>
#include <QSize>
#include <cstdint>
#include <functional>
#include <string>

#include "core/util/result.h"

namespace tessera::devices {

// 32-bit pixels; `format` is a virtio-gpu format code (virtio_gpu::kFormat*,
// named by the byte order in memory).
struct FrameView {
    const uint8_t* pixels = nullptr;
    QSize size;
    uint32_t stride = 0;
    uint32_t format = 0;
};

class DisplaySurface : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    // Calls `read` with the current frame under the display lock (keep it
    // short: copy or paint, then return). Returns false if nothing is shown.
    virtual bool readFrame(const std::function<void(const FrameView&)>& read) const = 0;
    // Union of the areas changed since the last call; re-arms frameUpdated().
    virtual QRect takeDirtyRect() = 0;
    virtual QSize currentSize() const = 0;
    // The host window's size as the guest's preferred mode; displays whose
    // mode only the guest sets ignore it.
    virtual void requestDisplaySize(QSize) {}
    // Writes the visible frame as PNG (RGB).
    virtual Status saveScreenshot(const std::string& path) const = 0;
    // The visible frame or, if the guest has turned its display off, the
    // last one it showed: the VM's thumbnail.
    virtual Status saveLastFrame(const std::string& path) const = 0;

signals:
    void frameUpdated(QRect dirty);
    void modeChanged(QSize size, uint32_t format);
};

}  // namespace tessera::devices
