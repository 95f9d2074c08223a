#include "core/devices/virtio_gpu.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "core/devices/png_writer.h"

namespace tessera::devices {

using namespace virtio_gpu;

namespace {

uint32_t le32(const uint8_t* p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}
uint64_t le64(const uint8_t* p) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}
void put32(std::vector<uint8_t>& out, size_t at, uint32_t v) { std::memcpy(out.data() + at, &v, 4); }

bool knownFormat(uint32_t format) {
    switch (format) {
        case kFormatB8G8R8A8: case kFormatB8G8R8X8: case kFormatA8R8G8B8: case kFormatX8R8G8B8:
        case kFormatR8G8B8A8: case kFormatX8B8G8R8: case kFormatA8B8G8R8: case kFormatR8G8B8X8: return true;
        default: return false;
    }
}

// Byte positions of R, G, B inside one 4-byte pixel for each format.
std::array<int, 3> rgbOffsets(uint32_t format) {
    switch (format) {
        case kFormatB8G8R8A8: case kFormatB8G8R8X8: return {2, 1, 0};
        case kFormatA8R8G8B8: case kFormatX8R8G8B8: return {1, 2, 3};
        case kFormatR8G8B8A8: case kFormatR8G8B8X8: return {0, 1, 2};
        default: return {3, 2, 1};  // X8B8G8R8, A8B8G8R8
    }
}

}  // namespace

VirtioGpu::VirtioGpu(QSize preferredSize) : preferredSize_(preferredSize) {}

std::vector<uint8_t> VirtioGpu::config() const {
    // struct virtio_gpu_config (§5.7.4): events_read, events_clear, num_scanouts, num_capsets.
    std::vector<uint8_t> bytes(16, 0);
    put32(bytes, 0, eventsRead_);
    put32(bytes, 8, 1);
    return bytes;
}

QSize VirtioGpu::preferredSize() const {
    std::lock_guard lock(displayMutex_);
    return preferredSize_;
}

void VirtioGpu::requestDisplaySize(QSize size) {
    size = size.expandedTo(QSize(320, 200)).boundedTo(QSize(int(kMaxDimension), int(kMaxDimension)));
    {
        std::lock_guard lock(displayMutex_);
        if (size == preferredSize_) return;
        preferredSize_ = size;
    }
    displayChangePending_ = true;
    if (wake_) wake_();
}

void VirtioGpu::poll() {
    // Only a driver that is running can act on the event (it re-reads the display info).
    if (!displayChangePending_.exchange(false) || !transport_) return;
    eventsRead_ |= kEventDisplay;
    transport_->configChanged();
}

void VirtioGpu::writeConfig(uint32_t offset, std::span<const uint8_t> bytes) {
    // events_clear (offset 4): write-1-to-clear bits of events_read.
    if (offset == 4 && bytes.size() == 4) eventsRead_ &= ~le32(bytes.data());
}

void VirtioGpu::reset() {
    bool hadScanout = false;
    {
        std::lock_guard lock(displayMutex_);
        hadScanout = scanoutResource_ != 0;
        retireScanoutLocked();
        scanoutRect_ = {};
        resources_.clear();
        resourceBytes_ = 0;
        eventsRead_ = 0;
    }
    // Signals go out after the lock is released: a direct-connected slot may call readFrame().
    if (hadScanout) emit modeChanged(QSize(), 0);
}

void VirtioGpu::queueNotified(unsigned queue) {
    drainQueue(*transport_, queue, [&](const DescriptorChain& chain) -> Result<uint32_t> {
        VirtQueue& q = transport_->queue(queue);
        // Requests are small except ATTACH_BACKING's entry list, which is read
        // separately; 4 KiB covers every fixed-size command.
        std::vector<uint8_t> request(std::min<uint64_t>(chain.readableBytes, 4096));
        if (!q.readFromChain(chain, 0, request)) return makeError("virtio-gpu: unreadable request");
        std::vector<uint8_t> response(kHeaderBytes, 0);
        uint32_t type = kRespErrUnspec;
        if (request.size() >= kHeaderBytes) {
            type = handle(request, response, chain);
            // §5.7.6.7: a fenced request gets the fence echoed in its response.
            if (le32(&request[4]) & kFlagFence) {
                put32(response, 4, kFlagFence);
                std::memcpy(response.data() + 8, request.data() + 8, 8);   // fence_id
                std::memcpy(response.data() + 16, request.data() + 16, 8);  // ctx_id, ring_idx
            }
        }
        put32(response, 0, type);
        const size_t room = std::min<uint64_t>(chain.writableBytes, response.size());
        if (room > 0 && !q.writeToChain(chain, 0, std::span<const uint8_t>(response.data(), room),
                                        transport_->codeInvalidator()))
            return makeError("virtio-gpu: response buffer outside guest RAM");
        return static_cast<uint32_t>(room);
    });
}

