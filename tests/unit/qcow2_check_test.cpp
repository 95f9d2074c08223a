// Specification: checkImage tells leaks from corruptions the way `qemu-img
// check` does, `-r leaks` and `-r all` repair what qemu-img would repair (so
// qemu-img then reports a clean image), and a dirty lazy-refcounts image is
// repaired before it is written.

#include "core/block/qcow2_check.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "block_test_support.h"
#include "core/block/big_endian.h"
#include "core/block/open_image.h"
#include "core/block/qcow2_image.h"

using namespace tessera;
using namespace tessera::block;
using blocktest::qemuImg;

namespace {
constexpr uint64_t kCluster = 65536, kRefBlock = 2 * kCluster;
// Refcount of cluster i in the first 16-bit refcount block.
void pokeRefcount(const std::string& path, uint64_t cluster, uint16_t value) {
    blocktest::poke(path, kRefBlock + 2 * cluster, {uint8_t(value >> 8), uint8_t(value)});
}
}  // namespace

class Qcow2CheckTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::vector<uint8_t> data_ = blocktest::mixedData(5 * kCluster, 21);

    std::string makeImage(const char* name, bool lazy = false) {
        std::string p = (dir_.path() + "/" + name).toStdString();
        CreateOptions o;
        o.size = 4 << 20;
        o.lazyRefcounts = lazy;
        if (!createImage(p, o).ok()) return {};
        OpenOptions rw;
        rw.readOnly = false;
        auto image = openImage(p, rw);
        if (!image || !(*image)->write(0, data_).ok()) return {};
        return p;  // clusters: 0 header, 1 reftable, 2 refblock, 3 L1, 4 L2, 5..9 data
    }
    int qemuCheck(const std::string& p) { return qemuImg({"check", QString::fromStdString(p)}).exitCode; }
    void expectDataIntact(const std::string& p) {
        auto image = openImage(p);
        QVERIFY(image.ok());
        std::vector<uint8_t> back(data_.size());
        QVERIFY((*image)->read(0, back).ok());
        QVERIFY(back == data_);
    }

