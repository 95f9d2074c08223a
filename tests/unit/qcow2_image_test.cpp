// Specification: a qcow2 image behaves like a plain byte array (checked against
// an in-memory model) for every cluster size and refcount width, survives
// reopening, and what we write passes the real `qemu-img check` and reads back
// identically through `qemu-img convert -O raw`.

#include "core/block/qcow2_image.h"

#include <sys/stat.h>

#include <QtTest>
#include <random>

#include "block_test_support.h"
#include "core/block/open_image.h"
#include "core/block/qcow2_check.h"
#include "core/block/qcow2_compress.h"

using namespace tessera;
using namespace tessera::block;
using blocktest::qemuImg;

namespace {

std::unique_ptr<Qcow2Image> openQcow2(const std::string& path, bool readOnly = false) {
    OpenOptions o;
    o.readOnly = readOnly;
    auto image = Qcow2Image::open(path, o);
    if (!image) qWarning() << image.message().c_str();
    return image ? std::move(image.value()) : nullptr;
}

std::vector<uint8_t> readAll(BlockBackend& image) {
    std::vector<uint8_t> out(image.size());
    Status s = image.read(0, out);
    if (!s) qWarning() << s.message().c_str();
    return out;
}

// Random writes, zeroes and discards applied to the image and to the model.
void randomOperations(Qcow2Image& image, std::vector<uint8_t>& model, uint32_t seed, int count,
                      bool discards = true) {
    std::mt19937_64 rng(seed);
    uint64_t size = model.size();
    uint64_t cs = image.clusterSize();
    for (int i = 0; i < count; ++i) {
        uint64_t offset = rng() % size;
        uint64_t maxLength = std::min<uint64_t>(size - offset, cs * 3 + 1000);
        uint64_t length = 1 + rng() % maxLength;
        int kind = int(rng() % 10);
        if (kind < 6) {
            std::vector<uint8_t> data = blocktest::mixedData(length, uint32_t(rng()));
            QVERIFY2(image.write(offset, data).ok(), "write");
            std::copy(data.begin(), data.end(), model.begin() + offset);
        } else if (kind < 8) {
            bool unmap = rng() & 1;
            QVERIFY(image.writeZeroes(offset, length, unmap).ok());
            std::fill(model.begin() + offset, model.begin() + offset + length, 0);
        } else if (discards) {
            // A discard frees whole clusters; without backing they read as zero.
            QVERIFY(image.discard(offset, length).ok());
            uint64_t first = (offset + cs - 1) / cs * cs;
            uint64_t end = offset + length == size ? size : (offset + length) / cs * cs;
            if (end > first) std::fill(model.begin() + first, model.begin() + end, 0);
        }
        if (rng() % 7 == 0) QVERIFY(image.flush().ok());
    }
}

void expectQemuCheckClean(const QString& path) {
    auto r = qemuImg({"check", path});
    QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
}

}  // namespace

class Qcow2ImageTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string path(const char* name) { return (dir_.path() + "/" + name).toStdString(); }

