// Specification (issue 10, item 5): a hostile qcow2 image never makes open,
// `img info` or `img check` hang or exhaust memory. The work is bounded by the
// file's size and the memory is capped, which this test measures without any
// timing: bytes read come from /proc/self/io (rchar), peak memory from VmHWM
// in /proc/self/status (reset through /proc/self/clear_refs before each step).

#include <malloc.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>
#include <fstream>

#include "block_test_support.h"
#include "core/block/big_endian.h"
#include "core/block/image_info.h"
#include "core/block/open_image.h"
#include "core/block/qcow2_check.h"
#include "core/block/qcow2_format.h"

using namespace tessera;
using namespace tessera::block;

namespace {

uint64_t procField(const char* file, const std::string& key) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(key + ":", 0) == 0) return std::stoull(line.substr(key.size() + 1));
    return 0;
}

// What one step costs: bytes it read and how far it raised the peak RSS.
struct Cost {
    uint64_t bytesRead = 0;
    uint64_t peakGrowth = 0;
};

template <typename F>
Cost measure(F&& step) {
    malloc_trim(0);  // memory freed by earlier steps must not hide this one's growth
    std::ofstream("/proc/self/clear_refs") << "5";  // VmHWM := VmRSS
    const uint64_t rss = procField("/proc/self/status", "VmRSS") << 10;
    const uint64_t before = procField("/proc/self/io", "rchar");
    step();
    Cost cost;
    cost.bytesRead = procField("/proc/self/io", "rchar") - before;
    const uint64_t peak = procField("/proc/self/status", "VmHWM") << 10;
    cost.peakGrowth = peak > rss ? peak - rss : 0;
    return cost;
}

constexpr uint64_t MiB = 1 << 20;

}  // namespace

