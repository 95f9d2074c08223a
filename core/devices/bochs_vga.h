#pragma once
// BochsVga: QEMU's standard PCI VGA ("-device VGA", PCI 1234:1111) as the
// PowerPC mac99 board has it, in the part firmware and Linux use there:
//  - BAR0, the linear framebuffer (16 MiB of VRAM, prefetchable);
//  - BAR2, QEMU's 4 KiB register BAR (docs/specs/standard-vga.rst in QEMU):
//      0x400-0x41f  the VGA I/O ports 0x3c0-0x3df (attribute index with its
//                   flip-flop, the DAC palette, the status register),
//      0x500-0x517  the Bochs VBE "DISPI" registers, 16 bits each at 2*index,
//      0x600-0x607  QEMU's extension: its size, and the framebuffer byte order.
//  - the legacy I/O ports (through the host bridge's I/O window): the VGA
//    ports 0x3c0-0x3df (the same registers as BAR2's 0x400) and the VBE
//    index at 0x1ce and data at 0x1d0 (vbePorts(), 16-bit little-endian).
// Debian's OpenBIOS sets the mode through the legacy ports (QEMU's mac99
// with the VGA's MMIO BAR turned off behaves the same), then publishes
// width/height/depth/linebytes/address in the device tree, which Linux's
// offb draws into; Linux's bochs DRM driver would use BAR2. The byte order
// defaults to big-endian as on QEMU's PowerPC targets: a 32-bit pixel is
// x, R, G, B in memory. Legacy VGA text and planar modes are not emulated:
// the screen shows something only with VBE enabled.
//
// Every register is guest-controlled: the mode shown is recomputed from them
// with bounds checks (depth, sizes, virtual width, offsets inside VRAM); an
// impossible mode shows nothing rather than reading outside VRAM.
//
// Threads: the VM thread makes the register and VRAM accesses; the host side
// reads frames through DisplaySurface (any thread). VRAM and the mode are
// guarded by one mutex, held only briefly.

#include <array>
#include <atomic>
#include <mutex>
#include <vector>

#include "core/devices/display_surface.h"
#include "core/devices/pci_function.h"
#include "core/hw/mmio_device.h"

namespace tessera::devices {

class BochsVga final : public DisplaySurface {
    Q_OBJECT
public:
    static constexpr uint32_t kVramSize = 16u << 20;
    static constexpr uint32_t kMmioSize = 0x1000;
    static constexpr uint32_t kMaxXres = 16000, kMaxYres = 12000;  // what QEMU's GETCAPS reports
    // DISPI register indexes and ENABLE bits (Bochs vbe.h).
    enum DispiIndex : uint16_t {
        kIndexId = 0,
        kIndexXres,
        kIndexYres,
        kIndexBpp,
        kIndexEnable,
        kIndexBank,
        kIndexVirtWidth,
        kIndexVirtHeight,
        kIndexXOffset,
        kIndexYOffset,
        kIndexVideoMemory64k,
        kIndexCount
    };
    static constexpr uint16_t kEnabled = 0x01, kGetCaps = 0x02, kLfbEnabled = 0x40, kNoClearMem = 0x80;
    static constexpr uint16_t kIdLatest = 0xb0c5;
    // QEMU's framebuffer byte-order register values.
    static constexpr uint32_t kBigEndian = 0xbebebebe, kLittleEndian = 0x1e1e1e1e;

    static PciFunction::Identity pciIdentity() { return {0x1234, 0x1111, 0x030000, 2, 0}; }

    BochsVga();

    // The two BARs, for PciFunction::setMemoryBar (BAR0 prefetchable).
    hw::MmioDevice& framebuffer() { return framebuffer_; }
    hw::MmioDevice& registers() { return registers_; }
    // Ports 0x1ce-0x1d1 (offset 0 the index, offset 2 the data) and the
    // offset in registers() where ports 0x3c0-0x3df are.
    hw::MmioDevice& vbePorts() { return vbePorts_; }
    static constexpr uint32_t kVbePortBase = 0x1ce, kVbePortCount = 4;
    static constexpr uint32_t kVgaPortBase = 0x3c0, kVgaPortCount = 0x20, kVgaPortsInRegisters = 0x400;
    void reset();

