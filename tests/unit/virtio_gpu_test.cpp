// Specification: virtio-gpu 2D (virtio 1.2 §5.7) turns a guest's resource
// create / attach backing / set scanout / transfer / flush sequence into
// pixels the UI can read, with one coalesced frameUpdated signal and a
// modeChanged signal; hostile scatter lists and rectangles get error
// responses, never host memory accesses; screenshots are valid PNG files.

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <latch>
#include <thread>

#include "core/devices/virtio_gpu.h"
#include "decoded_png.h"
#include "virtio_test_driver.h"

using namespace tessera;
using namespace tessera::devices;
using namespace tessera::devices::virtio_gpu;
using namespace tessera::testing;

namespace {

class Request {
public:
    explicit Request(uint32_t type, uint32_t flags = 0, uint64_t fence = 0) {
        u32(type).u32(flags).u64(fence).u32(0).u32(0);
    }
    Request& u32(uint32_t v) { append(&v, 4); return *this; }
    Request& u64(uint64_t v) { append(&v, 8); return *this; }
    std::vector<uint8_t> bytes;

private:
    void append(const void* p, size_t n) {
        bytes.insert(bytes.end(), static_cast<const uint8_t*>(p), static_cast<const uint8_t*>(p) + n);
    }
};

struct GpuRig {
    GpuRig() : gpu(QSize(800, 600)), mmio(driver.bus, &gpu) {
        driver.attach(&mmio);
        initialised = driver.initialise(~0ull, 2, 64);
    }
    // Sends a control command; returns the response bytes.
    std::vector<uint8_t> command(const Request& request, uint32_t responseBytes = 24) {
        std::vector<TestBuffer> buffers{TestBuffer::in(request.bytes), TestBuffer::out(responseBytes)};
        driver.submit(0, buffers);
        const auto used = driver.takeUsed(0);
        if (used.size() != 1) return {};
        return driver.peek(buffers[1].address, used[0].length);
    }
    uint32_t status(const Request& request) {
        const auto response = command(request);
        if (response.size() < 4) return 0;
        uint32_t type;
        std::memcpy(&type, response.data(), 4);
        return type;
    }
    uint32_t create(uint32_t id, uint32_t width, uint32_t height, uint32_t format = kFormatB8G8R8X8) {
        return status(Request(kCmdResourceCreate2d).u32(id).u32(format).u32(width).u32(height));
    }

