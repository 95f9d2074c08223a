// Qcow2Image: metadata caches and the read path (open and validation: qcow2_image_open.cpp).
#include "core/block/qcow2_image.h"

#include <algorithm>
#include <cstring>

#include "core/block/big_endian.h"
#include "core/block/qcow2_compress.h"

namespace tessera::block {

using namespace qcow2;

// A stretch of guest bytes with one mapping, possibly spanning several
// clusters whose host clusters are contiguous (so one pread serves it).
struct Qcow2Image::ClusterRun {
    ClusterKind kind = ClusterKind::Unallocated;
    uint64_t length = 0;
    uint64_t hostOffset = 0;  // Normal/ZeroAllocated: host offset of the first byte
    uint64_t entry = 0;       // Compressed: the raw L2 entry
};

Qcow2Image::~Qcow2Image() {
    (void)close();
}

uint64_t Qcow2Image::size() const {
    std::lock_guard lock(mutex_);
    return header_.size;
}

// --- metadata caches -----------------------------------------------------------

Result<Qcow2Image::CachedTable*> Qcow2Image::loadL2(uint64_t l2Offset) {
    auto it = l2Cache_.find(l2Offset);
    if (it != l2Cache_.end()) return &it->second;
    if (l2Offset % clusterSize_ != 0 || l2Offset >= fileSize_ || l2Offset == 0)
        return corruptionError("an L2 table offset " + hex(l2Offset) + " is invalid or outside the file");
    CachedTable table;
    table.bytes.resize(clusterSize_);
    TESSERA_TRY(file_.readZeroFilled(l2Offset, table.bytes));
    return &l2Cache_.emplace(l2Offset, std::move(table)).first->second;
}

Result<Qcow2Image::CachedTable*> Qcow2Image::loadRefblock(uint64_t blockOffset) {
    auto it = refblockCache_.find(blockOffset);
    if (it != refblockCache_.end()) return &it->second;
    if (blockOffset % clusterSize_ != 0 || blockOffset == 0)
        return corruptionError("a refcount block offset " + hex(blockOffset) + " is invalid");
    CachedTable table;
    table.bytes.resize(clusterSize_);
    TESSERA_TRY(file_.readZeroFilled(blockOffset, table.bytes));
    return &refblockCache_.emplace(blockOffset, std::move(table)).first->second;
}

// Both caches hold whole clusters; past ~64 MiB each we write back (in crash-safe
// order) and start over. That covers 512 GiB of guest disk with 64 KiB clusters.
Status Qcow2Image::trimCaches() {
    const uint64_t limit = 64ull << 20;
    if ((l2Cache_.size() + refblockCache_.size()) * clusterSize_ <= limit) return {};
    if (!readOnly_) TESSERA_TRY(flushLocked());
    l2Cache_.clear();
    refblockCache_.clear();
    return {};
}

Result<uint64_t> Qcow2Image::l2Entry(uint64_t guestCluster, uint64_t* bitmap) {
    uint64_t l1Index = guestCluster / l2Entries_;
    if (bitmap) *bitmap = 0;
    if (l1Index >= l1_.size()) return uint64_t(0);
    uint64_t l2Offset = l1EntryL2Offset(l1_[l1Index]);
    if (!l2Offset) return uint64_t(0);
    auto table = loadL2(l2Offset);
    if (!table) return table.error();
    uint64_t index = guestCluster % l2Entries_;
    const uint8_t* p = (*table)->bytes.data() + index * header_.l2EntryBytes();
    if (bitmap && header_.extendedL2()) *bitmap = loadBE64(p + 8);
    return loadBE64(p);
}

// --- read path -------------------------------------------------------------------

Result<Qcow2Image::ClusterRun> Qcow2Image::mapRun(uint64_t offset, uint64_t maxLength) {
    const bool ext = header_.extendedL2();
    const uint64_t subclusterSize = ext ? clusterSize_ / kSubclustersPerCluster : clusterSize_;
    auto classify = [&](uint64_t at, ClusterRun& run) -> Status {
        uint64_t cluster = at >> clusterBits_;
        uint64_t inCluster = at & (clusterSize_ - 1);
        uint64_t l1Index = cluster / l2Entries_;
        if (l1Index >= l1_.size() || !l1EntryL2Offset(l1_[l1Index])) {
            // No L2 table: the whole range it would cover is unallocated.
            run.kind = ClusterKind::Unallocated;
            run.length = (((l1Index + 1) * l2Entries_) << clusterBits_) - at;
            return {};
        }
        uint64_t bitmap = 0;
        auto entry = l2Entry(cluster, &bitmap);
        if (!entry) return entry.error();
        L2Mapping m = decodeL2Entry(*entry, clusterBits_, ext);
        run.entry = *entry;
        run.kind = m.kind;
        run.length = clusterSize_ - inCluster;
        if (m.kind == ClusterKind::Compressed) return {};
        if (ext && (m.kind == ClusterKind::Normal || m.kind == ClusterKind::Unallocated)) {
            unsigned sc = unsigned(inCluster / subclusterSize);
            SubclusterKind sk = subclusterKind(bitmap, sc);
            if (sk == SubclusterKind::Invalid)
                return corruptionError("an extended L2 entry marks a subcluster both allocated and zero");
            if (m.kind == ClusterKind::Unallocated && sk == SubclusterKind::Normal)
                return corruptionError("an extended L2 entry has allocated subclusters but no host cluster");
            run.kind = sk == SubclusterKind::Zero     ? ClusterKind::ZeroPlain
                       : sk == SubclusterKind::Normal ? ClusterKind::Normal
                                                      : ClusterKind::Unallocated;
            // Extend across following subclusters with the same state.
            unsigned last = sc;
            while (last + 1 < kSubclustersPerCluster && subclusterKind(bitmap, last + 1) == sk) ++last;
            run.length = (uint64_t(last) + 1) * subclusterSize - inCluster;
        }
        if (run.kind == ClusterKind::Normal || run.kind == ClusterKind::ZeroAllocated) {
            run.hostOffset = m.hostOffset + inCluster;
            if (run.kind == ClusterKind::Normal && m.hostOffset >= fileSize_)
                return corruptionError("guest cluster " + std::to_string(cluster) + " maps to " +
                                       hex(m.hostOffset) + ", outside the file");
        }
        return {};
    };
    ClusterRun run;
    TESSERA_TRY(classify(offset, run));
    run.length = std::min(run.length, maxLength);
    if (run.kind == ClusterKind::Compressed) return run;
    // Coalesce following clusters of the same kind (contiguous on the host for data).
    while (run.length < maxLength) {
        ClusterRun next;
        TESSERA_TRY(classify(offset + run.length, next));
        bool zeroLike = [](ClusterKind k) {
            return k == ClusterKind::ZeroPlain || k == ClusterKind::ZeroAllocated;
        }(run.kind);
        bool nextZeroLike = next.kind == ClusterKind::ZeroPlain || next.kind == ClusterKind::ZeroAllocated;
        bool same = next.kind == run.kind || (zeroLike && nextZeroLike && run.kind == next.kind);
        if (!same) break;
        if (run.kind == ClusterKind::Normal && next.hostOffset != run.hostOffset + run.length) break;
        if (run.kind == ClusterKind::ZeroAllocated && next.hostOffset != run.hostOffset + run.length) break;
        run.length = std::min(run.length + next.length, maxLength);
    }
    return run;
}

Status Qcow2Image::readFromBacking(uint64_t offset, std::span<uint8_t> out) {
    if (!backing_) {
        std::memset(out.data(), 0, out.size());
        return {};
    }
    uint64_t backingSize = backing_->size();
    uint64_t inBacking = offset >= backingSize ? 0 : std::min<uint64_t>(out.size(), backingSize - offset);
    if (inBacking) TESSERA_TRY(backing_->read(offset, out.first(inBacking)));
    if (inBacking < out.size()) std::memset(out.data() + inBacking, 0, out.size() - inBacking);
    return {};
}

Status Qcow2Image::readCompressed(uint64_t entry, uint64_t offsetInCluster, std::span<uint8_t> out) {
    if (decompressed_.size() != clusterSize_ || decompressedEntry_ != entry) {
        L2Mapping m = decodeL2Entry(entry, clusterBits_, false);
        if (m.hostOffset >= fileSize_)
            return corruptionError("a compressed cluster at " + hex(m.hostOffset) + " lies outside the file");
        uint64_t length = std::min(m.compressedSize, fileSize_ - m.hostOffset);
        std::vector<uint8_t> in(length);
        // The sector-rounded range may run past the real end of the file.
        TESSERA_TRY(file_.readZeroFilled(m.hostOffset, in));
        decompressed_.resize(clusterSize_);
        decompressedEntry_ = 0;
        Status s = decompressCluster(header_.compressionType, in, decompressed_);
        if (!s) return corruptionError("compressed cluster at " + hex(m.hostOffset) + ": " + s.message());
        decompressedEntry_ = entry;
    }
    std::memcpy(out.data(), decompressed_.data() + offsetInCluster, out.size());
    return {};
}

Status Qcow2Image::readLocked(uint64_t offset, std::span<uint8_t> out) {
    if (offset > header_.size || out.size() > header_.size - offset)
        return makeError("Read beyond the end of '" + path_ + "' (offset " + std::to_string(offset) +
                         ", length " + std::to_string(out.size()) + ", disk size " +
                         std::to_string(header_.size) + ").");
    uint64_t done = 0;
    while (done < out.size()) {
        uint64_t at = offset + done;
        auto run = mapRun(at, out.size() - done);
        if (!run) return run.error();
        std::span<uint8_t> chunk = out.subspan(done, run->length);
        switch (run->kind) {
            case ClusterKind::Normal:
                TESSERA_TRY(file_.readZeroFilled(run->hostOffset, chunk));
                break;
            case ClusterKind::ZeroPlain:
            case ClusterKind::ZeroAllocated:
                std::memset(chunk.data(), 0, chunk.size());
                break;
            case ClusterKind::Unallocated:
                TESSERA_TRY(readFromBacking(at, chunk));
                break;
            case ClusterKind::Compressed:
                TESSERA_TRY(readCompressed(run->entry, at & (clusterSize_ - 1), chunk));
                break;
        }
        done += run->length;
    }
    return {};
}

Status Qcow2Image::read(uint64_t offset, std::span<uint8_t> out) {
    std::lock_guard lock(mutex_);
    if (closed_) return makeError("'" + path_ + "' is closed.");
    TESSERA_TRY(trimCaches());
    return readLocked(offset, out);
}

Result<BlockStatus> Qcow2Image::blockStatus(uint64_t offset, uint64_t maxLength) {
    std::unique_lock lock(mutex_);
    if (offset >= header_.size || maxLength == 0)
        return makeError("Block status query beyond the end of '" + path_ + "'.");
    TESSERA_TRY(trimCaches());
    maxLength = std::min(maxLength, header_.size - offset);
    auto run = mapRun(offset, maxLength);
    if (!run) return run.error();
    BlockStatus status;
    status.length = run->length;
    switch (run->kind) {
        case ClusterKind::Normal:
            status.allocated = status.data = true;
            status.hostOffset = run->hostOffset;
            break;
        case ClusterKind::ZeroAllocated:
            status.allocated = status.zero = true;
            status.hostOffset = run->hostOffset;
            break;
        case ClusterKind::ZeroPlain:
            status.allocated = status.zero = true;
            break;
        case ClusterKind::Compressed:
            status.allocated = status.data = status.compressed = true;
            break;
        case ClusterKind::Unallocated: {
            if (!backing_ || offset >= backing_->size()) {
                status.zero = true;
                status.depth = backing_ ? 1 : 0;
                break;
            }
            uint64_t length = std::min(run->length, backing_->size() - offset);
            auto below = backing_->blockStatus(offset, length);
            if (!below) return below.error();
            status = *below;
            status.allocated = false;
            status.depth = below->depth + 1;
            break;
        }
    }
    return status;
}

}  // namespace tessera::block