uint32_t VirtioGpu::handle(const std::vector<uint8_t>& request, std::vector<uint8_t>& response,
                           const DescriptorChain& chain) {
    const uint8_t* body = request.data() + kHeaderBytes;
    const size_t size = request.size() - kHeaderBytes;
    switch (le32(request.data())) {
        case kCmdGetDisplayInfo: {
            // struct virtio_gpu_resp_display_info: 16 × {rect, enabled, flags}.
            response.assign(kHeaderBytes + kMaxScanouts * 24, 0);
            const QSize preferred = preferredSize();
            put32(response, kHeaderBytes + 8, static_cast<uint32_t>(preferred.width()));
            put32(response, kHeaderBytes + 12, static_cast<uint32_t>(preferred.height()));
            put32(response, kHeaderBytes + 16, 1);
            return kRespOkDisplayInfo;
        }
        case kCmdResourceCreate2d: return createResource(body, size);
        case kCmdResourceUnref: return unrefResource(body, size);
        case kCmdResourceAttachBacking: return attachBacking(body, size, chain);
        case kCmdResourceDetachBacking: return detachBacking(body, size);
        case kCmdSetScanout: return setScanout(body, size);
        case kCmdTransferToHost2d: return transferToHost(body, size);
        case kCmdResourceFlush: return flushResource(body, size);
        case kCmdUpdateCursor:
        case kCmdMoveCursor: return kRespOkNodata;  // no hardware cursor: the guest draws its own
        default: return kRespErrUnspec;
    }
}

uint32_t VirtioGpu::createResource(const uint8_t* body, size_t size) {
    if (size < 16) return kRespErrInvalidParameter;
    const uint32_t id = le32(body), format = le32(body + 4), width = le32(body + 8), height = le32(body + 12);
    if (id == 0 || resources_.count(id)) return kRespErrInvalidResourceId;
    if (!knownFormat(format) || width == 0 || height == 0 || width > kMaxDimension || height > kMaxDimension)
        return kRespErrInvalidParameter;
    const uint64_t bytes = uint64_t{width} * height * 4;
    if (bytes > kMaxResourceBytes - resourceBytes_) return kRespErrOutOfMemory;
    Resource resource;
    resource.format = format;
    resource.width = width;
    resource.height = height;
    // Allocated and zeroed before taking the lock: the UI never waits for it.
    resource.pixels.assign(bytes, 0);
    resourceBytes_ += bytes;
    // Inserting rebalances the map that readFrame() walks on the UI thread.
    std::lock_guard lock(displayMutex_);
    resources_.emplace(id, std::move(resource));
    return kRespOkNodata;
}

uint32_t VirtioGpu::unrefResource(const uint8_t* body, size_t size) {
    if (size < 4) return kRespErrInvalidParameter;
    const uint32_t id = le32(body);
    auto it = resources_.find(id);
    if (it == resources_.end()) return kRespErrInvalidResourceId;
    bool wasScanout = false;
    {
        std::lock_guard lock(displayMutex_);
        wasScanout = scanoutResource_ == id;
        if (wasScanout) retireScanoutLocked();
        resourceBytes_ -= it->second.pixels.size();
        resources_.erase(it);
    }
    if (wasScanout) emit modeChanged(QSize(), 0);
    return kRespOkNodata;
}