    // The mode the registers describe, checked against VRAM; valid == false
    // when nothing is shown (VBE off, blanked, or an impossible mode).
    struct Mode {
        bool valid = false;
        uint32_t width = 0, height = 0, bpp = 0;
        uint32_t stride = 0, start = 0;  // bytes per line and the first visible byte in VRAM
        bool bigEndian = true;
    };
    Mode mode() const;

    // DisplaySurface.
    bool readFrame(const std::function<void(const FrameView&)>& read) const override;
    QRect takeDirtyRect() override;
    QSize currentSize() const override;
    Status saveScreenshot(const std::string& path) const override;
    Status saveLastFrame(const std::string& path) const override;

private:
    struct Framebuffer : hw::MmioDevice {
        explicit Framebuffer(BochsVga& vga) : vga(vga) {}
        std::string name() const override { return "vga-framebuffer"; }
        uint64_t mmioSize() const override { return kVramSize; }
        uint64_t read(uint64_t offset, unsigned size) override { return vga.readVram(offset, size); }
        void write(uint64_t offset, unsigned size, uint64_t value) override {
            vga.writeVram(offset, size, value);
        }
        BochsVga& vga;
    };
    struct Registers : hw::MmioDevice {
        explicit Registers(BochsVga& vga) : vga(vga) {}
        std::string name() const override { return "vga-registers"; }
        uint64_t mmioSize() const override { return kMmioSize; }
        uint64_t read(uint64_t offset, unsigned size) override { return vga.readRegister(offset, size); }
        void write(uint64_t offset, unsigned size, uint64_t value) override {
            vga.writeRegister(offset, size, value);
        }
        BochsVga& vga;
    };
    struct VbePorts : hw::MmioDevice {
        explicit VbePorts(BochsVga& vga) : vga(vga) {}
        std::string name() const override { return "vga-vbe-ports"; }
        uint64_t mmioSize() const override { return kVbePortCount; }
        uint64_t read(uint64_t offset, unsigned size) override { return vga.readVbePort(offset, size); }
        void write(uint64_t offset, unsigned size, uint64_t value) override {
            vga.writeVbePort(offset, size, value);
        }
        BochsVga& vga;
    };
    struct RgbFrame {
        uint32_t width = 0, height = 0;
        std::vector<uint8_t> rgb;
    };

    uint64_t readVram(uint64_t offset, unsigned size);
    void writeVram(uint64_t offset, unsigned size, uint64_t value);
    uint64_t readRegister(uint64_t offset, unsigned size);
    void writeRegister(uint64_t offset, unsigned size, uint64_t value);
    uint64_t readVbePort(uint64_t offset, unsigned size);
    void writeVbePort(uint64_t offset, unsigned size, uint64_t value);
    uint8_t readVgaPort(unsigned port);
    void writeVgaPort(unsigned port, uint8_t value);
    uint16_t readDispi(unsigned index) const;
    void writeDispi(unsigned index, uint16_t value);

    // With mutex_ held.
    Mode modeLocked() const;
    uint32_t pixelLocked(const Mode& mode, uint32_t x, uint32_t y) const;  // 0x00RRGGBB
    RgbFrame rgbLocked() const;
    // After a register write: the mode may have changed (emits modeChanged, all dirty).
    void displayChanged();
    void markDirty(QRect area);

    Framebuffer framebuffer_{*this};
    Registers registers_{*this};
    VbePorts vbePorts_{*this};

    mutable std::mutex mutex_;
    std::vector<uint8_t> vram_;
    std::array<uint16_t, kIndexCount> dispi_{};
    uint16_t dispiIndex_ = 0;
    bool bigEndian_ = true;
    uint8_t arIndex_ = 0;  // attribute controller index; bit 5 (PAS) clear blanks the screen
    bool arFlipFlop_ = false;
    uint8_t inputStatus_ = 0;         // port 0x3da: retrace bits
    std::array<uint8_t, 768> dac_{};  // 256 RGB entries, 6 bits each
    uint8_t dacWriteIndex_ = 0, dacReadIndex_ = 0, dacComponent_ = 0;
    mutable std::vector<uint8_t> converted_;  // readFrame's 32-bit copy of a 8/15/16/24-bit mode
    Mode shownMode_;                          // the mode the host last heard of
    RgbFrame lastShown_;                      // the frame before the guest last turned the display off
    QRect dirty_;
    std::atomic<bool> framePending_{false};
};

}  // namespace tessera::devices
