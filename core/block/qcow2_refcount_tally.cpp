#include "core/block/qcow2_refcount_tally.h"

#include <algorithm>

namespace tessera::block::qcow2 {

RefcountTally::RefcountTally(uint64_t fileClusters, uint64_t maxRefcount, uint64_t memoryLimit)
    : maxRefcount_(maxRefcount), memoryLimit_(memoryLimit), size_(fileClusters) {}

uint64_t RefcountTally::memoryBytes() const {
    // Counters plus a generous estimate of the map's per-node overhead.
    return pages_.size() * (kPageSize * sizeof(uint32_t) + 64) + large_.size() * 48;
}

Result<uint64_t> RefcountTally::add(uint64_t cluster, uint64_t times) {
    size_ = std::max(size_, cluster + 1);
    if (!times) return uint64_t(0);
    uint64_t page = cluster >> kPageBits;
    if (page != lastPage_) {
        auto it = pages_.find(page);
        if (it == pages_.end()) {
            if (memoryBytes() + kPageSize * sizeof(uint32_t) > memoryLimit_)
                return makeError("counting the references needs more than " +
                                 std::to_string(memoryLimit_ >> 20) +
                                 " MiB of memory (the image references clusters spread over " +
                                 std::to_string(pages_.size() * kPageSize) + "+ host clusters)");
            it = pages_.emplace(page, std::make_unique<uint32_t[]>(kPageSize)).first;
        }
        lastPage_ = page;
        lastCounters_ = it->second.get();
    }
    uint32_t& stored = lastCounters_[cluster & (kPageSize - 1)];
    uint64_t old = stored == 0 ? 0 : valueAt(cluster, stored);
    uint64_t room = maxRefcount_ - std::min(old, maxRefcount_);
    uint64_t added = std::min(times, room);
    uint64_t value = old + added;
    if (value >= kLarge) {
        large_[cluster] = value;
        stored = kLarge;
    } else {
        stored = uint32_t(value);
    }
    return times - added;
}

uint64_t RefcountTally::get(uint64_t cluster) const {
    uint64_t page = cluster >> kPageBits;
    if (page != lastPage_) {
        auto it = pages_.find(page);
        if (it == pages_.end()) return 0;
        lastPage_ = page;
        lastCounters_ = it->second.get();
    }
    uint32_t stored = lastCounters_[cluster & (kPageSize - 1)];
    return stored == 0 ? 0 : valueAt(cluster, stored);
}

}  // namespace tessera::block::qcow2
