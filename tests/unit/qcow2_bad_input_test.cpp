// Specification (in the style of QEMU iotest 080): poking a bad value into a
// valid image gives a clear error naming the problem, never a crash or hang,
// and a failed open never writes: the file stays byte-identical.

#include <QtTest>
#include <random>

#include "block_test_support.h"
#include "core/block/big_endian.h"
#include "core/block/open_image.h"
#include "core/block/qcow2_compress.h"
#include "core/block/qcow2_image.h"

using namespace tessera;
using namespace tessera::block;

namespace {

// Layout of the reference image (our createImage, 64 KiB clusters, 16-bit
// refcounts): header @0, refcount table @64K, refcount block @128K, L1 @192K,
// then the first write allocates L2 @256K and data from 320K.
constexpr uint64_t kCluster = 65536;
constexpr uint64_t kRefTable = kCluster, kRefBlock = 2 * kCluster, kL1 = 3 * kCluster, kL2 = 4 * kCluster;

struct Poke {
    uint64_t offset;
    std::vector<uint8_t> bytes;
};
std::vector<uint8_t> be32(uint32_t v) {
    return {uint8_t(v >> 24), uint8_t(v >> 16), uint8_t(v >> 8), uint8_t(v)};
}
std::vector<uint8_t> be64(uint64_t v) {
    std::vector<uint8_t> b(8);
    for (int i = 0; i < 8; ++i) b[i] = uint8_t(v >> (56 - 8 * i));
    return b;
}

}  // namespace

Q_DECLARE_METATYPE(std::vector<Poke>)

class Qcow2BadInputTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::string reference_;

    std::string fresh(const char* name) {
        std::string p = (dir_.path() + "/" + name).toStdString();
        blocktest::writeFile(p, blocktest::readFile(reference_));
        return p;
    }

