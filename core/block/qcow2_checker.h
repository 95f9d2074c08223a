#pragma once
// Internal to `img check` (qcow2_check.cpp, qcow2_check_references.cpp): one
// check or repair of an open Qcow2Image with the semantics of QEMU 7.2's
// qcow2_co_check (block/qcow2-refcount.c, block/qcow2-snapshot.c), so that the
// counts and exit codes match `qemu-img check` on the same file, damaged and
// hostile files included.
//
// Unlike QEMU, the work is bounded by the file's size: identical references
// are counted once with a multiplicity (65536 snapshots sharing one 32 MiB L1
// table read it once), tables past the end of the file read as zeros without
// being read, and the reference tally is sparse with a memory limit.

#include <cstdint>
#include <optional>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/block/qcow2_check.h"
#include "core/block/qcow2_image.h"
#include "core/block/qcow2_refcount_tally.h"

namespace tessera::block {

// QEMU's cluster type of an L2 entry (qcow2_get_cluster_type), which the
// checker must follow even where it differs from our reader's view.
enum class QemuClusterType { Unallocated, ZeroPlain, ZeroAllocated, Normal, Compressed };
QemuClusterType qemuClusterType(uint64_t entry, bool extendedL2);

// Misaligned L2 tables walked per pass, beyond twice the file's size.
inline constexpr uint64_t kMisalignedTableBudget = 64ull << 20;

// Reads beyond this offset fail in QEMU (and in pread), as I/O errors.
inline constexpr uint64_t kMaxIoOffset = 0x7ffffffffffffe00ull;

class Qcow2Checker {
public:
    Qcow2Checker(Qcow2Image& image, uint64_t memoryLimit) : img_(image), memoryLimit_(memoryLimit) {}
    Result<CheckResult> run(RepairMode mode);

private:
    struct L2Walk {
        uint64_t offset;
        bool active;     // reached from the active L1 table (counts allocation statistics)
        uint64_t times;  // how many L1 entries point at this table
    };

    // --- qcow2_check.cpp: one pass, comparison with the on-disk refcounts, repair
    Status pass(RepairMode mode, CheckResult& result);
    Status checkRefcounts(RepairMode mode);
    Status compareRefcounts(RepairMode fix, uint64_t& highest);
    void compareCluster(uint64_t cluster, uint64_t refcount, uint64_t reference, RepairMode fix,
                        uint64_t& highest);
    Status checkCopiedFlags(bool fix);
    Status rebuildRefcounts();
    Status rewriteSnapshotTable();
    Result<std::span<const uint8_t>> refblock(uint64_t offset);
    Result<uint64_t> onDiskRefcount(uint64_t cluster);

    // --- qcow2_check_references.cpp: QEMU's calculate_refcounts
    Status readSnapshotTable(bool fixErrors, uint64_t& corruptions);
    Status calculateReferences(bool fixErrors);
    // QEMU counts a reference only if it ends less than a cluster past the end of the file.
    bool countable(uint64_t offset, uint64_t length) const;
    Status addRange(uint64_t offset, uint64_t length, uint64_t times);
    Status addClusters(uint64_t first, uint64_t last, uint64_t times);
    Status visitL1Entry(uint64_t entry, uint64_t times, bool active);
    Status compactL2Walks();
    Status walkSnapshotL1Tables();
    bool mayWalk(uint64_t tableOffset);
    Status walkL2Table(const L2Walk& walk, bool fixErrors);
    Status walkBitmaps();
    Status checkRefblocks(bool fixErrors);

    void say(const char* format, ...) __attribute__((format(printf, 2, 3)));

    Qcow2Image& img_;
    uint64_t memoryLimit_;
    CheckResult* r_ = nullptr;
    uint64_t fileSize_ = 0;
    std::optional<qcow2::RefcountTally> tally_;
    std::unordered_set<uint64_t> refcountStructure_;  // clusters of the refcount table and blocks
    std::vector<qcow2::Snapshot> snapshots_;
    uint64_t snapshotTableBytes_ = 0;
    std::vector<L2Walk> l2Walks_;
    uint64_t misalignedTableBytes_ = 0;  // L2 tables walked at misaligned offsets
    bool misalignedBudgetSpent_ = false;
    bool rebuild_ = false;
    std::unordered_map<uint64_t, std::vector<uint8_t>> refblocks_;  // on-disk refcount blocks read so far
};

}  // namespace tessera::block
