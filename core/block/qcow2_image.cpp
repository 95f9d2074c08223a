// Qcow2Image: open, validation and the read path.
#include "core/block/qcow2_image.h"

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "core/block/big_endian.h"
#include "core/block/open_image.h"
#include "core/block/qcow2_compress.h"
#include "core/block/raw_image.h"

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

namespace {

std::string hex(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

struct Range {
    uint64_t offset, length;
    const char* what;
};

bool overlaps(const Range& a, const Range& b) {
    return a.length && b.length && a.offset < b.offset + b.length && b.offset < a.offset + a.length;
}

}  // namespace

Error Qcow2Image::corruptionError(const std::string& what) const {
    return makeError("Corrupt qcow2 image '" + path_ + "': " + what + ".");
}

Result<std::unique_ptr<Qcow2Image>> Qcow2Image::open(const std::string& path, const OpenOptions& options) {
    std::vector<std::string> chain;
    std::unique_ptr<Qcow2Image> image(new Qcow2Image());
    image->path_ = path;
    image->readOnly_ = options.readOnly;
    LockMode lock = !options.lock      ? LockMode::None
                    : options.readOnly ? LockMode::Shared
                                       : LockMode::Exclusive;
    auto file = HostFile::open(path, !options.readOnly, lock);
    if (!file) return file.error();
    image->file_ = std::move(file.value());
    TESSERA_TRY(image->loadMetadata(options, chain));
    return image;
}

Status Qcow2Image::loadMetadata(const OpenOptions& options, std::vector<std::string>& chain) {
    auto size = file_.size();
    if (!size) return size.error();
    fileSize_ = *size;

    // The header first (at most one cluster: its length is checked against it).
    std::vector<uint8_t> cluster0(std::min<uint64_t>(fileSize_, 1u << kMaxClusterBits));
    TESSERA_TRY(file_.readExact(0, cluster0));
    auto header = decodeHeader(cluster0);
    if (!header) return makeError("'" + path_ + "': " + header.message());
    header_ = header.value();
    clusterBits_ = header_.clusterBits;
    clusterSize_ = header_.clusterSize();
    l2Entries_ = header_.l2Entries();
    cluster0.resize(std::min<uint64_t>(cluster0.size(), clusterSize_));

    // Incompatible features: anything unknown means we must not interpret the image.
    if (header_.version == 3) {
        uint64_t extEnd = cluster0.size();
        if (header_.backingFileOffset > header_.headerLength && header_.backingFileOffset < extEnd)
            extEnd = header_.backingFileOffset;
        auto extensions = decodeExtensions(std::span(cluster0).first(extEnd), header_.headerLength);
        if (!extensions) return makeError("'" + path_ + "': " + extensions.message());
        extensions_ = std::move(extensions.value());
    } else if (cluster0.size() > kHeaderV2Length) {
        // Version 2 images may carry extensions too (backing format); a v2
        // header without them may be followed directly by the backing name.
        uint64_t extEnd = cluster0.size();
        if (header_.backingFileOffset > kHeaderV2Length && header_.backingFileOffset < extEnd)
            extEnd = header_.backingFileOffset;
        if (extEnd >= kHeaderV2Length + 8) {
            auto extensions = decodeExtensions(std::span(cluster0).first(extEnd), kHeaderV2Length);
            if (extensions) extensions_ = std::move(extensions.value());
        }
    }
    for (const auto& ext : extensions_) {
        if (ext.type == kExtFeatureNameTable) featureNames_ = decodeFeatureNameTable(ext.data);
        if (ext.type == kExtBackingFormat) backingFormat_.assign(ext.data.begin(), ext.data.end());
    }
    uint64_t unknown = header_.incompatibleFeatures & ~kIncompatKnownMask;
    if (unknown) {
        std::string names;
        for (unsigned bit = 0; bit < 64; ++bit) {
            if (!(unknown >> bit & 1)) continue;
            std::string name = "unknown incompatible feature bit " + std::to_string(bit);
            for (const auto& f : featureNames_)
                if (f.type == FeatureType::Incompatible && f.bit == bit && !f.name.empty())
                    name = "'" + f.name + "' (incompatible feature bit " + std::to_string(bit) + ")";
            names += (names.empty() ? "" : ", ") + name;
        }
        return makeError("Cannot open '" + path_ +
                         "': it uses qcow2 features this version does not support: " + names + ".");
    }
    if (header_.incompatibleFeatures & kIncompatDataFile)
        return makeError("Cannot open '" + path_ +
                         "': qcow2 images with an external data file are not supported. Convert it with "
                         "'qemu-img convert' first.");
    if (header_.cryptMethod != 0)
        return makeError("Cannot open '" + path_ + "': encrypted qcow2 images are not supported.");

    TESSERA_TRY(validateLayout(options.forRepair));

    // Backing file name: at most 1023 bytes, inside the first cluster.
    if (header_.backingFileOffset != 0) {
        if (header_.backingFileSize > kMaxBackingFileNameLength)
            return corruptionError("the backing file name is longer than 1023 bytes");
        if (header_.backingFileOffset > clusterSize_ ||
            header_.backingFileSize > clusterSize_ - header_.backingFileOffset ||
            header_.backingFileOffset + header_.backingFileSize > cluster0.size())
            return corruptionError("the backing file name lies outside the first cluster");
        backingName_.assign(reinterpret_cast<const char*>(cluster0.data() + header_.backingFileOffset),
                            header_.backingFileSize);
        std::filesystem::path name(backingName_);
        backingPath_ = name.is_absolute()
                           ? backingName_
                           : (std::filesystem::path(path_).parent_path() / name).lexically_normal().string();
    }

    if (corrupt() && !options.readOnly && !options.forRepair)
        return makeError(
            "'" + path_ +
            "' is marked corrupt, so it can only be opened read-only. Run 'tessera-cli img check -r "
            "all " +
            path_ + "' to repair it.");

    if (options.openBacking && !backingName_.empty()) TESSERA_TRY(openBacking(options, chain));

    if (!options.readOnly && dirty() && !options.forRepair) TESSERA_TRY(repairDirtyImage());
    return {};
}

Status Qcow2Image::validateLayout(bool forRepair) {
    // Sizes first, so nothing below multiplies an absurd count.
    if (header_.size > (1ull << 61))
        return corruptionError("the virtual disk size " + std::to_string(header_.size) +
                               " is absurdly large");
    uint64_t l2Coverage = l2Entries_ * clusterSize_;
    uint64_t neededL1 = divRoundUp(header_.size, l2Coverage);
    if (uint64_t(header_.l1Size) * 8 > kMaxL1Bytes)
        return corruptionError("the L1 table has " + std::to_string(header_.l1Size) +
                               " entries (more than 32 MiB)");
    if (header_.l1Size < neededL1)
        return corruptionError("the L1 table (" + std::to_string(header_.l1Size) +
                               " entries) is too small for the disk size");
    uint64_t l1Bytes = uint64_t(header_.l1Size) * 8;
    auto inFile = [&](uint64_t offset, uint64_t length) {
        return offset <= fileSize_ && length <= fileSize_ - offset;
    };
    if (header_.l1Size && (header_.l1TableOffset % clusterSize_ != 0 || header_.l1TableOffset == 0))
        return corruptionError("the L1 table offset " + hex(header_.l1TableOffset) +
                               " is not cluster-aligned");
    if (header_.l1Size && !inFile(header_.l1TableOffset, l1Bytes))
        return corruptionError("the L1 table (offset " + hex(header_.l1TableOffset) + ", " +
                               std::to_string(l1Bytes) + " bytes) lies outside the file");
    uint64_t reftableBytes = uint64_t(header_.refcountTableClusters) * clusterSize_;
    if (header_.refcountTableClusters == 0) return corruptionError("the image has no refcount table");
    if (reftableBytes > kMaxRefcountTableBytes)
        return corruptionError("the refcount table is larger than 8 MiB (" +
                               std::to_string(header_.refcountTableClusters) + " clusters)");
    if (header_.refcountTableOffset % clusterSize_ != 0 || header_.refcountTableOffset == 0)
        return corruptionError("the refcount table offset " + hex(header_.refcountTableOffset) +
                               " is not cluster-aligned");
    if (!inFile(header_.refcountTableOffset, reftableBytes))
        return corruptionError("the refcount table lies outside the file");
    if (header_.nbSnapshots > kMaxSnapshots)
        return corruptionError("the image claims " + std::to_string(header_.nbSnapshots) +
                               " snapshots (at most 65536)");
    if (header_.nbSnapshots && (header_.snapshotsOffset % clusterSize_ != 0 || header_.snapshotsOffset == 0))
        return corruptionError("the snapshot table offset " + hex(header_.snapshotsOffset) +
                               " is not cluster-aligned");

    // Snapshot table: walk entry headers (bounded by the file) to find its length.
    uint64_t snapshotBytes = 0;
    if (header_.nbSnapshots) {
        uint64_t pos = header_.snapshotsOffset;
        for (uint32_t i = 0; i < header_.nbSnapshots; ++i) {
            uint8_t head[40];
            if (!inFile(pos, 40)) return corruptionError("the snapshot table runs past the end of the file");
            TESSERA_TRY(file_.readExact(pos, head));
            uint64_t length = 40ull + loadBE32(head + 36) + loadBE16(head + 12) + loadBE16(head + 14);
            // The last entry's padding may be missing at the end of the file.
            if (i + 1 == header_.nbSnapshots && !inFile(pos, alignUp(length, 8)) && inFile(pos, length)) {
                pos += length;
                break;
            }
            pos += alignUp(length, 8);
            if (pos - header_.snapshotsOffset > (64ull << 20))
                return corruptionError("the snapshot table is larger than 64 MiB");
        }
        snapshotBytes = pos - header_.snapshotsOffset;
        snapshotTableBytes_ = snapshotBytes;
        if (!inFile(header_.snapshotsOffset, snapshotBytes))
            return corruptionError("the snapshot table runs past the end of the file");
        std::vector<uint8_t> table(alignUp(snapshotBytes, 8));
        TESSERA_TRY(file_.readZeroFilled(header_.snapshotsOffset, table));
        auto decoded = decodeSnapshotTable(table, header_.nbSnapshots);
        if (!decoded) return corruptionError(decoded.message());
        snapshots_ = std::move(decoded->snapshots);
        for (const auto& s : snapshots_) {
            if (uint64_t(s.l1Size) * 8 > kMaxL1Bytes)
                return corruptionError("snapshot '" + s.name + "' has an L1 table larger than 32 MiB");
            if (s.l1Size &&
                (s.l1TableOffset % clusterSize_ != 0 || !inFile(s.l1TableOffset, uint64_t(s.l1Size) * 8)))
                return corruptionError("the L1 table of snapshot '" + s.name +
                                       "' is misaligned or outside the file");
        }
    }

    // Fixed metadata must not overlap (iotest 080/060 cases).
    std::vector<Range> fixed = {
        {0, clusterSize_, "the header"},
        {header_.l1TableOffset, alignUp(l1Bytes, clusterSize_), "the L1 table"},
        {header_.refcountTableOffset, reftableBytes, "the refcount table"},
        {header_.snapshotsOffset, alignUp(snapshotBytes, clusterSize_), "the snapshot table"}};
    for (size_t i = 0; i < fixed.size(); ++i)
        for (size_t j = i + 1; j < fixed.size(); ++j)
            if (overlaps(fixed[i], fixed[j]))
                return corruptionError(std::string(fixed[i].what) + " overlaps " + fixed[j].what);

    // Load L1 and the refcount table.
    l1_.assign(header_.l1Size, 0);
    if (header_.l1Size) {
        std::vector<uint8_t> raw(l1Bytes);
        TESSERA_TRY(file_.readExact(header_.l1TableOffset, raw));
        for (uint64_t i = 0; i < header_.l1Size; ++i) l1_[i] = loadBE64(raw.data() + 8 * i);
    }
    refcountTable_.assign(reftableBytes / 8, 0);
    {
        std::vector<uint8_t> raw(reftableBytes);
        TESSERA_TRY(file_.readExact(header_.refcountTableOffset, raw));
        for (uint64_t i = 0; i < refcountTable_.size(); ++i) refcountTable_[i] = loadBE64(raw.data() + 8 * i);
    }
    if (forRepair) return {};  // the checker reports everything below itself

    auto checkTableCluster = [&](uint64_t offset, const std::string& what) -> Status {
        if (offset % clusterSize_ != 0)
            return corruptionError(what + " offset " + hex(offset) + " is not cluster-aligned");
        if (!inFile(offset, clusterSize_))
            return corruptionError(what + " at " + hex(offset) + " lies outside the file");
        Range r{offset, clusterSize_, ""};
        for (const auto& f : fixed)
            if (overlaps(r, f)) return corruptionError(what + " at " + hex(offset) + " overlaps " + f.what);
        return {};
    };
    for (uint64_t i = 0; i < refcountTable_.size(); ++i) {
        uint64_t offset = refcountTable_[i] & kL1OffsetMask;
        if (refcountTable_[i] & 511)
            return corruptionError("refcount table entry " + std::to_string(i) + " is not cluster-aligned");
        if (!offset) continue;
        TESSERA_TRY(checkTableCluster(offset, "refcount block " + std::to_string(i)));
        if (!metadataClusters_.insert(offset).second)
            return corruptionError("refcount block " + std::to_string(i) + " at " + hex(offset) +
                                   " overlaps another refcount block");
    }
    for (uint64_t i = 0; i < l1_.size(); ++i) {
        if (l1_[i] & kL1ReservedMask)
            return corruptionError("L1 entry " + std::to_string(i) + " has reserved bits set");
        uint64_t offset = l1EntryL2Offset(l1_[i]);
        if (!offset) continue;
        TESSERA_TRY(checkTableCluster(offset, "L2 table " + std::to_string(i)));
        if (metadataClusters_.count(offset))
            return corruptionError("L2 table " + std::to_string(i) + " at " + hex(offset) +
                                   " overlaps a refcount block or another L2 table");
        metadataClusters_.insert(offset);
    }
    for (const auto& s : snapshots_) {
        if (!s.l1Size) continue;
        std::vector<uint8_t> raw(uint64_t(s.l1Size) * 8);
        TESSERA_TRY(file_.readExact(s.l1TableOffset, raw));
        for (uint64_t i = 0; i < s.l1Size; ++i) {
            uint64_t offset = l1EntryL2Offset(loadBE64(raw.data() + 8 * i));
            if (offset) {
                TESSERA_TRY(checkTableCluster(
                    offset, "L2 table " + std::to_string(i) + " of snapshot '" + s.name + "'"));
                metadataClusters_.insert(offset);
            }
        }
    }
    return {};
}

Status Qcow2Image::openBacking(const OpenOptions& options, std::vector<std::string>& chain) {
    std::error_code ec;
    std::string self = std::filesystem::weakly_canonical(path_, ec).string();
    if (chain.empty()) chain.push_back(ec ? path_ : self);
    std::string target = std::filesystem::weakly_canonical(backingPath_, ec).string();
    if (ec) target = backingPath_;
    if (std::find(chain.begin(), chain.end(), target) != chain.end())
        return makeError("Cannot open '" + path_ + "': its backing chain loops back to '" + backingPath_ +
                         "'.");
    if (chain.size() > options.maxBackingDepth)
        return makeError("Cannot open '" + path_ + "': the backing chain is longer than " +
                         std::to_string(options.maxBackingDepth) + " images.");
    chain.push_back(target);

    std::optional<ImageFormat> format;
    if (!backingFormat_.empty()) {
        format = parseImageFormat(backingFormat_);
        if (!format)
            return makeError("Cannot open '" + path_ + "': backing file format '" + backingFormat_ +
                             "' is not supported (only raw and qcow2).");
    } else {
        auto probed = probeImageFormat(backingPath_);
        if (!probed)
            return makeError("Could not open backing file '" + backingPath_ + "' of '" + path_ +
                             "': " + probed.message());
        format = *probed;
    }
    OpenOptions backingOptions = options;
    backingOptions.readOnly = true;
    backingOptions.forRepair = false;
    backingOptions.format = format;
    if (*format == ImageFormat::Raw) {
        auto raw = RawImage::open(backingPath_, backingOptions);
        if (!raw) return makeError("Could not open backing file of '" + path_ + "': " + raw.message());
        backing_ = std::move(raw.value());
        return {};
    }
    std::unique_ptr<Qcow2Image> image(new Qcow2Image());
    image->path_ = backingPath_;
    image->readOnly_ = true;
    auto file = HostFile::open(backingPath_, false, options.lock ? LockMode::Shared : LockMode::None);
    if (!file) return makeError("Could not open backing file of '" + path_ + "': " + file.message());
    image->file_ = std::move(file.value());
    TESSERA_TRY(image->loadMetadata(backingOptions, chain));
    backing_ = std::move(image);
    return {};
}

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
