// Specification: the mac99 board's VGA behaves as QEMU's standard VGA
// (PCI 1234:1111) where OpenBIOS and Linux touch it: the Bochs VBE registers
// through the VBE ports and QEMU's register BAR set a mode; the attribute
// controller's PAS bit unblanks it; the framebuffer shows the guest's pixels
// (big-endian x/R/G/B by default, palette and 16-bit modes converted); the
// host sees frames, dirty areas and screenshots. Guest values out of range
// never make the display read outside VRAM.

#include "core/devices/bochs_vga.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <array>

#include "core/devices/pci_function.h"
#include "core/devices/uninorth_pci.h"
#include "core/devices/virtio_gpu.h"
#include "decoded_png.h"

using tessera::devices::BochsVga;
using tessera::devices::FrameView;
using tessera::devices::PciFunction;
using tessera::devices::UniNorthPci;

namespace {
constexpr uint64_t kDispi = 0x500, kVgaPorts = 0x400, kQemuEndian = 0x604;

void dispi(BochsVga& vga, unsigned index, uint16_t value) {
    vga.registers().write(kDispi + 2 * index, 2, value);
}
uint16_t dispiRead(BochsVga& vga, unsigned index) {
    return uint16_t(vga.registers().read(kDispi + 2 * index, 2));
}
// What OpenBIOS's QEMU,VGA driver does (vbe-init), then the attribute index with PAS.
void setMode(BochsVga& vga, uint16_t width, uint16_t height, uint16_t bpp, uint16_t enable = 0x01) {
    dispi(vga, BochsVga::kIndexEnable, 0);
    dispi(vga, BochsVga::kIndexXres, width);
    dispi(vga, BochsVga::kIndexYres, height);
    dispi(vga, BochsVga::kIndexBpp, bpp);
    dispi(vga, BochsVga::kIndexEnable, enable);
    vga.registers().write(kVgaPorts, 1, 0x20);
}
using Rgb = std::array<uint8_t, 3>;
Rgb pngPixel(const QString& path, quint32 x, quint32 y) {
    const DecodedPng png = readPngFile(path);
    if (png.rows.empty() || x >= png.width || y >= png.height) return {};
    const uint8_t* p = png.pixel(x, y);
    return {p[0], p[1], p[2]};
}
// The pixel at (x, y) of a screenshot.
Rgb screenshotPixel(const BochsVga& vga, quint32 x, quint32 y) {
    QTemporaryDir dir;
    const QString path = dir.filePath("shot.png");
    if (!vga.saveScreenshot(path.toStdString())) return {};
    return pngPixel(path, x, y);
}
}  // namespace

