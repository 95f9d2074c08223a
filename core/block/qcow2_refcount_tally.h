#pragma once
// The checker's count of references per host cluster (QEMU's "in-memory
// refcount table" in block/qcow2-refcount.c), kept sparse: memory grows with
// the clusters actually referenced, in pages of 4096 counters, never with the
// file's apparent size. A sparse 1 TiB image with 512-byte clusters therefore
// costs what its few allocated clusters cost, not 2^31 counters.

#include <cstdint>
#include <map>
#include <memory>
#include <unordered_map>

#include "core/util/result.h"

namespace tessera::block::qcow2 {

class RefcountTally {
public:
    // `fileClusters`: the file's length in clusters (QEMU's initial nb_clusters).
    // Counts saturate at `maxRefcount` (the image's refcount width), as in QEMU.
    // Allocating past `memoryLimit` bytes fails with a clear error.
    RefcountTally(uint64_t fileClusters, uint64_t maxRefcount, uint64_t memoryLimit);

    // Adds `times` references to `cluster`. Returns how many of them did not
    // fit under the maximum (QEMU reports one "overflow" corruption for each).
    Result<uint64_t> add(uint64_t cluster, uint64_t times);
    uint64_t get(uint64_t cluster) const;
    // QEMU's nb_clusters: the file's clusters, or one past the highest cluster
    // a reference reached if that is further.
    uint64_t size() const { return size_; }
    uint64_t memoryBytes() const;

    // Calls f(cluster, count) for every non-zero count in [begin, end), in order.
    template <typename F>
    void forEachNonZero(uint64_t begin, uint64_t end, F&& f) const {
        for (auto it = pages_.lower_bound(begin >> kPageBits); it != pages_.end(); ++it) {
            uint64_t base = it->first << kPageBits;
            if (base >= end) break;
            for (uint64_t i = 0; i < kPageSize; ++i) {
                uint64_t cluster = base + i;
                if (cluster < begin || !it->second[i]) continue;
                if (cluster >= end) break;
                f(cluster, valueAt(cluster, it->second[i]));
            }
        }
    }

private:
    static constexpr unsigned kPageBits = 12;
    static constexpr uint64_t kPageSize = 1ull << kPageBits;
    static constexpr uint32_t kLarge = 0xffffffff;  // the real count is in large_

    uint64_t valueAt(uint64_t cluster, uint32_t stored) const {
        return stored == kLarge ? large_.at(cluster) : stored;
    }

    uint64_t maxRefcount_, memoryLimit_, size_;
    std::map<uint64_t, std::unique_ptr<uint32_t[]>> pages_;  // page index -> counters
    std::unordered_map<uint64_t, uint64_t> large_;           // counts that need more than 32 bits
    mutable uint64_t lastPage_ = ~0ull;                      // lookup cache for sequential access
    mutable uint32_t* lastCounters_ = nullptr;
};

}  // namespace tessera::block::qcow2
