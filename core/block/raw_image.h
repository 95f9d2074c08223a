#pragma once
// A raw image: the file is the disk, byte for byte. Sparse-aware: blockStatus
// reports holes (SEEK_DATA/SEEK_HOLE) as zero, discard punches holes.
//
// Opened without a pinned format (OpenOptions::format unset, so it was
// probed), a raw image refuses writes that would put another format's
// signature into sector 0, as QEMU does for probed raw images: otherwise the
// guest could write a qcow2 header naming any host file as its backing file,
// and the next probe would open that file for it.

#include <memory>
#include <mutex>
#include <string>

#include "core/block/block_backend.h"
#include "core/block/host_file.h"
#include "core/block/open_options.h"

namespace tessera::block {

class RawImage final : public BlockBackend {
public:
    static Result<std::unique_ptr<RawImage>> open(const std::string& path, const OpenOptions& options);
    // Creates (truncating) a raw file of `size` bytes; Falloc/Full allocate it.
    static Status create(const std::string& path, uint64_t size, Preallocation preallocation);

    uint64_t size() const override;
    bool readOnly() const override { return readOnly_; }
    std::string formatName() const override { return "raw"; }
    std::string fileName() const override { return path_; }

    Status read(uint64_t offset, std::span<uint8_t> out) override;
    Status write(uint64_t offset, std::span<const uint8_t> data) override;
    Status flush() override;
    Status discard(uint64_t offset, uint64_t length) override;
    Status writeZeroes(uint64_t offset, uint64_t length, bool mayUnmap) override;
    Result<BlockStatus> blockStatus(uint64_t offset, uint64_t maxLength) override;

    // Grows or shrinks the file (shrinking needs allowShrink).
    Status resize(uint64_t newSize, bool allowShrink);

private:
    RawImage(HostFile file, std::string path, bool readOnly, uint64_t size, bool probed);
    Status checkRange(uint64_t offset, uint64_t length) const;
    // For a probed image: refuses a write that changes the format sector 0 names.
    Status checkProbedHeaderWrite(uint64_t offset, std::span<const uint8_t> data);

    mutable std::mutex mutex_;
    HostFile file_;
    std::string path_;
    bool readOnly_;
    uint64_t size_;
    bool probed_;  // format not pinned by the caller
    bool refusalLogged_ = false;
};

}  // namespace tessera::block
