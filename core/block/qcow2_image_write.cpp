// Qcow2Image: allocation, refcounts and the write path. The ordering rules are
// in qcow2_image.h; every function here only changes the in-memory caches and
// writes guest data, flushLocked() is the single place that orders metadata.
#include <algorithm>
#include <cstring>

#include "core/block/big_endian.h"
#include "core/block/qcow2_image.h"

namespace tessera::block {

using namespace qcow2;

// --- refcounts --------------------------------------------------------------------

Result<uint64_t> Qcow2Image::refcountOf(uint64_t clusterIndex) {
    uint64_t perBlock = header_.refcountBlockEntries();
    uint64_t blockIndex = clusterIndex / perBlock;
    if (blockIndex >= refcountTable_.size()) return uint64_t(0);
    uint64_t blockOffset = refcountTable_[blockIndex] & kL1OffsetMask;
    if (!blockOffset) return uint64_t(0);
    auto block = loadRefblock(blockOffset);
    if (!block) return block.error();
    return readRefcount((*block)->bytes, clusterIndex % perBlock, header_.refcountOrder);
}

Status Qcow2Image::setRefcount(uint64_t clusterIndex, uint64_t value) {
    if (value > maxRefcount(header_.refcountOrder))
        return makeError("Refcount overflow in '" + path_ + "': cluster " + std::to_string(clusterIndex) +
                         " would need a refcount above " +
                         std::to_string(maxRefcount(header_.refcountOrder)) + ".");
    uint64_t perBlock = header_.refcountBlockEntries();
    uint64_t blockIndex = clusterIndex / perBlock;
    if (blockIndex >= refcountTable_.size() || !(refcountTable_[blockIndex] & kL1OffsetMask))
        return corruptionError("cluster " + std::to_string(clusterIndex) + " has no refcount block");
    auto block = loadRefblock(refcountTable_[blockIndex] & kL1OffsetMask);
    if (!block) return block.error();
    writeRefcount((*block)->bytes, clusterIndex % perBlock, header_.refcountOrder, value);
    (*block)->dirty = true;
    return {};
}

Status Qcow2Image::ensureRefcountSlot(uint64_t clusterIndex) {
    uint64_t perBlock = header_.refcountBlockEntries();
    uint64_t blockIndex = clusterIndex / perBlock;
    if (blockIndex >= refcountTable_.size()) TESSERA_TRY(growRefcountTable(blockIndex + 1));
    if (refcountTable_[blockIndex] & kL1OffsetMask) return {};
    // The new block lives in the very cluster it is needed for, so it describes
    // itself (its own refcount is its first use) and no recursion is needed.
    uint64_t offset = clusterIndex << clusterBits_;
    CachedTable block;
    block.bytes.assign(clusterSize_, 0);
    writeRefcount(block.bytes, clusterIndex % perBlock, header_.refcountOrder, 1);
    block.dirty = true;
    refblockCache_[offset] = std::move(block);
    refcountTable_[blockIndex] = offset;
    refcountTableDirty_ = true;
    metadataClusters_.insert(offset);
    fileSize_ = std::max(fileSize_, offset + clusterSize_);
    return {};
}

Status Qcow2Image::growRefcountTable(uint64_t neededEntries) {
    uint64_t perBlock = header_.refcountBlockEntries();
    // Enough room for the whole file plus the new table and its refblocks.
    uint64_t entries = std::max<uint64_t>(neededEntries, refcountTable_.size() * 2);
    uint64_t clusters = 0;
    for (int round = 0; round < 4; ++round) {
        clusters = divRoundUp(entries * 8, clusterSize_);
        uint64_t endCluster = (fileSize_ >> clusterBits_) + clusters + 8;
        entries = std::max(entries, divRoundUp(endCluster, perBlock) + 1);
    }
    clusters = divRoundUp(entries * 8, clusterSize_);
    if (clusters * clusterSize_ > kMaxRefcountTableBytes)
        return makeError("'" + path_ + "' cannot grow further: its refcount table would exceed 8 MiB.");
    uint64_t oldOffset = header_.refcountTableOffset, oldClusters = header_.refcountTableClusters;
    refcountTable_.resize(clusters * clusterSize_ / 8, 0);
    auto at = allocateClusters(clusters);
    if (!at) return at.error();
    // The old table stays valid on disk until the header points at the new one.
    deferFree(oldOffset, oldClusters * clusterSize_);
    header_.refcountTableOffset = *at;
    header_.refcountTableClusters = uint32_t(clusters);
    refcountTableDirty_ = true;
    refcountTableMoved_ = true;
    return {};
}

Result<uint64_t> Qcow2Image::allocateClusters(uint64_t count) {
    uint64_t l1Bytes = alignUp(uint64_t(header_.l1Size) * 8, clusterSize_);
    uint64_t snapshotTableSpan = std::max(clusterSize_, alignUp(snapshotTableBytes_, clusterSize_));
    auto isFixedMetadata = [&](uint64_t index) {
        uint64_t offset = index << clusterBits_;
        auto in = [&](uint64_t start, uint64_t length) { return offset >= start && offset < start + length; };
        return index == 0 || metadataClusters_.count(offset) || in(header_.l1TableOffset, l1Bytes) ||
               in(header_.refcountTableOffset, uint64_t(header_.refcountTableClusters) * clusterSize_) ||
               (header_.nbSnapshots && in(header_.snapshotsOffset, snapshotTableSpan)) ||
               inSnapshotL1Table(offset);
    };
    for (int attempt = 0; attempt < 1 << 20; ++attempt) {
        uint64_t start = std::max<uint64_t>(freeSearchCluster_, 1);
        uint64_t run = 0;
        while (run < count) {
            uint64_t index = start + run;
            auto rc = refcountOf(index);
            if (!rc) return rc.error();
            // A zero refcount on live metadata would be corruption; never hand it out.
            if (*rc != 0 || isFixedMetadata(index)) {
                start = index + 1;
                run = 0;
            } else {
                ++run;
            }
        }
        if (((start + count) << clusterBits_) >= (1ull << 56))
            return makeError("'" + path_ + "' is full: host offsets would exceed the qcow2 limit.");
        // Every cluster of the run needs a refcount block. A missing one is
        // placed at the start of the run (self-describing when it lies in its
        // own range), which shifts the run by one cluster: search again.
        const uint64_t perBlock = header_.refcountBlockEntries();
        bool changed = false;
        for (uint64_t i = start; i < start + count; ++i) {
            uint64_t blockIndex = i / perBlock;
            if (blockIndex >= refcountTable_.size()) {
                TESSERA_TRY(growRefcountTable(blockIndex + 1));
                changed = true;
                break;
            }
            if (refcountTable_[blockIndex] & kL1OffsetMask) continue;
            if (start / perBlock == blockIndex) {
                TESSERA_TRY(ensureRefcountSlot(start));
            } else {
                uint64_t offset = start << clusterBits_;
                TESSERA_TRY(setRefcount(start, 1));  // counted in the (existing) block of `start`
                CachedTable block;
                block.bytes.assign(clusterSize_, 0);
                block.dirty = true;
                refblockCache_[offset] = std::move(block);
                refcountTable_[blockIndex] = offset;
                refcountTableDirty_ = true;
                metadataClusters_.insert(offset);
                fileSize_ = std::max(fileSize_, offset + clusterSize_);
            }
            changed = true;
            break;
        }
        if (changed) continue;
        for (uint64_t i = start; i < start + count; ++i) TESSERA_TRY(setRefcount(i, 1));
        if (start <= freeSearchCluster_ + 1 || count == 1)
            freeSearchCluster_ = std::max(freeSearchCluster_, start + count);
        fileSize_ = std::max(fileSize_, (start + count) << clusterBits_);
        return start << clusterBits_;
    }
    return makeError("Could not allocate clusters in '" + path_ + "'.");
}

void Qcow2Image::deferFree(uint64_t hostOffset, uint64_t length) {
    if (!length) return;
    uint64_t first = hostOffset >> clusterBits_;
    uint64_t last = (hostOffset + length - 1) >> clusterBits_;
    for (uint64_t c = first; c <= last; ++c) deferredFrees_.push_back(c << clusterBits_);
}

// Runs only after the L2/L1 entries that dropped these references are on disk.
Status Qcow2Image::applyDeferredFrees() {
    std::vector<uint64_t> frees;
    frees.swap(deferredFrees_);
    std::vector<uint64_t> zeroed;
    for (uint64_t offset : frees) {
        uint64_t index = offset >> clusterBits_;
        auto rc = refcountOf(index);
        if (!rc) return rc.error();
        if (*rc == 0) continue;  // already free: a leak-free image never gets here
        TESSERA_TRY(setRefcount(index, *rc - 1));
        if (*rc - 1 == 0) zeroed.push_back(offset);
    }
    for (uint64_t offset : zeroed) {
        metadataClusters_.erase(offset);
        l2Cache_.erase(offset);
        if (compressedCursor_ && (compressedCursor_ & ~(clusterSize_ - 1)) == offset) compressedCursor_ = 0;
        freeSearchCluster_ = std::min(freeSearchCluster_, offset >> clusterBits_);
    }
    // Refcount decrements reach disk before the space is reused or punched.
    for (auto& [offset, block] : refblockCache_)
        if (block.dirty) {
            TESSERA_TRY(file_.write(offset, block.bytes));
            block.dirty = false;
        }
    if (!frees.empty()) TESSERA_TRY(file_.sync());
    std::sort(zeroed.begin(), zeroed.end());
    for (size_t i = 0; i < zeroed.size();) {
        size_t j = i + 1;
        while (j < zeroed.size() && zeroed[j] == zeroed[j - 1] + clusterSize_) ++j;
        uint64_t start = zeroed[i], length = (j - i) * clusterSize_;
        if (start < fileSize_) {
            auto punched = file_.punchHole(start, std::min(length, fileSize_ - start));
            if (!punched) return punched.error();
        }
        i = j;
    }
    return {};
}

// --- flush: the one place that orders metadata writes -------------------------

Status Qcow2Image::writeHeader() {
    std::vector<uint8_t> bytes = encodeHeader(header_);
    return file_.write(0, bytes);
}

Status Qcow2Image::flushLocked() {
    if (readOnly_ || closed_) return {};
    // 1. Refcount increments (and the guest data written so far).
    bool wrote = dataWritten_;
    for (auto& [offset, block] : refblockCache_)
        if (block.dirty) {
            TESSERA_TRY(file_.write(offset, block.bytes));
            block.dirty = false;
            wrote = true;
        }
    if (wrote) TESSERA_TRY(file_.sync());
    dataWritten_ = false;
    // 2. The refcount table, then the header if the table moved.
    if (refcountTableDirty_) {
        std::vector<uint8_t> raw(uint64_t(header_.refcountTableClusters) * clusterSize_, 0);
        for (uint64_t i = 0; i < refcountTable_.size() && i * 8 < raw.size(); ++i)
            storeBE64(raw.data() + 8 * i, refcountTable_[i]);
        TESSERA_TRY(file_.write(header_.refcountTableOffset, raw));
        TESSERA_TRY(file_.sync());
        refcountTableDirty_ = false;
        if (refcountTableMoved_) {
            TESSERA_TRY(writeHeader());
            TESSERA_TRY(file_.sync());
            refcountTableMoved_ = false;
        }
    }
    // 3. L2 tables (they may point at the clusters counted above).
    bool l2Written = false;
    for (auto& [offset, table] : l2Cache_)
        if (table.dirty) {
            TESSERA_TRY(file_.write(offset, table.bytes));
            table.dirty = false;
            l2Written = true;
        }
    if (l2Written) TESSERA_TRY(file_.sync());
    // 4. L1 and header changes (resize, L1 moves).
    if (l1Dirty_) {
        std::vector<uint8_t> raw(l1_.size() * 8);
        for (uint64_t i = 0; i < l1_.size(); ++i) storeBE64(raw.data() + 8 * i, l1_[i]);
        TESSERA_TRY(file_.write(header_.l1TableOffset, raw));
        TESSERA_TRY(file_.sync());
        l1Dirty_ = false;
    }
    if (headerDirty_) {
        TESSERA_TRY(writeHeader());
        TESSERA_TRY(file_.sync());
        headerDirty_ = false;
    }
    // 5. Decrements for references that are now gone on disk.
    if (!deferredFrees_.empty()) TESSERA_TRY(applyDeferredFrees());
    return {};
}

Status Qcow2Image::flush() {
    std::lock_guard lock(mutex_);
    return flushLocked();
}

Status Qcow2Image::setIncompatibleBit(uint64_t bit, bool value, bool sync) {
    if (header_.version < 3) return {};
    uint64_t before = header_.incompatibleFeatures;
    header_.incompatibleFeatures = value ? before | bit : before & ~bit;
    if (before == header_.incompatibleFeatures) return {};
    TESSERA_TRY(writeHeader());
    return sync ? file_.sync() : Status{};
}

Status Qcow2Image::beginWrite() {
    if (closed_) return makeError("'" + path_ + "' is closed.");
    if (readOnly_) return makeError("'" + path_ + "' is open read-only.");
    if (corrupt())
        return makeError("'" + path_ + "' is marked corrupt; run 'tessera-cli img check -r all " + path_ +
                         "'.");
    if (dirtyBitWritten_) return {};
    dirtyBitWritten_ = true;
    // We do not maintain persistent bitmaps: clearing their autoclear bit tells
    // every reader they are stale (qcow2.txt "autoclear features").
    bool headerChanged = header_.autoclearFeatures != 0;
    header_.autoclearFeatures = 0;
    // Lazy refcounts: the dirty bit must be on disk before the first write.
    if (lazyRefcounts()) {
        header_.incompatibleFeatures |= kIncompatDirty;
        headerChanged = true;
    }
    if (headerChanged && header_.version >= 3) {
        TESSERA_TRY(writeHeader());
        TESSERA_TRY(file_.sync());
    }
    return {};
}

Status Qcow2Image::close() {
    std::lock_guard lock(mutex_);
    if (closed_) return {};
    Status result;
    if (!readOnly_) {
        result = flushLocked();
        if (result && dirty() && dirtyBitWritten_) result = setIncompatibleBit(kIncompatDirty, false, true);
    }
    closed_ = true;
    file_ = HostFile();
    l2Cache_.clear();
    refblockCache_.clear();
    backing_.reset();
    return result;
}

// --- write path ---------------------------------------------------------------------

// Refuse writes into live metadata; a hit means the image is corrupt, so mark
// it (QEMU's overlap check, iotest 060) instead of destroying more.
Status Qcow2Image::checkMetadataOverlap(uint64_t hostOffset, uint64_t length) {
    uint64_t first = hostOffset >> clusterBits_, last = (hostOffset + length - 1) >> clusterBits_;
    uint64_t l1Bytes = alignUp(uint64_t(header_.l1Size) * 8, clusterSize_);
    for (uint64_t c = first; c <= last; ++c) {
        uint64_t offset = c << clusterBits_;
        auto in = [&](uint64_t start, uint64_t len) { return offset >= start && offset < start + len; };
        bool hit = c == 0 || metadataClusters_.count(offset) || in(header_.l1TableOffset, l1Bytes) ||
                   in(header_.refcountTableOffset, uint64_t(header_.refcountTableClusters) * clusterSize_) ||
                   inSnapshotL1Table(offset);
        if (hit) {
            (void)setIncompatibleBit(kIncompatCorrupt, true, true);
            return makeError("Marking '" + path_ +
                             "' as corrupt: preventing a write over its metadata at offset " +
                             std::to_string(offset) + ". Run 'tessera-cli img check -r all " + path_ + "'.");
        }
    }
    return {};
}

Result<Qcow2Image::CachedTable*> Qcow2Image::l2ForWrite(uint64_t guestCluster) {
    uint64_t l1Index = guestCluster / l2Entries_;
    if (l1Index >= l1_.size())
        return corruptionError("guest cluster " + std::to_string(guestCluster) + " has no L1 entry");
    uint64_t entry = l1_[l1Index];
    uint64_t oldOffset = l1EntryL2Offset(entry);
    if (oldOffset && (entry & kOflagCopied)) return loadL2(oldOffset);
    // No table yet, or one shared with a snapshot: give the active L1 its own copy.
    auto newOffset = allocateClusters(1);
    if (!newOffset) return newOffset.error();
    CachedTable table;
    table.bytes.assign(clusterSize_, 0);
    if (oldOffset) {
        auto old = loadL2(oldOffset);
        if (!old) return old.error();
        table.bytes = (*old)->bytes;
        deferFree(oldOffset, clusterSize_);
    }
    table.dirty = true;
    metadataClusters_.insert(*newOffset);
    l1_[l1Index] = *newOffset | kOflagCopied;
    l1Dirty_ = true;
    return &(l2Cache_[*newOffset] = std::move(table));
}

namespace {
void setEntry(std::vector<uint8_t>& table, uint64_t index, bool extended, uint64_t entry, uint64_t bitmap) {
    uint8_t* p = table.data() + index * (extended ? 16 : 8);
    storeBE64(p, entry);
    if (extended) storeBE64(p + 8, bitmap);
}
}  // namespace

// Writes part or all of one guest cluster: in place when the active L1 owns
// the whole cluster (COPIED), otherwise as a full new cluster built from the
// old contents. Runs of fresh whole clusters take the fast path in writeLocked.

Status Qcow2Image::writeCluster(uint64_t guestCluster, uint64_t offsetInCluster,
                                std::span<const uint8_t> data) {
    const bool ext = header_.extendedL2();
    auto table = l2ForWrite(guestCluster);
    if (!table) return table.error();
    uint64_t index = guestCluster % l2Entries_;
    const uint8_t* p = (*table)->bytes.data() + index * header_.l2EntryBytes();
    uint64_t entry = loadBE64(p);
    uint64_t bitmap = ext ? loadBE64(p + 8) : 0;
    L2Mapping m = decodeL2Entry(entry, clusterBits_, ext);

    bool fullyOurs = m.kind == ClusterKind::Normal && m.copied && (!ext || bitmap == kBitmapAllAllocated);
    if (fullyOurs) {
        TESSERA_TRY(checkMetadataOverlap(m.hostOffset, clusterSize_));
        TESSERA_TRY(file_.write(m.hostOffset + offsetInCluster, data));
        dataWritten_ = true;
        return {};
    }
    // Build the full new cluster: the old contents (backing, zeros, compressed,
    // subclusters) with the new bytes on top, then store it in a cluster we own.
    std::vector<uint8_t> merged;
    std::span<const uint8_t> content = data;
    if (data.size() != clusterSize_) {
        merged.resize(clusterSize_);
        uint64_t guestStart = guestCluster << clusterBits_;
        uint64_t inDisk = std::min<uint64_t>(clusterSize_, header_.size - guestStart);
        TESSERA_TRY(readLocked(guestStart, std::span(merged).first(inDisk)));
        std::memcpy(merged.data() + offsetInCluster, data.data(), data.size());
        content = merged;
    }
    uint64_t host;
    bool reuse = (m.kind == ClusterKind::Normal || m.kind == ClusterKind::ZeroAllocated) && m.copied;
    if (reuse) {
        host = m.hostOffset;
        TESSERA_TRY(checkMetadataOverlap(host, clusterSize_));
    } else {
        auto allocated = allocateClusters(1);
        if (!allocated) return allocated.error();
        host = *allocated;
        if (m.kind == ClusterKind::Normal || m.kind == ClusterKind::ZeroAllocated)
            deferFree(m.hostOffset, clusterSize_);
        if (m.kind == ClusterKind::Compressed) {
            HostRange r = compressedHostRange(entry, clusterBits_);
            deferFree(r.offset, r.length);
        }
    }
    TESSERA_TRY(file_.write(host, content));
    dataWritten_ = true;
    // `table` is still valid: readLocked may have loaded other tables, but
    // unordered_map elements never move and nothing here evicts.
    setEntry((*table)->bytes, index, ext, encodeStandardL2Entry(host, true, false), kBitmapAllAllocated);
    (*table)->dirty = true;
    if (m.kind == ClusterKind::Compressed && decompressedEntry_ == entry) decompressed_.clear();
    return {};
}

Status Qcow2Image::writeLocked(uint64_t offset, std::span<const uint8_t> data) {
    if (offset > header_.size || data.size() > header_.size - offset)
        return makeError("Write beyond the end of '" + path_ + "' (offset " + std::to_string(offset) +
                         ", length " + std::to_string(data.size()) + ", disk size " +
                         std::to_string(header_.size) + ").");
    TESSERA_TRY(beginWrite());
    uint64_t done = 0;
    while (done < data.size()) {
        uint64_t at = offset + done;
        uint64_t inCluster = at & (clusterSize_ - 1);
        uint64_t length = std::min<uint64_t>(clusterSize_ - inCluster, data.size() - done);
        uint64_t cluster = at >> clusterBits_;
        // Fast path for sequential whole-cluster writes into fresh clusters
        // (convert, compact): allocate a run and write it with one pwrite.
        if (inCluster == 0 && length == clusterSize_ && !header_.extendedL2()) {
            uint64_t clusters = 1;
            uint64_t maxClusters =
                std::min<uint64_t>((data.size() - done) >> clusterBits_, l2Entries_ - cluster % l2Entries_);
            auto table = l2ForWrite(cluster);
            if (!table) return table.error();
            auto isFresh = [&](uint64_t c) {
                uint64_t e = loadBE64((*table)->bytes.data() + (c % l2Entries_) * 8);
                return e == 0;  // unallocated, nothing to free or read
            };
            if (isFresh(cluster)) {
                while (clusters < maxClusters && isFresh(cluster + clusters)) ++clusters;
                auto host = allocateClusters(clusters);
                if (!host) return host.error();
                TESSERA_TRY(file_.write(*host, data.subspan(done, clusters << clusterBits_)));
                dataWritten_ = true;
                for (uint64_t i = 0; i < clusters; ++i)
                    setEntry((*table)->bytes, (cluster + i) % l2Entries_, false,
                             encodeStandardL2Entry(*host + (i << clusterBits_), true, false), 0);
                (*table)->dirty = true;
                done += clusters << clusterBits_;
                continue;
            }
        }
        TESSERA_TRY(writeCluster(cluster, inCluster, data.subspan(done, length)));
        done += length;
    }
    return {};
}

Status Qcow2Image::write(uint64_t offset, std::span<const uint8_t> data) {
    std::lock_guard lock(mutex_);
    if (closed_) return makeError("'" + path_ + "' is closed.");
    TESSERA_TRY(trimCaches());
    return writeLocked(offset, data);
}

Status Qcow2Image::writeCompressedCluster(uint64_t guestCluster, std::span<const uint8_t> compressed) {
    std::lock_guard lock(mutex_);
    TESSERA_TRY(trimCaches());
    TESSERA_TRY(beginWrite());
    if (guestCluster >= divRoundUp(header_.size, clusterSize_))
        return makeError("Compressed write beyond the end of '" + path_ + "'.");
    if (compressed.empty() || compressed.size() >= clusterSize_)
        return makeError("A compressed cluster must be smaller than the cluster size.");
    auto table = l2ForWrite(guestCluster);
    if (!table) return table.error();
    uint64_t index = guestCluster % l2Entries_;
    uint64_t entry = loadBE64((*table)->bytes.data() + index * header_.l2EntryBytes());
    L2Mapping m = decodeL2Entry(entry, clusterBits_, header_.extendedL2());

    // Pack back to back (QEMU's qcow2_alloc_bytes): continue in the current
    // cluster, spill into the next one if it happens to be allocated right after.
    uint64_t position = 0;
    uint64_t used = compressedCursor_ & (clusterSize_ - 1);
    uint64_t cursorCluster = compressedCursor_ >> clusterBits_;
    bool canShare = compressedCursor_ && used != 0;
    if (canShare) {
        auto rc = refcountOf(cursorCluster);
        if (!rc) return rc.error();
        canShare = *rc + 1 <= maxRefcount(header_.refcountOrder);
        if (canShare && clusterSize_ - used >= compressed.size()) {
            TESSERA_TRY(setRefcount(cursorCluster, *rc + 1));
            position = compressedCursor_;
        } else if (canShare) {
            auto next = allocateClusters(1);
            if (!next) return next.error();
            if (*next == (cursorCluster + 1) << clusterBits_) {
                TESSERA_TRY(setRefcount(cursorCluster, *rc + 1));
                position = compressedCursor_;
            } else {
                position = *next;
            }
        }
    }
    if (!position) {
        auto fresh = allocateClusters(1);
        if (!fresh) return fresh.error();
        position = *fresh;
    }
    auto newEntry = encodeCompressedL2Entry(position, compressed.size(), clusterBits_);
    if (!newEntry) return makeError("Compressed cluster offset not representable in '" + path_ + "'.");
    TESSERA_TRY(file_.write(position, compressed));
    dataWritten_ = true;
    compressedCursor_ = position + compressed.size();
    if (m.kind == ClusterKind::Normal || m.kind == ClusterKind::ZeroAllocated)
        deferFree(m.hostOffset, clusterSize_);
    if (m.kind == ClusterKind::Compressed) {
        HostRange r = compressedHostRange(entry, clusterBits_);
        deferFree(r.offset, r.length);
    }
    setEntry((*table)->bytes, index, header_.extendedL2(), *newEntry, 0);
    (*table)->dirty = true;
    decompressed_.clear();
    return {};
}

// Whole-cluster zeroing or discarding: the entry changes, no data moves.
Status Qcow2Image::zeroOrDiscardCluster(uint64_t guestCluster, bool zero, bool unmap) {
    const bool ext = header_.extendedL2();
    const bool v3 = header_.version >= 3;
    uint64_t bitmap = 0;
    auto current = l2Entry(guestCluster, &bitmap);
    if (!current) return current.error();
    L2Mapping m = decodeL2Entry(*current, clusterBits_, ext);
    // Without a backing file an unallocated cluster already reads as zeros.
    bool readsZero = (!backing_ && m.kind == ClusterKind::Unallocated && (!ext || bitmap == 0)) ||
                     (!ext && m.kind == ClusterKind::ZeroPlain) ||
                     (ext && m.kind == ClusterKind::Unallocated && bitmap == kBitmapAllZero);
    if (readsZero && (zero || !backing_)) return {};
    if (!zero && m.kind == ClusterKind::Unallocated && (!ext || bitmap == 0)) return {};

    if (zero && !v3 && backing_) {
        // Version 2 has no zero flag: write real zeros over the backing data.
        std::vector<uint8_t> zeros(clusterSize_, 0);
        uint64_t start = guestCluster << clusterBits_;
        return writeCluster(guestCluster, 0,
                            std::span(zeros).first(std::min<uint64_t>(clusterSize_, header_.size - start)));
    }
    auto table = l2ForWrite(guestCluster);
    if (!table) return table.error();
    uint64_t index = guestCluster % l2Entries_;
    uint64_t entry = loadBE64((*table)->bytes.data() + index * header_.l2EntryBytes());
    m = decodeL2Entry(entry, clusterBits_, ext);
    bool keepHost = zero && !unmap && v3 && !ext && m.copied &&
                    (m.kind == ClusterKind::Normal || m.kind == ClusterKind::ZeroAllocated);
    uint64_t newEntry = 0, newBitmap = 0;
    if (keepHost) {
        newEntry = encodeStandardL2Entry(m.hostOffset, true, true);  // preallocated zero cluster
    } else {
        if (m.kind == ClusterKind::Normal || m.kind == ClusterKind::ZeroAllocated)
            deferFree(m.hostOffset, clusterSize_);
        if (m.kind == ClusterKind::Compressed) {
            HostRange r = compressedHostRange(entry, clusterBits_);
            deferFree(r.offset, r.length);
        }
        // A discard over a backing file must not expose the backing data as
        // "anything": make it read as zeros where the format can say so.
        bool markZero = v3 && (zero || backing_);
        if (ext)
            newBitmap = markZero ? kBitmapAllZero : 0;
        else
            newEntry = markZero ? kOflagZero : 0;
    }
    setEntry((*table)->bytes, index, ext, newEntry, newBitmap);
    (*table)->dirty = true;
    if (m.kind == ClusterKind::Compressed) decompressed_.clear();
    return {};
}

Status Qcow2Image::discard(uint64_t offset, uint64_t length) {
    std::lock_guard lock(mutex_);
    if (closed_) return makeError("'" + path_ + "' is closed.");
    TESSERA_TRY(trimCaches());
    if (offset > header_.size || length > header_.size - offset)
        return makeError("Discard beyond the end of '" + path_ + "'.");
    TESSERA_TRY(beginWrite());
    // Only whole clusters can be freed; partial ones may keep their data.
    uint64_t first = divRoundUp(offset, clusterSize_);
    uint64_t end = offset + length == header_.size ? divRoundUp(header_.size, clusterSize_)
                                                   : (offset + length) >> clusterBits_;
    for (uint64_t c = first; c < end; ++c) {
        uint64_t l1Index = c / l2Entries_;
        if (l1Index < l1_.size() && !l1EntryL2Offset(l1_[l1Index]) && !backing_) {
            c = (l1Index + 1) * l2Entries_ - 1;  // whole L2 range already unallocated
            continue;
        }
        TESSERA_TRY(zeroOrDiscardCluster(c, false, true));
    }
    return {};
}

Status Qcow2Image::writeZeroes(uint64_t offset, uint64_t length, bool mayUnmap) {
    std::lock_guard lock(mutex_);
    if (closed_) return makeError("'" + path_ + "' is closed.");
    TESSERA_TRY(trimCaches());
    if (offset > header_.size || length > header_.size - offset)
        return makeError("Write beyond the end of '" + path_ + "'.");
    TESSERA_TRY(beginWrite());
    uint64_t end = offset + length;
    uint64_t at = offset;
    while (at < end) {
        uint64_t cluster = at >> clusterBits_;
        uint64_t inCluster = at & (clusterSize_ - 1);
        uint64_t clusterEnd = std::min<uint64_t>((cluster + 1) << clusterBits_, header_.size);
        uint64_t chunk = std::min(end, clusterEnd) - at;
        bool whole = inCluster == 0 && at + chunk == clusterEnd;
        if (whole) {
            uint64_t l1Index = cluster / l2Entries_;
            if (l1Index < l1_.size() && !l1EntryL2Offset(l1_[l1Index]) && !backing_ && inCluster == 0) {
                // Whole unallocated L2 range without backing: already zero.
                uint64_t rangeEnd =
                    std::min<uint64_t>(((l1Index + 1) * l2Entries_) << clusterBits_, header_.size);
                if (rangeEnd <= end) {
                    at = rangeEnd;
                    continue;
                }
            }
            TESSERA_TRY(zeroOrDiscardCluster(cluster, true, mayUnmap));
        } else {
            // Part of a cluster: nothing to do if it already reads as zeros.
            uint64_t bitmap = 0;
            auto entry = l2Entry(cluster, &bitmap);
            if (!entry) return entry.error();
            L2Mapping m = decodeL2Entry(*entry, clusterBits_, header_.extendedL2());
            bool alreadyZero =
                header_.extendedL2()
                    ? (m.kind == ClusterKind::Unallocated &&
                       (bitmap == kBitmapAllZero || (bitmap == 0 && !backing_)))
                    : (m.kind == ClusterKind::ZeroPlain || m.kind == ClusterKind::ZeroAllocated ||
                       (m.kind == ClusterKind::Unallocated && !backing_));
            if (!alreadyZero) {
                std::vector<uint8_t> zeros(chunk, 0);
                TESSERA_TRY(writeCluster(cluster, inCluster, zeros));
            }
        }
        at += chunk;
    }
    return {};
}

Status Qcow2Image::resize(uint64_t newSize, bool allowShrink) {
    std::lock_guard lock(mutex_);
    if (closed_) return makeError("'" + path_ + "' is closed.");
    TESSERA_TRY(beginWrite());
    if (newSize < header_.size && !allowShrink)
        return makeError("Shrinking '" + path_ + "' would destroy data; use --shrink to allow it.");
    if (newSize > (1ull << 61)) return makeError("The requested size is too large for qcow2.");
    if (!snapshots_.empty() && newSize < header_.size)
        return makeError("Cannot shrink '" + path_ + "': it has internal snapshots.");
    TESSERA_TRY(flushLocked());
    uint64_t neededL1 = divRoundUp(newSize, l2Entries_ * clusterSize_);
    if (newSize < header_.size) {
        // Free every cluster that lies wholly past the new end.
        uint64_t firstGone = divRoundUp(newSize, clusterSize_);
        uint64_t oldClusters = divRoundUp(header_.size, clusterSize_);
        for (uint64_t c = firstGone; c < oldClusters; ++c) {
            uint64_t l1Index = c / l2Entries_;
            if (!l1EntryL2Offset(l1_[l1Index])) {
                c = (l1Index + 1) * l2Entries_ - 1;
                continue;
            }
            auto table = l2ForWrite(c);
            if (!table) return table.error();
            uint64_t index = c % l2Entries_;
            uint64_t entry = loadBE64((*table)->bytes.data() + index * header_.l2EntryBytes());
            L2Mapping m = decodeL2Entry(entry, clusterBits_, header_.extendedL2());
            if (m.kind == ClusterKind::Normal || m.kind == ClusterKind::ZeroAllocated)
                deferFree(m.hostOffset, clusterSize_);
            if (m.kind == ClusterKind::Compressed) {
                HostRange r = compressedHostRange(entry, clusterBits_);
                deferFree(r.offset, r.length);
            }
            setEntry((*table)->bytes, index, header_.extendedL2(), 0, 0);
            (*table)->dirty = true;
        }
        for (uint64_t i = neededL1; i < l1_.size(); ++i) {
            if (uint64_t l2 = l1EntryL2Offset(l1_[i])) {
                deferFree(l2, clusterSize_);
                l1_[i] = 0;
                l1Dirty_ = true;
            }
        }
    } else if (neededL1 > l1_.size()) {
        if (neededL1 * 8 > kMaxL1Bytes)
            return makeError("The requested size needs an L1 table above 32 MiB.");
        uint64_t clusters = divRoundUp(neededL1 * 8, clusterSize_);
        auto at = allocateClusters(clusters);
        if (!at) return at.error();
        if (header_.l1Size)
            deferFree(header_.l1TableOffset, alignUp(uint64_t(header_.l1Size) * 8, clusterSize_));
        l1_.resize(clusters * clusterSize_ / 8 < neededL1 ? neededL1 : neededL1, 0);
        header_.l1TableOffset = *at;
        header_.l1Size = uint32_t(neededL1);
        l1Dirty_ = true;
    }
    header_.size = newSize;
    headerDirty_ = true;
    decompressed_.clear();
    return flushLocked();
}

}  // namespace tessera::block