    VirtioTestDriver driver;
    VirtioGpu gpu;
    VirtioMmio mmio;
    bool initialised = false;
};

uint32_t pixelAt(const std::vector<uint8_t>& image, uint32_t width, uint32_t x, uint32_t y) {
    uint32_t v;
    std::memcpy(&v, &image[(uint64_t{y} * width + x) * 4], 4);
    return v;
}

QByteArray readFile(const std::string& path) {
    QFile file(QString::fromStdString(path));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

class VirtioGpuTest : public QObject {
    Q_OBJECT
private slots:
    void displayInfoReportsThePreferredMode() {
        GpuRig rig;
        QVERIFY(rig.initialised);
        QCOMPARE(rig.driver.reg(virtio_mmio_reg::kDeviceId), 16u);
        QCOMPARE(rig.mmio.read(0x108, 4), uint64_t{1});  // num_scanouts
        const auto response = rig.command(Request(kCmdGetDisplayInfo), 24 + 16 * 24);
        QCOMPARE(response.size(), size_t{24 + 16 * 24});
        uint32_t type, width, height, enabled;
        std::memcpy(&type, &response[0], 4);
        std::memcpy(&width, &response[24 + 8], 4);
        std::memcpy(&height, &response[24 + 12], 4);
        std::memcpy(&enabled, &response[24 + 16], 4);
        QCOMPARE(type, kRespOkDisplayInfo);
        QCOMPARE(width, 800u);
        QCOMPARE(height, 600u);
        QCOMPARE(enabled, 1u);
    }

    void theHostWindowSizeBecomesThePreferredModeWithADisplayEvent() {
        GpuRig rig;
        int wakes = 0;
        rig.gpu.setWakeCallback([&] { ++wakes; });
        rig.gpu.requestDisplaySize(QSize(1280, 720));  // the UI thread, while the VM runs
        QCOMPARE(wakes, 1);
        QCOMPARE(rig.mmio.read(0x100, 4), uint64_t{0});  // events_read: nothing until the VM thread polls
        const int raisesBefore = rig.driver.interruptRaises;
        rig.gpu.poll();
        QCOMPARE(rig.mmio.read(0x100, 4), uint64_t{kEventDisplay});
        QCOMPARE(rig.driver.reg(virtio_mmio_reg::kInterruptStatus) & 2u, 2u);  // configuration change
        QVERIFY(rig.driver.interruptRaises > raisesBefore);
        const auto response = rig.command(Request(kCmdGetDisplayInfo), 24 + 16 * 24);
        uint32_t width, height;
        std::memcpy(&width, &response[24 + 8], 4);
        std::memcpy(&height, &response[24 + 12], 4);
        QCOMPARE(QSize(int(width), int(height)), QSize(1280, 720));
        rig.mmio.write(0x104, 4, kEventDisplay);  // events_clear
        QCOMPARE(rig.mmio.read(0x100, 4), uint64_t{0});

        rig.gpu.requestDisplaySize(QSize(1280, 720));  // unchanged: no event, no wake
        rig.gpu.poll();
        QCOMPARE(wakes, 1);
        QCOMPARE(rig.mmio.read(0x100, 4), uint64_t{0});
        rig.gpu.requestDisplaySize(QSize(10, 100000));  // a window can be tiny or huge; the mode stays sane
        QCOMPARE(rig.gpu.preferredSize(), QSize(320, int(VirtioGpu::kMaxDimension)));
    }

    void transferAndFlushProduceThePixelsAndOneCoalescedSignal() {
        GpuRig rig;
        QSignalSpy frames(&rig.gpu, &VirtioGpu::frameUpdated);
        QSignalSpy modes(&rig.gpu, &VirtioGpu::modeChanged);
        constexpr uint32_t W = 64, H = 48;
        QCOMPARE(rig.create(7, W, H), kRespOkNodata);
        // Guest framebuffer in two scattered pieces, like pages of a dumb buffer.
        const uint64_t bytes = W * H * 4;
        const uint64_t first = rig.driver.allocate(bytes / 2, 4096);
        rig.driver.allocate(8192);  // a gap between the pieces
        const uint64_t second = rig.driver.allocate(bytes / 2, 4096);
        std::vector<uint8_t> image(bytes);
        for (uint32_t y = 0; y < H; ++y)
            for (uint32_t x = 0; x < W; ++x) {
                const uint32_t pixel = 0xff000000u | (x * 4) << 16 | (y * 5) << 8 | ((x ^ y) & 0xff);
                std::memcpy(&image[(y * W + x) * 4], &pixel, 4);
            }
        rig.driver.poke(first, std::span<const uint8_t>(image.data(), bytes / 2));
        rig.driver.poke(second, std::span<const uint8_t>(image.data() + bytes / 2, bytes / 2));
        QCOMPARE(rig.status(Request(kCmdResourceAttachBacking).u32(7).u32(2).u64(first).u32(bytes / 2).u32(0)
                                .u64(second).u32(bytes / 2).u32(0)),
                 kRespOkNodata);
        QCOMPARE(rig.status(Request(kCmdSetScanout).u32(0).u32(0).u32(W).u32(H).u32(0).u32(7)), kRespOkNodata);
        QCOMPARE(modes.count(), 1);
        QCOMPARE(modes.at(0).at(0).toSize(), QSize(W, H));
        QCOMPARE(modes.at(0).at(1).toUInt(), kFormatB8G8R8X8);

        QCOMPARE(rig.status(Request(kCmdTransferToHost2d).u32(0).u32(0).u32(W).u32(H).u64(0).u32(7).u32(0)),
                 kRespOkNodata);
        QCOMPARE(rig.status(Request(kCmdResourceFlush).u32(0).u32(0).u32(W).u32(H / 2).u32(7).u32(0)), kRespOkNodata);
        QCOMPARE(rig.status(Request(kCmdResourceFlush).u32(10).u32(30).u32(5).u32(5).u32(7).u32(0)), kRespOkNodata);
        QCOMPARE(frames.count(), 1);  // the second flush is coalesced into the pending frame
        QCOMPARE(frames.at(0).at(0).toRect(), QRect(0, 0, W, H / 2));
        QCOMPARE(rig.gpu.takeDirtyRect(), QRect(0, 0, W, 35));

        std::vector<uint8_t> seen;
        QVERIFY(rig.gpu.readFrame([&](const FrameView& frame) {
            QCOMPARE(frame.size, QSize(W, H));
            QCOMPARE(frame.stride, W * 4);
            seen.assign(frame.pixels, frame.pixels + bytes);
        }));
        QCOMPARE(seen, image);

        // A partial transfer of a changed rectangle updates only that rectangle.
        const uint32_t white = 0xffffffff;
        for (uint32_t y = 8; y < 10; ++y)
            for (uint32_t x = 4; x < 8; ++x) {
                const uint64_t offset = (y * W + x) * 4;
                const uint64_t base = offset < bytes / 2 ? first + offset : second + offset - bytes / 2;
                rig.driver.pokeValue<uint32_t>(base, white);
            }
        QCOMPARE(rig.status(Request(kCmdTransferToHost2d).u32(4).u32(8).u32(4).u32(2).u64((8 * W + 4) * 4).u32(7).u32(0)),
                 kRespOkNodata);
        QCOMPARE(rig.status(Request(kCmdResourceFlush).u32(4).u32(8).u32(4).u32(2).u32(7).u32(0)), kRespOkNodata);
        QCOMPARE(frames.count(), 2);  // re-armed by takeDirtyRect()
        rig.gpu.readFrame([&](const FrameView& frame) { seen.assign(frame.pixels, frame.pixels + bytes); });
        QCOMPARE(pixelAt(seen, W, 5, 9), white);
        QCOMPARE(pixelAt(seen, W, 3, 9), pixelAt(image, W, 3, 9));
        QCOMPARE(pixelAt(seen, W, 5, 10), pixelAt(image, W, 5, 10));
    }

    void fencedCommandsEchoTheFence() {
        GpuRig rig;
        const auto response = rig.command(Request(kCmdResourceCreate2d, kFlagFence, 0x1234).u32(1).u32(2).u32(4).u32(4));
        QCOMPARE(response.size(), size_t{24});
        uint32_t flags;
        uint64_t fence;
        std::memcpy(&flags, &response[4], 4);
        std::memcpy(&fence, &response[8], 8);
        QCOMPARE(flags, kFlagFence);
        QCOMPARE(fence, uint64_t{0x1234});
    }

    void hostileRequestsGetErrorsNotCrashes() {
        GpuRig rig;
        QCOMPARE(rig.create(0, 4, 4), kRespErrInvalidResourceId);
        QCOMPARE(rig.create(1, 4, 4, 999), kRespErrInvalidParameter);
        QCOMPARE(rig.create(1, 16384, 16384), kRespErrOutOfMemory);  // 1 GiB of host memory: refused
        QCOMPARE(rig.create(1, 0, 4), kRespErrInvalidParameter);
        QCOMPARE(rig.create(1, 16, 16), kRespOkNodata);
        QCOMPARE(rig.create(1, 16, 16), kRespErrInvalidResourceId);  // duplicate id
        // Backing outside guest RAM, too many entries, zero-length entries.
        QCOMPARE(rig.status(Request(kCmdResourceAttachBacking).u32(1).u32(1).u64(0x1000).u32(1024).u32(0)),
                 kRespErrUnspec);
        QCOMPARE(rig.status(Request(kCmdResourceAttachBacking).u32(1).u32(0x7fffffff)), kRespErrInvalidParameter);
        const uint64_t backing = rig.driver.allocate(512);
        QCOMPARE(rig.status(Request(kCmdResourceAttachBacking).u32(1).u32(1).u64(backing).u32(0).u32(0)),
                 kRespErrUnspec);
        // Transfer without backing, then with a backing too small for the rectangle.
        QCOMPARE(rig.status(Request(kCmdTransferToHost2d).u32(0).u32(0).u32(16).u32(16).u64(0).u32(1).u32(0)),
                 kRespErrUnspec);
        QCOMPARE(rig.status(Request(kCmdResourceAttachBacking).u32(1).u32(1).u64(backing).u32(512).u32(0)),
                 kRespOkNodata);
        QCOMPARE(rig.status(Request(kCmdTransferToHost2d).u32(0).u32(0).u32(16).u32(16).u64(0).u32(1).u32(0)),
                 kRespErrInvalidParameter);
        QCOMPARE(rig.status(Request(kCmdTransferToHost2d).u32(0).u32(0).u32(4).u32(2).u64(~0ull - 8).u32(1).u32(0)),
                 kRespErrInvalidParameter);
        // Rectangles outside the resource, with and without 32-bit wrap-around.
        QCOMPARE(rig.status(Request(kCmdTransferToHost2d).u32(8).u32(0).u32(16).u32(1).u64(0).u32(1).u32(0)),
                 kRespErrInvalidParameter);
        QCOMPARE(rig.status(Request(kCmdSetScanout).u32(0xfffffff0).u32(0).u32(0x20).u32(1).u32(0).u32(1)),
                 kRespErrInvalidParameter);
        QCOMPARE(rig.status(Request(kCmdSetScanout).u32(0).u32(0).u32(16).u32(16).u32(3).u32(1)),
                 kRespErrInvalidScanoutId);
        QCOMPARE(rig.status(Request(kCmdSetScanout).u32(0).u32(0).u32(16).u32(16).u32(0).u32(99)),
                 kRespErrInvalidResourceId);
        QCOMPARE(rig.status(Request(0x9999)), kRespErrUnspec);
        // A truncated command (header only) is an error, not an overread.
        QCOMPARE(rig.status(Request(kCmdTransferToHost2d)), kRespErrInvalidParameter);
        QVERIFY(!rig.driver.needsReset());
    }

    void unrefOfTheScannedOutResourceDisablesTheDisplay() {
        GpuRig rig;
        QSignalSpy modes(&rig.gpu, &VirtioGpu::modeChanged);
        QCOMPARE(rig.create(3, 8, 8), kRespOkNodata);
        QCOMPARE(rig.status(Request(kCmdSetScanout).u32(0).u32(0).u32(8).u32(8).u32(0).u32(3)), kRespOkNodata);
        QCOMPARE(rig.gpu.currentSize(), QSize(8, 8));
        QCOMPARE(rig.status(Request(kCmdResourceUnref).u32(3).u32(0)), kRespOkNodata);
        QCOMPARE(modes.count(), 2);
        QCOMPARE(modes.at(1).at(0).toSize(), QSize());
        QVERIFY(!rig.gpu.readFrame([](const FrameView&) {}));
        QVERIFY(!rig.gpu.saveScreenshot("/nonexistent/never.png"));
    }

    void theLastFrameOutlivesTheDisplayBeingTurnedOff() {
        // Linux turns the scanout off while powering down; the VM's thumbnail is what it showed before.
        GpuRig rig;
        QCOMPARE(rig.create(4, 6, 4), kRespOkNodata);
        const uint64_t backing = rig.driver.allocate(6 * 4 * 4);
        for (uint32_t i = 0; i < 6 * 4; ++i) rig.driver.pokeValue<uint32_t>(backing + i * 4, 0x00ff8040u);
        QCOMPARE(rig.status(Request(kCmdResourceAttachBacking).u32(4).u32(1).u64(backing).u32(6 * 4 * 4).u32(0)),
                 kRespOkNodata);
        QCOMPARE(rig.status(Request(kCmdSetScanout).u32(0).u32(0).u32(6).u32(4).u32(0).u32(4)), kRespOkNodata);
        QCOMPARE(rig.status(Request(kCmdTransferToHost2d).u32(0).u32(0).u32(6).u32(4).u64(0).u32(4).u32(0)),
                 kRespOkNodata);
        QTemporaryDir dir;
        QVERIFY(rig.gpu.saveLastFrame(dir.filePath("shown.png").toStdString()));  // while on: the visible frame
        QCOMPARE(rig.status(Request(kCmdSetScanout).u32(0).u32(0).u32(0).u32(0).u32(0).u32(0)), kRespOkNodata);
        rig.mmio.reset();

        QVERIFY(!rig.gpu.saveScreenshot(dir.filePath("off.png").toStdString()));
        const std::string path = dir.filePath("last.png").toStdString();
        QVERIFY(rig.gpu.saveLastFrame(path));
        const DecodedPng image = decodePng(readFile(path));
        QCOMPARE(image.width, 6u);
        QCOMPARE(image.height, 4u);
        QVERIFY(!image.rows.empty());
        const uint8_t* pixel = image.pixel(5, 3);  // B8G8R8X8 bytes 40 80 ff = RGB ff 80 40
        QCOMPARE(pixel[0], uint8_t{0xff});
        QCOMPARE(pixel[1], uint8_t{0x80});
        QCOMPARE(pixel[2], uint8_t{0x40});
    }

    void aDisplayNeverTurnedOnHasNoLastFrame() {
        GpuRig rig;
        QTemporaryDir dir;
        QVERIFY(!rig.gpu.saveLastFrame(dir.filePath("none.png").toStdString()));
    }

    void screenshotIsAValidPngOfTheFrame() {
        GpuRig rig;
        constexpr uint32_t W = 5, H = 3;
        QCOMPARE(rig.create(1, W, H), kRespOkNodata);
        const uint64_t backing = rig.driver.allocate(W * H * 4);
        for (uint32_t i = 0; i < W * H; ++i)  // B8G8R8X8: bytes B, G, R, X
            rig.driver.pokeValue<uint32_t>(backing + i * 4, 0x00102030u + i);
        QCOMPARE(rig.status(Request(kCmdResourceAttachBacking).u32(1).u32(1).u64(backing).u32(W * H * 4).u32(0)),
                 kRespOkNodata);
        QCOMPARE(rig.status(Request(kCmdSetScanout).u32(0).u32(0).u32(W).u32(H).u32(0).u32(1)), kRespOkNodata);
        QCOMPARE(rig.status(Request(kCmdTransferToHost2d).u32(0).u32(0).u32(W).u32(H).u64(0).u32(1).u32(0)),
                 kRespOkNodata);
        QTemporaryDir dir;
        const std::string path = dir.filePath("shot.png").toStdString();
        QVERIFY(rig.gpu.saveScreenshot(path));
        const QByteArray png = readFile(path);
        const DecodedPng decoded = decodePng(png);
        QCOMPARE(decoded.width, W);
        QCOMPARE(decoded.height, H);
        QVERIFY(!decoded.rows.empty());
        // Pixel (1, 2) = index 11: R=0x10, G=0x20, B=0x30+11.
        const uint8_t* pixel = decoded.pixel(1, 2);
        QCOMPARE(pixel[0], uint8_t{0x10});
        QCOMPARE(pixel[1], uint8_t{0x20});
        QCOMPARE(pixel[2], uint8_t{0x30 + 11});
        // The CRC of IHDR is correct.
        const uLong crc = crc32(0, reinterpret_cast<const Bytef*>(png.constData() + 12), 17);
        QCOMPARE(qFromBigEndian<quint32>(png.constData() + 29), quint32(crc));
    }

    // The UI thread reads the frame while the VM thread runs the guest's
    // commands. Creating and destroying other resources reshapes the resource
    // table that readFrame() looks the scanout up in, so every change to it
    // must be made under the display lock. A TESSERA_SANITIZE=thread build
    // reports (and fails the test) if one is not; any build checks that the
    // reader sees the whole frame every time.
    void theUiReadsWholeFramesWhileTheGuestCreatesAndDestroysResources() {
        GpuRig rig;
        constexpr uint32_t W = 16, H = 8, kShown = 1, kOthers = 64, kRounds = 4, kReads = 2000;
        constexpr uint32_t kPixel = 0x00c08040u;
        const uint64_t backing = rig.driver.allocate(W * H * 4);
        for (uint32_t i = 0; i < W * H; ++i) rig.driver.pokeValue<uint32_t>(backing + i * 4, kPixel);
        const Request attach =
            Request(kCmdResourceAttachBacking).u32(kShown).u32(1).u64(backing).u32(W * H * 4).u32(0);
        const Request transfer =
            Request(kCmdTransferToHost2d).u32(0).u32(0).u32(W).u32(H).u64(0).u32(kShown).u32(0);
        const Request show = Request(kCmdSetScanout).u32(0).u32(0).u32(W).u32(H).u32(0).u32(kShown);
        QCOMPARE(rig.create(kShown, W, H), kRespOkNodata);
        QCOMPARE(rig.status(attach), kRespOkNodata);
        QCOMPARE(rig.status(transfer), kRespOkNodata);
        QCOMPARE(rig.status(show), kRespOkNodata);

        std::latch bothRunning(2);
        std::vector<uint32_t> failures;  // the VM thread's error responses, checked after the join
        std::thread vmThread([&] {
            auto run = [&](uint32_t type) {
                if (type != kRespOkNodata) failures.push_back(type);
            };
            bothRunning.arrive_and_wait();
            for (uint32_t round = 0; round < kRounds; ++round) {
                // Ascending ids: the table rebalances, moving its root, as it grows.
                for (uint32_t id = kShown + 1; id <= kShown + kOthers; ++id) run(rig.create(id, 4, 4));
                run(rig.status(transfer));
                for (uint32_t id = kShown + 1; id <= kShown + kOthers; ++id)
                    run(rig.status(Request(kCmdResourceUnref).u32(id).u32(0)));
            }
        });
        bothRunning.arrive_and_wait();
        uint32_t wholeFrames = 0;
        for (uint32_t i = 0; i < kReads; ++i) {
            rig.gpu.readFrame([&](const FrameView& frame) {
                bool whole = frame.size == QSize(W, H);
                for (uint32_t p = 0; whole && p < W * H; ++p) {
                    uint32_t pixel;
                    std::memcpy(&pixel, frame.pixels + (p / W) * frame.stride + (p % W) * 4, 4);
                    whole = pixel == kPixel;
                }
                wholeFrames += whole;
            });
        }
        vmThread.join();
        QCOMPARE(failures, std::vector<uint32_t>{});
        QCOMPARE(wholeFrames, kReads);
    }
};

QTEST_MAIN(VirtioGpuTest)
#include "virtio_gpu_test.moc"
