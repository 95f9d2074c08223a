// Specification: images that the real qemu-img/qemu-io create, with every
// option we claim to support, read back through Qcow2Image exactly as
// `qemu-img convert -O raw` reads them; our checker agrees with `qemu-img
// check`; and our writes into such images (including ones with internal
// snapshots, whose shared clusters must be copied on write) keep both the
// current disk and the snapshots intact.

#include <QtTest>
#include <random>

#include "block_test_support.h"
#include "core/block/open_image.h"
#include "core/block/qcow2_check.h"
#include "core/block/qcow2_image.h"

using namespace tessera;
using namespace tessera::block;
using blocktest::qemuImg;
using blocktest::run;

namespace {

// The same guest activity for every configuration: pattern writes, partial
// clusters, zero writes, compressed writes, discards.
QStringList activity(const QString& compressedLength) {
    QStringList c = {"write -P 0x11 0 100k", "write -P 0x22 1020k 8k",  "write -P 0x33 2M 1M",
                     "write -z 2304k 128k",  "write -P 0x44 5000 3000", "discard 2560k 256k",
                     "write -P 0x55 3M 4k",  "write -P 0x66 3084k 4k",  "write -z 4100 5000"};
    if (compressedLength == "2M")
        c << "write -c -P 0x77 4M 2M";
    else if (!compressedLength.isEmpty())
        c << "write -c -P 0x77 4M 64k"
          << "write -c -P 0x78 4160k 64k";
    return c;
}

bool qemuIo(const QString& image, const QStringList& commands, const QString& format = "qcow2") {
    QStringList args{"-f", format};
    for (const auto& c : commands) args << "-c" << c;
    args << image;
    auto r = run("qemu-io", args);
    if (r.exitCode != 0 || r.out.contains("failed") || r.err.size()) qWarning() << r.out << r.err;
    return r.exitCode == 0;
}

std::vector<uint8_t> readOurs(const std::string& path) {
    auto image = openImage(path);
    if (!image) {
        qWarning() << image.message().c_str();
        return {};
    }
    std::vector<uint8_t> out((*image)->size());
    Status s = (*image)->read(0, out);
    if (!s) qWarning() << s.message().c_str();
    return out;
}

}  // namespace

class Qcow2QemuInteropTest : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString path(const QString& name) { return dir_.path() + "/" + name; }

