#pragma once
// A BlockBackend over a std::vector, for device tests that need a disk but not
// a file format. It counts flushes so tests can prove a FLUSH reached the
// backend. (Tests of on-disk effects use the real RawImage/Qcow2Image.)

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/block/block_backend.h"

namespace tessera::testing {

class MemoryBlockBackend final : public block::BlockBackend {
public:
    explicit MemoryBlockBackend(uint64_t size, bool readOnly = false) : bytes(size, 0), readOnly_(readOnly) {}

    uint64_t size() const override { return bytes.size(); }
    bool readOnly() const override { return readOnly_; }
    std::string formatName() const override { return "memory"; }
    std::string fileName() const override { return "<memory>"; }

    Status read(uint64_t offset, std::span<uint8_t> out) override {
        if (!inRange(offset, out.size())) return makeError("read beyond the end of the disk");
        std::memcpy(out.data(), bytes.data() + offset, out.size());
        return {};
    }
    Status write(uint64_t offset, std::span<const uint8_t> data) override {
        if (readOnly_) return makeError("disk is read-only");
        if (!inRange(offset, data.size())) return makeError("write beyond the end of the disk");
        std::memcpy(bytes.data() + offset, data.data(), data.size());
        return {};
    }
    Status flush() override {
        ++flushes;
        return {};
    }
    Status discard(uint64_t offset, uint64_t length) override {
        if (!inRange(offset, length)) return makeError("discard beyond the end of the disk");
        discarded += length;
        std::fill_n(bytes.begin() + offset, length, 0xdd);  // "anything" after a discard
        return {};
    }
    Status writeZeroes(uint64_t offset, uint64_t length, bool) override {
        if (!inRange(offset, length)) return makeError("write-zeroes beyond the end of the disk");
        std::fill_n(bytes.begin() + offset, length, 0);
        return {};
    }
    Result<block::BlockStatus> blockStatus(uint64_t offset, uint64_t maxLength) override {
        block::BlockStatus status;
        status.length = std::min<uint64_t>(maxLength, bytes.size() - offset);
        status.allocated = status.data = true;
        return status;
    }

    std::vector<uint8_t> bytes;
    int flushes = 0;
    uint64_t discarded = 0;

private:
    bool inRange(uint64_t offset, uint64_t length) const {
        return offset <= bytes.size() && length <= bytes.size() - offset;
    }
    bool readOnly_;
};

}  // namespace tessera::testing
