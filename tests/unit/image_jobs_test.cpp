// Specification: the image jobs behind `tessera-cli img` (convert, compact,
// compare, map, info) on real raw and qcow2 files made by our block layer.

#include <sys/stat.h>
#include <unistd.h>

#include <QtTest>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>

#include "core/block/host_file.h"
#include "core/block/image_compact.h"
#include "core/block/image_compare.h"
#include "core/block/image_convert.h"
#include "core/block/image_info.h"
#include "core/block/image_map.h"
#include "core/block/json_writer.h"
#include "core/block/open_image.h"
#include "core/block/qcow2_image.h"

using namespace tessera;
using namespace tessera::block;
namespace fs = std::filesystem;

namespace {

constexpr uint64_t kCluster = 65536;

std::vector<uint8_t> readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::unique_ptr<BlockBackend> openOrFail(const std::string& path, bool readOnly = true) {
    OpenOptions options;
    options.readOnly = readOnly;
    auto image = openImage(path, options);
    if (!image) qFatal("%s", image.message().c_str());
    return std::move(*image);
}

// A qcow2 disk with: text in cluster 0-1, random in 2, zeros written as data in 3-4, text in 6.
std::string makeUsedDisk(const std::string& dir, const std::string& name = "used.qcow2") {
    const std::string path = dir + "/" + name;
    CreateOptions create;
    create.size = 16 * kCluster;
    if (auto s = createImage(path, create); !s) qFatal("%s", s.message().c_str());
    auto image = openOrFail(path, false);
    std::vector<uint8_t> text(2 * kCluster);
    for (size_t i = 0; i < text.size(); ++i) text[i] = "the quick brown fox jumps over the lazy dog "[i % 44];
    std::vector<uint8_t> noise(kCluster);
    std::mt19937 rng(5);
    for (auto& b : noise) b = static_cast<uint8_t>(rng());
    std::vector<uint8_t> zeros(2 * kCluster, 0);
    if (!image->write(0, text) || !image->write(2 * kCluster, noise) || !image->write(3 * kCluster, zeros) ||
        !image->write(6 * kCluster, std::span<const uint8_t>(text).first(kCluster)) || !image->flush())
        qFatal("cannot write the test disk");
    return path;
}

bool sameContent(const std::string& a, const std::string& b) {
    auto first = openOrFail(a);
    auto second = openOrFail(b);
    return compareImages(*first, *second, false).outcome == CompareResult::Outcome::Identical;
}

bool leftoverTemporaryFiles(const std::string& dir) {
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.path().filename().string().find(".compact-") != std::string::npos) return true;
    return false;
}

}  // namespace