private slots:
    void qemuImagesReadBackIdentically_data() {
        QTest::addColumn<QString>("options");
        QTest::addColumn<QString>("compressed");  // length of compressed writes, "" = none
        QTest::newRow("defaults (v3, 64 KiB)") << ""
                                               << "64k";
        QTest::newRow("compat=0.10") << "compat=0.10"
                                     << "64k";
        QTest::newRow("512 B clusters") << "cluster_size=512"
                                        << "64k";
        QTest::newRow("4 KiB clusters") << "cluster_size=4096"
                                        << "64k";
        QTest::newRow("2 MiB clusters") << "cluster_size=2M"
                                        << "2M";
        for (int bits : {1, 2, 4, 8, 32, 64})
            QTest::newRow(qPrintable(QString("refcount_bits=%1").arg(bits)))
                << QString("refcount_bits=%1").arg(bits) << (bits > 1 ? "64k" : "");
        QTest::newRow("zstd") << "compression_type=zstd"
                              << "64k";
        QTest::newRow("extended_l2") << "extended_l2=on"
                                     << "64k";
        QTest::newRow("extended_l2 128k") << "extended_l2=on,cluster_size=128k"
                                          << "";
        QTest::newRow("lazy_refcounts") << "lazy_refcounts=on"
                                        << "64k";
        QTest::newRow("preallocation=metadata") << "preallocation=metadata"
                                                << "";
        QTest::newRow("preallocation=falloc") << "preallocation=falloc"
                                              << "";
        QTest::newRow("preallocation=full") << "preallocation=full"
                                            << "";
    }
    void qemuImagesReadBackIdentically() {
        QFETCH(QString, options);
        QFETCH(QString, compressed);
        QString image = path("qemu.qcow2");
        QFile::remove(image);
        QStringList args{"create", "-q", "-f", "qcow2"};
        if (!options.isEmpty()) args << "-o" << options;
        args << image << "6M";
        QCOMPARE(qemuImg(args).exitCode, 0);
        QVERIFY(qemuIo(image, activity(compressed)));
        auto expected = blocktest::qemuReadAll(image, dir_.path());
        QCOMPARE(expected.size(), size_t(6 << 20));
        QVERIFY(readOurs(image.toStdString()) == expected);
        auto check = checkImage(image.toStdString(), RepairMode::None);
        QVERIFY2(check.ok(), check.ok() ? "" : check.message().c_str());
        QCOMPARE(check->corruptions, 0ull);
        QCOMPARE(check->leaks, 0ull);
        // Our counts agree with qemu-img's.
        auto json = qemuImg({"check", "--output=json", image});
        QVERIFY(
            json.out.contains(QString("\"allocated-clusters\": %1").arg(check->allocatedClusters).toUtf8()));
        QVERIFY2(json.out.contains(QString("\"image-end-offset\": %1").arg(check->imageEndOffset).toUtf8()),
                 (json.out + QByteArray::number(qulonglong(check->imageEndOffset))).constData());
    }

    void persistentBitmapsCountAsReferences() {
        QString image = path("bitmaps.qcow2");
        QFile::remove(image);
        QCOMPARE(qemuImg({"create", "-q", "-f", "qcow2", image, "4M"}).exitCode, 0);
        QVERIFY(qemuIo(image, {"write -P 0x51 0 1M"}));
        QCOMPARE(qemuImg({"bitmap", "--add", image, "b0"}).exitCode, 0);
        QVERIFY(qemuIo(image, {"write -P 0x52 2M 512k"}));
        QCOMPARE(qemuImg({"check", image}).exitCode, 0);
        auto check = checkImage(image.toStdString(), RepairMode::None);
        QVERIFY(check.ok());
        QCOMPARE(check->leaks + check->corruptions, 0ull);
        QVERIFY(readOurs(image.toStdString()) == blocktest::qemuReadAll(image, dir_.path()));
    }

    void backingChainsOfQemuImagesReadBackIdentically_data() {
        QTest::addColumn<QString>("topOptions");
        QTest::newRow("standard") << "";
        QTest::newRow("extended_l2 over backing") << "extended_l2=on";
        QTest::newRow("v2") << "compat=0.10";
    }
    void backingChainsOfQemuImagesReadBackIdentically() {
        QFETCH(QString, topOptions);
        QString base = path("chain-base.raw"), mid = path("chain-mid.qcow2"), top = path("chain-top.qcow2");
        blocktest::writeFile(base.toStdString(), blocktest::mixedData(6 << 20, 11));
        QCOMPARE(qemuImg({"create", "-q", "-f", "qcow2", "-b", "chain-base.raw", "-F", "raw", mid}).exitCode,
                 0);
        QVERIFY(qemuIo(mid, {"write -P 0x21 64k 200k", "write -z 1M 64k", "write -c -P 0x23 2M 64k"}));
        QStringList args{"create", "-q", "-f", "qcow2", "-b", "chain-mid.qcow2", "-F", "qcow2"};
        if (!topOptions.isEmpty()) args << "-o" << topOptions;
        QCOMPARE(qemuImg(args << top).exitCode, 0);
        QVERIFY(qemuIo(
            top, {"write -P 0x31 100k 4k", "write -P 0x32 1030k 10k", "write -z 3M 64k", "discard 64k 64k"}));
        auto expected = blocktest::qemuReadAll(top, dir_.path());
        QVERIFY(readOurs(top.toStdString()) == expected);
        // Our partial writes into the top (subclusters, backing data copied on write).
        {
            OpenOptions rw;
            rw.readOnly = false;
            auto image = openImage(top.toStdString(), rw);
            QVERIFY(image.ok());
            for (uint64_t at : {uint64_t(100 << 10) + 512, uint64_t(1030 << 10) + 7, uint64_t(2 << 20) + 4096,
                                uint64_t(5 << 20) + 3}) {
                std::vector<uint8_t> data(3000, uint8_t(at));
                QVERIFY((*image)->write(at, data).ok());
                std::copy(data.begin(), data.end(), expected.begin() + at);
            }
            QVERIFY((*image)->writeZeroes(70 << 10, 1000, false).ok());
            std::fill(expected.begin() + (70 << 10), expected.begin() + (70 << 10) + 1000, 0);
        }
        auto check = qemuImg({"check", top});
        QVERIFY2(check.exitCode == 0, check.out.constData());
        QVERIFY(blocktest::qemuReadAll(top, dir_.path()) == expected);
        QVERIFY(readOurs(top.toStdString()) == expected);
    }

    void snapshotsAreListedAndSurviveOurWrites() {
        QString image = path("snap.qcow2");
        QFile::remove(image);
        QCOMPARE(qemuImg({"create", "-q", "-f", "qcow2", image, "4M"}).exitCode, 0);
        QVERIFY(qemuIo(image, {"write -P 0x41 0 1M", "write -c -P 0x42 2M 64k"}));
        QCOMPARE(qemuImg({"snapshot", "-c", "first", image}).exitCode, 0);
        QVERIFY(qemuIo(image, {"write -P 0x43 512k 1M"}));
        QCOMPARE(qemuImg({"snapshot", "-c", "second", image}).exitCode, 0);
        auto firstBefore = blocktest::run(
            "qemu-img", {"convert", "-l", "snapshot.name=first", "-O", "raw", image, path("first.raw")});
        QCOMPARE(firstBefore.exitCode, 0);
        auto firstContent = blocktest::readFile(path("first.raw").toStdString());

        std::vector<uint8_t> model = blocktest::qemuReadAll(image, dir_.path());
        {
            OpenOptions rw;
            rw.readOnly = false;
            auto opened = Qcow2Image::open(image.toStdString(), rw);
            QVERIFY2(opened.ok(), opened.ok() ? "" : opened.message().c_str());
            auto& q = **opened;
            QCOMPARE(q.snapshots().size(), size_t(2));
            QCOMPARE(QString::fromStdString(q.snapshots()[0].name), QString("first"));
            QCOMPARE(QString::fromStdString(q.snapshots()[1].name), QString("second"));
            // Writes over clusters shared with both snapshots must copy them.
            std::mt19937 rng(4);
            for (int i = 0; i < 60; ++i) {
                uint64_t offset = rng() % (4 << 20);
                uint64_t length = std::min<uint64_t>(1 + rng() % 150000, (4 << 20) - offset);
                if (i % 4 == 3) {
                    QVERIFY(q.writeZeroes(offset, length, i % 8 == 3).ok());
                    std::fill(model.begin() + offset, model.begin() + offset + length, 0);
                } else {
                    auto data = blocktest::mixedData(length, rng());
                    QVERIFY(q.write(offset, data).ok());
                    std::copy(data.begin(), data.end(), model.begin() + offset);
                }
            }
            QVERIFY(q.discard(3 << 20, 1 << 20).ok());
            std::fill(model.begin() + (3 << 20), model.end(), 0);
            QVERIFY(q.close().ok());
        }
        auto check = qemuImg({"check", image});
        QVERIFY2(check.exitCode == 0, (check.out + check.err).constData());
        QVERIFY(blocktest::qemuReadAll(image, dir_.path()) == model);
        QCOMPARE(
            qemuImg({"convert", "-l", "snapshot.name=first", "-O", "raw", image, path("first-after.raw")})
                .exitCode,
            0);
        QVERIFY(blocktest::readFile(path("first-after.raw").toStdString()) == firstContent);
        auto list = qemuImg({"snapshot", "-l", image});
        QVERIFY(list.out.contains("first") && list.out.contains("second"));
    }

    void ourImagesPassQemuCheckForEveryCreateOption_data() {
        QTest::addColumn<QString>("compat");
        QTest::addColumn<int>("clusterSize");
        QTest::addColumn<int>("refcountBits");
        QTest::addColumn<bool>("extendedL2");
        QTest::addColumn<bool>("lazy");
        QTest::newRow("v3") << "1.1" << 65536 << 16 << false << false;
        QTest::newRow("v2") << "0.10" << 65536 << 16 << false << false;
        QTest::newRow("extended L2") << "1.1" << 65536 << 16 << true << false;
        QTest::newRow("lazy refcounts") << "1.1" << 65536 << 16 << false << true;
        QTest::newRow("1-bit refcounts, 1 KiB") << "1.1" << 1024 << 1 << false << false;
    }
    void ourImagesPassQemuCheckForEveryCreateOption() {
        QFETCH(QString, compat);
        QFETCH(int, clusterSize);
        QFETCH(int, refcountBits);
        QFETCH(bool, extendedL2);
        QFETCH(bool, lazy);
        std::string p = path("ours.qcow2").toStdString();
        CreateOptions o;
        o.size = 6 << 20;
        o.compat = compat.toStdString();
        o.clusterSize = uint32_t(clusterSize);
        o.refcountBits = uint32_t(refcountBits);
        o.extendedL2 = extendedL2;
        o.lazyRefcounts = lazy;
        QVERIFY(createImage(p, o).ok());
        std::vector<uint8_t> model(o.size, 0);
        {
            OpenOptions rw;
            rw.readOnly = false;
            auto image = Qcow2Image::open(p, rw);
            QVERIFY(image.ok());
            std::mt19937 rng(clusterSize + refcountBits);
            for (int i = 0; i < 80; ++i) {
                uint64_t offset = rng() % o.size;
                uint64_t length = std::min<uint64_t>(1 + rng() % 100000, o.size - offset);
                if (i % 5 == 4) {
                    QVERIFY((*image)->writeZeroes(offset, length, i % 2).ok());
                    std::fill(model.begin() + offset, model.begin() + offset + length, 0);
                } else {
                    auto data = blocktest::mixedData(length, rng());
                    QVERIFY((*image)->write(offset, data).ok());
                    std::copy(data.begin(), data.end(), model.begin() + offset);
                }
            }
        }
        auto check = qemuImg({"check", QString::fromStdString(p)});
        QVERIFY2(check.exitCode == 0, (check.out + check.err).constData());
        QVERIFY(blocktest::qemuReadAll(QString::fromStdString(p), dir_.path()) == model);
        auto info = qemuImg({"info", "--output=json", QString::fromStdString(p)});
        QVERIFY(info.out.contains(QString("\"refcount-bits\": %1").arg(refcountBits).toUtf8()));
        if (compat == "1.1")
            QVERIFY(info.out.contains(extendedL2 ? "\"extended-l2\": true" : "\"extended-l2\": false"));
    }
};

QTEST_GUILESS_MAIN(Qcow2QemuInteropTest)
#include "qcow2_qemu_interop_test.moc"