class Qcow2BoundedWorkTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    std::string path(const char* name) const { return (dir_.path() + "/" + name).toStdString(); }

    static uint64_t fileSize(const std::string& p) { return QFileInfo(QString::fromStdString(p)).size(); }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY2(std::ofstream("/proc/self/clear_refs").good(),
                 "the peak-memory measurement needs clear_refs");
    }

    // 65536 snapshots (QEMU's maximum) that all name one L1 table of 4 Mi
    // entries (32 MiB, QEMU's maximum): a 36 MiB file. Reading each
    // snapshot's L1 table at open would mean 2 TiB of reads.
    void manySnapshotsSharingAHugeL1TableCostTheirFileSize() {
        const std::string p = path("snapshots.qcow2");
        CreateOptions o;
        o.size = 1 << 20;
        QVERIFY(createImage(p, o).ok());
        constexpr uint64_t kCluster = 65536, kL1Entries = 4u << 20, kSnapshots = 65536;
        const uint64_t l1Offset = qcow2::alignUp(fileSize(p), kCluster);
        const uint64_t tableOffset = l1Offset + kL1Entries * 8;
        qcow2::Snapshot snapshot;
        snapshot.l1TableOffset = l1Offset;
        snapshot.l1Size = kL1Entries;
        snapshot.id.assign(1, '1');
        snapshot.diskSize = o.size;
        std::vector<uint8_t> table = qcow2::encodeSnapshotTable(std::vector(kSnapshots, snapshot));
        QVERIFY(QFile::resize(QString::fromStdString(p), qint64(tableOffset)));  // the L1 table: zeros
        blocktest::poke(p, tableOffset, table);
        blocktest::pokeBE32(p, 60, kSnapshots);
        blocktest::pokeBE64(p, 64, tableOffset);
        const uint64_t size = fileSize(p);
        qInfo("crafted image: %.1f MiB", double(size) / MiB);

        Cost open = measure([&] {
            auto image = openImage(p);
            QVERIFY2(image.ok(), image.ok() ? "" : image.message().c_str());
        });
        Cost info = measure([&] {
            auto chain = describeImageChain(p, std::nullopt, false, false);
            QVERIFY2(chain.ok(), chain.ok() ? "" : chain.message().c_str());
            QCOMPARE(chain->front().snapshots.size(), size_t(kSnapshots));
        });
        Cost check = measure([&] {
            auto r = checkImage(p, RepairMode::None);
            QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
            // QEMU's counts: each snapshot references the shared L1 clusters once,
            // 65536 times is one more than a 16-bit refcount holds (one overflow
            // per cluster); those clusters and the snapshot table's have refcount 0.
            const uint64_t l1Clusters = kL1Entries * 8 / kCluster;
            QCOMPARE(
                std::count_if(r->messages.begin(), r->messages.end(),
                              [](const std::string& m) { return m.starts_with("ERROR: overflow cluster"); }),
                qsizetype(l1Clusters));
            QCOMPARE(r->corruptions, 2 * l1Clusters + qcow2::divRoundUp(table.size(), kCluster));
        });
        qInfo("open: %.1f MiB read, peak +%.1f MiB", double(open.bytesRead) / MiB,
              double(open.peakGrowth) / MiB);
        qInfo("info: %.1f MiB read, peak +%.1f MiB", double(info.bytesRead) / MiB,
              double(info.peakGrowth) / MiB);
        qInfo("check: %.1f MiB read, peak +%.1f MiB", double(check.bytesRead) / MiB,
              double(check.peakGrowth) / MiB);
        // Open and info read the header, the tables and the snapshot table, not the L1 table.
        QVERIFY(open.bytesRead < table.size() + 4 * MiB);
        QVERIFY(info.bytesRead < table.size() + 4 * MiB);
        // The check reads the shared L1 table once.
        QVERIFY(check.bytesRead < 2 * size);
        for (const Cost& c : {open, info, check}) QVERIFY(c.peakGrowth < 128 * MiB);
    }

    // A sparse file of 1 TiB with 512-byte clusters: 2^31 clusters, of which
    // a few thousand are allocated. The check used to keep 9 bytes for each.
    void checkMemoryFollowsTheAllocatedClustersNotTheFileLength() {
        const std::string p = path("sparse.qcow2");
        CreateOptions o;
        o.size = 64 << 20;
        o.clusterSize = 512;
        QVERIFY(createImage(p, o).ok());
        {
            OpenOptions rw;
            rw.readOnly = false;
            auto image = openImage(p, rw);
            QVERIFY(image.ok());
            QVERIFY((*image)->write(0, blocktest::mixedData(1 << 20, 5)).ok());
        }
        QVERIFY(QFile::resize(QString::fromStdString(p), qint64(1) << 40));
        Cost check = measure([&] {
            auto r = checkImage(p, RepairMode::None);
            QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
            QCOMPARE(r->corruptions + r->leaks + r->checkErrors, 0ull);
            QCOMPARE(r->allocatedClusters, uint64_t(2048));
        });
        qInfo("check of a sparse 1 TiB file: %.1f MiB read, peak +%.1f MiB", double(check.bytesRead) / MiB,
              double(check.peakGrowth) / MiB);
        QVERIFY(check.bytesRead < 16 * MiB);
        QVERIFY(check.peakGrowth < 64 * MiB);
    }

    // L1 entries pointing at 1024 different misaligned offsets of a file with
    // 2 MiB clusters: walking each "table" would read 2 GiB from a 10 MiB file.
    // The walks stop at a budget and the check says it is incomplete.
    void misalignedL2TablesAreWalkedWithinABudget() {
        const std::string p = path("misaligned.qcow2");
        CreateOptions o;
        o.size = 1024 * (512ull << 30);  // 1024 L1 entries: each L2 table maps 512 GiB
        o.clusterSize = 2 << 20;
        QVERIFY(createImage(p, o).ok());
        QVERIFY(QFile::resize(QString::fromStdString(p), qint64(10 * MiB)));
        auto bytes = blocktest::readFile(p);
        const uint64_t l1 = loadBE64(bytes.data() + 40);
        for (uint64_t i = 0; i < 1024; ++i) blocktest::pokeBE64(p, l1 + 8 * i, (4 * MiB + 512 * (i + 1)));
        Cost check = measure([&] {
            auto r = checkImage(p, RepairMode::None);
            QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
            QVERIFY(r->checkErrors > 0);  // exit code 1: the check is incomplete, and says so
            QVERIFY(std::any_of(r->messages.begin(), r->messages.end(), [](const std::string& m) {
                return m.find("too many misaligned L2 tables") != std::string::npos;
            }));
        });
        qInfo("check with 1024 misaligned L2 tables: %.1f MiB read", double(check.bytesRead) / MiB);
        // The walks and the COPIED scan have a budget each, plus the other metadata.
        QVERIFY(check.bytesRead < 2 * (64 * MiB + 2 * 10 * MiB) + 16 * MiB);
    }

    // References spread over a sparse file touch a page of the tally each;
    // past the memory limit the check stops with a clear error (exit 1).
    void spreadReferencesHitTheMemoryLimitWithAClearError() {
        const std::string p = path("spread.qcow2");
        CreateOptions o;
        o.size = 2 << 20;
        o.clusterSize = 4096;
        QVERIFY(createImage(p, o).ok());
        {
            OpenOptions rw;
            rw.readOnly = false;
            auto image = openImage(p, rw);
            QVERIFY(image.ok());
            QVERIFY((*image)->write(0, std::vector<uint8_t>(4096, 1)).ok());
        }
        auto bytes = blocktest::readFile(p);
        const uint64_t l2 = loadBE64(bytes.data() + loadBE64(bytes.data() + 40)) & qcow2::kL1OffsetMask;
        constexpr uint64_t kStride = 16 * MiB;  // 4096 clusters: one tally page per reference
        for (uint64_t i = 0; i < 512; ++i) blocktest::pokeBE64(p, l2 + 8 * i, (i + 1) * kStride);
        QVERIFY(QFile::resize(QString::fromStdString(p), qint64(600 * kStride)));

        auto limited = checkImage(p, RepairMode::None, std::nullopt, 2 * MiB);
        QVERIFY(!limited.ok());
        QVERIFY2(limited.message().find("more than 2 MiB of memory") != std::string::npos,
                 limited.message().c_str());
        auto full = checkImage(p, RepairMode::None);  // the default limit (1 GiB) is far away
        QVERIFY(full.ok());
        auto qemu = blocktest::qemuImg({"check", "--output=json", QString::fromStdString(p)});
        QCOMPARE(qemu.exitCode, 2);
        QJsonObject theirs = QJsonDocument::fromJson(qemu.out).object();
        QCOMPARE(uint64_t(theirs.value("corruptions").toInteger()), full->corruptions);
        QCOMPARE(uint64_t(theirs.value("leaks").toInteger()), full->leaks);
    }
};

QTEST_GUILESS_MAIN(Qcow2BoundedWorkTest)
#include "qcow2_bounded_work_test.moc"