class BochsVgaTest : public QObject {
    Q_OBJECT
private slots:
    void itIsQemusStandardVgaOnPci() {
        BochsVga vga;
        PciFunction function(BochsVga::pciIdentity());
        function.setMemoryBar(0, BochsVga::kVramSize, &vga.framebuffer(), true);
        function.setMemoryBar(2, BochsVga::kMmioSize, &vga.registers());
        QCOMPARE(function.readConfig(0, 4), 0x11111234u);
        QCOMPARE(function.readConfig(8, 4) >> 8, 0x030000u);  // display controller, VGA
        function.writeConfig(0x10, 4, 0xffffffff);
        QCOMPARE(function.readConfig(0x10, 4), 0xff000008u);  // 16 MiB, prefetchable
        function.writeConfig(0x18, 4, 0xffffffff);
        QCOMPARE(function.readConfig(0x18, 4), 0xfffff000u);  // 4 KiB
    }
    void theVbeIdAndMemoryReadAsOnQemu() {
        BochsVga vga;
        QCOMPARE(dispiRead(vga, BochsVga::kIndexId), uint16_t(0xb0c5));
        QCOMPARE(dispiRead(vga, BochsVga::kIndexVideoMemory64k), uint16_t(256));
        dispi(vga, BochsVga::kIndexEnable, BochsVga::kGetCaps);
        QCOMPARE(dispiRead(vga, BochsVga::kIndexXres), uint16_t(BochsVga::kMaxXres));
        QCOMPARE(dispiRead(vga, BochsVga::kIndexBpp), uint16_t(32));
        QCOMPARE(vga.registers().read(kQemuEndian, 4), uint64_t(BochsVga::kBigEndian));
    }
    void aModeShowsOnlyOnceEnabledAndUnblanked() {
        BochsVga vga;
        QSignalSpy modes(&vga, &BochsVga::modeChanged);
        dispi(vga, BochsVga::kIndexXres, 800);
        dispi(vga, BochsVga::kIndexYres, 600);
        dispi(vga, BochsVga::kIndexBpp, 32);
        dispi(vga, BochsVga::kIndexEnable, BochsVga::kEnabled);
        QVERIFY(!vga.mode().valid);                 // the attribute controller still blanks the screen
        vga.registers().write(kVgaPorts, 1, 0x00);  // flip-flop: this is the index, PAS clear
        vga.registers().write(kVgaPorts, 1, 0x20);  // ... and this the data: still blank
        QVERIFY(!vga.mode().valid);
        vga.registers().read(kVgaPorts + 0x1a, 1);  // port 0x3da resets the flip-flop
        vga.registers().write(kVgaPorts, 1, 0x20);  // the index, with PAS
        const BochsVga::Mode mode = vga.mode();
        QVERIFY(mode.valid);
        QCOMPARE(mode.width, 800u);
        QCOMPARE(mode.height, 600u);
        QCOMPARE(mode.stride, 3200u);
        QCOMPARE(vga.currentSize(), QSize(800, 600));
        QCOMPARE(modes.count(), 1);
        QCOMPARE(modes.at(0).at(0).toSize(), QSize(800, 600));
    }
    void theLegacyPortsReachItThroughTheUniNorthIoWindowWithIoEnabled() {
        BochsVga vga;
        PciFunction function(BochsVga::pciIdentity());
        UniNorthPci pci;
        pci.attach(14 << 3, &function);
        pci.attachLegacyIo(BochsVga::kVbePortBase, BochsVga::kVbePortCount, &function, &vga.vbePorts(), 0);
        pci.attachLegacyIo(BochsVga::kVgaPortBase, BochsVga::kVgaPortCount, &function, &vga.registers(),
                           BochsVga::kVgaPortsInRegisters);
        auto& io = pci.ioWindow();
        io.write(0x1ce, 2, BochsVga::kIndexXres);
        io.write(0x1d0, 2, 640);
        QCOMPARE(dispiRead(vga, BochsVga::kIndexXres), uint16_t(0));  // I/O space is off
        QCOMPARE(io.read(0x1ce, 2), uint64_t(0xffff));
        function.writeConfig(0x04, 2, 0x0001);  // command: I/O space
        io.write(0x1ce, 2, BochsVga::kIndexXres);
        io.write(0x1d0, 2, 640);
        QCOMPARE(dispiRead(vga, BochsVga::kIndexXres), uint16_t(640));
        io.write(0x1ce, 2, BochsVga::kIndexId);
        QCOMPARE(io.read(0x1d0, 2), uint64_t(0xb0c5));
        io.write(0x3c0, 1, 0x20);
        QCOMPARE(vga.registers().read(kVgaPorts, 1), uint64_t(0x20));
        QCOMPARE(io.read(0x60, 1), uint64_t(0xff));  // nobody's port
    }
    void thirtyTwoBitPixelsAreBigEndianXrgbAndMarkTheirArea() {
        BochsVga vga;
        setMode(vga, 640, 480, 32);
        QSignalSpy updates(&vga, &BochsVga::frameUpdated);
        vga.takeDirtyRect();
        // The guest CPU stores 0x00123456 big-endian: bytes 00 12 34 56 (the bus is byte-lane preserving).
        vga.framebuffer().write(uint64_t(10) * 2560 + 20 * 4, 4, 0x56341200);
        QCOMPARE(updates.count(), 1);
        QCOMPARE(vga.takeDirtyRect(), QRect(20, 10, 4, 1));
        QCOMPARE(screenshotPixel(vga, 20, 10), (Rgb{0x12, 0x34, 0x56}));
        bool shown = vga.readFrame([](const FrameView& frame) {
            QCOMPARE(frame.size, QSize(640, 480));
            QCOMPARE(frame.stride, 2560u);
            QCOMPARE(frame.format, tessera::devices::virtio_gpu::kFormatX8R8G8B8);
            QCOMPARE(frame.pixels[10 * 2560 + 20 * 4 + 1], uint8_t(0x12));
        });
        QVERIFY(shown);
        vga.registers().write(kQemuEndian, 4, BochsVga::kLittleEndian);
        QCOMPARE(screenshotPixel(vga, 20, 10), (Rgb{0x34, 0x12, 0x00}));  // B G R x: 00 12 34 56
    }
    void palettedAndSixteenBitModesAreConverted() {
        BochsVga vga;
        setMode(vga, 320, 200, 8);
        vga.registers().write(kVgaPorts + 8, 1, 5);  // DAC write index 5 (port 0x3c8)
        for (uint8_t component : {63, 32, 0}) vga.registers().write(kVgaPorts + 9, 1, component);
        vga.framebuffer().write(0, 1, 5);
        QCOMPARE(screenshotPixel(vga, 0, 0), (Rgb{255, 130, 0}));
        setMode(vga, 320, 200, 16);
        vga.framebuffer().write(2, 2, 0x1ff8);  // big-endian 0xf81f: red and blue full, no green
        QCOMPARE(screenshotPixel(vga, 1, 0), (Rgb{255, 0, 255}));
        bool shown = vga.readFrame([](const FrameView& frame) {
            QCOMPARE(frame.stride, 320u * 4);
            QCOMPARE(frame.pixels[4 + 1], uint8_t(255));
        });
        QVERIFY(shown);
    }
    void enablingClearsTheScreenUnlessAskedNotTo() {
        BochsVga vga;
        vga.framebuffer().write(0, 4, 0xffffffff);
        setMode(vga, 64, 64, 32, BochsVga::kEnabled | BochsVga::kNoClearMem);
        QCOMPARE(vga.framebuffer().read(0, 4), uint64_t(0xffffffff));
        dispi(vga, BochsVga::kIndexEnable, 0);
        dispi(vga, BochsVga::kIndexEnable, BochsVga::kEnabled);
        QCOMPARE(vga.framebuffer().read(0, 4), uint64_t(0));
    }
    void hostileModesShowNothingAndNeverReadPastVram() {
        BochsVga vga;
        setMode(vga, 16000, 12000, 32);  // 768 MB: far more than VRAM
        QVERIFY(!vga.mode().valid);
        QVERIFY(!vga.readFrame([](const FrameView&) {}));
        QVERIFY(!vga.saveScreenshot(QDir::temp().filePath("tessera-never.png").toStdString()));
        setMode(vga, 640, 480, 7);  // no such depth
        QVERIFY(!vga.mode().valid);
        setMode(vga, 0, 480, 32);
        QVERIFY(!vga.mode().valid);
        setMode(vga, 1024, 768, 32);
        QVERIFY(vga.mode().valid);
        dispi(vga, BochsVga::kIndexYOffset, 0xffff);  // panned past the end
        QVERIFY(!vga.mode().valid);
        dispi(vga, BochsVga::kIndexYOffset, 0);
        dispi(vga, BochsVga::kIndexVirtWidth, 1);  // narrower than the screen: the screen's width counts
        QCOMPARE(vga.mode().stride, 4096u);
        dispi(vga, BochsVga::kIndexVirtWidth, 0xffff);  // 65535 x 4 bytes x 768 lines: too much
        QVERIFY(!vga.mode().valid);
        // Accesses at the edge of or beyond VRAM and the register BAR are ignored.
        vga.framebuffer().write(BochsVga::kVramSize - 2, 4, 0xffffffff);
        QCOMPARE(vga.framebuffer().read(BochsVga::kVramSize - 2, 4), uint64_t(0));
        vga.framebuffer().write(~uint64_t(0) - 1, 8, 1);
        vga.registers().write(0xfff, 4, 0xffffffff);
        QCOMPARE(vga.registers().read(0x5fe, 2), uint64_t(0));
        vga.vbePorts().write(0, 2, 0xffff);  // an index that does not exist
        vga.vbePorts().write(2, 2, 0x1234);
        QCOMPARE(vga.vbePorts().read(2, 2), uint64_t(0));
        vga.registers().write(kDispi + 2 * BochsVga::kIndexId, 2, 0x1234);  // not a VBE id
        QCOMPARE(dispiRead(vga, BochsVga::kIndexId), uint16_t(0xb0c5));
        for (int i = 0; i < 1000; ++i) vga.registers().write(kVgaPorts + 9, 1, uint8_t(i));  // the DAC wraps
    }
    void theLastFrameOutlivesTheGuestTurningTheDisplayOff() {
        BochsVga vga;
        setMode(vga, 64, 48, 32);
        vga.framebuffer().write(0, 4, 0x00ff0000);  // x R G B = 00 00 ff 00: green
        dispi(vga, BochsVga::kIndexEnable, 0);
        QVERIFY(!vga.mode().valid);
        QTemporaryDir dir;
        const QString path = dir.filePath("last.png");
        QVERIFY(!vga.saveScreenshot(path.toStdString()));
        QVERIFY(vga.saveLastFrame(path.toStdString()));
        const DecodedPng png = readPngFile(path);
        QCOMPARE(png.width, 64u);
        QCOMPARE(png.height, 48u);
        QCOMPARE(pngPixel(path, 0, 0), (Rgb{0, 255, 0}));
    }
};

QTEST_GUILESS_MAIN(BochsVgaTest)
#include "bochs_vga_test.moc"
