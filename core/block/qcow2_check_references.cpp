// `img check`, part 1: count every reference to each host cluster, the way
// QEMU 7.2's calculate_refcounts() does (header, active L1 and its L2 tables,
// snapshot L1 tables and theirs, snapshot table, refcount table and blocks,
// bitmaps), including its rules for damaged images: a reference reaching one
// cluster or more past the end of the file is a corruption and is not counted,
// tables read as zeros past the end of the file, misaligned tables are still
// walked. Identical references are grouped (a multiplicity instead of a
// repeated walk), so the work stays proportional to the file's size.
#include <algorithm>
#include <cinttypes>

#include "core/block/big_endian.h"
#include "core/block/qcow2_checker.h"

namespace tessera::block {

using namespace qcow2;

QemuClusterType qemuClusterType(uint64_t entry, bool extendedL2) {
    if (entry & kOflagCompressed) return QemuClusterType::Compressed;
    if ((entry & kOflagZero) && !extendedL2)
        return (entry & kL2OffsetMask) ? QemuClusterType::ZeroAllocated : QemuClusterType::ZeroPlain;
    return (entry & kL2OffsetMask) ? QemuClusterType::Normal : QemuClusterType::Unallocated;
}

// QEMU's qcow2_check_read_snapshot_table: problems that stop QEMU from
// reading the table fail the check; short v3 entries are corruptions. A repair
// cuts oversized extra data and drops snapshots past the 64 MiB limit.
Status Qcow2Checker::readSnapshotTable(bool fixErrors, uint64_t& corruptions) {
    SnapshotTableRepairs repairs;
    auto table = img_.readSnapshotTable(false, fixErrors ? &repairs : nullptr);
    if (!table) {
        r_->checkErrors++;
        return table.error();
    }
    snapshots_ = std::move(table->snapshots);
    snapshotTableBytes_ = table->byteLength;
    img_.snapshotTableBytes_ = snapshotTableBytes_;  // so a repair never allocates over it
    if (repairs.snapshotsDropped) {
        // The header's count changes at once, as in QEMU: the refcount check
        // below then sees the dropped snapshots' clusters as leaks and frees them.
        say("Discarding %u overhanging snapshots (snapshot table is too big)", repairs.snapshotsDropped);
        img_.header_.nbSnapshots = uint32_t(snapshots_.size());
        TESSERA_TRY(img_.writeHeader());
        TESSERA_TRY(img_.file_.sync());
        r_->corruptionsFixed += repairs.snapshotsDropped;
    }
    if (repairs.extraDataCut) {
        say("Discarding too much extra metadata in %u snapshot table entries", repairs.extraDataCut);
        corruptions += repairs.extraDataCut;  // fixed when the table is rewritten
    }
    if (img_.header_.version < 3) return {};
    for (size_t i = 0; i < snapshots_.size(); ++i) {
        if (snapshots_[i].extraData.size() >= 16) continue;
        corruptions++;
        say("ERROR snapshot table entry %zu is incomplete", i);
    }
    return {};
}

Status Qcow2Checker::calculateReferences(bool fixErrors) {
    Qcow2Image& im = img_;
    const uint64_t cs = im.clusterSize_;
    tally_.emplace(divRoundUp(fileSize_, cs), maxRefcount(im.header_.refcountOrder), memoryLimit_);
    refcountStructure_.clear();
    l2Walks_.clear();
    misalignedTableBytes_ = 0;
    misalignedBudgetSpent_ = false;
    r_->allocatedClusters = r_->fragmentedClusters = r_->compressedClusters = 0;

    TESSERA_TRY(addRange(0, cs, 1));  // the header cluster
    if (im.header_.l1Size) {
        TESSERA_TRY(addRange(im.header_.l1TableOffset, uint64_t(im.header_.l1Size) * 8, 1));
        for (uint64_t entry : im.l1_)
            if (entry) TESSERA_TRY(visitL1Entry(entry, 1, true));
    }
    TESSERA_TRY(walkSnapshotL1Tables());
    TESSERA_TRY(compactL2Walks());
    for (const L2Walk& walk : l2Walks_) TESSERA_TRY(walkL2Table(walk, fixErrors));
    l2Walks_.clear();
    TESSERA_TRY(addRange(im.header_.snapshotsOffset, snapshotTableBytes_, 1));
    uint64_t reftableBytes = uint64_t(im.header_.refcountTableClusters) * cs;
    TESSERA_TRY(addRange(im.header_.refcountTableOffset, reftableBytes, 1));
    if (reftableBytes && countable(im.header_.refcountTableOffset, reftableBytes))
        for (uint64_t c = 0; c < reftableBytes / cs; ++c)
            refcountStructure_.insert((im.header_.refcountTableOffset >> im.clusterBits_) + c);
    TESSERA_TRY(walkBitmaps());
    return checkRefblocks(fixErrors);
}

bool Qcow2Checker::countable(uint64_t offset, uint64_t length) const {
    // QEMU computes this in int64_t; the wrap-around of huge offsets is part
    // of what it reports, so it is reproduced on purpose.
    return int64_t(offset + length - fileSize_) < int64_t(img_.clusterSize_);
}

// QEMU's qcow2_inc_refcounts_imrt, `times` times.
Status Qcow2Checker::addRange(uint64_t offset, uint64_t length, uint64_t times) {
    if (!length || !times) return {};
    if (!countable(offset, length)) {
        r_->corruptions += times;
        say("ERROR: counting reference for region exceeding the end of the file by one cluster or more: "
            "offset 0x%" PRIx64 " size 0x%" PRIx64,
            offset, length);
        return {};
    }
    if (offset > kMaxIoOffset || length > kMaxIoOffset - offset) {
        r_->checkErrors++;
        return makeError("Cannot count the references of '" + img_.path_ + "' at offset " + hex(offset) +
                         ": the offset is beyond what a file can hold.");
    }
    return addClusters(offset >> img_.clusterBits_, (offset + length - 1) >> img_.clusterBits_, times);
}

Status Qcow2Checker::addClusters(uint64_t first, uint64_t last, uint64_t times) {
    for (uint64_t c = first; c <= last; ++c) {
        auto overflow = tally_->add(c, times);
        if (!overflow) {
            r_->checkErrors++;
            return makeError("Cannot check '" + img_.path_ + "': " + overflow.message() + ".");
        }
        if (*overflow) {
            r_->corruptions += *overflow;
            say("ERROR: overflow cluster offset=0x%" PRIx64, c << img_.clusterBits_);
        }
    }
    return {};
}

// One non-zero L1 entry (QEMU's check_refcounts_l1 loop body). The L2 table
// walk is queued, so a table referenced many times is read once.
Status Qcow2Checker::visitL1Entry(uint64_t entry, uint64_t times, bool active) {
    const uint64_t cs = img_.clusterSize_;
    if (entry & kL1ReservedMask) {
        r_->corruptions += times;
        say("ERROR found L1 entry with reserved bits set: %" PRIx64, entry);
    }
    uint64_t l2Offset = entry & kL1OffsetMask;
    TESSERA_TRY(addRange(l2Offset, cs, times));
    if (l2Offset % cs) {
        r_->corruptions += times;
        say("ERROR l2_offset=%" PRIx64 ": Table is not cluster aligned; L1 entry corrupted", l2Offset);
    }
    // A table past the end of the file reads as zeros: there is nothing to walk.
    if (l2Offset < fileSize_) l2Walks_.push_back({l2Offset, active, times});
    if (l2Walks_.size() >= (1u << 20) && l2Walks_.size() % (1u << 20) == 0) return compactL2Walks();
    return {};
}

// Merges queued walks of the same table, active ones first (QEMU walks the
// active L1 before the snapshots, which matters when a repair rewrites a table).
Status Qcow2Checker::compactL2Walks() {
    std::sort(l2Walks_.begin(), l2Walks_.end(), [](const L2Walk& a, const L2Walk& b) {
        return a.active != b.active ? a.active : a.offset < b.offset;
    });
    size_t out = 0;
    for (const L2Walk& walk : l2Walks_) {
        if (out && l2Walks_[out - 1].offset == walk.offset && l2Walks_[out - 1].active == walk.active)
            l2Walks_[out - 1].times += walk.times;
        else
            l2Walks_[out++] = walk;
    }
    l2Walks_.resize(out);
    if (out * sizeof(L2Walk) + tally_->memoryBytes() > memoryLimit_) {
        r_->checkErrors++;
        return makeError("Cannot check '" + img_.path_ + "': its L1 tables point at " + std::to_string(out) +
                         " different L2 tables, more than " + std::to_string(memoryLimit_ >> 20) +
                         " MiB of memory can track.");
    }
    return {};
}

// Snapshot L1 tables (QEMU's calculate_refcounts snapshot loop). Identical
// tables are counted once with a multiplicity and every L1 byte inside the
// file is read once, however many snapshots share it.
Status Qcow2Checker::walkSnapshotL1Tables() {
    const uint64_t cs = img_.clusterSize_;
    struct Table {
        uint64_t offset, bytes;
        bool operator<(const Table& o) const {
            return offset != o.offset ? offset < o.offset : bytes < o.bytes;
        }
        bool operator==(const Table& o) const = default;
    };
    std::vector<Table> tables;
    for (const Snapshot& s : snapshots_) {
        if (s.l1TableOffset % cs) {
            r_->corruptions++;
            say("ERROR snapshot %s (%s) l1_offset=%#" PRIx64
                ": L1 table is not cluster aligned; snapshot table entry corrupted",
                s.id.c_str(), s.name.c_str(), s.l1TableOffset);
            continue;
        }
        if (uint64_t(s.l1Size) * 8 > kMaxL1Bytes) {
            r_->corruptions++;
            say("ERROR snapshot %s (%s) l1_size=%#" PRIx32
                ": L1 table is too large; snapshot table entry corrupted",
                s.id.c_str(), s.name.c_str(), s.l1Size);
            continue;
        }
        if (s.l1Size) tables.push_back({s.l1TableOffset, uint64_t(s.l1Size) * 8});
    }
    std::sort(tables.begin(), tables.end());

    // 1. The L1 tables' own clusters: one reference per snapshot.
    std::vector<std::pair<uint64_t, int64_t>> clusterEvents;  // (cluster, +n at a start / -n past an end)
    for (size_t i = 0; i < tables.size();) {
        size_t j = i;
        while (j < tables.size() && tables[j] == tables[i]) ++j;
        const Table& t = tables[i];
        uint64_t n = j - i;
        if (!countable(t.offset, t.bytes)) {
            TESSERA_TRY(addRange(t.offset, t.bytes, n));  // reports the corruption n times
        } else if (t.offset > kMaxIoOffset || t.bytes > kMaxIoOffset - t.offset) {
            TESSERA_TRY(addRange(t.offset, t.bytes, n));  // fails the check, as reading it would
        } else {
            clusterEvents.push_back({t.offset >> img_.clusterBits_, int64_t(n)});
            clusterEvents.push_back({((t.offset + t.bytes - 1) >> img_.clusterBits_) + 1, -int64_t(n)});
        }
        i = j;
    }
    std::sort(clusterEvents.begin(), clusterEvents.end());
    int64_t coverage = 0;
    for (size_t i = 0; i < clusterEvents.size(); ++i) {
        coverage += clusterEvents[i].second;
        if (coverage > 0 && i + 1 < clusterEvents.size() &&
            clusterEvents[i + 1].first > clusterEvents[i].first)
            TESSERA_TRY(
                addClusters(clusterEvents[i].first, clusterEvents[i + 1].first - 1, uint64_t(coverage)));
    }

    // 2. Their entries: each position inside the file once, with the number
    // of snapshots whose table covers it. Past the end they are zeros.
    std::vector<std::pair<uint64_t, int64_t>> byteEvents;
    for (const Table& t : tables) {
        if (t.offset > kMaxIoOffset || t.bytes > kMaxIoOffset - t.offset) {
            r_->checkErrors++;
            return makeError("Cannot check '" + img_.path_ + "': a snapshot's L1 table at " + hex(t.offset) +
                             " cannot be read (I/O error in check_refcounts_l1).");
        }
        if (t.offset >= fileSize_) continue;
        byteEvents.push_back({t.offset, 1});
        byteEvents.push_back({std::min(t.offset + t.bytes, alignUp(fileSize_, 8)), -1});  // a cut entry too
    }
    std::sort(byteEvents.begin(), byteEvents.end());
    std::vector<uint8_t> chunk;
    coverage = 0;
    for (size_t i = 0; i + 1 < byteEvents.size(); ++i) {
        coverage += byteEvents[i].second;
        uint64_t from = byteEvents[i].first, to = byteEvents[i + 1].first;
        if (coverage <= 0 || from >= to) continue;
        for (uint64_t at = from; at < to; at += chunk.size()) {
            chunk.resize(std::min<uint64_t>(to - at, 1 << 20));
            TESSERA_TRY(img_.file_.readZeroFilled(at, chunk));
            for (size_t k = 0; k + 8 <= chunk.size(); k += 8)
                if (uint64_t entry = loadBE64(chunk.data() + k))
                    TESSERA_TRY(visitL1Entry(entry, uint64_t(coverage), false));
        }
    }
    return {};
}

// Misaligned L2 tables can start at every 512 bytes, overlapping each other,
// so walking them all could read the file thousands of times over. Past a
// budget of the file's size they are reported but no longer walked, and the
// check says it is incomplete (exit code 1).
bool Qcow2Checker::mayWalk(uint64_t tableOffset) {
    if (tableOffset % img_.clusterSize_ == 0) return true;
    misalignedTableBytes_ += img_.clusterSize_;
    if (misalignedTableBytes_ <= kMisalignedTableBudget + 2 * fileSize_) return true;
    if (!misalignedBudgetSpent_) {
        r_->checkErrors++;
        // Past the cap on messages too: this one says why the check is incomplete.
        r_->messages.emplace_back(
            "ERROR too many misaligned L2 tables to walk them all; their references are not counted");
    }
    misalignedBudgetSpent_ = true;
    return false;
}

// QEMU's check_refcounts_l2, for `walk.times` identical walks.
Status Qcow2Checker::walkL2Table(const L2Walk& walk, bool fixErrors) {
    Qcow2Image& im = img_;
    const uint64_t cs = im.clusterSize_;
    const bool ext = im.header_.extendedL2();
    const uint64_t times = walk.times;
    if (!mayWalk(walk.offset)) return {};
    std::vector<uint8_t> table(cs);
    TESSERA_TRY(im.file_.readZeroFilled(walk.offset, table));
    const uint32_t entryBytes = im.header_.l2EntryBytes();
    uint64_t nextContiguous = 0;
    for (uint64_t i = 0; i < im.l2Entries_; ++i) {
        uint8_t* p = table.data() + i * entryBytes;
        uint64_t entry = loadBE64(p);
        uint64_t bitmap = ext ? loadBE64(p + 8) : 0;
        QemuClusterType type = qemuClusterType(entry, ext);
        if (type != QemuClusterType::Compressed && (entry & kL2StandardReservedMask)) {
            r_->corruptions += times;
            say("ERROR found l2 entry with reserved bits set: %" PRIx64, entry);
        }
        switch (type) {
            case QemuClusterType::Compressed: {
                if (entry & kOflagCopied) {
                    r_->corruptions += times;
                    say("ERROR: coffset=0x%" PRIx64 ": copied flag must never be set for compressed clusters",
                        decodeL2Entry(entry, im.clusterBits_, false).hostOffset);
                }
                if (bitmap) {
                    r_->corruptions += times;
                    say("ERROR compressed cluster %" PRIu64
                        " with non-zero subcluster allocation bitmap, entry=0x%" PRIx64,
                        i, entry);
                    break;
                }
                L2Mapping m = decodeL2Entry(entry, im.clusterBits_, false);
                TESSERA_TRY(addRange(m.hostOffset, m.compressedSize, times));
                if (walk.active) {
                    r_->allocatedClusters += times;
                    r_->compressedClusters += times;
                    r_->fragmentedClusters += times;  // compressed clusters are fragmented by nature
                }
                break;
            }
            case QemuClusterType::ZeroAllocated:
            case QemuClusterType::Normal: {
                uint64_t offset = entry & kL2OffsetMask;
                if ((bitmap >> 32) & bitmap) {
                    r_->corruptions += times;
                    say("ERROR offset=%" PRIx64
                        ": Allocated cluster has corrupted subcluster allocation bitmap",
                        offset);
                }
                if (offset % cs) {
                    bool hasData = ext ? (bitmap & kBitmapAllAllocated) : !(entry & kOflagZero);
                    if (hasData) {
                        r_->corruptions += times;
                        say("ERROR offset=%" PRIx64
                            ": Data cluster is not properly aligned; L2 entry corrupted.",
                            offset);
                    } else if (fixErrors && walk.offset % cs == 0) {
                        // Turn it into a plain zero cluster (QEMU does the same).
                        say("Repairing offset=%" PRIx64
                            ": Preallocated cluster is not properly aligned; L2 entry corrupted.",
                            offset);
                        storeBE64(p, ext ? 0 : kOflagZero);
                        TESSERA_TRY(im.file_.write(walk.offset + i * entryBytes, std::span(p, entryBytes)));
                        im.l2Cache_.erase(walk.offset);
                        r_->corruptionsFixed++;  // the other walks see the repaired entry
                        continue;
                    } else {
                        r_->corruptions += times;
                        say("ERROR offset=%" PRIx64
                            ": Preallocated cluster is not properly aligned; L2 entry corrupted.",
                            offset);
                    }
                }
                if (walk.active) {
                    r_->allocatedClusters += times;
                    if (nextContiguous && offset != nextContiguous) r_->fragmentedClusters += times;
                    nextContiguous = offset + cs;
                }
                TESSERA_TRY(addRange(offset, cs, times));
                break;
            }
            case QemuClusterType::ZeroPlain:
                break;
            case QemuClusterType::Unallocated:
                if (bitmap & kBitmapAllAllocated) {
                    r_->corruptions += times;
                    say("ERROR: Unallocated cluster has non-zero subcluster allocation map");
                }
                break;
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
        if (dirOffset % im.clusterSize_ || dirSize > (64u << 20) || dirOffset > fileSize_ ||
            dirSize > fileSize_ - dirOffset) {
            say("ERROR bitmap directory at 0x%" PRIx64 " is invalid", dirOffset);
            r_->corruptions++;
            return {};
        }
        TESSERA_TRY(addRange(dirOffset, dirSize, 1));
        std::vector<uint8_t> dir(dirSize);
        TESSERA_TRY(im.file_.readExact(dirOffset, dir));
        uint64_t pos = 0;
        for (uint32_t i = 0; i < count && pos + 24 <= dir.size(); ++i) {
            const uint8_t* e = dir.data() + pos;
            uint64_t tableOffset = loadBE64(e);
            uint64_t tableEntries = loadBE32(e + 8);
            uint64_t entryLength = 24ull + loadBE32(e + 20) + loadBE16(e + 18);
            pos += alignUp(entryLength, 8);
            if (tableOffset % im.clusterSize_ || tableOffset > fileSize_ ||
                tableEntries * 8 > fileSize_ - tableOffset) {
                say("ERROR bitmap table at 0x%" PRIx64 " is invalid", tableOffset);
                r_->corruptions++;
                continue;
            }
            TESSERA_TRY(addRange(tableOffset, tableEntries * 8, 1));
            std::vector<uint8_t> table(tableEntries * 8);
            TESSERA_TRY(im.file_.readExact(tableOffset, table));
            for (uint64_t j = 0; j < tableEntries; ++j) {
                uint64_t offset = loadBE64(table.data() + 8 * j) & kL1OffsetMask;
                if (offset) TESSERA_TRY(addRange(offset, im.clusterSize_, 1));
            }
        }
    }
    return {};
}

// QEMU's check_refblocks (a repair rebuilds instead of growing the file to
// reach a refcount block past its end).
Status Qcow2Checker::checkRefblocks(bool fixErrors) {
    Qcow2Image& im = img_;
    const uint64_t cs = im.clusterSize_;
    for (uint64_t i = 0; i < im.refcountTable_.size(); ++i) {
        uint64_t raw = im.refcountTable_[i];
        uint64_t offset = raw & kReftableOffsetMask;
        uint64_t cluster = offset >> im.clusterBits_;
        if (raw & kReftableReservedMask) {
            r_->corruptions++;
            say("ERROR refcount table entry %" PRIu64 " has reserved bits set", i);
            rebuild_ = true;
            continue;
        }
        if (offset % cs) {
            r_->corruptions++;
            say("ERROR refcount block %" PRIu64 " is not cluster aligned; refcount table entry corrupted", i);
            rebuild_ = true;
            continue;
        }
        if (cluster >= tally_->size()) {
            r_->corruptions++;
            say("ERROR refcount block %" PRIu64 " is outside image", i);
            if (fixErrors) rebuild_ = true;
            continue;
        }
        if (!offset) continue;
        TESSERA_TRY(addRange(offset, cs, 1));
        if (countable(offset, cs)) refcountStructure_.insert(cluster);
        if (uint64_t count = tally_->get(cluster); count != 1) {
            r_->corruptions++;
            say("ERROR refcount block %" PRIu64 " refcount=%" PRIu64, i, count);
            rebuild_ = true;
        }
    }
    return {};
}

}  // namespace tessera::block
