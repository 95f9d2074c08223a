#include "core/devices/bochs_vga.h"

#include <algorithm>

#include "core/devices/png_writer.h"
#include "core/devices/virtio_gpu.h"

namespace tessera::devices {

namespace {
// QEMU's register BAR (standard-vga.rst).
constexpr uint64_t kVgaPorts = BochsVga::kVgaPortsInRegisters;  // ports 0x3c0-0x3df
constexpr uint64_t kVgaPortsEnd = kVgaPorts + BochsVga::kVgaPortCount;
constexpr uint64_t kDispi = 0x500, kDispiEnd = 0x500 + 2 * BochsVga::kIndexCount;
constexpr uint64_t kQemuExtSize = 0x600, kQemuExtEndian = 0x604;
constexpr uint32_t kQemuExtBytes = 8;
constexpr uint16_t kDac8Bit = 0x20;  // ENABLE: palette entries are 8 bits, not 6
constexpr uint16_t kEnableWritable =
    BochsVga::kEnabled | BochsVga::kGetCaps | kDac8Bit | BochsVga::kLfbEnabled | BochsVga::kNoClearMem;
constexpr uint8_t kAttributePaletteSource = 0x20;  // PAS: the display shows pixels (clear: blank)

uint32_t bytesPerPixel(uint32_t bpp) {
    return (bpp + 7) / 8;
}
}  // namespace

BochsVga::BochsVga() : vram_(kVramSize, 0) {
    reset();
}

void BochsVga::reset() {
    {
        std::lock_guard lock(mutex_);
        dispi_.fill(0);
        dispi_[kIndexId] = kIdLatest;
        dispi_[kIndexBpp] = 8;
        dispiIndex_ = 0;
        bigEndian_ = true;
        arIndex_ = 0;
        arFlipFlop_ = false;
        dac_.fill(0);
        dacWriteIndex_ = dacReadIndex_ = dacComponent_ = 0;
    }
    displayChanged();
}

// ---- VRAM (BAR0): little-endian bus values, the guest's bytes in memory order ----

uint64_t BochsVga::readVram(uint64_t offset, unsigned size) {
    if (offset >= kVramSize || size > kVramSize - offset) return 0;
    std::lock_guard lock(mutex_);
    uint64_t value = 0;
    for (unsigned i = 0; i < size; ++i) value |= uint64_t(vram_[offset + i]) << (8 * i);
    return value;
}

void BochsVga::writeVram(uint64_t offset, unsigned size, uint64_t value) {
    if (offset >= kVramSize || size > kVramSize - offset) return;
    QRect area;
    {
        std::lock_guard lock(mutex_);
        for (unsigned i = 0; i < size; ++i) vram_[offset + i] = static_cast<uint8_t>(value >> (8 * i));
        const Mode& m = shownMode_;
        if (!m.valid || offset < m.start) return;
        const uint64_t y = (offset - m.start) / m.stride;
        const uint64_t x = (offset - m.start) % m.stride / bytesPerPixel(m.bpp);
        if (y >= m.height || x >= m.width) return;
        // A store is at most 8 bytes: it covers at most that many pixels of this line.
        area = QRect(int(x), int(y), int(std::min<uint64_t>(size, m.width - x)), 1);
        dirty_ |= area;
    }
    if (!framePending_.exchange(true)) emit frameUpdated(area);
}

// ---- Registers (BAR2) ----

uint64_t BochsVga::readRegister(uint64_t offset, unsigned size) {
    if (offset >= kVgaPorts && offset < kVgaPortsEnd) {
        // The VGA ports are byte registers: wider accesses reach consecutive ports.
        uint64_t value = 0;
        for (unsigned i = 0; i < size && offset + i < kVgaPortsEnd; ++i)
            value |= uint64_t(readVgaPort(unsigned(kVgaPortBase + offset - kVgaPorts + i))) << (8 * i);
        return value;
    }
    if (offset >= kDispi && offset < kDispiEnd) {
        std::lock_guard lock(mutex_);
        const unsigned index = unsigned(offset - kDispi) / 2;
        const uint16_t reg = readDispi(index);
        if (size == 1) return (offset & 1) ? reg >> 8 : reg & 0xff;
        if (size == 4 && !(offset & 1) && index + 1 < kIndexCount)
            return reg | uint32_t(readDispi(index + 1)) << 16;
        return reg;
    }
    if (offset == kQemuExtSize && size == 4) return kQemuExtBytes;
    if (offset == kQemuExtEndian && size == 4) {
        std::lock_guard lock(mutex_);
        return bigEndian_ ? kBigEndian : kLittleEndian;
    }
    return 0;  // the EDID blob at 0 and the holes: none here
}

void BochsVga::writeRegister(uint64_t offset, unsigned size, uint64_t value) {
    bool changed = false;
    {
        std::lock_guard lock(mutex_);
        if (offset >= kVgaPorts && offset < kVgaPortsEnd) {
            for (unsigned i = 0; i < size && offset + i < kVgaPortsEnd; ++i)
                writeVgaPort(unsigned(kVgaPortBase + offset - kVgaPorts + i),
                             static_cast<uint8_t>(value >> (8 * i)));
            changed = true;
        } else if (offset >= kDispi && offset < kDispiEnd && !(offset & 1) && size >= 2) {
            const unsigned index = unsigned(offset - kDispi) / 2;
            writeDispi(index, static_cast<uint16_t>(value));
            if (size >= 4 && index + 1 < kIndexCount)
                writeDispi(index + 1, static_cast<uint16_t>(value >> 16));
            changed = true;
        } else if (offset == kQemuExtEndian && size == 4) {
            if (value == kBigEndian || value == kLittleEndian) {
                bigEndian_ = value == kBigEndian;
                changed = true;
            }
        }
    }
    if (changed) displayChanged();
}

// ---- The VBE index/data ports (0x1ce, 0x1d0) ----

uint64_t BochsVga::readVbePort(uint64_t offset, unsigned size) {
    if (size != 2) return 0;
    std::lock_guard lock(mutex_);
    if (offset == 0) return dispiIndex_;
    if (offset == 2) return readDispi(dispiIndex_);
    return 0;
}

void BochsVga::writeVbePort(uint64_t offset, unsigned size, uint64_t value) {
    if (size != 2) return;
    {
        std::lock_guard lock(mutex_);
        if (offset == 0) {
            dispiIndex_ = static_cast<uint16_t>(value);
            return;
        }
        if (offset != 2) return;
        writeDispi(dispiIndex_, static_cast<uint16_t>(value));
    }
    displayChanged();
}

uint8_t BochsVga::readVgaPort(unsigned port) {
    std::lock_guard lock(mutex_);
    switch (port) {
        case 0x3c0:
            return arIndex_;
        case 0x3c7:
            return 0;  // DAC state
        case 0x3c8:
            return dacWriteIndex_;
        case 0x3c9: {
            const uint8_t v = dac_[dacReadIndex_ * 3 + dacComponent_];
            if (++dacComponent_ == 3) {
                dacComponent_ = 0;
                ++dacReadIndex_;
            }
            return v;
        }
        case 0x3da: {
            // Input status 1: resets the attribute flip-flop. The retrace bits
            // toggle on each read so a driver waiting for a retrace sees one.
            arFlipFlop_ = false;
            inputStatus_ ^= 0x09;
            return inputStatus_;
        }
        default:
            return 0;
    }
}

// With mutex_ held (writeRegister).
void BochsVga::writeVgaPort(unsigned port, uint8_t value) {
    switch (port) {
        case 0x3c0:
            // The attribute controller: index and data alternate on one port.
            if (!arFlipFlop_) arIndex_ = value & 0x3f;
            arFlipFlop_ = !arFlipFlop_;
            break;
        case 0x3c7:
            dacReadIndex_ = value;
            dacComponent_ = 0;
            break;
        case 0x3c8:
            dacWriteIndex_ = value;
            dacComponent_ = 0;
            break;
        case 0x3c9:
            dac_[dacWriteIndex_ * 3 + dacComponent_] = value;
            if (++dacComponent_ == 3) {
                dacComponent_ = 0;
                ++dacWriteIndex_;
            }
            break;
        default:
            break;
    }
}

// With mutex_ held.
uint16_t BochsVga::readDispi(unsigned index) const {
    if (index >= kIndexCount) return 0;
    if (dispi_[kIndexEnable] & kGetCaps) {
        if (index == kIndexXres) return kMaxXres;
        if (index == kIndexYres) return kMaxYres;
        if (index == kIndexBpp) return 32;
    }
    if (index == kIndexVideoMemory64k) return uint16_t(kVramSize >> 16);
    return dispi_[index];
}

// With mutex_ held.
void BochsVga::writeDispi(unsigned index, uint16_t value) {
    switch (index) {
        case kIndexId:
            if ((value & 0xfff0) == 0xb0c0 && value <= kIdLatest) dispi_[kIndexId] = value;
            break;
        case kIndexBpp:
            dispi_[kIndexBpp] = value ? value : 8;
            break;
        case kIndexEnable: {
            const bool was = dispi_[kIndexEnable] & kEnabled;
            value &= kEnableWritable;
            dispi_[kIndexEnable] = value;
            if ((value & kEnabled) && !was) {
                // As QEMU: enabling starts at the visible size with no panning,
                // and clears the visible VRAM unless told not to.
                dispi_[kIndexVirtWidth] = dispi_[kIndexXres];
                dispi_[kIndexVirtHeight] = dispi_[kIndexYres];
                dispi_[kIndexXOffset] = dispi_[kIndexYOffset] = 0;
                if (!(value & kNoClearMem)) {
                    const uint64_t bytes =
                        uint64_t(dispi_[kIndexXres]) * bytesPerPixel(dispi_[kIndexBpp]) * dispi_[kIndexYres];
                    std::fill_n(vram_.begin(), std::min<uint64_t>(bytes, kVramSize), uint8_t(0));
                }
            }
            break;
        }
        case kIndexVideoMemory64k:
            break;  // read-only
        default:
            if (index < kIndexCount) dispi_[index] = value;
            break;
    }
}

// ---- The mode and the frame ----

BochsVga::Mode BochsVga::modeLocked() const {
    Mode m;
    if (!(dispi_[kIndexEnable] & kEnabled) || !(arIndex_ & kAttributePaletteSource)) return m;
    const uint32_t bpp = dispi_[kIndexBpp];
    if (bpp != 8 && bpp != 15 && bpp != 16 && bpp != 24 && bpp != 32) return m;  // no planar modes
    const uint32_t width = dispi_[kIndexXres], height = dispi_[kIndexYres];
    if (width == 0 || height == 0 || width > kMaxXres || height > kMaxYres) return m;
    const uint64_t bytes = bytesPerPixel(bpp);
    const uint64_t stride = std::max<uint64_t>(dispi_[kIndexVirtWidth], width) * bytes;
    const uint64_t start = uint64_t(dispi_[kIndexYOffset]) * stride + uint64_t(dispi_[kIndexXOffset]) * bytes;
    if (start + (height - 1) * stride + width * bytes > kVramSize) return m;  // would read past VRAM
    m.valid = true;
    m.width = width;
    m.height = height;
    m.bpp = bpp;
    m.stride = uint32_t(stride);
    m.start = uint32_t(start);
    m.bigEndian = bigEndian_;
    return m;
}

BochsVga::Mode BochsVga::mode() const {
    std::lock_guard lock(mutex_);
    return shownMode_;
}

uint32_t BochsVga::pixelLocked(const Mode& m, uint32_t x, uint32_t y) const {
    const uint8_t* p = vram_.data() + m.start + uint64_t(y) * m.stride + uint64_t(x) * bytesPerPixel(m.bpp);
    auto rgb = [](uint32_t r, uint32_t g, uint32_t b) { return r << 16 | g << 8 | b; };
    auto expand5 = [](uint32_t v) { return (v << 3) | (v >> 2); };
    auto expand6 = [](uint32_t v) { return (v << 2) | (v >> 4); };
    switch (m.bpp) {
        case 32:
            return m.bigEndian ? rgb(p[1], p[2], p[3]) : rgb(p[2], p[1], p[0]);
        case 24:
            return m.bigEndian ? rgb(p[0], p[1], p[2]) : rgb(p[2], p[1], p[0]);
        case 16:
        case 15: {
            const uint32_t v = m.bigEndian ? uint32_t(p[0]) << 8 | p[1] : uint32_t(p[1]) << 8 | p[0];
            if (m.bpp == 16) return rgb(expand5(v >> 11 & 31), expand6(v >> 5 & 63), expand5(v & 31));
            return rgb(expand5(v >> 10 & 31), expand5(v >> 5 & 31), expand5(v & 31));
        }
        default: {
            const uint8_t* entry = &dac_[size_t(*p) * 3];
            if (dispi_[kIndexEnable] & kDac8Bit) return rgb(entry[0], entry[1], entry[2]);
            return rgb(expand6(entry[0] & 63), expand6(entry[1] & 63), expand6(entry[2] & 63));
        }
    }
}

BochsVga::RgbFrame BochsVga::rgbLocked() const {
    RgbFrame frame;
    const Mode& m = shownMode_;
    if (!m.valid) return frame;
    frame.width = m.width;
    frame.height = m.height;
    frame.rgb.resize(size_t(m.width) * m.height * 3);
    uint8_t* out = frame.rgb.data();
    for (uint32_t y = 0; y < m.height; ++y)
        for (uint32_t x = 0; x < m.width; ++x, out += 3) {
            const uint32_t c = pixelLocked(m, x, y);
            out[0] = uint8_t(c >> 16);
            out[1] = uint8_t(c >> 8);
            out[2] = uint8_t(c);
        }
    return frame;
}

void BochsVga::displayChanged() {
    bool modeChange = false;
    QSize size;
    uint32_t format = virtio_gpu::kFormatX8R8G8B8;
    QRect area;
    {
        std::lock_guard lock(mutex_);
        const Mode next = modeLocked();
        const Mode& old = shownMode_;
        if (old.valid && !next.valid) lastShown_ = rgbLocked();
        modeChange = next.valid != old.valid || next.width != old.width || next.height != old.height ||
                     next.bpp != old.bpp || next.bigEndian != old.bigEndian;
        shownMode_ = next;
        if (!next.valid) return;
        size = QSize(int(next.width), int(next.height));
        if (next.bpp == 32 && !next.bigEndian) format = virtio_gpu::kFormatB8G8R8X8;
        // Panning, the palette or the byte order may change every pixel.
        area = QRect(QPoint(0, 0), size);
        dirty_ = area;
    }
    if (modeChange) emit modeChanged(size, format);
    if (!framePending_.exchange(true)) emit frameUpdated(area);
}

bool BochsVga::readFrame(const std::function<void(const FrameView&)>& read) const {
    std::lock_guard lock(mutex_);
    const Mode& m = shownMode_;
    if (!m.valid) return false;
    FrameView view;
    view.size = QSize(int(m.width), int(m.height));
    if (m.bpp == 32) {
        view.pixels = vram_.data() + m.start;
        view.stride = m.stride;
        view.format = m.bigEndian ? virtio_gpu::kFormatX8R8G8B8 : virtio_gpu::kFormatB8G8R8X8;
    } else {
        // Fewer bits per pixel: a 32-bit copy (x, R, G, B in memory).
        converted_.resize(size_t(m.width) * m.height * 4);
        uint8_t* out = converted_.data();
        for (uint32_t y = 0; y < m.height; ++y)
            for (uint32_t x = 0; x < m.width; ++x, out += 4) {
                const uint32_t c = pixelLocked(m, x, y);
                out[0] = 0;
                out[1] = uint8_t(c >> 16);
                out[2] = uint8_t(c >> 8);
                out[3] = uint8_t(c);
            }
        view.pixels = converted_.data();
        view.stride = m.width * 4;
        view.format = virtio_gpu::kFormatX8R8G8B8;
    }
    read(view);
    return true;
}

QRect BochsVga::takeDirtyRect() {
    std::lock_guard lock(mutex_);
    const QRect dirty = dirty_;
    dirty_ = QRect();
    framePending_ = false;
    return dirty;
}

QSize BochsVga::currentSize() const {
    std::lock_guard lock(mutex_);
    return shownMode_.valid ? QSize(int(shownMode_.width), int(shownMode_.height)) : QSize();
}

Status BochsVga::saveScreenshot(const std::string& path) const {
    RgbFrame frame;
    {
        std::lock_guard lock(mutex_);
        frame = rgbLocked();
    }
    if (frame.rgb.empty())
        return makeError("cannot take a screenshot: the guest has not turned on its display (VBE) yet");
    return writePngFile(path, frame.width, frame.height, frame.rgb);
}

Status BochsVga::saveLastFrame(const std::string& path) const {
    RgbFrame frame;
    {
        std::lock_guard lock(mutex_);
        frame = shownMode_.valid ? rgbLocked() : lastShown_;
    }
    if (frame.rgb.empty()) return makeError("the guest has shown nothing on its display");
    return writePngFile(path, frame.width, frame.height, frame.rgb);
}

}  // namespace tessera::devices
