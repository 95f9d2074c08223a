#pragma once
// virtio-gpu in 2D mode (virtio 1.2 §5.7): the guest creates host-side
// resources, attaches guest-RAM scatter lists as their backing, copies
// rectangles into them (TRANSFER_TO_HOST_2D) and flushes them to scanout 0.
// The display side for the UI: frameUpdated() is coalesced (at most one
// pending; the receiver calls takeDirtyRect() to re-arm it), modeChanged() on
// a new scanout size/format, and readFrame() gives the pixels under a short lock.

#include <QObject>
#include <QRect>
#include <QSize>
#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <vector>

#include "core/devices/display_surface.h"
#include "core/devices/virtio_device.h"

namespace tessera::devices {

// Control commands and responses (§5.7.6.7).
namespace virtio_gpu {
inline constexpr uint32_t kCmdGetDisplayInfo = 0x0100;
inline constexpr uint32_t kCmdResourceCreate2d = 0x0101;
inline constexpr uint32_t kCmdResourceUnref = 0x0102;
inline constexpr uint32_t kCmdSetScanout = 0x0103;
inline constexpr uint32_t kCmdResourceFlush = 0x0104;
inline constexpr uint32_t kCmdTransferToHost2d = 0x0105;
inline constexpr uint32_t kCmdResourceAttachBacking = 0x0106;
inline constexpr uint32_t kCmdResourceDetachBacking = 0x0107;
inline constexpr uint32_t kCmdUpdateCursor = 0x0300;
inline constexpr uint32_t kCmdMoveCursor = 0x0301;
inline constexpr uint32_t kRespOkNodata = 0x1100;
inline constexpr uint32_t kRespOkDisplayInfo = 0x1101;
inline constexpr uint32_t kRespErrUnspec = 0x1200;
inline constexpr uint32_t kRespErrOutOfMemory = 0x1201;
inline constexpr uint32_t kRespErrInvalidScanoutId = 0x1202;
inline constexpr uint32_t kRespErrInvalidResourceId = 0x1203;
inline constexpr uint32_t kRespErrInvalidParameter = 0x1205;
inline constexpr uint32_t kFlagFence = 1;
inline constexpr uint32_t kEventDisplay = 1;  // events_read: the display configuration changed (§5.7.4)
inline constexpr uint32_t kHeaderBytes = 24;
inline constexpr uint32_t kMaxScanouts = 16;
// Formats (§5.7.6.8), all 32 bits per pixel; names give the byte order in memory.
inline constexpr uint32_t kFormatB8G8R8A8 = 1;
inline constexpr uint32_t kFormatB8G8R8X8 = 2;
inline constexpr uint32_t kFormatA8R8G8B8 = 3;
inline constexpr uint32_t kFormatX8R8G8B8 = 4;
inline constexpr uint32_t kFormatR8G8B8A8 = 67;
inline constexpr uint32_t kFormatX8B8G8R8 = 68;
inline constexpr uint32_t kFormatA8B8G8R8 = 121;
inline constexpr uint32_t kFormatR8G8B8X8 = 134;
}  // namespace virtio_gpu

class VirtioGpu final : public DisplaySurface, public VirtioDevice {
    Q_OBJECT
public:
    static constexpr uint64_t kMaxResourceBytes = 256ull << 20;  // host memory a guest may claim
    static constexpr uint32_t kMaxBackingEntries = 16384;
    static constexpr uint32_t kMaxDimension = 16384;

    explicit VirtioGpu(QSize preferredSize = QSize(1024, 768));

    VirtioDeviceId deviceId() const override { return VirtioDeviceId::Gpu; }
    std::string name() const override { return "virtio-gpu"; }
    uint64_t deviceFeatures() const override { return 0; }
    unsigned queueCount() const override { return 2; }
    std::vector<uint8_t> config() const override;
    void writeConfig(uint32_t offset, std::span<const uint8_t> bytes) override;
    void queueNotified(unsigned queue) override;
    void reset() override;

