// Qcow2Image::create: lays out a new image the way QEMU does (header cluster,
// refcount table, refcount blocks, L1), then preallocates through the normal
// allocation path so there is one implementation of refcount bookkeeping.
#include <algorithm>
#include <cstring>
#include <filesystem>

#include "core/block/big_endian.h"
#include "core/block/open_image.h"
#include "core/block/qcow2_image.h"

namespace tessera::block {

using namespace qcow2;

Status Qcow2Image::create(const std::string& path, const CreateOptions& o) {
    Header h;
    if (o.compat == "0.10" || o.compat == "v2")
        h.version = 2;
    else if (o.compat == "1.1" || o.compat == "v3")
        h.version = 3;
    else
        return makeError("Invalid compat level '" + o.compat + "' (use 0.10 or 1.1).");
    if (o.clusterSize < 512 || o.clusterSize > (2u << 20) || (o.clusterSize & (o.clusterSize - 1)))
        return makeError("Invalid cluster size " + std::to_string(o.clusterSize) +
                         ": it must be a power of two between 512 B and 2 MiB.");
    h.clusterBits = uint32_t(__builtin_ctz(o.clusterSize));
    if (o.refcountBits == 0 || o.refcountBits > 64 || (o.refcountBits & (o.refcountBits - 1)))
        return makeError("Invalid refcount width " + std::to_string(o.refcountBits) +
                         " (use 1, 2, 4, 8, 16, 32 or 64).");
    h.refcountOrder = uint32_t(__builtin_ctz(o.refcountBits));
    if (h.version == 2) {
        if (o.refcountBits != 16) return makeError("compat=0.10 images only support 16-bit refcounts.");
        if (o.lazyRefcounts) return makeError("Lazy refcounts need compat=1.1.");
        if (o.extendedL2) return makeError("Extended L2 entries need compat=1.1.");
        if (o.compressionType != CompressionType::Zlib)
            return makeError("zstd compression needs compat=1.1.");
        h.headerLength = kHeaderV2Length;
    }
    if (o.extendedL2) {
        if (o.clusterSize < (16u << 10))
            return makeError("Extended L2 entries need clusters of at least 16 KiB.");
        h.incompatibleFeatures |= kIncompatExtendedL2;
    }
    if (o.compressionType == CompressionType::Zstd) {
        h.compressionType = CompressionType::Zstd;
        h.incompatibleFeatures |= kIncompatCompressionType;
    }
    if (o.lazyRefcounts) h.compatibleFeatures |= kCompatLazyRefcounts;
    // A preallocated cluster hides the backing file's data unless extended L2
    // entries can mark its subclusters unallocated (qemu-img 7.2 refuses the
    // same combination, with the same words, before creating anything).
    if (!o.backingFile.empty() && o.preallocation != Preallocation::Off && !o.extendedL2)
        return makeError(
            "Backing file and preallocation can only be used at the same time if extended_l2 is on.");

    uint64_t size = o.size;
    std::string backingFormat;
    if (!o.backingFile.empty()) {
        std::filesystem::path name(o.backingFile);
        std::string resolved =
            name.is_absolute()
                ? o.backingFile
                : (std::filesystem::path(path).parent_path() / name).lexically_normal().string();
        OpenOptions bo;
        bo.readOnly = true;
        bo.format = o.backingFormat;
        auto backing = openImage(resolved, bo);
        if (!backing)
            return makeError("Could not open backing file '" + o.backingFile + "': " + backing.message());
        if (size == 0) size = (*backing)->size();
        backingFormat = (*backing)->formatName();
    }
    size = alignUp(size, 512);  // qemu-img rounds up to whole sectors too
    if (size > (1ull << 61)) return makeError("The requested size is too large for qcow2.");
    h.size = size;

    const uint64_t cs = o.clusterSize;
    uint64_t l1Size = divRoundUp(size, h.l2Entries() * cs);
    if (l1Size * 8 > kMaxL1Bytes)
        return makeError("The image is too large for this cluster size (L1 table over 32 MiB).");
    uint64_t l1Clusters = divRoundUp(l1Size * 8, cs);
    uint64_t perBlock = h.refcountBlockEntries();
    uint64_t tableClusters = 1, blocks = 1;
    for (int i = 0; i < 16; ++i) {
        uint64_t total = 1 + tableClusters + blocks + l1Clusters;
        blocks = divRoundUp(total, perBlock);
        tableClusters = std::max<uint64_t>(1, divRoundUp(blocks * 8, cs));
    }
    uint64_t total = 1 + tableClusters + blocks + l1Clusters;
    h.refcountTableOffset = cs;
    h.refcountTableClusters = uint32_t(tableClusters);
    uint64_t firstBlock = 1 + tableClusters;
    h.l1Size = uint32_t(l1Size);
    h.l1TableOffset = l1Size ? (firstBlock + blocks) * cs : 0;

    // Cluster 0: header, extensions, backing file name.
    std::vector<HeaderExtension> extensions;
    if (!backingFormat.empty())
        extensions.push_back({kExtBackingFormat, {backingFormat.begin(), backingFormat.end()}});
    if (h.version == 3)
        extensions.push_back({kExtFeatureNameTable, encodeFeatureNameTable(standardFeatureNames())});
    std::vector<uint8_t> cluster0 = encodeHeader(h);
    std::vector<uint8_t> ext = encodeExtensions(extensions);
    cluster0.insert(cluster0.end(), ext.begin(), ext.end());
    if (!o.backingFile.empty()) {
        if (o.backingFile.size() > kMaxBackingFileNameLength)
            return makeError("The backing file name is longer than 1023 bytes.");
        h.backingFileOffset = cluster0.size();
        h.backingFileSize = uint32_t(o.backingFile.size());
        cluster0.insert(cluster0.end(), o.backingFile.begin(), o.backingFile.end());
        std::vector<uint8_t> fixedHeader = encodeHeader(h);
        std::memcpy(cluster0.data(), fixedHeader.data(), fixedHeader.size());
    }
    if (cluster0.size() > cs)
        return makeError("The header, its extensions and the backing file name do not fit in one " +
                         std::to_string(cs) + "-byte cluster; use a larger cluster size.");
    cluster0.resize(cs, 0);

    std::vector<uint8_t> table(tableClusters * cs, 0);
    for (uint64_t b = 0; b < blocks; ++b) storeBE64(table.data() + 8 * b, (firstBlock + b) * cs);
    std::vector<uint8_t> refblocks(blocks * cs, 0);
    for (uint64_t c = 0; c < total; ++c) writeRefcount(refblocks, c, h.refcountOrder, 1);

    {
        auto file = HostFile::create(path);
        if (!file) return file.error();
        TESSERA_TRY(file->write(0, cluster0));
        TESSERA_TRY(file->write(cs, table));
        TESSERA_TRY(file->write(firstBlock * cs, refblocks));
        TESSERA_TRY(file->truncate(total * cs));
        TESSERA_TRY(file->sync());
    }
    if (o.preallocation == Preallocation::Off) return {};
    OpenOptions rw;
    rw.readOnly = false;
    rw.openBacking = false;
    auto image = open(path, rw);
    if (!image) return image.error();
    TESSERA_TRY((*image)->preallocate(o.preallocation));
    return (*image)->close();
}

Status Qcow2Image::preallocate(Preallocation mode) {
    std::lock_guard lock(mutex_);
    TESSERA_TRY(beginWrite());
    uint64_t clusters = divRoundUp(header_.size, clusterSize_);
    uint64_t dataStart = ~0ull;
    for (uint64_t c = 0; c < clusters;) {
        auto table = l2ForWrite(c);
        if (!table) return table.error();
        uint64_t count = std::min(clusters - c, l2Entries_ - c % l2Entries_);
        auto host = allocateClusters(count);
        if (!host) return host.error();
        dataStart = std::min(dataStart, *host);
        for (uint64_t i = 0; i < count; ++i) {
            uint8_t* p = (*table)->bytes.data() + ((c + i) % l2Entries_) * header_.l2EntryBytes();
            // With extended L2 the subclusters stay unallocated, as QEMU leaves
            // them: they read from the backing file (or as zeros) until written.
            storeBE64(p, encodeStandardL2Entry(*host + (i << clusterBits_), true, false));
            if (header_.extendedL2()) storeBE64(p + 8, 0);
        }
        (*table)->dirty = true;
        c += count;
    }
    TESSERA_TRY(file_.truncate(fileSize_));
    if (clusters && mode == Preallocation::Falloc)
        TESSERA_TRY(file_.allocate(dataStart, fileSize_ - dataStart));
    if (clusters && mode == Preallocation::Full) {
        std::vector<uint8_t> zeros(1 << 20, 0);
        for (uint64_t at = dataStart; at < fileSize_; at += zeros.size())
            TESSERA_TRY(
                file_.write(at, std::span(zeros).first(std::min<uint64_t>(zeros.size(), fileSize_ - at))));
    }
    dataWritten_ = true;
    return flushLocked();
}

}  // namespace tessera::block