class ImageJobsTest : public QObject {
    Q_OBJECT
private:
    QTemporaryDir dir_;
    std::string path(const char* name) const { return dir_.path().toStdString() + "/" + name; }

private slots:
    void convertCopiesContentAndDropsZeroClusters() {
        const std::string source = makeUsedDisk(dir_.path().toStdString());
        ConvertRequest request{source, std::nullopt, path("converted.qcow2"), {}, false, 2};
        request.targetOptions.format = ImageFormat::Qcow2;
        QVERIFY(convertImage(request).ok());
        QVERIFY(sameContent(source, request.target));
        auto target = openOrFail(request.target);
        auto status = target->blockStatus(3 * kCluster, 2 * kCluster);
        QVERIFY(status.ok());
        QVERIFY(!status->data);  // the zeroed clusters are not stored
        QVERIFY(status->zero);
    }
    void convertCompressedIsSmallerAndIdenticalWithZlibAndZstd() {
        const std::string source = makeUsedDisk(dir_.path().toStdString());
        for (auto type : {qcow2::CompressionType::Zlib, qcow2::CompressionType::Zstd}) {
            ConvertRequest request{source, std::nullopt, path("compressed.qcow2"), {}, true, 3};
            request.targetOptions.compressionType = type;
            QVERIFY(convertImage(request).ok());
            QVERIFY(sameContent(source, request.target));
            QVERIFY(fs::file_size(request.target) < fs::file_size(source));
            auto target = openOrFail(request.target);
            auto status = target->blockStatus(0, kCluster);
            QVERIFY(status.ok() && status->compressed);
            auto noise = target->blockStatus(2 * kCluster, kCluster);
            QVERIFY(noise.ok() && !noise->compressed);  // random data is stored as is
        }
    }
    void convertReportsProgressUpToTheWholeDisk() {
        const std::string source = makeUsedDisk(dir_.path().toStdString());
        uint64_t last = 0, total = 0;
        bool monotonic = true;
        JobControl control;
        control.progress = [&](uint64_t done, uint64_t of) {
            monotonic = monotonic && done >= last;
            last = done;
            total = of;
        };
        ConvertRequest request{source, std::nullopt, path("progress.qcow2"), {}, true, 2};
        QVERIFY(convertImage(request, control).ok());
        QVERIFY(monotonic);
        QCOMPARE(last, 16 * kCluster);
        QCOMPARE(total, 16 * kCluster);
    }
    void convertToCompressedRawIsRefusedBeforeAnythingIsWritten() {
        const std::string source = makeUsedDisk(dir_.path().toStdString());
        ConvertRequest request{source, std::nullopt, path("never.raw"), {}, true, 1};
        request.targetOptions.format = ImageFormat::Raw;
        QVERIFY(!convertImage(request).ok());
        QVERIFY(!fs::exists(request.target));
    }
    void cancelledConvertRemovesItsTarget() {
        const std::string source = makeUsedDisk(dir_.path().toStdString());
        std::atomic<bool> cancel{true};
        JobControl control;
        control.cancel = &cancel;
        ConvertRequest request{source, std::nullopt, path("cancelled.qcow2"), {}, true, 1};
        auto status = convertImage(request, control);
        QVERIFY(!status.ok());
        QVERIFY(!fs::exists(request.target));
    }
    void compactShrinksKeepsContentAndLeavesNoTemporaryFile() {
        const std::string dir = dir_.path().toStdString() + "/compact";
        fs::create_directories(dir);
        const std::string disk = makeUsedDisk(dir);
        const std::string reference = dir + "/reference.qcow2";
        fs::copy_file(disk, reference);
        CompactRequest request;
        request.path = disk;
        request.compress = true;
        auto result = compactImage(request);
        QVERIFY2(result.ok(), result.ok() ? "" : result.message().c_str());
        QVERIFY(result->fileSizeAfter < result->fileSizeBefore);
        QVERIFY(sameContent(reference, disk));
        QVERIFY(!leftoverTemporaryFiles(dir));
    }
    void compactCancelledAtAnyPointLeavesTheOriginalByteIdentical() {
        const std::string dir = dir_.path().toStdString() + "/cancel";
        fs::create_directories(dir);
        const std::string disk = makeUsedDisk(dir);
        const auto before = readFile(disk);
        // Cancel after the 1st progress report (copy pass), the 2nd (verify pass), ...
        int cancellations = 0;
        for (int cancelAfter : {1, 2, 3, 4}) {
            std::atomic<bool> cancel{false};
            int reports = 0;
            JobControl control;
            control.cancel = &cancel;
            control.progress = [&](uint64_t, uint64_t) {
                if (++reports == cancelAfter) cancel = true;
            };
            CompactRequest request;
            request.path = disk;
            request.compress = true;
            auto result = compactImage(request, control);
            if (cancel) {
                ++cancellations;
                QVERIFY(!result.ok());
                QVERIFY(readFile(disk) == before);
            }
            QVERIFY(!leftoverTemporaryFiles(dir));
            if (!cancel) break;  // the job finished before that many reports
        }
        QVERIFY(cancellations >= 2);
    }
    void compactRefusesAnImageInUse() {
        const std::string dir = dir_.path().toStdString() + "/locked";
        fs::create_directories(dir);
        const std::string disk = makeUsedDisk(dir);
        const auto before = readFile(disk);
        auto runningVm = HostFile::open(disk, true, LockMode::Exclusive);  // what a running VM holds
        QVERIFY(runningVm.ok());
        CompactRequest request;
        request.path = disk;
        auto result = compactImage(request);
        QVERIFY(!result.ok());
        QVERIFY(result.message().find("in use") != std::string::npos);
        QVERIFY(readFile(disk) == before);
        QVERIFY(!leftoverTemporaryFiles(dir));
    }
    void compactKeepsBackingFileCompatAndCompressionType() {
        const std::string dir = dir_.path().toStdString() + "/shape";
        fs::create_directories(dir);
        const std::string base = makeUsedDisk(dir, "base.qcow2");
        CreateOptions create;
        create.backingFile = "base.qcow2";
        create.backingFormat = ImageFormat::Qcow2;
        create.compressionType = qcow2::CompressionType::Zstd;
        create.clusterSize = 4096;
        QVERIFY(createImage(dir + "/top.qcow2", create).ok());
        {
            auto top = openOrFail(dir + "/top.qcow2", false);
            std::vector<uint8_t> zeros(kCluster, 0), ones(kCluster, 1);
            QVERIFY(top->write(0, zeros).ok());  // zeros over backing data must stay zeros
            QVERIFY(top->write(8 * kCluster, ones).ok());
            QVERIFY(top->flush().ok());
        }
        fs::copy_file(dir + "/top.qcow2", dir + "/reference.qcow2");
        CompactRequest request;
        request.path = dir + "/top.qcow2";
        request.compress = true;
        auto result = compactImage(request);
        QVERIFY2(result.ok(), result.ok() ? "" : result.message().c_str());
        auto top = openOrFail(dir + "/top.qcow2");
        auto* qcow2 = dynamic_cast<Qcow2Image*>(top.get());
        QVERIFY(qcow2);
        QCOMPARE(qcow2->backingFileName(), std::string("base.qcow2"));
        QCOMPARE(qcow2->backingFormat(), std::string("qcow2"));
        QCOMPARE(qcow2->compressionType(), qcow2::CompressionType::Zstd);
        QCOMPARE(qcow2->clusterSize(), uint64_t(4096));
        QCOMPARE(qcow2->compat(), std::string("1.1"));
        QVERIFY(sameContent(dir + "/reference.qcow2", dir + "/top.qcow2"));
        // Ranges the top image never defined still come from the backing file.
        auto status = top->blockStatus(2 * kCluster, 4096);
        QVERIFY(status.ok() && status->depth == 1);
    }
    void compactFollowsASymlinkAndKeepsIt() {
        const std::string dir = dir_.path().toStdString() + "/symlink";
        fs::create_directories(dir + "/images");
        fs::create_directories(dir + "/vm");
        const std::string target = makeUsedDisk(dir + "/images", "disk.qcow2");
        fs::copy_file(target, dir + "/reference.qcow2");
        const std::string link = dir + "/vm/disk.qcow2";
        fs::create_symlink("../images/disk.qcow2", link);
        CompactRequest request;
        request.path = link;
        request.compress = true;
        auto result = compactImage(request);
        QVERIFY2(result.ok(), result.ok() ? "" : result.message().c_str());
        // Still a symlink to the same file, which is now the compacted one.
        QVERIFY(fs::is_symlink(link));
        QCOMPARE(fs::read_symlink(link).string(), std::string("../images/disk.qcow2"));
        QVERIFY(fs::file_size(target) < fs::file_size(dir + "/reference.qcow2"));
        QVERIFY(sameContent(dir + "/reference.qcow2", link));
        QVERIFY(!leftoverTemporaryFiles(dir + "/images"));
        QVERIFY(!leftoverTemporaryFiles(dir + "/vm"));
    }
    void compactKeepsOwnerGroupAndMode() {
        // Run as root (as CI does), compact must not hand the user's disk to root.
        QCOMPARE(::geteuid(), uid_t(0));
        const std::string dir = dir_.path().toStdString() + "/owner";
        fs::create_directories(dir);
        const std::string disk = makeUsedDisk(dir);
        QCOMPARE(::chown(disk.c_str(), 4321, 8765), 0);
        QCOMPARE(::chmod(disk.c_str(), 0640), 0);
        CompactRequest request;
        request.path = disk;
        auto result = compactImage(request);
        QVERIFY2(result.ok(), result.ok() ? "" : result.message().c_str());
        struct stat st {};
        QCOMPARE(::stat(disk.c_str(), &st), 0);
        QCOMPARE(st.st_uid, uid_t(4321));
        QCOMPARE(st.st_gid, gid_t(8765));
        QCOMPARE(st.st_mode & 07777, mode_t(0640));
    }
    void compactRemovesTheCopyAKilledCompactLeftBehind() {
        const std::string dir = dir_.path().toStdString() + "/stale";
        fs::create_directories(dir);
        const std::string disk = makeUsedDisk(dir, "disk.qcow2");
        makeUsedDisk(dir, "other.qcow2");
        // What `kill -9` during a compact leaves: a half-written copy next to the image.
        const std::string stale = dir + "/.disk.qcow2.compact-0badf00d.tmp";
        fs::copy_file(disk, stale);
        // Copies that belong to other images, or are not compact's, stay.
        const std::vector<std::string> others = {dir + "/.other.qcow2.compact-0badf00d.tmp",
                                                 dir + "/.disk.qcow2.compact-x.compact-0badf00d.tmp",
                                                 dir + "/disk.qcow2.compact-0badf00d.tmp"};
        for (const std::string& other : others) fs::copy_file(disk, other);
        CompactRequest request;
        request.path = disk;
        auto result = compactImage(request);
        QVERIFY2(result.ok(), result.ok() ? "" : result.message().c_str());
        QVERIFY(!fs::exists(stale));
        for (const std::string& other : others) QVERIFY2(fs::exists(other), other.c_str());
    }
    void compactTemporaryNamesAreRecognised() {
        QVERIFY(isCompactTemporaryName(".disk.qcow2.compact-0123abcd.tmp"));
        QVERIFY(isCompactTemporaryName(".a.compact-ffffffff.tmp"));
        QVERIFY(!isCompactTemporaryName("disk.qcow2.compact-0123abcd.tmp"));  // not hidden
        QVERIFY(!isCompactTemporaryName(".disk.qcow2.compact-0123ABCD.tmp"));
        QVERIFY(!isCompactTemporaryName(".disk.qcow2.compact-0123abc.tmp"));
        QVERIFY(!isCompactTemporaryName(".disk.qcow2.compact-0123abcd.tmp.part"));
        QVERIFY(!isCompactTemporaryName(".compact-0123abcd.tmp"));
        QVERIFY(!isCompactTemporaryName("disk.qcow2"));
    }

