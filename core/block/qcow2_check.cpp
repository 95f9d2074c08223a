// `img check`, part 2: compare the references counted by
// qcow2_check_references.cpp with the on-disk refcounts, check the COPIED
// flags and repair, following QEMU 7.2's qcow2_check_refcounts() step by step
// (block/qcow2-refcount.c): leaks (refcount too high), corruptions (too low,
// bad COPIED flags, bad offsets), a rebuild of the whole refcount structure
// when a referenced cluster has refcount 0 or a refcount block is broken, and
// a second pass that reports the state after the repair, as qemu-img does.
#include "core/block/qcow2_check.h"

#include <algorithm>
#include <cinttypes>
#include <cstdarg>
#include <cstdio>

#include "core/block/big_endian.h"
#include "core/block/open_image.h"
#include "core/block/qcow2_checker.h"

namespace tessera::block {

using namespace qcow2;

namespace {

// The numbers a repair saves and restores around a recount (QEMU copies its
// whole BdrvCheckResult; the messages stay).
struct Counts {
    uint64_t corruptions, leaks, checkErrors, corruptionsFixed, leaksFixed;
};
Counts countsOf(const CheckResult& r) {
    return {r.corruptions, r.leaks, r.checkErrors, r.corruptionsFixed, r.leaksFixed};
}
void setCounts(CheckResult& r, const Counts& c) {
    r.corruptions = c.corruptions;
    r.leaks = c.leaks;
    r.checkErrors = c.checkErrors;
    r.corruptionsFixed = c.corruptionsFixed;
    r.leaksFixed = c.leaksFixed;
}

}  // namespace

void Qcow2Checker::say(const char* format, ...) {
    char buf[512];
    va_list args;
    va_start(args, format);
    std::vsnprintf(buf, sizeof buf, format, args);
    va_end(args);
    // Long reports stay bounded; the counts carry the totals.
    if (r_->messages.size() < 10000)
        r_->messages.emplace_back(buf);
    else if (r_->messages.size() == 10000)
        r_->messages.emplace_back("(further messages are not shown)");
}

Result<CheckResult> Qcow2Checker::run(RepairMode mode) {
    std::lock_guard lock(img_.mutex_);
    CheckResult first;
    first.format = "qcow2";
    TESSERA_TRY(pass(mode, first));
    // Like QEMU: a repair that leaves no error ends the need for the dirty and corrupt marks.
    if (mode != RepairMode::None && !first.checkErrors && !first.corruptions &&
        (img_.header_.incompatibleFeatures & (kIncompatCorrupt | kIncompatDirty))) {
        img_.header_.incompatibleFeatures &= ~(kIncompatCorrupt | kIncompatDirty);
        TESSERA_TRY(img_.writeHeader());
        TESSERA_TRY(img_.file_.sync());
    }
    if (mode == RepairMode::None || !(first.corruptionsFixed || first.leaksFixed)) return first;
    // Like qemu-img: report the state after the repair, by checking again.
    CheckResult second;
    second.format = "qcow2";
    TESSERA_TRY(pass(RepairMode::None, second));
    second.leaksFixed = first.leaksFixed;
    second.corruptionsFixed = first.corruptionsFixed;
    second.rebuiltRefcounts = first.rebuiltRefcounts;
    second.messages.insert(second.messages.begin(), first.messages.begin(), first.messages.end());
    return second;
}

// QEMU's qcow2_co_check_locked: the snapshot table, then the refcounts.
Status Qcow2Checker::pass(RepairMode mode, CheckResult& result) {
    r_ = &result;
    auto size = img_.file_.size();
    if (!size) return size.error();
    fileSize_ = *size;
    img_.fileSize_ = std::max(img_.fileSize_, fileSize_);
    result.totalClusters = divRoundUp(img_.header_.size / 512 * 512, img_.clusterSize_);
    uint64_t snapshotCorruptions = 0;
    TESSERA_TRY(readSnapshotTable(mode == RepairMode::All, snapshotCorruptions));
    TESSERA_TRY(checkRefcounts(mode));
    if (snapshotCorruptions && mode == RepairMode::All) {
        TESSERA_TRY(rewriteSnapshotTable());
        result.corruptionsFixed += snapshotCorruptions;
        snapshotCorruptions = 0;
    }
    result.corruptions += snapshotCorruptions;
    return {};
}

// QEMU's qcow2_check_fix_snapshot_table: the table is written anew (each v3
// entry with its 16 bytes of extra data) into newly allocated clusters, the
// header switched to it, then the old table's clusters are released.
Status Qcow2Checker::rewriteSnapshotTable() {
    Qcow2Image& im = img_;
    const uint64_t cs = im.clusterSize_;
    for (Snapshot& s : snapshots_)
        if (s.extraData.size() < 16 && !s.diskSize) s.diskSize = im.header_.size;
    std::vector<uint8_t> bytes = encodeSnapshotTable(snapshots_);
    auto offset = im.allocateClusters(divRoundUp(bytes.size(), cs));
    if (!offset) return offset.error();
    TESSERA_TRY(im.file_.write(*offset, bytes));
    TESSERA_TRY(im.flushLocked());  // the new table's refcounts, before the header points at it
    TESSERA_TRY(im.file_.sync());
    const uint64_t oldOffset = im.header_.snapshotsOffset, oldBytes = snapshotTableBytes_;
    im.header_.snapshotsOffset = *offset;
    TESSERA_TRY(im.writeHeader());
    TESSERA_TRY(im.file_.sync());
    im.snapshotTableBytes_ = bytes.size();
    // Only an old table that was counted (not past the end of the file) holds references.
    if (countable(oldOffset, oldBytes)) {
        im.deferFree(oldOffset, oldBytes);
        TESSERA_TRY(im.flushLocked());
    }
    return {};
}

// QEMU's qcow2_check_refcounts.
Status Qcow2Checker::checkRefcounts(RepairMode mode) {
    const bool fixLeaks = mode != RepairMode::None, fixErrors = mode == RepairMode::All;
    rebuild_ = false;
    TESSERA_TRY(calculateReferences(fixErrors));
    const Counts beforeComparison = countsOf(*r_);
    uint64_t highest = 0;
    TESSERA_TRY(compareRefcounts(RepairMode::None, highest));
    if (rebuild_ && fixErrors) {
        const Counts old = countsOf(*r_);
        say("Rebuilding refcount structure");
        TESSERA_TRY(rebuildRefcounts());
        r_->rebuiltRefcounts = true;
        r_->corruptions = r_->leaks = 0;
        rebuild_ = false;
        TESSERA_TRY(calculateReferences(false));
        // Leaks the rebuild itself left behind are repaired at once and only
        // reported if that fails.
        const Counts recounted = countsOf(*r_);
        setCounts(*r_, {});
        TESSERA_TRY(compareRefcounts(RepairMode::Leaks, highest));
        if (rebuild_) say("ERROR rebuilt refcount structure is still broken");
        const uint64_t freshLeaks = r_->leaks;
        setCounts(*r_, recounted);
        if (r_->corruptions < old.corruptions) r_->corruptionsFixed += old.corruptions - r_->corruptions;
        if (r_->leaks < old.leaks) r_->leaksFixed += old.leaks - r_->leaks;
        r_->leaks += freshLeaks;
    } else if (fixLeaks) {
        if (rebuild_) {
            say("ERROR need to rebuild refcount structures");
            r_->checkErrors++;
            return makeError(
                "Cannot repair '" + img_.path_ +
                "' with -r leaks: a referenced cluster has refcount 0, so its refcount structure "
                "must be rebuilt. Run 'tessera-cli img check -r all " +
                img_.path_ + "'.");
        }
        if (r_->leaks || r_->corruptions) {
            setCounts(*r_, beforeComparison);
            TESSERA_TRY(compareRefcounts(mode, highest));
        }
    }
    if (fixLeaks) {
        TESSERA_TRY(img_.flushLocked());
        refblocks_.clear();
    }
    TESSERA_TRY(checkCopiedFlags(fixErrors));
    r_->imageEndOffset = (highest + 1) * img_.clusterSize_;
    return {};
}

// An on-disk refcount block, as QEMU's refcount cache reads it (zeros past
// the end of the file). Misaligned or unreadable offsets are errors.
Result<std::span<const uint8_t>> Qcow2Checker::refblock(uint64_t offset) {
    const uint64_t cs = img_.clusterSize_;
    if (offset % cs) return makeError("refcount block offset " + hex(offset) + " is not cluster aligned");
    if (offset > kMaxIoOffset - cs)
        return makeError("refcount block offset " + hex(offset) + " is unreadable");
    auto it = refblocks_.find(offset);
    if (it != refblocks_.end()) return std::span<const uint8_t>(it->second);
    if (refblocks_.size() * cs >= (64u << 20)) refblocks_.clear();  // bounded: a cache, not a copy
    std::vector<uint8_t> bytes(cs);
    TESSERA_TRY(img_.file_.readZeroFilled(offset, bytes));
    return std::span<const uint8_t>(refblocks_.emplace(offset, std::move(bytes)).first->second);
}

// QEMU's qcow2_get_refcount.
Result<uint64_t> Qcow2Checker::onDiskRefcount(uint64_t cluster) {
    const uint64_t perBlock = img_.header_.refcountBlockEntries();
    uint64_t index = cluster / perBlock;
    if (index >= img_.refcountTable_.size()) return uint64_t(0);
    uint64_t offset = img_.refcountTable_[index] & kReftableOffsetMask;
    if (!offset) return uint64_t(0);
    auto block = refblock(offset);
    if (!block) return block.error();
    return readRefcount(*block, cluster % perBlock, img_.header_.refcountOrder);
}

// QEMU's compare_refcounts over [0, nb_clusters), visiting only clusters with
// a non-zero refcount or reference: the work follows the refcount blocks that
// exist, not the file's apparent size.
Status Qcow2Checker::compareRefcounts(RepairMode fix, uint64_t& highest) {
    Qcow2Image& im = img_;
    const uint64_t perBlock = im.header_.refcountBlockEntries();
    const uint32_t order = im.header_.refcountOrder;
    const uint64_t nb = tally_->size();
    highest = 0;
    refblocks_.clear();
    auto referencesOnly = [&](uint64_t begin, uint64_t end) {
        tally_->forEachNonZero(begin, end, [&](uint64_t c, uint64_t reference) {
            compareCluster(c, 0, reference, RepairMode::None, highest);  // refcount 0: only a rebuild helps
        });
    };
    for (uint64_t index = 0; index * perBlock < nb; ++index) {
        uint64_t begin = index * perBlock, end = std::min(nb, begin + perBlock);
        if (index >= im.refcountTable_.size()) {
            referencesOnly(begin, nb);
            break;
        }
        uint64_t offset = im.refcountTable_[index] & kReftableOffsetMask;
        if (!offset) {
            referencesOnly(begin, end);
            continue;
        }
        auto block = refblock(offset);
        if (!block) {
            r_->checkErrors += end - begin;
            say("Can't get refcount for clusters %" PRIu64 " to %" PRIu64 ": %s", begin, end - 1,
                block.message().c_str());
            continue;
        }
        std::vector<uint8_t> bytes(block->begin(), block->end());  // repairs below may evict the cache
        for (uint64_t c = begin; c < end; ++c)
            if (uint64_t refcount = readRefcount(bytes, c - begin, order))
                compareCluster(c, refcount, tally_->get(c), fix, highest);
        tally_->forEachNonZero(begin, end, [&](uint64_t c, uint64_t reference) {
            if (!readRefcount(bytes, c - begin, order)) compareCluster(c, 0, reference, fix, highest);
        });
        if (fix != RepairMode::None) TESSERA_TRY(im.trimCaches());
    }
    return {};
}

void Qcow2Checker::compareCluster(uint64_t cluster, uint64_t refcount, uint64_t reference, RepairMode fix,
                                  uint64_t& highest) {
    if (refcount || reference) highest = std::max(highest, cluster);
    if (refcount == reference) return;
    bool repair = false;
    if (refcount == 0)
        rebuild_ = true;
    else if (refcount > reference)
        repair = fix != RepairMode::None;
    else
        repair = fix == RepairMode::All;
    say("%s cluster %" PRIu64 " refcount=%" PRIu64 " reference=%" PRIu64,
        repair                 ? "Repairing"
        : refcount < reference ? "ERROR"
                               : "Leaked",
        cluster, refcount, reference);
    if (repair && img_.setRefcount(cluster, reference).ok()) {
        (refcount > reference ? r_->leaksFixed : r_->corruptionsFixed)++;
        return;
    }
    (refcount < reference ? r_->corruptions : r_->leaks)++;
}

// QEMU's check_oflag_copied: COPIED must be set exactly when the refcount is
// 1, for the active L1 table and its L2 tables. Each distinct L2 table is
// read once, however many L1 entries point at it.
Status Qcow2Checker::checkCopiedFlags(bool fix) {
    Qcow2Image& im = img_;
    const uint64_t cs = im.clusterSize_;
    const bool ext = im.header_.extendedL2();
    std::vector<uint64_t> tables;  // L2 offsets inside the file, once per L1 entry
    for (uint64_t i = 0; i < im.l1_.size(); ++i) {
        uint64_t entry = im.l1_[i];
        uint64_t l2Offset = entry & kL1OffsetMask;
        if (!l2Offset) continue;
        auto refcount = onDiskRefcount(l2Offset >> im.clusterBits_);
        if (!refcount) continue;  // already reported by the comparison
        if ((*refcount == 1) != bool(entry & kOflagCopied)) {
            say("%s OFLAG_COPIED L2 cluster: l1_index=%" PRIu64 " l1_entry=%" PRIx64 " refcount=%" PRIu64,
                fix ? "Repairing" : "ERROR", i, entry, *refcount);
            if (fix) {
                im.l1_[i] = *refcount == 1 ? entry | kOflagCopied : entry & ~kOflagCopied;
                im.l1Dirty_ = true;
                r_->corruptionsFixed++;
            } else {
                r_->corruptions++;
            }
        }
        if (l2Offset < fileSize_) tables.push_back(l2Offset);  // past the end: zeros, no data clusters
    }
    std::sort(tables.begin(), tables.end());
    misalignedTableBytes_ = 0;  // the same budget again (these tables are a subset of those walked)
    std::vector<uint8_t> table(cs);
    for (size_t next = 0; next < tables.size();) {
        const uint64_t l2Offset = tables[next];
        uint64_t times = 0;
        for (; next < tables.size() && tables[next] == l2Offset; ++next) ++times;
        if (!mayWalk(l2Offset)) continue;
        TESSERA_TRY(im.file_.readZeroFilled(l2Offset, table));
        const bool writable = fix && l2Offset % cs == 0;
        bool dirty = false;
        for (uint64_t j = 0; j < im.l2Entries_; ++j) {
            uint8_t* p = table.data() + j * im.header_.l2EntryBytes();
            uint64_t entry = loadBE64(p);
            QemuClusterType type = qemuClusterType(entry, ext);
            if (type != QemuClusterType::Normal && type != QemuClusterType::ZeroAllocated) continue;
            auto refcount = onDiskRefcount((entry & kL2OffsetMask) >> im.clusterBits_);
            if (!refcount) continue;
            if ((*refcount == 1) == bool(entry & kOflagCopied)) continue;
            say("%s OFLAG_COPIED data cluster: l2_entry=%" PRIx64 " refcount=%" PRIu64,
                writable ? "Repairing" : "ERROR", entry, *refcount);
            if (writable) {
                storeBE64(p, *refcount == 1 ? entry | kOflagCopied : entry & ~kOflagCopied);
                dirty = true;
                r_->corruptionsFixed++;  // the other L1 entries then see the repaired table
            } else {
                r_->corruptions += times;
            }
        }
        if (dirty) {
            TESSERA_TRY(im.file_.write(l2Offset, table));
            im.l2Cache_.erase(l2Offset);
        }
    }
    if (fix) TESSERA_TRY(im.flushLocked());
    return {};
}

// -r all when the refcounts cannot be fixed in place: write a complete new
// refcount structure after the end of the file, then switch the header to it
// (the old one stays intact until the switch, so a crash loses nothing).
// Only refcount blocks that hold a non-zero count are written.
Status Qcow2Checker::rebuildRefcounts() {
    Qcow2Image& im = img_;
    const uint64_t cs = im.clusterSize_;
    const uint64_t perBlock = im.header_.refcountBlockEntries();
    const uint32_t order = im.header_.refcountOrder;
    // The old refcount structure is dropped, so its own reference goes.
    auto countOf = [&](uint64_t cluster, uint64_t references) {
        return refcountStructure_.count(cluster) ? references - 1 : references;
    };
    std::vector<uint64_t> dataBlocks;  // refcount block indices the counts need
    tally_->forEachNonZero(0, tally_->size(), [&](uint64_t c, uint64_t references) {
        if (countOf(c, references) && (dataBlocks.empty() || dataBlocks.back() != c / perBlock))
            dataBlocks.push_back(c / perBlock);
    });
    // The new table and blocks go after everything and count themselves.
    const uint64_t start = std::max(tally_->size(), divRoundUp(im.fileSize_, cs));
    uint64_t tableClusters = 1;
    std::vector<uint64_t> blocks;
    for (int round = 0; round < 64; ++round) {
        blocks = dataBlocks;
        uint64_t regionEnd = start + tableClusters + blocks.size();
        // The region needs blocks too, which lengthen it: iterate to the fixed point.
        for (int grow = 0; grow < 64; ++grow) {
            std::vector<uint64_t> all = dataBlocks;
            for (uint64_t b = start / perBlock; b <= (regionEnd - 1) / perBlock; ++b) all.push_back(b);
            std::sort(all.begin(), all.end());
            all.erase(std::unique(all.begin(), all.end()), all.end());
            blocks = std::move(all);
            uint64_t newEnd = start + tableClusters + blocks.size();
            if (newEnd == regionEnd) break;
            regionEnd = newEnd;
        }
        uint64_t needed = std::max<uint64_t>(1, divRoundUp((blocks.back() + 1) * 8, cs));
        if (needed <= tableClusters) break;
        tableClusters = needed;
    }
    if (tableClusters * cs > kMaxRefcountTableBytes)
        return makeError("Cannot repair '" + im.path_ + "': its refcount table would exceed 8 MiB.");
    const uint64_t tableOffset = start * cs, blocksStart = start + tableClusters;
    const uint64_t regionEnd = blocksStart + blocks.size();

    std::vector<uint8_t> table(tableClusters * cs, 0);
    std::vector<uint8_t> block(cs);
    for (size_t k = 0; k < blocks.size(); ++k) {
        uint64_t first = blocks[k] * perBlock, end = first + perBlock;
        std::fill(block.begin(), block.end(), 0);
        tally_->forEachNonZero(first, end, [&](uint64_t c, uint64_t references) {
            writeRefcount(block, c - first, order, countOf(c, references));
        });
        for (uint64_t c = std::max(first, start); c < std::min(end, regionEnd); ++c)
            writeRefcount(block, c - first, order, 1);
        TESSERA_TRY(im.file_.write((blocksStart + k) * cs, block));
        storeBE64(table.data() + 8 * blocks[k], (blocksStart + k) * cs);
    }
    TESSERA_TRY(im.file_.write(tableOffset, table));
    TESSERA_TRY(im.file_.sync());
    im.header_.refcountTableOffset = tableOffset;
    im.header_.refcountTableClusters = uint32_t(tableClusters);
    TESSERA_TRY(im.writeHeader());
    TESSERA_TRY(im.file_.sync());

    for (uint64_t e : im.refcountTable_) im.metadataClusters_.erase(e & kL1OffsetMask);
    im.refcountTable_.assign(tableClusters * cs / 8, 0);
    for (size_t k = 0; k < blocks.size(); ++k) {
        im.refcountTable_[blocks[k]] = (blocksStart + k) * cs;
        im.metadataClusters_.insert((blocksStart + k) * cs);
    }
    im.refblockCache_.clear();
    refblocks_.clear();
    im.fileSize_ = std::max(im.fileSize_, regionEnd * cs);
    fileSize_ = std::max(fileSize_, regionEnd * cs);
    im.freeSearchCluster_ = 1;
    return {};
}

Status Qcow2Image::repairDirtyImage() {
    Qcow2Checker checker(*this, kCheckMemoryLimit);
    auto result = checker.run(RepairMode::All);
    if (!result)
        return makeError("Could not repair the refcounts of dirty image '" + path_ +
                         "': " + result.message());
    if (result->corruptions)
        return makeError("'" + path_ + "' is dirty and its refcounts could not be repaired.");
    return {};
}

Result<CheckResult> checkImage(const std::string& path, RepairMode repair, std::optional<ImageFormat> format,
                               uint64_t memoryLimit) {
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
    options.validation = OpenValidation::Check;
    auto image = Qcow2Image::open(path, options);
    if (!image) return image.error();
    Qcow2Checker checker(**image, memoryLimit);
    auto result = checker.run(repair);
    if (!result) return result;
    if (repair != RepairMode::None) {
        Status closed = (*image)->close();
        if (!closed) return closed.error();
    }
    return result;
}

}  // namespace tessera::block
