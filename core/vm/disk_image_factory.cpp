#include "core/vm/disk_image_factory.h"

#include <QFile>
#include <QtEndian>

namespace tessera::vm {

namespace {

constexpr int kClusterBits = 16;  // 64 KiB, qemu-img's default
constexpr uint64_t kClusterSize = uint64_t(1) << kClusterBits;
constexpr uint32_t kBackingFormatExtension = 0xE2792ACA;  // qcow2.txt "Header extensions"

void put32(QByteArray& b, int at, uint32_t v) { qToBigEndian<quint32>(v, b.data() + at); }
void put64(QByteArray& b, int at, uint64_t v) { qToBigEndian<quint64>(v, b.data() + at); }

Status writeEmptyQcow2(QFile& file, const NewDiskImage& image) {
    // Layout: cluster 0 header (+ extensions, backing name), 1 refcount table,
    // 2 refcount block, 3.. L1 table. Every later cluster is allocated by the block layer on write.
    const uint64_t l2Coverage = kClusterSize * (kClusterSize / 8);
    const uint64_t l1Entries = std::max<uint64_t>(1, (image.sizeBytes + l2Coverage - 1) / l2Coverage);
    const uint64_t l1Clusters = (l1Entries * 8 + kClusterSize - 1) / kClusterSize;
    const uint64_t totalClusters = 3 + l1Clusters;

    QByteArray header(int(kClusterSize), '\0');
    header.replace(0, 4, QByteArray("QFI\xfb", 4));
    put32(header, 4, 3);                          // version
    put32(header, 20, kClusterBits);
    put64(header, 24, image.sizeBytes);
    put32(header, 32, 0);                         // no encryption
    put32(header, 36, uint32_t(l1Entries));
    put64(header, 40, 3 * kClusterSize);          // L1 table offset
    put64(header, 48, 1 * kClusterSize);          // refcount table offset
    put32(header, 56, 1);                         // refcount table clusters
    put32(header, 96, 4);                         // refcount_order 4 = 16-bit refcounts
    put32(header, 100, 104);                      // header length (v3 without compression type)
    int pos = 104;
    if (!image.backingFile.isEmpty()) {
        const QByteArray format = image.backingFormat.toUtf8();
        put32(header, pos, kBackingFormatExtension);
        put32(header, pos + 4, uint32_t(format.size()));
        header.replace(pos + 8, int(format.size()), format);
        pos += 8 + int((format.size() + 7) / 8 * 8);
    }
    pos += 8;  // end-of-extensions marker (type 0, length 0), already zero
    if (!image.backingFile.isEmpty()) {
        const QByteArray name = QFile::encodeName(image.backingFile);
        if (pos + name.size() > int(kClusterSize) || name.size() > 1023)
            return makeError("the backing file path is too long for a qcow2 header (at most 1023 bytes)");
        put64(header, 8, uint64_t(pos));
        put32(header, 16, uint32_t(name.size()));
        header.replace(pos, int(name.size()), name);
    }

    QByteArray refcountTable(int(kClusterSize), '\0');
    put64(refcountTable, 0, 2 * kClusterSize);
    QByteArray refcountBlock(int(kClusterSize), '\0');
    for (uint64_t cluster = 0; cluster < totalClusters; ++cluster)
        qToBigEndian<quint16>(1, refcountBlock.data() + cluster * 2);
    const QByteArray l1(int(l1Clusters * kClusterSize), '\0');

    for (const QByteArray* part : std::initializer_list<const QByteArray*>{&header, &refcountTable, &refcountBlock, &l1})
        if (file.write(*part) != part->size())
            return makeError(QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString()).toStdString());
    return Status::success();
}

}  // namespace

Status createDiskImage(const NewDiskImage& image) {
    if (image.format != QLatin1String("qcow2") && image.format != QLatin1String("raw"))
        return makeError(QStringLiteral("cannot create a disk in the \"%1\" format; use qcow2 or raw").arg(image.format).toStdString());
    if (image.sizeBytes == 0 || image.sizeBytes > kMaxDiskBytes)
        return makeError("the disk size must be between 1 byte and 16 TiB");
    if (!image.backingFile.isEmpty() && image.format != QLatin1String("qcow2"))
        return makeError("only a qcow2 disk can be a linked clone of another image");
    NewDiskImage rounded = image;
    rounded.sizeBytes = (image.sizeBytes + 511) / 512 * 512;  // QEMU counts whole 512-byte sectors, as qemu-img create rounds
    QFile file(image.path);
    if (file.exists()) return makeError(QStringLiteral("%1 already exists; not overwriting it").arg(image.path).toStdString());
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly))
        return makeError(QStringLiteral("cannot create %1: %2").arg(image.path, file.errorString()).toStdString());
    Status written = image.format == QLatin1String("raw")
                         ? (file.resize(qint64(rounded.sizeBytes)) ? Status::success()
                                                                : Status(makeError(QStringLiteral("cannot size %1: %2")
                                                                                       .arg(image.path, file.errorString()).toStdString())))
                         : writeEmptyQcow2(file, rounded);
    if (written && !file.flush()) written = makeError(QStringLiteral("cannot write %1").arg(image.path).toStdString());
    file.close();
    if (!written) QFile::remove(image.path);
    return written;
}

}  // namespace tessera::vm