private slots:
    void createdImageIsEmptyAndQemuAcceptsIt_data() {
        QTest::addColumn<int>("clusterSize");
        QTest::addColumn<QString>("compat");
        QTest::addColumn<int>("refcountBits");
        for (int cs : {512, 4096, 65536, 2 << 20}) {
            QTest::newRow(qPrintable(QString("v3 cs=%1").arg(cs))) << cs << "1.1" << 16;
            QTest::newRow(qPrintable(QString("v2 cs=%1").arg(cs))) << cs << "0.10" << 16;
        }
        for (int bits : {1, 2, 4, 8, 32, 64})
            QTest::newRow(qPrintable(QString("refcount %1").arg(bits))) << 65536 << "1.1" << bits;
    }
    void createdImageIsEmptyAndQemuAcceptsIt() {
        QFETCH(int, clusterSize);
        QFETCH(QString, compat);
        QFETCH(int, refcountBits);
        std::string p = path("empty.qcow2");
        CreateOptions o;
        o.size = 100 << 20;
        o.clusterSize = uint32_t(clusterSize);
        o.compat = compat.toStdString();
        o.refcountBits = uint32_t(refcountBits);
        QVERIFY(createImage(p, o).ok());
        expectQemuCheckClean(QString::fromStdString(p));
        auto info = qemuImg({"info", "--output=json", QString::fromStdString(p)});
        QVERIFY(info.out.contains("\"virtual-size\": 104857600"));
        QVERIFY(info.out.contains(QString("\"cluster-size\": %1").arg(clusterSize).toUtf8()));
        auto image = openQcow2(p, true);
        QVERIFY(image);
        QCOMPARE(image->size(), uint64_t(100 << 20));
        std::vector<uint8_t> some(12345, 0xff);
        QVERIFY(image->read(5 << 20, some).ok());
        QVERIFY(std::all_of(some.begin(), some.end(), [](uint8_t b) { return b == 0; }));
    }

    void randomReadWriteMatchesAModel_data() {
        QTest::addColumn<int>("clusterSize");
        QTest::addColumn<int>("refcountBits");
        QTest::addColumn<QString>("compat");
        QTest::newRow("512 B clusters, 1-bit refcounts") << 512 << 1 << "1.1";
        QTest::newRow("512 B clusters, 64-bit refcounts") << 512 << 64 << "1.1";
        QTest::newRow("4 KiB, 2-bit") << 4096 << 2 << "1.1";
        QTest::newRow("16 KiB, 4-bit") << 16384 << 4 << "1.1";
        QTest::newRow("64 KiB, 8-bit") << 65536 << 8 << "1.1";
        QTest::newRow("64 KiB, 16-bit, v2") << 65536 << 16 << "0.10";
        QTest::newRow("256 KiB, 32-bit") << 262144 << 32 << "1.1";
        QTest::newRow("2 MiB, 16-bit") << (2 << 20) << 16 << "1.1";
    }
    void randomReadWriteMatchesAModel() {
        QFETCH(int, clusterSize);
        QFETCH(int, refcountBits);
        QFETCH(QString, compat);
        std::string p = path("model.qcow2");
        CreateOptions o;
        o.size = clusterSize >= (1 << 20) ? 64 << 20 : 8 << 20;
        o.clusterSize = uint32_t(clusterSize);
        o.refcountBits = uint32_t(refcountBits);
        o.compat = compat.toStdString();
        QVERIFY(createImage(p, o).ok());
        std::vector<uint8_t> model(o.size, 0);
        {
            auto image = openQcow2(p);
            QVERIFY(image);
            randomOperations(*image, model, uint32_t(clusterSize + refcountBits), 150);
            QVERIFY(readAll(*image) == model);
            QVERIFY(image->close().ok());
        }
        auto image = openQcow2(p, true);
        QVERIFY(image);
        QVERIFY(readAll(*image) == model);
        image.reset();
        expectQemuCheckClean(QString::fromStdString(p));
        QVERIFY(blocktest::qemuReadAll(QString::fromStdString(p), dir_.path()) == model);
        auto ours = checkImage(p, RepairMode::None);
        QVERIFY(ours.ok());
        QCOMPARE(ours->corruptions, 0ull);
        QCOMPARE(ours->leaks, 0ull);
    }

    void discardFreesClustersAndPunchesHoles() {
        std::string p = path("discard.qcow2");
        CreateOptions o;
        o.size = 64 << 20;
        QVERIFY(createImage(p, o).ok());
        auto image = openQcow2(p);
        std::vector<uint8_t> data = blocktest::mixedData(32 << 20, 7);
        std::fill(data.begin(), data.end(), 0x11);
        QVERIFY(image->write(0, data).ok());
        QVERIFY(image->flush().ok());
        struct stat before {};
        ::stat(p.c_str(), &before);
        QVERIFY(image->discard(0, 32 << 20).ok());
        QVERIFY(image->flush().ok());
        struct stat after {};
        ::stat(p.c_str(), &after);
        QVERIFY2(after.st_blocks * 512 < before.st_blocks * 512 - (30 << 20),
                 "freed clusters were not punched");
        auto status = image->blockStatus(0, 32 << 20);
        QVERIFY(status.ok());
        QVERIFY(!status->allocated && status->zero);
        // Freed clusters are reused rather than growing the file.
        QVERIFY(image->write(0, data).ok());
        QVERIFY(image->close().ok());
        struct stat reused {};
        ::stat(p.c_str(), &reused);
        QCOMPARE(reused.st_size, before.st_size);
        expectQemuCheckClean(QString::fromStdString(p));
    }

    void writeZeroesUsesZeroClustersOnV3() {
        std::string p = path("zero.qcow2");
        CreateOptions o;
        o.size = 4 << 20;
        QVERIFY(createImage(p, o).ok());
        auto image = openQcow2(p);
        std::vector<uint8_t> data(1 << 20, 0xab);
        QVERIFY(image->write(0, data).ok());
        QVERIFY(image->writeZeroes(65536, 131072, false).ok());
        auto status = image->blockStatus(65536, 131072);
        QVERIFY(status.ok());
        QVERIFY(status->zero && status->allocated && status->hostOffset.has_value());  // preallocated zero
        QVERIFY(image->writeZeroes(262144, 65536, true).ok());
        status = image->blockStatus(262144, 65536);
        QVERIFY(status->zero && status->allocated && !status->hostOffset.has_value());
        QVERIFY(image->close().ok());
        expectQemuCheckClean(QString::fromStdString(p));
        auto map = qemuImg({"map", "--output=json", QString::fromStdString(p)});
        QVERIFY2(map.out.contains("\"start\": 65536, \"length\": 131072, \"depth\": 0, \"present\": true, "
                                  "\"zero\": true, \"data\": false"),
                 map.out.constData());
    }

    void compressedClustersRoundTripWithQemu_data() {
        QTest::addColumn<int>("type");
        QTest::newRow("zlib") << int(qcow2::CompressionType::Zlib);
        QTest::newRow("zstd") << int(qcow2::CompressionType::Zstd);
    }
    void compressedClustersRoundTripWithQemu() {
        QFETCH(int, type);
        auto ctype = qcow2::CompressionType(type);
        std::string p = path("compressed.qcow2");
        CreateOptions o;
        o.size = 8 << 20;
        o.compressionType = ctype;
        QVERIFY(createImage(p, o).ok());
        std::vector<uint8_t> model = blocktest::mixedData(o.size, 99);
        {
            auto image = openQcow2(p);
            QCOMPARE(image->compressionType(), ctype);
            uint64_t cs = image->clusterSize();
            for (uint64_t c = 0; c < o.size / cs; ++c) {
                std::span<const uint8_t> cluster(model.data() + c * cs, cs);
                auto packed = qcow2::compressCluster(ctype, cluster);
                if (packed)
                    QVERIFY(image->writeCompressedCluster(c, *packed).ok());
                else
                    QVERIFY(image->write(c * cs, cluster).ok());
            }
            QVERIFY(readAll(*image) == model);
            // Overwriting part of a compressed cluster decompresses it first.
            std::vector<uint8_t> patch(1000, 0x42);
            QVERIFY(image->write(3 * cs + 100, patch).ok());
            std::copy(patch.begin(), patch.end(), model.begin() + 3 * cs + 100);
            QVERIFY(image->close().ok());
        }
        expectQemuCheckClean(QString::fromStdString(p));
        QVERIFY(blocktest::qemuReadAll(QString::fromStdString(p), dir_.path()) == model);
        auto image = openQcow2(p, true);
        QVERIFY(readAll(*image) == model);
        auto ours = checkImage(p, RepairMode::None);
        QVERIFY(ours.ok());
        QVERIFY(ours->compressedClusters > 0);
        QCOMPARE(ours->corruptions + ours->leaks, 0ull);
    }

    void backingChainReadsThroughAndCopiesOnWrite() {
        std::string base = path("base.raw"), mid = path("mid.qcow2"), top = path("top.qcow2");
        std::vector<uint8_t> model = blocktest::mixedData(4 << 20, 3);
        blocktest::writeFile(base, model);
        CreateOptions o;
        o.backingFile = "base.raw";  // relative to the image's directory
        o.backingFormat = ImageFormat::Raw;
        QVERIFY(createImage(mid, o).ok());
        o.backingFile = "mid.qcow2";
        o.backingFormat = ImageFormat::Qcow2;
        o.clusterSize = 4096;
        QVERIFY(createImage(top, o).ok());
        {
            OpenOptions rw;
            rw.readOnly = false;
            auto image = openImage(mid, rw);
            QVERIFY(image.ok());
            std::vector<uint8_t> data(70000, 0x77);
            QVERIFY((*image)->write(100000, data).ok());  // partial clusters: COW from base
            std::copy(data.begin(), data.end(), model.begin() + 100000);
        }
        OpenOptions rw;
        rw.readOnly = false;
        auto image = openImage(top, rw);
        QVERIFY2(image.ok(), image.ok() ? "" : image.message().c_str());
        QCOMPARE((*image)->size(), uint64_t(4 << 20));
        QVERIFY(readAll(**image) == model);
        std::vector<uint8_t> data(5000, 0x99);
        QVERIFY((*image)->write(4096 * 10 + 7, data).ok());
        std::copy(data.begin(), data.end(), model.begin() + 4096 * 10 + 7);
        QVERIFY((*image)->writeZeroes(0, 8192, true).ok());  // zero over backing data
        std::fill(model.begin(), model.begin() + 8192, 0);
        QVERIFY(readAll(**image) == model);
        auto status = (*image)->blockStatus(200000, 4096);
        QVERIFY(status.ok());
        QCOMPARE(status->depth, 2);  // comes from base.raw
        image = Result<std::unique_ptr<BlockBackend>>(makeError("closed"));
        expectQemuCheckClean(QString::fromStdString(top));
        QVERIFY(blocktest::qemuReadAll(QString::fromStdString(top), dir_.path()) == model);
    }

    void backingLoopsAndMissingBackingFilesAreClearErrors() {
        std::string a = path("loop-a.qcow2"), b = path("loop-b.qcow2");
        CreateOptions o;
        o.size = 1 << 20;
        QVERIFY(createImage(a, o).ok());
        o.backingFile = "loop-a.qcow2";
        QVERIFY(createImage(b, o).ok());
        // Point a back at b by hand: a -> b -> a.
        QVERIFY(blocktest::qemuImg(
                    {"rebase", "-u", "-F", "qcow2", "-b", "loop-b.qcow2", QString::fromStdString(a)})
                    .exitCode == 0);
        auto opened = openImage(a);
        QVERIFY(!opened.ok());
        QVERIFY2(opened.message().find("loops") != std::string::npos, opened.message().c_str());
        QVERIFY(blocktest::qemuImg(
                    {"rebase", "-u", "-F", "qcow2", "-b", "missing.qcow2", QString::fromStdString(a)})
                    .exitCode == 0);
        opened = openImage(a);
        QVERIFY(!opened.ok());
        QVERIFY2(opened.message().find("missing.qcow2") != std::string::npos, opened.message().c_str());
        OpenOptions alone;
        alone.openBacking = false;
        QVERIFY(openImage(a, alone).ok());  // `info` without the chain still works
    }

    void resizeGrowsAndShrinksOnlyWhenAsked() {
        std::string p = path("resize.qcow2");
        CreateOptions o;
        o.size = 1 << 20;
        o.clusterSize = 512;  // small clusters: growing to 1 GiB needs a new L1 table
        QVERIFY(createImage(p, o).ok());
        auto image = openQcow2(p);
        std::vector<uint8_t> data(4096, 0x5c);
        QVERIFY(image->write(0, data).ok());
        QVERIFY(image->resize(1ull << 30, false).ok());
        QCOMPARE(image->size(), 1ull << 30);
        QVERIFY(image->write((1ull << 30) - 4096, data).ok());
        QVERIFY(!image->resize(1 << 19, false).ok());
        QVERIFY(image->resize(1 << 20, true).ok());
        std::vector<uint8_t> back(4096);
        QVERIFY(image->read(0, back).ok());
        QVERIFY(back == data);
        QVERIFY(image->close().ok());
        expectQemuCheckClean(QString::fromStdString(p));
        auto info = qemuImg({"info", "--output=json", QString::fromStdString(p)});
        QVERIFY(info.out.contains("\"virtual-size\": 1048576"));
    }

    void preallocationModesProduceCheckedImages_data() {
        QTest::addColumn<int>("mode");
        QTest::newRow("metadata") << int(Preallocation::Metadata);
        QTest::newRow("falloc") << int(Preallocation::Falloc);
        QTest::newRow("full") << int(Preallocation::Full);
    }
    void preallocationModesProduceCheckedImages() {
        QFETCH(int, mode);
        std::string p = path("prealloc.qcow2");
        CreateOptions o;
        o.size = 16 << 20;
        o.preallocation = Preallocation(mode);
        QVERIFY(createImage(p, o).ok());
        expectQemuCheckClean(QString::fromStdString(p));
        auto image = openQcow2(p, true);
        auto status = image->blockStatus(0, o.size);
        QVERIFY(status.ok() && status->allocated && status->data);
        QVERIFY(readAll(*image) == std::vector<uint8_t>(o.size, 0));
    }

    // Issue 10, item 8: preallocated clusters would hide the backing file, so
    // like qemu-img 7.2 (same words, nothing created) the combination needs
    // extended_l2=on, where the preallocated subclusters stay unallocated and
    // still read from the backing file.
    void preallocationWithABackingFileNeedsExtendedL2LikeQemuImg_data() {
        preallocationModesProduceCheckedImages_data();
    }
    void preallocationWithABackingFileNeedsExtendedL2LikeQemuImg() {
        QFETCH(int, mode);
        const char* modeName[] = {"off", "metadata", "falloc", "full"};
        std::string base = path("prealloc-base.raw");
        std::vector<uint8_t> data = blocktest::mixedData(4 << 20, 3);
        blocktest::writeFile(base, data);
        CreateOptions o;
        o.backingFile = "prealloc-base.raw";
        o.backingFormat = ImageFormat::Raw;
        o.preallocation = Preallocation(mode);
        std::string p = path("prealloc-overlay.qcow2");
        QFile::remove(QString::fromStdString(p));
        auto refused = createImage(p, o);
        QVERIFY(!refused.ok());
        const std::string words =
            "Backing file and preallocation can only be used at the same time if extended_l2 is on";
        QVERIFY2(refused.message().find(words) != std::string::npos, refused.message().c_str());
        QVERIFY(!QFile::exists(QString::fromStdString(p)));
        QString theirs = dir_.path() + "/qemu-overlay.qcow2";
        auto qemu = qemuImg({"create", "-q", "-f", "qcow2", "-b", "prealloc-base.raw", "-F", "raw", "-o",
                             QString("preallocation=") + modeName[mode], theirs});
        QCOMPARE(qemu.exitCode, 1);
        QVERIFY2(qemu.err.contains(words.c_str()), qemu.err.constData());

        o.extendedL2 = true;
        QVERIFY(createImage(p, o).ok());
        expectQemuCheckClean(QString::fromStdString(p));
        QVERIFY(blocktest::qemuReadAll(QString::fromStdString(p), dir_.path()) == data);
        auto image = openImage(p);
        QVERIFY(image.ok());
        QVERIFY(readAll(**image) == data);
    }

    void lazyRefcountImagesAreDirtyWhileOpenAndCleanAfterClose() {
        std::string p = path("lazy.qcow2");
        CreateOptions o;
        o.size = 4 << 20;
        o.lazyRefcounts = true;
        QVERIFY(createImage(p, o).ok());
        auto image = openQcow2(p);
        std::vector<uint8_t> data(100000, 1);
        QVERIFY(image->write(0, data).ok());
        QVERIFY(openQcow2(p, true) == nullptr);  // locked: the writer holds it exclusively
        auto r = qemuImg({"info", "-U", "--output=json", QString::fromStdString(p)});
        QVERIFY2(r.out.contains("\"dirty-flag\": true"), r.out.constData());
        QVERIFY(image->close().ok());
        r = qemuImg({"info", "--output=json", QString::fromStdString(p)});
        QVERIFY(r.out.contains("\"dirty-flag\": false"));
        expectQemuCheckClean(QString::fromStdString(p));
    }

    void unknownHeaderExtensionsSurviveHeaderRewrites() {
        std::string p = path("ext.qcow2");
        CreateOptions o;
        o.size = 1 << 20;
        QVERIFY(createImage(p, o).ok());
        // Our images end the extension list after the feature name table (112 + 8 + 8 * 48).
        const uint64_t end = 112 + 8 + 8 * 48;
        blocktest::pokeBE32(p, end, 0x11223344);
        blocktest::pokeBE32(p, end + 4, 5);
        blocktest::poke(p, end + 8, {'h', 'e', 'l', 'l', 'o', 0, 0, 0});
        auto before = blocktest::readFile(p);
        {
            auto image = openQcow2(p);
            QVERIFY(image);
            QVERIFY(std::any_of(image->extensions().begin(), image->extensions().end(),
                                [](const auto& e) { return e.type == 0x11223344 && e.data.size() == 5; }));
            QVERIFY(image->resize(4 << 20, false).ok());  // rewrites the header
            std::vector<uint8_t> data(4096, 3);
            QVERIFY(image->write(0, data).ok());
        }
        auto after = blocktest::readFile(p);
        QVERIFY(std::equal(before.begin() + 104, before.begin() + end + 24, after.begin() + 104));
        expectQemuCheckClean(QString::fromStdString(p));
    }

    void lockingKeepsASecondWriterOut() {
        std::string p = path("lock.qcow2");
        CreateOptions o;
        o.size = 1 << 20;
        QVERIFY(createImage(p, o).ok());
        auto writer = openQcow2(p);
        QVERIFY(writer);
        OpenOptions ro;
        auto reader = openImage(p, ro);
        QVERIFY(!reader.ok());
        QVERIFY2(reader.message().find("in use by another process") != std::string::npos,
                 reader.message().c_str());
        writer.reset();
        auto r1 = openImage(p, ro);
        auto r2 = openImage(p, ro);
        QVERIFY(r1.ok() && r2.ok());  // readers share
        OpenOptions rw;
        rw.readOnly = false;
        QVERIFY(!openImage(p, rw).ok());
    }

    void largeSequentialWritesGrowTheRefcountTable() {
        // 512-byte clusters with 64-bit refcounts: 64 clusters per refcount
        // block, so 16 MiB needs hundreds of blocks and several table moves.
        std::string p = path("grow.qcow2");
        CreateOptions o;
        o.size = 16 << 20;
        o.clusterSize = 512;
        o.refcountBits = 64;
        QVERIFY(createImage(p, o).ok());
        std::vector<uint8_t> model = blocktest::mixedData(o.size, 5);
        auto image = openQcow2(p);
        for (uint64_t at = 0; at < o.size; at += 1 << 20) {
            QVERIFY(image->write(at, std::span(model).subspan(at, 1 << 20)).ok());
            if ((at >> 20) % 5 == 0) QVERIFY(image->flush().ok());
        }
        QVERIFY(image->close().ok());
        expectQemuCheckClean(QString::fromStdString(p));
        QVERIFY(blocktest::qemuReadAll(QString::fromStdString(p), dir_.path()) == model);
    }
};

QTEST_GUILESS_MAIN(Qcow2ImageTest)
#include "qcow2_image_test.moc"
