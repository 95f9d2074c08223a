#pragma once
// A qcow2 image (version 2 and 3) as a BlockBackend, per QEMU's
// docs/interop/qcow2.txt. Crash consistency follows QEMU's rule: the on-disk
// refcount of a cluster is never lower than the number of references to it
// (refcount increments reach disk before the L2/L1 entries that use them,
// decrements only after the entry is cleared on disk), so a SIGKILL at any
// point leaves at most leaked clusters. flush() orders:
//   refcount blocks -> fsync -> refcount table/header -> fsync -> L2 -> fsync
//   -> L1/header -> fsync -> deferred refcount decrements -> fsync -> punch holes.
// Thread-safe for one writer: every entry point takes an internal mutex.

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/block/block_backend.h"
#include "core/block/host_file.h"
#include "core/block/open_options.h"
#include "core/block/qcow2_format.h"

namespace tessera::block {

class Qcow2Image final : public BlockBackend {
public:
    // Opens and validates the image. Read-write opens repair a dirty image
    // (lazy refcounts) first and refuse a corrupt one.
    static Result<std::unique_ptr<Qcow2Image>> open(const std::string& path, const OpenOptions& options);
    // Creates (or truncates) `path` as a new image; preallocation goes through the normal allocator.
    static Status create(const std::string& path, const CreateOptions& options);
    ~Qcow2Image() override;  // close(), errors ignored

    // --- BlockBackend -----------------------------------------------------------
    uint64_t size() const override;
    bool readOnly() const override { return readOnly_; }
    std::string formatName() const override { return "qcow2"; }
    std::string fileName() const override { return path_; }
    uint64_t clusterSize() const override { return clusterSize_; }
    Status read(uint64_t offset, std::span<uint8_t> out) override;
    Status write(uint64_t offset, std::span<const uint8_t> data) override;
    Status flush() override;
    Status discard(uint64_t offset, uint64_t length) override;
    Status writeZeroes(uint64_t offset, uint64_t length, bool mayUnmap) override;
    Result<BlockStatus> blockStatus(uint64_t offset, uint64_t maxLength) override;
    const BlockBackend* backingBackend() const override { return backing_.get(); }

    // --- qcow2 specifics (info, convert, resize) ---------------------------------
    const qcow2::Header& header() const { return header_; }
    std::string compat() const { return header_.version == 2 ? "0.10" : "1.1"; }
    const std::vector<qcow2::Snapshot>& snapshots() const { return snapshots_; }
    const std::string& backingFileName() const { return backingName_; }  // as stored in the image
    const std::string& backingFilePath() const { return backingPath_; }  // resolved against our directory
    const std::string& backingFormat() const { return backingFormat_; }  // "" when absent
    const std::vector<qcow2::HeaderExtension>& extensions() const { return extensions_; }
    bool dirty() const { return header_.incompatibleFeatures & qcow2::kIncompatDirty; }
    bool corrupt() const { return header_.incompatibleFeatures & qcow2::kIncompatCorrupt; }
    bool lazyRefcounts() const { return header_.compatibleFeatures & qcow2::kCompatLazyRefcounts; }
    bool extendedL2() const { return header_.extendedL2(); }
    qcow2::CompressionType compressionType() const { return header_.compressionType; }

    // Stores already-compressed bytes (from qcow2::compressCluster with this
    // image's compressionType()) as guest cluster `guestCluster`. Compressed
    // data is packed back to back in host clusters, as QEMU does.
    Status writeCompressedCluster(uint64_t guestCluster, std::span<const uint8_t> compressed);
    // Grows the virtual disk; shrinking needs allowShrink and frees the clusters past the end.
    Status resize(uint64_t newSize, bool allowShrink);
    // Flushes, clears the dirty bit (lazy refcounts) and releases the file.
    Status close();

private:
    friend class Qcow2Checker;
    struct CachedTable {
        std::vector<uint8_t> bytes;  // the on-disk big-endian cluster
        bool dirty = false;
    };
    struct ClusterRun;

    Qcow2Image() = default;
    Status loadMetadata(const OpenOptions& options, std::vector<std::string>& chain);
    Status openBacking(const OpenOptions& options, std::vector<std::string>& chain);
    Status validateLayout(OpenValidation validation);
    Status loadTable(uint64_t offset, uint64_t entries, std::vector<uint64_t>& table);
    Result<qcow2::SnapshotTable> readSnapshotTable(bool strict,
                                                   qcow2::SnapshotTableRepairs* repairs = nullptr) const;
    Status loadSnapshotTable(bool strict);
    Status validateTables(uint64_t l1Bytes, uint64_t reftableBytes);
    bool inSnapshotL1Table(uint64_t offset) const;
    Error corruptionError(const std::string& what) const;