    // DisplaySurface (any thread); the frame is scanout 0.
    bool readFrame(const std::function<void(const FrameView&)>& read) const override;
    QRect takeDirtyRect() override;
    QSize currentSize() const override;
    // Any thread: the host window's size, offered to the guest as its preferred
    // mode (GET_DISPLAY_INFO) with a display-change event, so a guest that
    // follows it (a desktop, a DRM client) resizes to fit the window. Clamped
    // to 320x200..kMaxDimension; takes effect at the VM thread's next poll().
    void requestDisplaySize(QSize size) override;
    QSize preferredSize() const;
    void setWakeCallback(std::function<void()> wake) { wake_ = std::move(wake); }
    // VM thread: raises the display-change event a requestDisplaySize() left pending.
    void poll();
    Status saveScreenshot(const std::string& path) const override;
    // As Linux does when powering off, the guest may turn the scanout off.
    Status saveLastFrame(const std::string& path) const override;

private:
    struct Resource {
        uint32_t format = 0;
        uint32_t width = 0, height = 0;
        std::vector<uint8_t> pixels;
        std::vector<GuestBuffer> backing;
        uint64_t backingBytes = 0;
    };
    struct Rect {
        uint32_t x = 0, y = 0, width = 0, height = 0;
    };

    uint32_t handle(const std::vector<uint8_t>& request, std::vector<uint8_t>& response,
                    const DescriptorChain& chain);
    uint32_t createResource(const uint8_t* body, size_t size);
    uint32_t unrefResource(const uint8_t* body, size_t size);
    uint32_t attachBacking(const uint8_t* body, size_t size, const DescriptorChain& chain);
    uint32_t detachBacking(const uint8_t* body, size_t size);
    uint32_t setScanout(const uint8_t* body, size_t size);
    uint32_t transferToHost(const uint8_t* body, size_t size);
    uint32_t flushResource(const uint8_t* body, size_t size);
    struct RgbFrame {
        uint32_t width = 0, height = 0;
        std::vector<uint8_t> rgb;
    };
    // Both need displayMutex_ held.
    bool scanoutViewLocked(FrameView& view) const;
    RgbFrame scanoutRgbLocked() const;
    void retireScanoutLocked();  // keeps the frame in lastShown_, then turns the scanout off
    bool copyFromBacking(const Resource& resource, uint64_t offset, uint8_t* out, size_t length) const;
    static bool rectInside(const Rect& rect, uint32_t width, uint32_t height);

    // Threads: the VM thread runs every command (queueNotified, reset, poll,
    // config); the UI, the monitor or the CLI's main thread read the display
    // (readFrame, currentSize, takeDirtyRect, the screenshots) and ask for a
    // size (requestDisplaySize). What the readers touch is under displayMutex_.

    // VM thread only (the guest's config space and the memory accounting).
    uint32_t eventsRead_ = 0;
    uint64_t resourceBytes_ = 0;
    std::function<void()> wake_;  // set before the VM thread starts
    std::atomic<bool> displayChangePending_{false};

    mutable std::mutex displayMutex_;
    QSize preferredSize_;  // guarded by displayMutex_
    // Readers walk this map (at the scanout resource) under displayMutex_, so
    // the VM thread inserts and erases under it too. The VM thread, its only
    // writer, may look entries up without the lock. Of each Resource, `pixels`
    // is written only under displayMutex_ (TRANSFER_TO_HOST_2D); format,
    // width and height are fixed at creation; backing is the VM thread's alone.
    std::map<uint32_t, Resource> resources_;
    // Guarded by displayMutex_ (lastShown_: the frame before the scanout was last turned off).
    uint32_t scanoutResource_ = 0;
    Rect scanoutRect_;
    RgbFrame lastShown_;
    QRect dirty_;
    std::atomic<bool> framePending_{false};
};

}  // namespace tessera::devices
