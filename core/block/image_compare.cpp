#include "core/block/image_compare.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace tessera::block {

namespace {

constexpr uint64_t kChunk = 1 << 20;  // compare in 1 MiB steps

CompareResult outcome(CompareResult::Outcome kind, std::string message) {
    CompareResult result;
    result.outcome = kind;
    result.message = std::move(message);
    return result;
}

// First offset in [0, length) where the buffers differ, or length.
uint64_t firstDifference(const uint8_t* a, const uint8_t* b, uint64_t length) {
    if (std::memcmp(a, b, length) == 0) return length;
    for (uint64_t i = 0; i < length; ++i)
        if (a[i] != b[i]) return i;
    return length;
}

// First non-zero byte in [0, length), or length.
uint64_t firstNonZero(const uint8_t* data, uint64_t length) {
    for (uint64_t i = 0; i < length; ++i)
        if (data[i] != 0) return i;
    return length;
}

// Whether a byte range "is allocated" for strict mode: defined by some image
// of the chain rather than implicitly zero (qemu-img's BDRV_BLOCK_ALLOCATED
// above a NULL base).
bool allocatedInChain(const BlockStatus& status) {
    return status.allocated || status.data || status.depth > 0;
}

}  // namespace

CompareResult compareImages(BlockBackend& first, BlockBackend& second, bool strict,
                            const JobControl& control) {
    using O = CompareResult::Outcome;
    const uint64_t size1 = first.size(), size2 = second.size();
    const uint64_t common = std::min(size1, size2);
    const uint64_t total = std::max(size1, size2);
    if (strict && size1 != size2) return outcome(O::Different, "Strict mode: Image size mismatch!");

    std::vector<uint8_t> buffer1(kChunk), buffer2(kChunk);
    uint64_t offset = 0;
    while (offset < common) {
        if (control.cancelled()) return outcome(O::ReadError, kCancelledMessage);
        const uint64_t want = std::min(kChunk, common - offset);
        auto status1 = first.blockStatus(offset, want);
        if (!status1)
            return outcome(O::AllocationError, "Error while reading offset " + std::to_string(offset) +
                                                   " of " + first.fileName() + ": " + status1.message());
        auto status2 = second.blockStatus(offset, want);
        if (!status2)
            return outcome(O::AllocationError, "Error while reading offset " + std::to_string(offset) +
                                                   " of " + second.fileName() + ": " + status2.message());
        const uint64_t length = std::max<uint64_t>(1, std::min({want, status1->length, status2->length}));
        // qemu-img -s compares the whole block status: allocation, zero and data flags.
        if (strict && (allocatedInChain(*status1) != allocatedInChain(*status2) ||
                       status1->zero != status2->zero || status1->data != status2->data))
            return outcome(O::Different,
                           "Strict mode: Offset " + std::to_string(offset) + " block status mismatch!");
        // Both sides known to read as zeros: nothing to read.
        if (status1->zero && status2->zero) {
            offset += length;
            control.report(offset, total);
            continue;
        }
        std::span<uint8_t> span1(buffer1.data(), length), span2(buffer2.data(), length);
        if (auto s = first.read(offset, span1); !s)
            return outcome(O::ReadError, "Error while reading offset " + std::to_string(offset) + " of " +
                                             first.fileName() + ": " + s.message());
        if (auto s = second.read(offset, span2); !s)
            return outcome(O::ReadError, "Error while reading offset " + std::to_string(offset) + " of " +
                                             second.fileName() + ": " + s.message());
        const uint64_t diff = firstDifference(buffer1.data(), buffer2.data(), length);
        if (diff < length)
            return outcome(O::Different, "Content mismatch at offset " + std::to_string(offset + diff) + "!");
        offset += length;
        control.report(offset, total);
    }

    CompareResult result;
    if (size1 != size2) {
        // Non-strict: the longer image's tail must read as zeros.
        result.sizeMismatch = true;
        BlockBackend& longer = size1 > size2 ? first : second;
        while (offset < total) {
            if (control.cancelled()) return outcome(O::ReadError, kCancelledMessage);
            const uint64_t want = std::min(kChunk, total - offset);
            auto status = longer.blockStatus(offset, want);
            if (!status)
                return outcome(O::AllocationError, "Error while reading offset " + std::to_string(offset) +
                                                       " of " + longer.fileName() + ": " + status.message());
            const uint64_t length = std::max<uint64_t>(1, std::min(want, status->length));
            if (!status->zero) {
                std::span<uint8_t> span(buffer1.data(), length);
                if (auto s = longer.read(offset, span); !s)
                    return outcome(O::ReadError, "Error while reading offset " + std::to_string(offset) +
                                                     " of " + longer.fileName() + ": " + s.message());
                const uint64_t nonZero = firstNonZero(buffer1.data(), length);
                if (nonZero < length) {
                    auto mismatch = outcome(
                        O::Different, "Content mismatch at offset " + std::to_string(offset + nonZero) + "!");
                    mismatch.sizeMismatch = true;
                    return mismatch;
                }
            }
            offset += length;
            control.report(offset, total);
        }
    }
    result.outcome = O::Identical;
    result.message = "Images are identical.";
    return result;
}

}  // namespace tessera::block