    // read path
    Status readLocked(uint64_t offset, std::span<uint8_t> out);
    Status readFromBacking(uint64_t offset, std::span<uint8_t> out);
    Status readCompressed(uint64_t entry, uint64_t offsetInCluster, std::span<uint8_t> out);
    Result<ClusterRun> mapRun(uint64_t offset, uint64_t maxLength);

    // metadata caches
    Result<CachedTable*> loadL2(uint64_t l2Offset);
    Result<CachedTable*> loadRefblock(uint64_t blockOffset);
    Result<uint64_t> l2Entry(uint64_t guestCluster, uint64_t* bitmap);
    Status trimCaches();

    // refcounts and allocation
    Result<uint64_t> refcountOf(uint64_t clusterIndex);
    Status setRefcount(uint64_t clusterIndex, uint64_t value);
    Status ensureRefcountSlot(uint64_t clusterIndex);
    Result<uint64_t> allocateClusters(uint64_t count);
    Status growRefcountTable(uint64_t neededEntries);
    void deferFree(uint64_t hostOffset, uint64_t length);
    Status applyDeferredFrees();

    // write path
    Status beginWrite();
    Result<CachedTable*> l2ForWrite(uint64_t guestCluster);
    Status writeLocked(uint64_t offset, std::span<const uint8_t> data);
    Status writeCluster(uint64_t guestCluster, uint64_t offsetInCluster, std::span<const uint8_t> data);
    Status zeroOrDiscardCluster(uint64_t guestCluster, bool zero, bool unmap);
    Status checkMetadataOverlap(uint64_t hostOffset, uint64_t length);
    Status flushLocked();
    Status writeHeader();
    Status setIncompatibleBit(uint64_t bit, bool value, bool sync);
    Status repairDirtyImage();
    Status preallocate(Preallocation mode);

    mutable std::mutex mutex_;
    HostFile file_;
    std::string path_;
    bool readOnly_ = true;
    bool closed_ = false;
    qcow2::Header header_;
    uint64_t clusterSize_ = 0;
    uint32_t clusterBits_ = 0;
    uint64_t l2Entries_ = 0;
    uint64_t fileSize_ = 0;  // grows as clusters are allocated past the end
    std::vector<qcow2::HeaderExtension> extensions_;
    std::vector<qcow2::FeatureName> featureNames_;
    std::string backingName_, backingPath_, backingFormat_;
    std::vector<qcow2::Snapshot> snapshots_;
    uint64_t snapshotTableBytes_ = 0;
    // Snapshot L1 tables as [start, end), sorted and merged (Full mode): the
    // write path must not allocate over them (QEMU's "inactive-l1" overlap check).
    std::vector<std::pair<uint64_t, uint64_t>> snapshotL1Ranges_;
    std::unique_ptr<BlockBackend> backing_;

    std::vector<uint64_t> l1_;
    bool l1Dirty_ = false;
    std::vector<uint64_t> refcountTable_;
    bool refcountTableDirty_ = false;
    bool refcountTableMoved_ = false;
    uint64_t oldRefcountTableOffset_ = 0, oldRefcountTableClusters_ = 0;
    std::unordered_map<uint64_t, CachedTable> l2Cache_;
    std::unordered_map<uint64_t, CachedTable> refblockCache_;
    // Active L2 tables and refcount blocks (host offsets). Like QEMU's default
    // overlap check, inactive L2 tables are not tracked: finding them means
    // reading every snapshot's L1 table, which open never does.
    std::unordered_set<uint64_t> metadataClusters_;
    std::vector<uint64_t> deferredFrees_;  // host cluster offsets to decrement after the next L2/L1 sync
    uint64_t freeSearchCluster_ = 0;
    uint64_t compressedCursor_ = 0;  // next free byte in the current compressed-data cluster (0 = none)
    bool dirtyBitWritten_ = false;
    bool headerDirty_ = false;
    bool dataWritten_ = false;

    // decompression cache: the last compressed cluster read
    uint64_t decompressedEntry_ = 0;
    std::vector<uint8_t> decompressed_;
};

}  // namespace tessera::block