private slots:
    void cleanImageHasNoErrorsAndQemuCompatibleCounts() {
        std::string p = makeImage("clean.qcow2");
        auto r = checkImage(p, RepairMode::None);
        QVERIFY(r.ok());
        QCOMPARE(r->corruptions + r->leaks + r->checkErrors, 0ull);
        QCOMPARE(r->totalClusters, 64ull);
        QCOMPARE(r->allocatedClusters, 5ull);
        QCOMPARE(r->imageEndOffset, 10 * kCluster);
        auto json = qemuImg({"check", "--output=json", QString::fromStdString(p)});
        QVERIFY(json.out.contains("\"image-end-offset\": 655360"));
        QVERIFY(json.out.contains("\"allocated-clusters\": 5"));
        QCOMPARE(r->fragmentedClusters, 0ull);  // qemu-img omits the field when it is 0
        QVERIFY(!json.out.contains("fragmented-clusters"));
    }

    void rawImagesHaveNoCheck() {
        std::string p = (dir_.path() + "/plain.raw").toStdString();
        blocktest::writeFile(p, std::vector<uint8_t>(4096, 1));
        auto r = checkImage(p, RepairMode::None);
        QVERIFY(r.ok());
        QVERIFY(!r->formatSupportsCheck);
    }

    void leaksAreReportedAndRepairedWithDashRLeaks() {
        std::string p = makeImage("leak.qcow2");
        QVERIFY(QFile::resize(QString::fromStdString(p), 16 * kCluster));  // room inside the file
        pokeRefcount(p, 12, 1);                                            // a cluster nobody references
        pokeRefcount(p, 13, 3);                                            // another one, counted three times
        QCOMPARE(qemuCheck(p), 3);
        auto r = checkImage(p, RepairMode::None);
        QVERIFY(r.ok());
        QCOMPARE(r->leaks, 2ull);
        QCOMPARE(r->corruptions, 0ull);
        QVERIFY(std::any_of(r->messages.begin(), r->messages.end(), [](const std::string& m) {
            return m == "Leaked cluster 12 refcount=1 reference=0";
        }));
        auto fixed = checkImage(p, RepairMode::Leaks);
        QVERIFY(fixed.ok());
        QCOMPARE(fixed->leaksFixed, 2ull);
        QCOMPARE(fixed->leaks, 0ull);
        QCOMPARE(qemuCheck(p), 0);
        expectDataIntact(p);
    }

    void refcountsBelowReferencesAreCorruptionsRepairedByDashRAll() {
        std::string p = makeImage("corrupt.qcow2");
        pokeRefcount(p, 7, 0);  // live data cluster looks free: the next write could overwrite it
        pokeRefcount(p, 4, 0);  // the L2 table too
        QCOMPARE(qemuCheck(p), 2);
        auto r = checkImage(p, RepairMode::None);
        QVERIFY(r.ok());
        QVERIFY(r->corruptions >= 2);
        // -r leaks never raises refcounts; a referenced cluster with refcount 0
        // needs a rebuild, so like qemu-img (exit 1) it refuses and says why.
        QString copy = QString::fromStdString(p) + ".qemu";
        QVERIFY(QFile::copy(QString::fromStdString(p), copy));
        QCOMPARE(qemuImg({"check", "-r", "leaks", copy}).exitCode, 1);
        auto leaksOnly = checkImage(p, RepairMode::Leaks);
        QVERIFY(!leaksOnly.ok());
        QVERIFY(leaksOnly.message().find("-r all") != std::string::npos);
        auto fixed = checkImage(p, RepairMode::All);
        QVERIFY2(fixed.ok(), fixed.ok() ? "" : fixed.message().c_str());
        QCOMPARE(fixed->corruptions, 0ull);
        QVERIFY(fixed->corruptionsFixed >= 2);
        QCOMPARE(qemuCheck(p), 0);
        expectDataIntact(p);
    }

    void copiedFlagMismatchIsACorruption() {
        std::string p = makeImage("copied.qcow2");
        // Clear COPIED on the first L2 entry (data cluster 5 has refcount 1).
        blocktest::pokeBE64(p, 4 * kCluster, 5 * kCluster);
        QCOMPARE(qemuCheck(p), 2);
        auto r = checkImage(p, RepairMode::None);
        QVERIFY(r.ok());
        QCOMPARE(r->corruptions, 1ull);
        auto fixed = checkImage(p, RepairMode::All);
        QVERIFY(fixed.ok());
        QCOMPARE(fixed->corruptions, 0ull);
        QCOMPARE(qemuCheck(p), 0);
        expectDataIntact(p);
    }

    void dashRAllClearsTheCorruptBit() {
        std::string p = makeImage("corruptbit.qcow2");
        blocktest::pokeBE64(p, 72, 2);
        OpenOptions rw;
        rw.readOnly = false;
        QVERIFY(!openImage(p, rw).ok());
        auto fixed = checkImage(p, RepairMode::All);
        QVERIFY(fixed.ok());
        QVERIFY(openImage(p, rw).ok());
    }

    void dirtyImagesAreRepairedBeforeWriting() {
        std::string p = makeImage("dirty.qcow2", true);
        // What a crash with lazy refcounts leaves: dirty bit set, refcounts stale.
        blocktest::pokeBE64(p, 72, 1);
        pokeRefcount(p, 8, 0);
        QCOMPARE(qemuImg({"info", "--output=json", QString::fromStdString(p)})
                     .out.contains("\"dirty-flag\": true"),
                 true);
        expectDataIntact(p);  // a read-only open works without touching it
        {
            OpenOptions rw;
            rw.readOnly = false;
            auto image = openImage(p, rw);
            QVERIFY2(image.ok(), image.ok() ? "" : image.message().c_str());
            std::vector<uint8_t> more(kCluster, 0x31);
            QVERIFY((*image)->write(2 << 20, more).ok());
        }
        QCOMPARE(qemuCheck(p), 0);
        expectDataIntact(p);
    }

    void dashRAllRebuildsRefcountsOfQemuImagesWithSnapshotsAndCompression() {
        QString image = dir_.path() + "/rebuild.qcow2";
        QFile::remove(image);
        QCOMPARE(qemuImg({"create", "-q", "-f", "qcow2", "-o", "cluster_size=4096", image, "2M"}).exitCode,
                 0);
        auto io = [&](const QString& command) {
            return blocktest::run("qemu-io", {"-f", "qcow2", "-c", command, image}).exitCode == 0;
        };
        QVERIFY(io("write -P 0x61 0 256k"));
        QVERIFY(io("write -c -P 0x62 512k 64k"));
        QCOMPARE(qemuImg({"snapshot", "-c", "keep", image}).exitCode, 0);
        QVERIFY(io("write -P 0x63 64k 64k"));
        auto current = blocktest::qemuReadAll(image, dir_.path());
        QCOMPARE(
            qemuImg({"convert", "-l", "snapshot.name=keep", "-O", "raw", image, dir_.path() + "/keep.raw"})
                .exitCode,
            0);
        auto snapshot = blocktest::readFile((dir_.path() + "/keep.raw").toStdString());

        // Zero the refcounts of the first 64 clusters: header, tables, data, all "free".
        std::string p = image.toStdString();
        auto bytes = blocktest::readFile(p);
        uint64_t reftable = loadBE64(bytes.data() + 48);
        uint64_t refblock = loadBE64(bytes.data() + reftable);
        blocktest::poke(p, refblock, std::vector<uint8_t>(128, 0));
        QCOMPARE(qemuCheck(p), 2);
        auto fixed = checkImage(p, RepairMode::All);
        QVERIFY2(fixed.ok(), fixed.ok() ? "" : fixed.message().c_str());
        QVERIFY(fixed->rebuiltRefcounts);
        QCOMPARE(fixed->corruptions, 0ull);
        auto after = qemuImg({"check", image});
        QVERIFY2(after.exitCode == 0, after.out.constData());
        QVERIFY(blocktest::qemuReadAll(image, dir_.path()) == current);
        QCOMPARE(
            qemuImg({"convert", "-l", "snapshot.name=keep", "-O", "raw", image, dir_.path() + "/keep2.raw"})
                .exitCode,
            0);
        QVERIFY(blocktest::readFile((dir_.path() + "/keep2.raw").toStdString()) == snapshot);
    }

    // Issue 10, item 7: an image compressed by the real qemu-img and cut to a
    // third of its size used to pass ("No errors", exit 0). Every compressed
    // cluster's byte range must lie inside the file; the counts and the exit
    // code are qemu-img check's.
    void truncatedCompressedImageIsCorruptLikeQemuImgSaysSo() {
        QString raw = dir_.path() + "/compressible.raw", image = dir_.path() + "/truncated.qcow2";
        blocktest::writeFile(raw.toStdString(), blocktest::mixedData(16 << 20, 7));
        QCOMPARE(qemuImg({"convert", "-c", "-O", "qcow2", raw, image}).exitCode, 0);
        QVERIFY(QFile::resize(image, QFileInfo(image).size() / 3));
        auto qemu = qemuImg({"check", "--output=json", image});
        QCOMPARE(qemu.exitCode, 2);
        auto r = checkImage(image.toStdString(), RepairMode::None);
        QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
        QVERIFY(r->corruptions > 100);
        QJsonObject theirs = QJsonDocument::fromJson(qemu.out).object();
        QCOMPARE(uint64_t(theirs.value("corruptions").toInteger()), r->corruptions);
        QCOMPARE(uint64_t(theirs.value("leaks").toInteger()), r->leaks);  // absent = 0
        QVERIFY(std::any_of(r->messages.begin(), r->messages.end(), [](const std::string& m) {
            return m.starts_with("ERROR: counting reference for region exceeding the end of the file");
        }));
    }

    void repairNeedsTheImageUnlocked() {
        std::string p = makeImage("busy.qcow2");
        OpenOptions rw;
        rw.readOnly = false;
        auto vm = openImage(p, rw);
        QVERIFY(vm.ok());
        auto r = checkImage(p, RepairMode::Leaks);
        QVERIFY(!r.ok());
        QVERIFY(r.message().find("in use by another process") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(Qcow2CheckTest)
#include "qcow2_check_test.moc"
