// Qcow2Image: open and metadata validation. How much open validates depends
// on OpenValidation (open_options.h). Every mode bounds its work by the file
// size and QEMU's fixed limits (32 MiB L1 table, 8 MiB refcount table, 64 MiB
// snapshot table), and none reads a snapshot's L1 table: a crafted image with
// 65536 snapshots of 4 Mi L1 entries each must not stall `img info` or a VM
// start. Walking snapshot tables is `img check`'s job (qcow2_check.cpp).
#include <algorithm>
#include <cstring>
#include <filesystem>

#include "core/block/big_endian.h"
#include "core/block/open_image.h"
#include "core/block/qcow2_image.h"
#include "core/block/raw_image.h"

namespace tessera::block {

using namespace qcow2;

namespace {

struct Range {
    uint64_t offset, length;
    const char* what;
};

bool overlaps(const Range& a, const Range& b) {
    return a.length && b.length && a.offset < b.offset + b.length && b.offset < a.offset + a.length;
}

// Reads a table of small variable-length entries (the snapshot table) through
// a 1 MiB window, so 65536 entries cost a few dozen system calls. Past the end
// of the file it reads zeros, as QEMU does, or with `strict` fails.
class TableWindow {
public:
    TableWindow(const HostFile& file, uint64_t base, uint64_t fileSize, bool strict)
        : file_(file), base_(base), fileSize_(fileSize), strict_(strict) {}

    Status read(uint64_t position, std::span<uint8_t> out) {
        if (out.empty()) return {};  // an empty span's data() may be null, which memcpy must not see
        uint64_t at = base_ + position;
        if (strict_ && (at > fileSize_ || out.size() > fileSize_ - at))
            return makeError("the snapshot table runs past the end of the file");
        if (out.size() > kWindow / 2) return file_.readZeroFilled(at, out);
        if (window_.empty() || at < start_ || at + out.size() > start_ + window_.size()) {
            window_.resize(kWindow);
            start_ = at;
            TESSERA_TRY(file_.readZeroFilled(start_, window_));
        }
        std::memcpy(out.data(), window_.data() + (at - start_), out.size());
        return {};
    }

private:
    static constexpr size_t kWindow = 1 << 20;
    const HostFile& file_;
    uint64_t base_, fileSize_;
    bool strict_;
    std::vector<uint8_t> window_;
    uint64_t start_ = 0;
};

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

    if (options.validation == OpenValidation::Describe && !options.readOnly)
        return makeError("'" + path_ + "': describing an image opens it read-only.");
    TESSERA_TRY(validateLayout(options.validation));

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

    const bool forCheck = options.validation == OpenValidation::Check;
    if (corrupt() && !options.readOnly && !forCheck)
        return makeError(
            "'" + path_ +
            "' is marked corrupt, so it can only be opened read-only. Run 'tessera-cli img check -r "
            "all " +
            path_ + "' to repair it.");

    if (options.openBacking && !backingName_.empty()) TESSERA_TRY(openBacking(options, chain));