    void compareFindsTheFirstDifferingByte() {
        const std::string a = makeUsedDisk(dir_.path().toStdString(), "a.qcow2");
        const std::string b = makeUsedDisk(dir_.path().toStdString(), "b.qcow2");
        {
            auto image = openOrFail(b, false);
            const uint8_t changed[1] = {0xff};
            QVERIFY(image->write(5 * kCluster + 77, changed).ok());
            QVERIFY(image->flush().ok());
        }
        auto first = openOrFail(a);
        auto second = openOrFail(b);
        auto result = compareImages(*first, *second, false);
        QCOMPARE(int(result.outcome), int(CompareResult::Outcome::Different));
        QCOMPARE(result.message, "Content mismatch at offset " + std::to_string(5 * kCluster + 77) + "!");
    }
    void compareAcceptsALongerImageWithAZeroTailUnlessStrict() {
        const std::string a = makeUsedDisk(dir_.path().toStdString(), "short.qcow2");
        const std::string b = path("long.qcow2");
        ConvertRequest request{a, std::nullopt, b, {}, false, 1};
        request.targetOptions.size = 32 * kCluster;
        QVERIFY(convertImage(request).ok());
        auto first = openOrFail(a);
        auto second = openOrFail(b);
        auto lenient = compareImages(*first, *second, false);
        QCOMPARE(int(lenient.outcome), int(CompareResult::Outcome::Identical));
        QVERIFY(lenient.sizeMismatch);
        auto strict = compareImages(*first, *second, true);
        QCOMPARE(int(strict.outcome), int(CompareResult::Outcome::Different));
        QCOMPARE(strict.message, std::string("Strict mode: Image size mismatch!"));
    }
    void mapMergesNeighboursAndPrintsQemuImgLayout() {
        const std::string disk = makeUsedDisk(dir_.path().toStdString(), "map.qcow2");
        auto image = openOrFail(disk);
        auto extents = mapImage(*image);
        QVERIFY(extents.ok());
        uint64_t covered = 0;
        for (size_t i = 0; i < extents->size(); ++i) {
            QCOMPARE((*extents)[i].start, covered);
            covered += (*extents)[i].length;
            if (i) QVERIFY(!(*extents)[i - 1].canAbsorb((*extents)[i]));
        }
        QCOMPARE(covered, 16 * kCluster);
        const std::string json = formatMapJson(*extents);
        QVERIFY(json.rfind("[{ \"start\": 0, \"length\": ", 0) == 0);
        QVERIFY(json.find("}]\n") == json.size() - 3);
    }
    void infoDescribesQcow2LikeQemuImg() {
        const std::string disk = makeUsedDisk(dir_.path().toStdString(), "info.qcow2");
        auto chain = describeImageChain(disk, std::nullopt, false, false);
        QVERIFY(chain.ok());
        QCOMPARE(chain->size(), size_t(1));
        const ImageInfo& info = chain->front();
        QCOMPARE(info.format, std::string("qcow2"));
        QCOMPARE(info.virtualSize, 16 * kCluster);
        QVERIFY(info.qcow2 && info.qcow2->compat == "1.1" && info.qcow2->refcountBits == 16);
        const std::string human = formatInfoHuman(*chain);
        QVERIFY(human.find("virtual size: 1 MiB (1048576 bytes)\n") != std::string::npos);
        QVERIFY(human.find("cluster_size: 65536\n") != std::string::npos);
        QCOMPARE(combineBackingPath("dir/top.qcow2", "base.qcow2"), std::string("dir/base.qcow2"));
        QCOMPARE(combineBackingPath("top.qcow2", "base.qcow2"), std::string("base.qcow2"));
        QCOMPARE(combineBackingPath("dir/top.qcow2", "/abs/base.qcow2"), std::string("/abs/base.qcow2"));
    }
    void jsonWriterIndentsLikeQemu() {
        JsonWriter json;
        json.beginObject();
        json.value("name", "a \"quoted\"\nname");
        json.value("size", uint64_t(42));
        json.beginArray("list");
        json.endArray();
        json.beginObject("nested");
        json.value("flag", true);
        json.endObject();
        json.endObject();
        QCOMPARE(json.text(),
                 std::string("{\n    \"name\": \"a \\\"quoted\\\"\\nname\",\n    \"size\": 42,\n"
                             "    \"list\": [],\n    \"nested\": {\n        \"flag\": true\n    }\n}\n"));
    }
};

QTEST_GUILESS_MAIN(ImageJobsTest)
#include "image_jobs_test.moc"