uint32_t VirtioGpu::attachBacking(const uint8_t* body, size_t size, const DescriptorChain& chain) {
    if (size < 8) return kRespErrInvalidParameter;
    const uint32_t id = le32(body), entries = le32(body + 4);
    auto it = resources_.find(id);
    if (it == resources_.end()) return kRespErrInvalidResourceId;
    if (!it->second.backing.empty()) return kRespErrUnspec;  // detach first
    // The entry list follows the request; its length is guest-controlled.
    const uint64_t listOffset = kHeaderBytes + 8;
    if (entries == 0 || entries > kMaxBackingEntries || chain.readableBytes < listOffset + uint64_t{entries} * 16)
        return kRespErrInvalidParameter;
    std::vector<uint8_t> list(size_t{entries} * 16);
    if (!transport_->queue(0).readFromChain(chain, listOffset, list)) return kRespErrUnspec;
    std::vector<GuestBuffer> backing;
    uint64_t total = 0;
    for (uint32_t i = 0; i < entries; ++i) {
        const uint64_t address = le64(&list[i * 16]);
        const uint32_t length = le32(&list[i * 16 + 8]);
        // Every page of the backing must be guest RAM, checked once here.
        if (length == 0 || !transport_->bus().ramPointer(address, length)) return kRespErrUnspec;
        backing.push_back({address, length});
        total += length;
    }
    it->second.backing = std::move(backing);
    it->second.backingBytes = total;
    return kRespOkNodata;
}

uint32_t VirtioGpu::detachBacking(const uint8_t* body, size_t size) {
    if (size < 4) return kRespErrInvalidParameter;
    auto it = resources_.find(le32(body));
    if (it == resources_.end()) return kRespErrInvalidResourceId;
    it->second.backing.clear();
    it->second.backingBytes = 0;
    return kRespOkNodata;
}

bool VirtioGpu::rectInside(const Rect& rect, uint32_t width, uint32_t height) {
    return rect.x <= width && rect.width <= width - rect.x && rect.y <= height && rect.height <= height - rect.y;
}

uint32_t VirtioGpu::setScanout(const uint8_t* body, size_t size) {
    if (size < 24) return kRespErrInvalidParameter;
    const Rect rect{le32(body), le32(body + 4), le32(body + 8), le32(body + 12)};
    const uint32_t scanout = le32(body + 16), id = le32(body + 20);
    if (scanout != 0) return kRespErrInvalidScanoutId;
    std::unique_lock lock(displayMutex_);
    if (id == 0) {  // §5.7.6.8: resource 0 disables the scanout
        const bool wasActive = scanoutResource_ != 0;
        retireScanoutLocked();
        lock.unlock();
        if (wasActive) emit modeChanged(QSize(), 0);
        return kRespOkNodata;
    }
    auto it = resources_.find(id);
    if (it == resources_.end()) return kRespErrInvalidResourceId;
    if (rect.width == 0 || rect.height == 0 || !rectInside(rect, it->second.width, it->second.height))
        return kRespErrInvalidParameter;
    const bool modeChange = scanoutResource_ == 0 || scanoutRect_.width != rect.width ||
                            scanoutRect_.height != rect.height ||
                            resources_.at(scanoutResource_).format != it->second.format;
    scanoutResource_ = id;
    scanoutRect_ = rect;
    const uint32_t format = it->second.format;
    lock.unlock();
    if (modeChange) emit modeChanged(QSize(int(rect.width), int(rect.height)), format);
    return kRespOkNodata;
}

bool VirtioGpu::copyFromBacking(const Resource& resource, uint64_t offset, uint8_t* out, size_t length) const {
    if (offset > resource.backingBytes || length > resource.backingBytes - offset) return false;
    for (const GuestBuffer& buffer : resource.backing) {
        if (length == 0) break;
        if (offset >= buffer.length) {
            offset -= buffer.length;
            continue;
        }
        const size_t take = std::min<uint64_t>(buffer.length - offset, length);
        if (!transport_->bus().readBlock(buffer.address + offset, std::span<uint8_t>(out, take))) return false;
        out += take;
        length -= take;
        offset = 0;
    }
    return length == 0;
}

uint32_t VirtioGpu::transferToHost(const uint8_t* body, size_t size) {
    if (size < 32) return kRespErrInvalidParameter;
    const Rect rect{le32(body), le32(body + 4), le32(body + 8), le32(body + 12)};
    const uint64_t offset = le64(body + 16);
    auto it = resources_.find(le32(body + 24));
    if (it == resources_.end()) return kRespErrInvalidResourceId;
    Resource& resource = it->second;
    if (!rectInside(rect, resource.width, resource.height)) return kRespErrInvalidParameter;
    if (resource.backing.empty()) return kRespErrUnspec;
    const uint64_t stride = uint64_t{resource.width} * 4;
    std::lock_guard lock(displayMutex_);  // the UI may be reading these pixels
    // Like QEMU: row h comes from backing offset + h*stride, `offset` already
    // pointing at (x, y) of the first row.
    for (uint32_t row = 0; row < rect.height; ++row) {
        uint8_t* destination = resource.pixels.data() + (rect.y + row) * stride + uint64_t{rect.x} * 4;
        if (!copyFromBacking(resource, offset + row * stride, destination, size_t{rect.width} * 4))
            return kRespErrInvalidParameter;
    }
    return kRespOkNodata;
}