    if (!options.readOnly && dirty() && !forCheck) TESSERA_TRY(repairDirtyImage());
    return {};
}

Status Qcow2Image::validateLayout(OpenValidation validation) {
    const bool full = validation == OpenValidation::Full;
    // What every mode checks, like QEMU even in check mode: sizes first, so
    // nothing below multiplies an absurd count, then the tables' alignment.
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
    const uint64_t l1Bytes = uint64_t(header_.l1Size) * 8;
    if (header_.l1TableOffset % clusterSize_ != 0 || header_.l1TableOffset > (1ull << 62))
        return corruptionError("the L1 table offset " + hex(header_.l1TableOffset) +
                               " is not cluster-aligned or beyond any file");
    const uint64_t reftableBytes = uint64_t(header_.refcountTableClusters) * clusterSize_;
    if (header_.refcountTableClusters == 0 && validation != OpenValidation::Check)
        return corruptionError("the image has no refcount table");
    if (reftableBytes > kMaxRefcountTableBytes)
        return corruptionError("the refcount table is larger than 8 MiB (" +
                               std::to_string(header_.refcountTableClusters) + " clusters)");
    if (header_.refcountTableOffset % clusterSize_ != 0 || header_.refcountTableOffset > (1ull << 62))
        return corruptionError("the refcount table offset " + hex(header_.refcountTableOffset) +
                               " is not cluster-aligned or beyond any file");
    auto inFile = [&](uint64_t offset, uint64_t length) {
        return offset <= fileSize_ && length <= fileSize_ - offset;
    };
    if (full) {
        if (header_.l1Size && header_.l1TableOffset == 0)
            return corruptionError("the L1 table overlaps the header");
        if (header_.l1Size && !inFile(header_.l1TableOffset, l1Bytes))
            return corruptionError("the L1 table (offset " + hex(header_.l1TableOffset) + ", " +
                                   std::to_string(l1Bytes) + " bytes) lies outside the file");
        if (header_.refcountTableOffset == 0)
            return corruptionError("the refcount table overlaps the header");
        if (!inFile(header_.refcountTableOffset, reftableBytes))
            return corruptionError("the refcount table lies outside the file");
    }

    // L1 and refcount table: past the end of the file they read as zeros (as
    // in QEMU), which only the lenient modes get to see.
    TESSERA_TRY(loadTable(header_.l1TableOffset, header_.l1Size, l1_));
    TESSERA_TRY(loadTable(header_.refcountTableOffset, reftableBytes / 8, refcountTable_));
    // Check mode leaves the snapshot table to the checker, which reports its
    // problems as corruptions instead of refusing the image (QEMU does the same).
    if (validation == OpenValidation::Check) return {};
    TESSERA_TRY(loadSnapshotTable(full));
    if (!full) return {};
    return validateTables(l1Bytes, reftableBytes);
}

// Reads `entries` big-endian u64 at `offset`; only the part inside the file
// is read, the rest is zeros.
Status Qcow2Image::loadTable(uint64_t offset, uint64_t entries, std::vector<uint64_t>& table) {
    table.assign(entries, 0);
    uint64_t inFile = offset < fileSize_ ? std::min(entries * 8, fileSize_ - offset) : 0;
    std::vector<uint8_t> raw(alignUp(inFile, 8));  // a cut last entry ends in zeros
    TESSERA_TRY(file_.readExact(offset, std::span(raw).first(inFile)));
    for (uint64_t i = 0; i < raw.size() / 8; ++i) table[i] = loadBE64(raw.data() + 8 * i);
    return {};
}

// The snapshot table with QEMU's limits (qcow2_read_snapshots): past the end
// of the file it reads zeros, as in QEMU, unless `strict` wants it inside.
// The snapshots' L1 tables are not read.
Result<SnapshotTable> Qcow2Image::readSnapshotTable(bool strict, SnapshotTableRepairs* repairs) const {
    if (header_.nbSnapshots > kMaxSnapshots)
        return corruptionError("the image claims " + std::to_string(header_.nbSnapshots) +
                               " snapshots (at most 65536)");
    if (header_.snapshotsOffset % clusterSize_ != 0 || header_.snapshotsOffset > (1ull << 62))
        return corruptionError("the snapshot table offset " + hex(header_.snapshotsOffset) +
                               " is not cluster-aligned or beyond any file");
    if (!header_.nbSnapshots) return SnapshotTable{};
    if (strict && header_.snapshotsOffset == 0)
        return corruptionError("the snapshot table overlaps the header");
    TableWindow window(file_, header_.snapshotsOffset, fileSize_, strict);
    auto table = decodeSnapshotTable(
        [&](uint64_t position, std::span<uint8_t> out) { return window.read(position, out); },
        header_.nbSnapshots, repairs);
    if (!table) return corruptionError(table.message());
    return table;
}

// Full mode also wants every snapshot's L1 table inside the file (unread).
Status Qcow2Image::loadSnapshotTable(bool strict) {
    auto table = readSnapshotTable(strict);
    if (!table) return table.error();
    snapshots_ = std::move(table->snapshots);
    snapshotTableBytes_ = table->byteLength;
    if (!strict) return {};
    for (const auto& s : snapshots_) {
        uint64_t bytes = uint64_t(s.l1Size) * 8;
        if (bytes > kMaxL1Bytes)
            return corruptionError("snapshot '" + s.name + "' has an L1 table larger than 32 MiB");
        if (!s.l1Size) continue;
        if (s.l1TableOffset % clusterSize_ != 0 || s.l1TableOffset == 0 ||
            !(s.l1TableOffset <= fileSize_ && bytes <= fileSize_ - s.l1TableOffset))
            return corruptionError("the L1 table of snapshot '" + s.name +
                                   "' is misaligned or outside the file");
        snapshotL1Ranges_.push_back({s.l1TableOffset, s.l1TableOffset + alignUp(bytes, clusterSize_)});
    }
    // Sorted and merged, for the overlap checks of the write path.
    std::sort(snapshotL1Ranges_.begin(), snapshotL1Ranges_.end());
    std::vector<std::pair<uint64_t, uint64_t>> merged;
    for (const auto& r : snapshotL1Ranges_) {
        if (!merged.empty() && r.first <= merged.back().second)
            merged.back().second = std::max(merged.back().second, r.second);
        else
            merged.push_back(r);
    }
    snapshotL1Ranges_ = std::move(merged);
    return {};
}

bool Qcow2Image::inSnapshotL1Table(uint64_t offset) const {
    auto it = std::upper_bound(snapshotL1Ranges_.begin(), snapshotL1Ranges_.end(),
                               std::pair<uint64_t, uint64_t>(offset, ~0ull));
    return it != snapshotL1Ranges_.begin() && offset < std::prev(it)->second;
}

// Full mode: the active tables point inside the file and no metadata overlaps
// (QEMU iotests 060 and 080). Messages are built only for the failure.
Status Qcow2Image::validateTables(uint64_t l1Bytes, uint64_t reftableBytes) {
    const std::vector<Range> fixed = {
        {0, clusterSize_, "the header"},
        {header_.l1TableOffset, alignUp(l1Bytes, clusterSize_), "the L1 table"},
        {header_.refcountTableOffset, reftableBytes, "the refcount table"},
        {header_.snapshotsOffset, alignUp(snapshotTableBytes_, clusterSize_), "the snapshot table"}};
    for (size_t i = 0; i < fixed.size(); ++i)
        for (size_t j = i + 1; j < fixed.size(); ++j)
            if (overlaps(fixed[i], fixed[j]))
                return corruptionError(std::string(fixed[i].what) + " overlaps " + fixed[j].what);
    // What is wrong with a table cluster at `offset` (empty: nothing).
    auto problem = [&](uint64_t offset) -> std::string {
        if (offset % clusterSize_ != 0) return "is not cluster-aligned";
        if (offset >= fileSize_ || clusterSize_ > fileSize_ - offset) return "lies outside the file";
        Range r{offset, clusterSize_, ""};
        for (const auto& f : fixed)
            if (overlaps(r, f)) return std::string("overlaps ") + f.what;
        if (inSnapshotL1Table(offset)) return "overlaps a snapshot's L1 table";
        return {};
    };
    for (uint64_t i = 0; i < refcountTable_.size(); ++i) {
        if (refcountTable_[i] & 511)
            return corruptionError("refcount table entry " + std::to_string(i) + " is not cluster-aligned");
        uint64_t offset = refcountTable_[i] & kL1OffsetMask;
        if (!offset) continue;
        if (std::string p = problem(offset); !p.empty())
            return corruptionError("refcount block " + std::to_string(i) + " at " + hex(offset) + " " + p);
        if (!metadataClusters_.insert(offset).second)
            return corruptionError("refcount block " + std::to_string(i) + " at " + hex(offset) +
                                   " overlaps another refcount block");
    }
    for (uint64_t i = 0; i < l1_.size(); ++i) {
        if (l1_[i] & kL1ReservedMask)
            return corruptionError("L1 entry " + std::to_string(i) + " has reserved bits set");
        uint64_t offset = l1EntryL2Offset(l1_[i]);
        if (!offset) continue;
        if (std::string p = problem(offset); !p.empty())
            return corruptionError("L2 table " + std::to_string(i) + " at " + hex(offset) + " " + p);
        if (metadataClusters_.count(offset))
            return corruptionError("L2 table " + std::to_string(i) + " at " + hex(offset) +
                                   " overlaps a refcount block or another L2 table");
        metadataClusters_.insert(offset);
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
    if (backingOptions.validation == OpenValidation::Check) backingOptions.validation = OpenValidation::Full;
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

}  // namespace tessera::block
