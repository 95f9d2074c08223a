// Specification: the qcow2 on-disk structures encode and decode exactly as
// docs/interop/qcow2.txt lays them out, and malformed headers are rejected
// with a message before anything shifts or allocates by an untrusted value.

#include "core/block/qcow2_format.h"

#include <QtTest>

#include "core/block/big_endian.h"

using namespace tessera::block;
using namespace tessera::block::qcow2;

class Qcow2FormatTest : public QObject {
    Q_OBJECT
private slots:
    void v3HeaderRoundTripsThroughEncodeAndDecode() {
        Header h;
        h.version = 3;
        h.clusterBits = 16;
        h.size = 10ull << 30;
        h.l1Size = 20;
        h.l1TableOffset = 0x30000;
        h.refcountTableOffset = 0x10000;
        h.refcountTableClusters = 1;
        h.incompatibleFeatures = kIncompatCompressionType;
        h.compressionType = CompressionType::Zstd;
        h.refcountOrder = 5;
        h.compatibleFeatures = kCompatLazyRefcounts;
        auto bytes = encodeHeader(h);
        QCOMPARE(bytes.size(), size_t(112));
        QCOMPARE(loadBE32(bytes.data()), kMagic);
        QCOMPARE(bytes[104], uint8_t(1));
        auto back = decodeHeader(bytes);
        QVERIFY2(back.ok(), back.ok() ? "" : back.message().c_str());
        QCOMPARE(back->size, h.size);
        QCOMPARE(back->refcountOrder, 5u);
        QCOMPARE(back->refcountBits(), 32u);
        QCOMPARE(back->compressionType, CompressionType::Zstd);
        QCOMPARE(back->compatibleFeatures, kCompatLazyRefcounts);
        QCOMPARE(back->l1TableOffset, h.l1TableOffset);
    }
    void v2HeaderIs72BytesWithV3FieldsDefaulted() {
        Header h;
        h.version = 2;
        h.clusterBits = 12;
        h.size = 1 << 20;
        auto bytes = encodeHeader(h);
        QCOMPARE(bytes.size(), size_t(72));
        bytes.resize(4096, 0xee);  // junk after a v2 header must not be read as v3 fields
        auto back = decodeHeader(bytes);
        QVERIFY(back.ok());
        QCOMPARE(back->refcountOrder, 4u);
        QCOMPARE(back->headerLength, 72u);
        QCOMPARE(back->incompatibleFeatures, 0ull);
    }
    void unknownOptionalHeaderFieldsArePreserved() {
        Header h;
        h.headerLength = 128;
        h.unknownTail = std::vector<uint8_t>(16, 0x5a);
        auto bytes = encodeHeader(h);
        QCOMPARE(bytes.size(), size_t(128));
        auto back = decodeHeader(bytes);
        QVERIFY(back.ok());
        QCOMPARE(back->unknownTail, h.unknownTail);
    }
    void headerDecodingRejectsBadFieldsWithAClearMessage_data() {
        QTest::addColumn<int>("offset");
        QTest::addColumn<int>("width");
        QTest::addColumn<qulonglong>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("magic") << 0 << 4 << 0x12345678ull << "wrong magic";
        QTest::newRow("version 1") << 4 << 4 << 1ull << "version 1";
        QTest::newRow("version 4") << 4 << 4 << 4ull << "version 4";
        QTest::newRow("cluster_bits 8") << 20 << 4 << 8ull << "cluster_bits is 8";
        QTest::newRow("cluster_bits 22") << 20 << 4 << 22ull << "cluster_bits is 22";
        QTest::newRow("cluster_bits huge") << 20 << 4 << 0xffffffffull << "cluster_bits is 4294967295";
        QTest::newRow("refcount_order 7") << 96 << 4 << 7ull << "refcount_order 7";
        QTest::newRow("header_length odd") << 100 << 4 << 105ull << "header_length 105";
        QTest::newRow("header_length small") << 100 << 4 << 96ull << "header_length 96";
        QTest::newRow("header_length huge") << 100 << 4 << 0x10000000ull << "does not fit";
        QTest::newRow("compression 2") << 104 << 1 << 2ull << "compression type 2";
        QTest::newRow("zstd without bit") << 104 << 1 << 1ull << "feature bit is not";
    }
    void headerDecodingRejectsBadFieldsWithAClearMessage() {
        QFETCH(int, offset);
        QFETCH(int, width);
        QFETCH(qulonglong, value);
        QFETCH(QString, expected);
        Header h;
        h.clusterBits = 16;
        auto bytes = encodeHeader(h);
        bytes.resize(65536, 0);
        if (width == 4)
            storeBE32(bytes.data() + offset, uint32_t(value));
        else
            bytes[offset] = uint8_t(value);
        auto back = decodeHeader(bytes);
        QVERIFY(!back.ok());
        QVERIFY2(QString::fromStdString(back.message()).contains(expected), back.message().c_str());
    }
    void truncatedHeadersAreRejected() {
        Header h;
        auto bytes = encodeHeader(h);
        for (size_t n : {0, 4, 71, 80, 103}) {
            auto back = decodeHeader(std::span(bytes).first(n));
            QVERIFY(!back.ok());
            QVERIFY(back.message().find("truncated") != std::string::npos ||
                    back.message().find("short") != std::string::npos);
        }
    }
    void extendedL2NeedsSixteenKiBClusters() {
        Header h;
        h.clusterBits = 13;
        h.incompatibleFeatures = kIncompatExtendedL2;
        auto bytes = encodeHeader(h);
        bytes.resize(8192, 0);
        QVERIFY(!decodeHeader(bytes).ok());
        h.clusterBits = 14;
        bytes = encodeHeader(h);
        bytes.resize(16384, 0);
        auto ok = decodeHeader(bytes);
        QVERIFY(ok.ok());
        QCOMPARE(ok->l2Entries(), 16384ull / 16);
    }
    void extensionsRoundTripAndAreEightByteAligned() {
        std::vector<HeaderExtension> list = {
            {kExtBackingFormat, {'q', 'c', 'o', 'w', '2'}},
            {0x12345678, {1, 2, 3}},
            {kExtFeatureNameTable, encodeFeatureNameTable(standardFeatureNames())}};
        auto bytes = encodeExtensions(list);
        QCOMPARE(bytes.size() % 8, size_t(0));
        std::vector<uint8_t> cluster(112, 0);
        cluster.insert(cluster.end(), bytes.begin(), bytes.end());
        auto back = decodeExtensions(cluster, 112);
        QVERIFY(back.ok());
        QCOMPARE(back->size(), size_t(3));
        QCOMPARE(back->at(1).type, 0x12345678u);
        QCOMPARE(back->at(1).data, (std::vector<uint8_t>{1, 2, 3}));
        auto names = decodeFeatureNameTable(back->at(2).data);
        QCOMPARE(names.size(), standardFeatureNames().size());
        QCOMPARE(QString::fromStdString(names[4].name), QString("extended L2 entries"));
    }
    void extensionRunningPastTheClusterIsRejected() {
        std::vector<uint8_t> cluster(512, 0);
        storeBE32(cluster.data() + 112, 0x11111111);
        storeBE32(cluster.data() + 116, 0x7fffffff);
        QVERIFY(!decodeExtensions(cluster, 112).ok());
        std::vector<uint8_t> noEnd(120, 0xff);  // no end marker before the cluster ends
        QVERIFY(!decodeExtensions(noEnd, 112).ok());
    }
    void duplicateExtensionsAreRejected() {
        auto bytes =
            encodeExtensions({{kExtBackingFormat, {'r', 'a', 'w'}}, {kExtBackingFormat, {'r', 'a', 'w'}}});
        std::vector<uint8_t> cluster(72, 0);
        cluster.insert(cluster.end(), bytes.begin(), bytes.end());
        QVERIFY(!decodeExtensions(cluster, 72).ok());
    }
    void standardL2EntriesDecode() {
        auto normal = decodeL2Entry(kOflagCopied | 0x50000, 16, false);
        QCOMPARE(normal.kind, ClusterKind::Normal);
        QCOMPARE(normal.hostOffset, 0x50000ull);
        QVERIFY(normal.copied);
        QCOMPARE(decodeL2Entry(0, 16, false).kind, ClusterKind::Unallocated);
        QCOMPARE(decodeL2Entry(1, 16, false).kind, ClusterKind::ZeroPlain);
        QCOMPARE(decodeL2Entry(0x70000 | 1, 16, false).kind, ClusterKind::ZeroAllocated);
        QVERIFY(decodeL2Entry(0x70000 | 2, 16, false).reservedBitsSet);
        // With extended L2, bit 0 is reserved and the bitmap decides.
        auto ext = decodeL2Entry(0x70000 | 1, 16, true);
        QCOMPARE(ext.kind, ClusterKind::Normal);
        QVERIFY(ext.reservedBitsSet);
        QCOMPARE(encodeStandardL2Entry(0x70000, true, true), kOflagCopied | 0x70000 | 1);
    }
    void compressedEntriesRoundTripForEveryClusterSize() {
        for (uint32_t bits = kMinClusterBits; bits <= kMaxClusterBits; ++bits) {
            uint64_t cs = 1ull << bits;
            for (uint64_t offset : {uint64_t(cs), uint64_t(cs * 7 + 123), uint64_t(cs * 1000 + 511)}) {
                for (uint64_t length : {uint64_t(1), uint64_t(300), cs - 1}) {
                    auto entry = encodeCompressedL2Entry(offset, length, bits);
                    QVERIFY(entry.has_value());
                    auto m = decodeL2Entry(*entry, bits, false);
                    QCOMPARE(m.kind, ClusterKind::Compressed);
                    QCOMPARE(m.hostOffset, offset);
                    QVERIFY(m.compressedSize >= length);
                    QVERIFY(m.compressedSize < length + 512);
                    HostRange r = compressedHostRange(*entry, bits);
                    QCOMPARE(r.offset % 512, 0ull);
                    QVERIFY(r.offset + r.length >= offset + length);
                }
            }
        }
        // The offset field has 62 - (cluster_bits - 8) bits: 54 with 64 KiB clusters.
        QVERIFY(!encodeCompressedL2Entry(1ull << 54, 100, 16).has_value());
        QVERIFY(encodeCompressedL2Entry((1ull << 54) - 1024, 100, 16).has_value());
    }
    void extendedL2BitmapDecodesPerSubcluster() {
        uint64_t bitmap = 0x1ull | (0x2ull << 32);  // sc0 allocated, sc1 zero
        QCOMPARE(subclusterKind(bitmap, 0), SubclusterKind::Normal);
        QCOMPARE(subclusterKind(bitmap, 1), SubclusterKind::Zero);
        QCOMPARE(subclusterKind(bitmap, 2), SubclusterKind::Unallocated);
        QCOMPARE(subclusterKind(0x1ull | (0x1ull << 32), 0), SubclusterKind::Invalid);
    }
    void refcountsOfEveryWidthPackAsTheSpecSays() {
        for (uint32_t order = 0; order <= 6; ++order) {
            std::vector<uint8_t> block(512, 0);
            uint64_t entries = 512 * 8 >> order;
            uint64_t max = maxRefcount(order);
            for (uint64_t i = 0; i < entries; ++i) writeRefcount(block, i, order, (i * 2654435761ull) & max);
            for (uint64_t i = 0; i < entries; ++i)
                QCOMPARE(readRefcount(block, i, order), (i * 2654435761ull) & max);
        }
        // Sub-byte widths: entry 0 is the least significant bit(s) of byte 0.
        std::vector<uint8_t> block(512, 0);
        writeRefcount(block, 0, 0, 1);
        writeRefcount(block, 3, 0, 1);
        QCOMPARE(block[0], uint8_t(0x09));
        writeRefcount(block, 1, 2, 0xa);
        QCOMPARE(block[0], uint8_t(0xa9));
        std::vector<uint8_t> wide(512, 0);
        writeRefcount(wide, 1, 4, 0x1234);
        QCOMPARE(wide[2], uint8_t(0x12));
        QCOMPARE(wide[3], uint8_t(0x34));
        QCOMPARE(maxRefcount(6), ~0ull);
        QCOMPARE(maxRefcount(0), 1ull);
    }
    void snapshotTableRoundTrips() {
        Snapshot a;
        a.l1TableOffset = 0x40000;
        a.l1Size = 2;
        a.id = "1";
        a.name = "before upgrade";
        a.dateSec = 1700000000;
        a.vmClockNsec = 123456789;
        a.vmStateSize = 5ull << 32;
        a.diskSize = 1 << 30;
        Snapshot b = a;
        b.id = "2";
        b.name = "x";
        b.extraData = std::vector<uint8_t>(24, 0);
        auto bytes = encodeSnapshotTable({a, b});
        QCOMPARE(bytes.size() % 8, size_t(0));
        auto back = decodeSnapshotTable(bytes, 2);
        QVERIFY(back.ok());
        // Like QEMU's snapshots_size: the last entry's padding (66 -> 72 bytes) does not count.
        QCOMPARE(back->byteLength, uint64_t(bytes.size() - 6));
        QCOMPARE(QString::fromStdString(back->snapshots[0].name), QString("before upgrade"));
        QCOMPARE(back->snapshots[0].vmStateSize, 5ull << 32);
        QCOMPARE(*back->snapshots[1].diskSize, 1ull << 30);
        QCOMPARE(back->snapshots[1].extraData.size(), size_t(24));
        QVERIFY(!decodeSnapshotTable(std::span(bytes).first(bytes.size() - 8), 2).ok());
        QVERIFY(!decodeSnapshotTable(bytes, 3).ok());
    }
};

QTEST_APPLESS_MAIN(Qcow2FormatTest)
#include "qcow2_format_test.moc"