uint32_t VirtioGpu::flushResource(const uint8_t* body, size_t size) {
    if (size < 20) return kRespErrInvalidParameter;
    const Rect rect{le32(body), le32(body + 4), le32(body + 8), le32(body + 12)};
    const uint32_t id = le32(body + 16);
    if (!resources_.count(id)) return kRespErrInvalidResourceId;
    QRect dirty;
    {
        std::lock_guard lock(displayMutex_);
        if (id != scanoutResource_) return kRespOkNodata;
        const QRect flushed(int(rect.x) - int(scanoutRect_.x), int(rect.y) - int(scanoutRect_.y), int(rect.width),
                            int(rect.height));
        dirty = flushed.intersected(QRect(0, 0, int(scanoutRect_.width), int(scanoutRect_.height)));
        if (dirty.isEmpty()) return kRespOkNodata;
        dirty_ = dirty_.united(dirty);
    }
    // Coalesce: one signal until the UI takes the dirty area.
    if (!framePending_.exchange(true)) emit frameUpdated(dirty);
    return kRespOkNodata;
}

QRect VirtioGpu::takeDirtyRect() {
    std::lock_guard lock(displayMutex_);
    const QRect dirty = dirty_;
    dirty_ = QRect();
    framePending_ = false;
    return dirty;
}

QSize VirtioGpu::currentSize() const {
    std::lock_guard lock(displayMutex_);
    return scanoutResource_ ? QSize(int(scanoutRect_.width), int(scanoutRect_.height)) : QSize();
}

bool VirtioGpu::scanoutViewLocked(FrameView& view) const {
    if (scanoutResource_ == 0) return false;
    const Resource& resource = resources_.at(scanoutResource_);
    view.stride = resource.width * 4;
    view.pixels = resource.pixels.data() + uint64_t{scanoutRect_.y} * view.stride + uint64_t{scanoutRect_.x} * 4;
    view.size = QSize(int(scanoutRect_.width), int(scanoutRect_.height));
    view.format = resource.format;
    return true;
}

VirtioGpu::RgbFrame VirtioGpu::scanoutRgbLocked() const {
    RgbFrame frame;
    FrameView view;
    if (!scanoutViewLocked(view)) return frame;
    frame.width = uint32_t(view.size.width());
    frame.height = uint32_t(view.size.height());
    const auto [r, g, b] = rgbOffsets(view.format);
    frame.rgb.resize(size_t{frame.width} * frame.height * 3);
    for (uint32_t y = 0; y < frame.height; ++y) {
        const uint8_t* row = view.pixels + uint64_t{y} * view.stride;
        uint8_t* out = frame.rgb.data() + size_t{y} * frame.width * 3;
        for (uint32_t x = 0; x < frame.width; ++x, row += 4, out += 3) {
            out[0] = row[r];
            out[1] = row[g];
            out[2] = row[b];
        }
    }
    return frame;
}

void VirtioGpu::retireScanoutLocked() {
    if (scanoutResource_ != 0) lastShown_ = scanoutRgbLocked();
    scanoutResource_ = 0;
}

bool VirtioGpu::readFrame(const std::function<void(const FrameView&)>& read) const {
    std::lock_guard lock(displayMutex_);
    FrameView view;
    if (!scanoutViewLocked(view)) return false;
    read(view);
    return true;
}

Status VirtioGpu::saveScreenshot(const std::string& path) const {
    RgbFrame frame;
    {
        std::lock_guard lock(displayMutex_);
        frame = scanoutRgbLocked();
    }
    if (frame.rgb.empty()) return makeError("cannot take a screenshot: the guest has not set up a display yet");
    return writePngFile(path, frame.width, frame.height, frame.rgb);
}

Status VirtioGpu::saveLastFrame(const std::string& path) const {
    RgbFrame frame;
    {
        std::lock_guard lock(displayMutex_);
        frame = scanoutResource_ != 0 ? scanoutRgbLocked() : lastShown_;
    }
    if (frame.rgb.empty()) return makeError("no frame to save: the guest never turned its display on");
    return writePngFile(path, frame.width, frame.height, frame.rgb);
}

}  // namespace tessera::devices
