// Specification: a raw image is the file itself; holes report as zero and
// unallocated, discard punches holes, format probing falls back to raw, and
// locks keep a second writer out.

#include "core/block/raw_image.h"

#include <QtTest>

#include "block_test_support.h"
#include "core/block/open_image.h"

using namespace tessera;
using namespace tessera::block;

class RawImageTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string path(const char* name) { return (dir_.path() + "/" + name).toStdString(); }

private slots:
    void createdRawImageIsSparseAndReadsZeros() {
        std::string p = path("a.raw");
        CreateOptions o;
        o.format = ImageFormat::Raw;
        o.size = 16 << 20;
        QVERIFY(createImage(p, o).ok());
        auto image = openImage(p);
        QVERIFY(image.ok());
        QCOMPARE((*image)->formatName(), std::string("raw"));
        QCOMPARE((*image)->size(), uint64_t(16 << 20));
        auto status = (*image)->blockStatus(0, 16 << 20);
        QVERIFY(status.ok());
        QVERIFY(status->zero && !status->data);
        QCOMPARE(status->length, uint64_t(16 << 20));
    }

    void writesReadBackAndBlockStatusFindsData() {
        std::string p = path("b.raw");
        CreateOptions o;
        o.format = ImageFormat::Raw;
        o.size = 8 << 20;
        QVERIFY(createImage(p, o).ok());
        OpenOptions rw;
        rw.readOnly = false;
        auto image = openImage(p, rw);
        QVERIFY(image.ok());
        auto data = blocktest::mixedData(1 << 20, 2);
        std::fill(data.begin(), data.end(), 0x42);
        QVERIFY((*image)->write(2 << 20, data).ok());
        QVERIFY((*image)->flush().ok());
        std::vector<uint8_t> back(data.size());
        QVERIFY((*image)->read(2 << 20, back).ok());
        QVERIFY(back == data);
        auto hole = (*image)->blockStatus(0, 8 << 20);
        QVERIFY(hole.ok() && hole->zero);
        QCOMPARE(hole->length, uint64_t(2 << 20));
        auto filled = (*image)->blockStatus(2 << 20, 8 << 20);
        QVERIFY(filled.ok() && filled->data && filled->hostOffset == uint64_t(2 << 20));
        QCOMPARE(filled->length, uint64_t(1 << 20));
        QVERIFY((*image)->discard(2 << 20, 1 << 20).ok());
        QVERIFY((*image)->read(2 << 20, back).ok());
        QVERIFY(std::all_of(back.begin(), back.end(), [](uint8_t b) { return b == 0; }));
        QVERIFY(!(*image)->write((8 << 20) - 10, data).ok());  // past the end
        QVERIFY((*image)->writeZeroes(0, 4096, false).ok());
    }

    void probingPicksQcow2OnlyByMagic() {
        std::string p = path("c.raw");
        blocktest::writeFile(p, {'Q', 'F', 'I', 0xfa, 0, 0});
        auto format = probeImageFormat(p);
        QVERIFY(format.ok());
        QCOMPARE(*format, ImageFormat::Raw);
        CreateOptions o;
        o.size = 1 << 20;
        std::string q = path("d.qcow2");
        QVERIFY(createImage(q, o).ok());
        QCOMPARE(*probeImageFormat(q), ImageFormat::Qcow2);
        QVERIFY(!probeImageFormat(path("missing")).ok());
    }

    void resizeNeedsShrinkToShrink() {
        std::string p = path("e.raw");
        blocktest::writeFile(p, std::vector<uint8_t>(1 << 20, 7));
        OpenOptions rw;
        rw.readOnly = false;
        auto image = RawImage::open(p, rw);
        QVERIFY(image.ok());
        QVERIFY(!(*image)->resize(4096, false).ok());
        QVERIFY((*image)->resize(2 << 20, false).ok());
        QVERIFY((*image)->resize(4096, true).ok());
        QCOMPARE((*image)->size(), 4096ull);
    }

    void exclusiveLockKeepsOthersOut() {
        std::string p = path("f.raw");
        blocktest::writeFile(p, std::vector<uint8_t>(4096, 0));
        OpenOptions rw;
        rw.readOnly = false;
        auto writer = openImage(p, rw);
        QVERIFY(writer.ok());
        auto second = openImage(p, rw);
        QVERIFY(!second.ok());
        QVERIFY(second.message().find("in use by another process (a running VM?)") != std::string::npos);
        // QEMU's own byte-range locks conflict with ours: a QEMU writer is kept out too.
        auto r = blocktest::run("qemu-io", {"-f", "raw", "-c", "write 0 512", QString::fromStdString(p)});
        QVERIFY(r.exitCode != 0);
        QVERIFY(r.err.contains("Failed to lock"));
    }
};

QTEST_GUILESS_MAIN(RawImageTest)
#include "raw_image_test.moc"