private slots:
    void initTestCase() {
        reference_ = (dir_.path() + "/reference.qcow2").toStdString();
        CreateOptions o;
        o.size = 8 << 20;
        QVERIFY(createImage(reference_, o).ok());
        OpenOptions rw;
        rw.readOnly = false;
        auto image = openImage(reference_, rw);
        QVERIFY(image.ok());
        std::vector<uint8_t> data(3 * kCluster, 0x5a);
        QVERIFY((*image)->write(0, data).ok());
        QVERIFY((*image)->flush().ok());
    }

    void badValuesAreClearErrorsAndNothingIsWritten_data() {
        QTest::addColumn<std::vector<Poke>>("pokes");
        QTest::addColumn<QString>("expected");
        QTest::newRow("wrong magic") << std::vector<Poke>{{0, be32(0x12345678)}} << "wrong magic";
        QTest::newRow("version 1") << std::vector<Poke>{{4, be32(1)}} << "version 1";
        QTest::newRow("cluster_bits 31") << std::vector<Poke>{{20, be32(31)}} << "cluster_bits is 31";
        QTest::newRow("cluster_bits 0") << std::vector<Poke>{{20, be32(0)}} << "cluster_bits is 0";
        QTest::newRow("absurd size") << std::vector<Poke>{{24, be64(1ull << 63)}} << "absurdly large";
        QTest::newRow("huge l1_size") << std::vector<Poke>{{36, be32(0x10000000)}} << "more than 32 MiB";
        QTest::newRow("l1 too small") << std::vector<Poke>{{36, be32(0)}} << "too small";
        QTest::newRow("l1 unaligned") << std::vector<Poke>{{40, be64(kL1 + 1)}} << "not cluster-aligned";
        QTest::newRow("l1 outside file")
            << std::vector<Poke>{{40, be64(0x7ff00000000ull)}} << "outside the file";
        QTest::newRow("l1 over refcount table") << std::vector<Poke>{{40, be64(kRefTable)}} << "overlaps";
        QTest::newRow("reftable unaligned")
            << std::vector<Poke>{{48, be64(kRefTable + 8)}} << "refcount table offset";
        QTest::newRow("reftable huge") << std::vector<Poke>{{56, be32(0xffffff)}} << "larger than 8 MiB";
        QTest::newRow("reftable none") << std::vector<Poke>{{56, be32(0)}} << "no refcount table";
        QTest::newRow("reftable outside")
            << std::vector<Poke>{{48, be64(0x100000000ull)}} << "outside the file";
        QTest::newRow("too many snapshots") << std::vector<Poke>{{60, be32(0x7fffffff)}} << "snapshots";
        QTest::newRow("snapshot table unaligned")
            << std::vector<Poke>{{60, be32(1)}, {64, be64(kL2 + 3)}} << "snapshot table offset";
        QTest::newRow("snapshot table past end")
            << std::vector<Poke>{{60, be32(1000)}, {64, be64(kL2)}} << "snapshot";
        QTest::newRow("header_length huge") << std::vector<Poke>{{100, be32(0xfffffff8)}} << "header_length";
        QTest::newRow("compression type 7")
            << std::vector<Poke>{{72, be64(8)}, {104, {7}}} << "compression type 7";
        QTest::newRow("unknown incompatible bit") << std::vector<Poke>{{72, be64(1ull << 40)}} << "bit 40";
        // Rename the table's "extended L2 entries" row to bit 5 "frobnicator", then set bit 5.
        std::vector<uint8_t> name = {5,   'f', 'r', 'o', 'b', 'n', 'i', 'c', 'a', 't',
                                     'o', 'r', 0,   0,   0,   0,   0,   0,   0,   0};
        QTest::newRow("named unknown bit")
            << std::vector<Poke>{{120 + 48 * 4 + 1, name}, {72, be64(1ull << 5)}}
            << "'frobnicator' (incompatible feature bit 5)";
        QTest::newRow("external data file") << std::vector<Poke>{{72, be64(4)}} << "external data file";
        QTest::newRow("encryption") << std::vector<Poke>{{32, be32(2)}} << "encrypted";
        QTest::newRow("extension too long") << std::vector<Poke>{{116, be32(0x7fffffff)}} << "runs past";
        QTest::newRow("backing name too long")
            << std::vector<Poke>{{8, be64(1024)}, {16, be32(2000)}} << "1023";
        QTest::newRow("backing name outside cluster 0")
            << std::vector<Poke>{{8, be64(kCluster - 10)}, {16, be32(100)}} << "outside the first cluster";
        QTest::newRow("l1 entry outside file")
            << std::vector<Poke>{{kL1, be64(0x8000000000ull)}} << "outside the file";
        QTest::newRow("l1 entry onto header")
            << std::vector<Poke>{{kL1, be64((1ull << 63) | kRefTable)}} << "overlaps";
        QTest::newRow("l1 entry reserved bits")
            << std::vector<Poke>{{kL1, be64(kL2 | 0x100)}} << "reserved bits";
        QTest::newRow("refblock outside file")
            << std::vector<Poke>{{kRefTable, be64(0x8000000000ull)}} << "outside the file";
        QTest::newRow("refblock onto L1") << std::vector<Poke>{{kRefTable, be64(kL1)}} << "overlaps";
        QTest::newRow("two refblocks in one cluster")
            << std::vector<Poke>{{kRefTable + 8, be64(kRefBlock)}} << "overlaps another refcount block";
        QTest::newRow("l2 onto refblock")
            << std::vector<Poke>{{kL1, be64((1ull << 63) | kRefBlock)}} << "refcount block";
    }
    void badValuesAreClearErrorsAndNothingIsWritten() {
        QFETCH(std::vector<Poke>, pokes);
        QFETCH(QString, expected);
        std::string p = fresh("bad.qcow2");
        for (const auto& poke : pokes) blocktest::poke(p, poke.offset, poke.bytes);
        auto before = blocktest::readFile(p);
        for (bool readOnly : {true, false}) {
            OpenOptions o;
            o.readOnly = readOnly;
            auto image = Qcow2Image::open(p, o);
            QVERIFY2(!image.ok(), "a bad image was accepted");
            QVERIFY2(QString::fromStdString(image.message()).contains(expected), image.message().c_str());
            QVERIFY(QString::fromStdString(image.message()).contains("bad.qcow2"));
        }
        QVERIFY2(blocktest::readFile(p) == before, "a failed open modified the file");
    }

    void truncatedFilesAreClearErrors() {
        auto bytes = blocktest::readFile(reference_);
        for (size_t length :
             {size_t(0), size_t(3), size_t(50), size_t(100), size_t(kCluster), size_t(kL1 + 100)}) {
            std::string p = (dir_.path() + "/truncated.qcow2").toStdString();
            blocktest::writeFile(p, std::vector<uint8_t>(bytes.begin(), bytes.begin() + length));
            auto image = Qcow2Image::open(p, {});
            QVERIFY2(!image.ok(), qPrintable(QString("truncated at %1 accepted").arg(length)));
            QVERIFY(!image.message().empty());
        }
    }

    void corruptBitAllowsOnlyReadOnlyOpens() {
        std::string p = fresh("corrupt.qcow2");
        blocktest::pokeBE64(p, 72, 2);
        auto before = blocktest::readFile(p);
        QVERIFY(Qcow2Image::open(p, {}).ok());
        OpenOptions rw;
        rw.readOnly = false;
        auto image = Qcow2Image::open(p, rw);
        QVERIFY(!image.ok());
        QVERIFY2(image.message().find("tessera-cli img check -r all") != std::string::npos,
                 image.message().c_str());
        QVERIFY(blocktest::readFile(p) == before);
    }

    void badL2EntriesFailReadsCleanly() {
        std::string p = fresh("badl2.qcow2");
        blocktest::pokeBE64(p, kL2, (1ull << 63) | 0x800000000ull);  // data cluster far outside the file
        blocktest::pokeBE64(p, kL2 + 8, (1ull << 62) | (5 * kCluster + 17));  // compressed garbage
        auto image = Qcow2Image::open(p, {});
        QVERIFY(image.ok());
        std::vector<uint8_t> buffer(kCluster);
        Status outside = (*image)->read(0, buffer);
        QVERIFY(!outside.ok());
        QVERIFY2(outside.message().find("outside the file") != std::string::npos, outside.message().c_str());
        Status garbage = (*image)->read(kCluster, buffer);
        QVERIFY(!garbage.ok());
        QVERIFY2(garbage.message().find("compressed") != std::string::npos, garbage.message().c_str());
        QVERIFY((*image)->read(2 * kCluster, buffer).ok());  // the rest still reads
    }

    void writesOntoMetadataMarkTheImageCorrupt() {
        // An L2 entry that claims the refcount block as its data cluster (iotest 060).
        std::string p = fresh("overlap.qcow2");
        blocktest::pokeBE64(p, kL2, (1ull << 63) | kRefBlock);
        OpenOptions rw;
        rw.readOnly = false;
        auto image = Qcow2Image::open(p, rw);
        QVERIFY(image.ok());
        std::vector<uint8_t> data(512, 0xee);
        Status s = (*image)->write(0, data);
        QVERIFY(!s.ok());
        QVERIFY2(s.message().find("corrupt") != std::string::npos, s.message().c_str());
        image = Result<std::unique_ptr<Qcow2Image>>(makeError("closed"));
        auto refblock = blocktest::readFile(p);
        QCOMPARE(loadBE64(refblock.data() + 72) & 2, 2ull);  // corrupt bit set
        QVERIFY(std::none_of(refblock.begin() + kRefBlock, refblock.begin() + kRefBlock + 512,
                             [](uint8_t b) { return b == 0xee; }));  // metadata untouched
    }

    void decompressionNeverOverrunsOnGarbage() {
        std::vector<uint8_t> out(65536);
        std::mt19937 rng(1);
        for (int i = 0; i < 200; ++i) {
            std::vector<uint8_t> in(1 + rng() % 4000);
            for (auto& b : in) b = uint8_t(rng());
            (void)qcow2::decompressCluster(qcow2::CompressionType::Zlib, in, out);
            (void)qcow2::decompressCluster(qcow2::CompressionType::Zstd, in, out);
        }
        QVERIFY(!qcow2::decompressCluster(qcow2::CompressionType::Zlib, {}, out).ok());
    }
};

QTEST_GUILESS_MAIN(Qcow2BadInputTest)
#include "qcow2_bad_input_test.moc"
