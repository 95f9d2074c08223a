// Consistency check and repair of qcow2 refcounts, with qemu-img's semantics
// (qemu/qemu: block/qcow2-refcount.c qcow2_check_refcounts): count every
// reference to each host cluster, compare with the on-disk refcounts, report
// leaks (refcount too high) and corruptions (refcount too low, COPIED flags,
// bad offsets), optionally fix them, then check again and report the result.
#include "core/block/qcow2_check.h"

#include <algorithm>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>

#include "core/block/big_endian.h"
#include "core/block/open_image.h"
#include "core/block/qcow2_image.h"

namespace tessera::block {

using namespace qcow2;

class Qcow2Checker {
public:
    explicit Qcow2Checker(Qcow2Image& image) : img_(image) {}
    Result<CheckResult> run(RepairMode mode);

private:
    Status pass(RepairMode mode, CheckResult& result);
    void addRef(uint64_t offset, uint64_t length, bool refcountStructure = false);
    Status walkL1(const std::vector<uint64_t>& l1, bool active);
    Status walkBitmaps();
    Status rebuildRefcounts();
    Status fixCopiedFlags(bool fix);
    void say(const char* format, ...) __attribute__((format(printf, 2, 3)));

    Qcow2Image& img_;
    CheckResult* r_ = nullptr;
    std::vector<uint64_t> refs_;              // references per host cluster
    std::vector<uint8_t> refcountStructure_;  // 1 = cluster belongs to the refcount table/blocks
    uint64_t maxClusters_ = 0;
    uint64_t nextContiguous_ = 0;
    bool structureBroken_ = false;
};

void Qcow2Checker::say(const char* format, ...) {
    char buf[512];
    va_list args;
    va_start(args, format);
    std::vsnprintf(buf, sizeof buf, format, args);
    va_end(args);
    // Long reports stay bounded; the counts carry the totals.
    if (r_->messages.size() < 10000) r_->messages.emplace_back(buf);
}

void Qcow2Checker::addRef(uint64_t offset, uint64_t length, bool refcountStructure) {
    if (!length) return;
    uint64_t first = offset >> img_.clusterBits_, last = (offset + length - 1) >> img_.clusterBits_;
    for (uint64_t c = first; c <= last; ++c) {
        if (c >= maxClusters_) {
            say("ERROR: cluster %" PRIu64 " is referenced but lies far beyond the end of the file", c);
            r_->corruptions++;
            return;
        }
        if (c >= refs_.size()) {
            refs_.resize(c + 1, 0);
            refcountStructure_.resize(c + 1, 0);
        }
        refs_[c]++;
        if (refcountStructure) refcountStructure_[c] = 1;
    }
}

Status Qcow2Checker::walkL1(const std::vector<uint64_t>& l1, bool active) {
    const uint64_t cs = img_.clusterSize_;
    const bool ext = img_.header_.extendedL2();
    std::vector<uint8_t> table(cs);
    for (uint64_t i = 0; i < l1.size(); ++i) {
        uint64_t l2Offset = l1EntryL2Offset(l1[i]);
        if (!l2Offset) continue;
        if (l2Offset % cs) {
            say("ERROR l2_offset=%" PRIx64 ": Table is not cluster aligned; L1 entry corrupted", l2Offset);
            r_->corruptions++;
            continue;
        }
        if (l2Offset >= img_.fileSize_) {
            say("ERROR l2_offset=%" PRIx64 ": L2 table lies outside the file; L1 entry corrupted", l2Offset);
            r_->corruptions++;
            continue;
        }
        addRef(l2Offset, cs);
        TESSERA_TRY(img_.file_.readZeroFilled(l2Offset, table));
        for (uint64_t j = 0; j < img_.l2Entries_; ++j) {
            uint64_t entry = loadBE64(table.data() + j * img_.header_.l2EntryBytes());
            L2Mapping m = decodeL2Entry(entry, img_.clusterBits_, ext);
            switch (m.kind) {
                case ClusterKind::Compressed: {
                    if (entry & kOflagCopied) {
                        say("ERROR: coffset=0x%" PRIx64 ": Compressed cluster has the COPIED flag set",
                            m.hostOffset);
                        r_->corruptions++;
                    }
                    HostRange range = compressedHostRange(entry, img_.clusterBits_);
                    if (active) {
                        r_->allocatedClusters++;
                        r_->compressedClusters++;
                        r_->fragmentedClusters++;
                    }
                    addRef(range.offset, range.length);
                    break;
                }
                case ClusterKind::Normal:
                case ClusterKind::ZeroAllocated: {
                    if (m.hostOffset % cs || (entry & 0x1fe & ~kOflagZero)) {
                        say("ERROR offset=%" PRIx64 ": Cluster is not properly aligned; L2 entry corrupted",
                            m.hostOffset);
                        r_->corruptions++;
                        break;
                    }
                    if (active) {
                        r_->allocatedClusters++;
                        if (nextContiguous_ && m.hostOffset != nextContiguous_) r_->fragmentedClusters++;
                        nextContiguous_ = m.hostOffset + cs;
                    }
                    addRef(m.hostOffset, cs);
                    break;
                }
                case ClusterKind::ZeroPlain:
                case ClusterKind::Unallocated:
                    break;
            }
        }
    }
    return {};
}

// Persistent dirty bitmaps (qcow2.txt "Bitmaps extension") own clusters too.
// Like QEMU, they count only while the autoclear bit says they are valid.
Status Qcow2Checker::walkBitmaps() {
    Qcow2Image& im = img_;
    if (!(im.header_.autoclearFeatures & kAutoclearBitmaps)) return {};
    for (const auto& ext : im.extensions_) {
        if (ext.type != kExtBitmaps || ext.data.size() < 24) continue;
        uint32_t count = loadBE32(ext.data.data());
        uint64_t dirSize = loadBE64(ext.data.data() + 8), dirOffset = loadBE64(ext.data.data() + 16);
        if (dirOffset % im.clusterSize_ || dirSize > (64u << 20) || dirOffset > im.fileSize_ ||
            dirSize > im.fileSize_ - dirOffset) {
            say("ERROR bitmap directory at 0x%" PRIx64 " is invalid", dirOffset);
            r_->corruptions++;
            return {};
        }
        addRef(dirOffset, dirSize);
        std::vector<uint8_t> dir(dirSize);
        TESSERA_TRY(im.file_.readExact(dirOffset, dir));
        uint64_t pos = 0;
        for (uint32_t i = 0; i < count && pos + 24 <= dir.size(); ++i) {
            const uint8_t* e = dir.data() + pos;
            uint64_t tableOffset = loadBE64(e);
            uint64_t tableEntries = loadBE32(e + 8);
            uint64_t entryLength = 24ull + loadBE32(e + 20) + loadBE16(e + 18);
            pos += alignUp(entryLength, 8);
            if (tableOffset % im.clusterSize_ || tableOffset > im.fileSize_ ||
                tableEntries * 8 > im.fileSize_ - tableOffset) {
                say("ERROR bitmap table at 0x%" PRIx64 " is invalid", tableOffset);
                r_->corruptions++;
                continue;
            }
            addRef(tableOffset, tableEntries * 8);
            std::vector<uint8_t> table(tableEntries * 8);
            TESSERA_TRY(im.file_.readExact(tableOffset, table));
            for (uint64_t j = 0; j < tableEntries; ++j) {
                uint64_t offset = loadBE64(table.data() + 8 * j) & kL1OffsetMask;
                if (offset) addRef(offset, im.clusterSize_);
            }
        }
    }
    return {};
}

Status Qcow2Checker::pass(RepairMode mode, CheckResult& result) {
    r_ = &result;
    Qcow2Image& im = img_;
    const uint64_t cs = im.clusterSize_;
    auto fileSize = im.file_.size();
    if (!fileSize) return fileSize.error();
    im.fileSize_ = std::max(im.fileSize_, *fileSize);
    uint64_t fileClusters = divRoundUp(im.fileSize_, cs);
    uint64_t covered = im.refcountTable_.size() * im.header_.refcountBlockEntries();
    maxClusters_ = std::max<uint64_t>(fileClusters + 1, std::min<uint64_t>(covered, fileClusters * 2 + 1024));
    refs_.assign(fileClusters, 0);
    refcountStructure_.assign(fileClusters, 0);
    nextContiguous_ = 0;
    structureBroken_ = false;
    result.totalClusters = divRoundUp(im.header_.size, cs);

    // Header cluster (with extensions and the backing name), L1 tables, L2 and data.
    addRef(0, cs);
    addRef(im.header_.l1TableOffset, uint64_t(im.header_.l1Size) * 8);
    TESSERA_TRY(walkL1(im.l1_, true));
    for (const auto& s : im.snapshots_) {
        std::vector<uint64_t> l1(s.l1Size);
        std::vector<uint8_t> raw(uint64_t(s.l1Size) * 8);
        TESSERA_TRY(im.file_.readExact(s.l1TableOffset, raw));
        for (uint64_t i = 0; i < l1.size(); ++i) l1[i] = loadBE64(raw.data() + 8 * i);
        addRef(s.l1TableOffset, raw.size());
        TESSERA_TRY(walkL1(l1, false));
    }
    if (im.header_.nbSnapshots) addRef(im.header_.snapshotsOffset, im.snapshotTableBytes_);
    TESSERA_TRY(walkBitmaps());
    // Refcount table and blocks.
    addRef(im.header_.refcountTableOffset, uint64_t(im.header_.refcountTableClusters) * cs, true);
    for (uint64_t i = 0; i < im.refcountTable_.size(); ++i) {
        uint64_t offset = im.refcountTable_[i] & kL1OffsetMask;
        if (!im.refcountTable_[i]) continue;
        if ((im.refcountTable_[i] & 511) || offset >= im.fileSize_) {
            say("ERROR refcount block %" PRIu64
                " is not cluster aligned or outside the file; refcount table entry corrupted",
                i);
            result.corruptions++;
            structureBroken_ = true;
            continue;
        }
        addRef(offset, cs, true);
    }

    // Compare with the on-disk refcounts.
    uint64_t limit = std::max<uint64_t>(refs_.size(), std::min(covered, fileClusters));
    uint64_t highest = 0;
    uint64_t refcountErrors = 0;
    for (uint64_t c = 0; c < limit; ++c) {
        uint64_t reference = c < refs_.size() ? refs_[c] : 0;
        uint64_t refcount = 0;
        if (!structureBroken_) {
            auto rc = im.refcountOf(c);
            if (!rc) {
                structureBroken_ = true;
                result.checkErrors++;
            } else {
                refcount = *rc;
            }
        }
        if (reference || refcount) highest = c;
        if (refcount == reference) continue;
        if (refcount > reference) {
            say("%s cluster %" PRIu64 " refcount=%" PRIu64 " reference=%" PRIu64,
                mode != RepairMode::None ? "Repairing" : "Leaked", c, refcount, reference);
            if (mode != RepairMode::None) {
                TESSERA_TRY(im.setRefcount(c, reference));
                result.leaksFixed++;
            } else {
                result.leaks++;
            }
        } else {
            say("ERROR cluster %" PRIu64 " refcount=%" PRIu64 " reference=%" PRIu64, c, refcount, reference);
            result.corruptions++;
            refcountErrors++;
            if (reference > maxRefcount(im.header_.refcountOrder)) structureBroken_ = true;
        }
    }
    result.imageEndOffset = (highest + 1) * cs;
    if (mode == RepairMode::All && (refcountErrors || structureBroken_)) {
        TESSERA_TRY(rebuildRefcounts());
        result.corruptionsFixed += refcountErrors;
        result.rebuiltRefcounts = true;
    }
    if (mode != RepairMode::None) TESSERA_TRY(im.flushLocked());
    return fixCopiedFlags(mode == RepairMode::All);
}

// COPIED must be set exactly when the refcount is 1 (active L1 and its L2s only).
Status Qcow2Checker::fixCopiedFlags(bool fix) {
    Qcow2Image& im = img_;
    const bool ext = im.header_.extendedL2();
    for (uint64_t i = 0; i < im.l1_.size(); ++i) {
        uint64_t l2Offset = l1EntryL2Offset(im.l1_[i]);
        if (!l2Offset || l2Offset % im.clusterSize_ || l2Offset >= im.fileSize_) continue;
        auto rc = im.refcountOf(l2Offset >> im.clusterBits_);
        if (!rc) return rc.error();
        bool copied = im.l1_[i] & kOflagCopied;
        if ((*rc == 1) != copied) {
            say("%s OFLAG_COPIED L2 cluster: l1_index=%" PRIu64 " l1_entry=%" PRIx64 " refcount=%" PRIu64,
                fix ? "Repairing" : "ERROR", i, im.l1_[i], *rc);
            if (fix) {
                im.l1_[i] = *rc == 1 ? im.l1_[i] | kOflagCopied : im.l1_[i] & ~kOflagCopied;
                im.l1Dirty_ = true;
                r_->corruptionsFixed++;
            } else {
                r_->corruptions++;
            }
        }
        auto table = im.loadL2(l2Offset);
        if (!table) return table.error();
        for (uint64_t j = 0; j < im.l2Entries_; ++j) {
            uint8_t* p = (*table)->bytes.data() + j * im.header_.l2EntryBytes();
            uint64_t entry = loadBE64(p);
            L2Mapping m = decodeL2Entry(entry, im.clusterBits_, ext);
            if (m.kind != ClusterKind::Normal && m.kind != ClusterKind::ZeroAllocated) continue;
            if (m.hostOffset % im.clusterSize_) continue;
            auto drc = im.refcountOf(m.hostOffset >> im.clusterBits_);
            if (!drc) return drc.error();
            if ((*drc == 1) != m.copied) {
                say("%s OFLAG_COPIED data cluster: l2_entry=%" PRIx64 " refcount=%" PRIu64,
                    fix ? "Repairing" : "ERROR", entry, *drc);
                if (fix) {
                    storeBE64(p, *drc == 1 ? entry | kOflagCopied : entry & ~kOflagCopied);
                    (*table)->dirty = true;
                    r_->corruptionsFixed++;
                } else {
                    r_->corruptions++;
                }
            }
        }
    }
    if (fix) TESSERA_TRY(im.flushLocked());
    return {};
}

// -r all with refcounts lower than the references: write a complete new
// refcount structure after the end of the file, then switch the header to it
// (the old one stays intact until the switch, so a crash loses nothing).
Status Qcow2Checker::rebuildRefcounts() {
    Qcow2Image& im = img_;
    const uint64_t cs = im.clusterSize_;
    const uint64_t perBlock = im.header_.refcountBlockEntries();
    std::vector<uint64_t> counts(refs_.size());
    for (size_t c = 0; c < refs_.size(); ++c) counts[c] = refcountStructure_[c] ? refs_[c] - 1 : refs_[c];
    for (uint64_t v : counts)
        if (v > maxRefcount(im.header_.refcountOrder))
            return makeError("Cannot repair '" + im.path_ +
                             "': a cluster has more references than its refcount width can hold.");
    uint64_t start = std::max<uint64_t>(counts.size(), divRoundUp(im.fileSize_, cs));
    uint64_t tableClusters = 1, blocks = 1;
    for (int i = 0; i < 16; ++i) {
        uint64_t total = start + tableClusters + blocks;
        blocks = divRoundUp(total, perBlock);
        tableClusters = std::max<uint64_t>(1, divRoundUp(blocks * 8, cs));
    }
    if (tableClusters * cs > kMaxRefcountTableBytes)
        return makeError("Cannot repair: the refcount table would exceed 8 MiB.");
    uint64_t tableOffset = start * cs, blocksOffset = (start + tableClusters) * cs;
    counts.resize(start + tableClusters + blocks, 0);
    for (uint64_t c = start; c < counts.size(); ++c) counts[c] = 1;
    std::vector<uint8_t> blockBytes(blocks * cs, 0);
    for (uint64_t c = 0; c < counts.size(); ++c)
        if (counts[c]) writeRefcount(blockBytes, c, im.header_.refcountOrder, counts[c]);
    std::vector<uint8_t> table(tableClusters * cs, 0);
    for (uint64_t b = 0; b < blocks; ++b) storeBE64(table.data() + 8 * b, blocksOffset + b * cs);
    TESSERA_TRY(im.file_.write(blocksOffset, blockBytes));
    TESSERA_TRY(im.file_.write(tableOffset, table));
    TESSERA_TRY(im.file_.sync());
    im.header_.refcountTableOffset = tableOffset;
    im.header_.refcountTableClusters = uint32_t(tableClusters);
    TESSERA_TRY(im.writeHeader());
    TESSERA_TRY(im.file_.sync());
    for (uint64_t e : im.refcountTable_) im.metadataClusters_.erase(e & kL1OffsetMask);
    im.refcountTable_.assign(tableClusters * cs / 8, 0);
    for (uint64_t b = 0; b < blocks; ++b) {
        im.refcountTable_[b] = blocksOffset + b * cs;
        im.metadataClusters_.insert(blocksOffset + b * cs);
    }
    im.refblockCache_.clear();
    im.fileSize_ = std::max(im.fileSize_, counts.size() * cs);
    im.freeSearchCluster_ = 1;
    say("The refcount structure was rebuilt.");
    return {};
}

Result<CheckResult> Qcow2Checker::run(RepairMode mode) {
    std::lock_guard lock(img_.mutex_);
    CheckResult first;
    first.format = "qcow2";
    TESSERA_TRY(pass(mode, first));
    if (mode == RepairMode::None) return first;
    // Like qemu-img: report the state after the repair, by checking again.
    CheckResult second;
    second.format = "qcow2";
    TESSERA_TRY(pass(RepairMode::None, second));
    second.leaksFixed = first.leaksFixed;
    second.corruptionsFixed = first.corruptionsFixed;
    second.rebuiltRefcounts = first.rebuiltRefcounts;
    second.messages.insert(second.messages.begin(), first.messages.begin(), first.messages.end());
    // The repair (or a clean image) ends the need for the corrupt/dirty marks.
    if (mode == RepairMode::All && second.corruptions == 0) {
        img_.header_.incompatibleFeatures &= ~(kIncompatCorrupt | kIncompatDirty);
        TESSERA_TRY(img_.writeHeader());
        TESSERA_TRY(img_.file_.sync());
    }
    return second;
}

Status Qcow2Image::repairDirtyImage() {
    Qcow2Checker checker(*this);
    auto result = checker.run(RepairMode::All);
    if (!result)
        return makeError("Could not repair the refcounts of dirty image '" + path_ +
                         "': " + result.message());
    if (result->corruptions)
        return makeError("'" + path_ + "' is dirty and its refcounts could not be repaired.");
    return {};
}

Result<CheckResult> checkImage(const std::string& path, RepairMode repair,
                               std::optional<ImageFormat> format) {
    if (!format) {
        auto probed = probeImageFormat(path);
        if (!probed) return probed.error();
        format = *probed;
    }
    if (*format == ImageFormat::Raw) {
        CheckResult result;
        result.format = "raw";
        result.formatSupportsCheck = false;
        return result;
    }
    OpenOptions options;
    options.readOnly = repair == RepairMode::None;
    options.openBacking = false;
    options.forRepair = true;
    auto image = Qcow2Image::open(path, options);
    if (!image) return image.error();
    Qcow2Checker checker(**image);
    auto result = checker.run(repair);
    if (!result) return result;
    if (repair != RepairMode::None) {
        // Keep the (now consistent) dirty state cleared by run(); close flushes.
        Status closed = (*image)->close();
        if (!closed) return closed.error();
    }
    return result;
}

}  // namespace tessera::block
