#pragma once
// BlockBackend: byte-addressed access to a virtual disk, whatever its format.
// Used by virtio-blk, the CD-ROM and every `img` job. Implementations are safe
// for one writer thread plus concurrent readers of *other* backends; callers that
// share one backend between threads serialise through it (it locks internally).

#include <cstdint>
#include <optional>
#include <memory>
#include <span>
#include <string>

#include "core/util/result.h"

namespace tessera::block {

// What a byte range of the virtual disk currently holds, for map/convert/compare.
struct BlockStatus {
    uint64_t length = 0;         // bytes from the queried offset with this status (> 0)
    bool allocated = false;      // defined by this image (not inherited from backing / unallocated)
    bool zero = false;           // guaranteed to read as zeros
    bool data = false;           // backed by host data (false for zero/unallocated)
    bool compressed = false;     // qcow2 compressed cluster
    int depth = 0;               // backing-chain level that supplies the data (0 = this image)
    std::optional<uint64_t> hostOffset;  // where the raw bytes are, if they are stored plainly
};

class BlockBackend {
public:
    virtual ~BlockBackend() = default;

    virtual uint64_t size() const = 0;               // virtual disk size in bytes
    virtual bool readOnly() const = 0;
    virtual std::string formatName() const = 0;     // "raw", "qcow2"
    virtual std::string fileName() const = 0;

    virtual Status read(uint64_t offset, std::span<uint8_t> out) = 0;
    virtual Status write(uint64_t offset, std::span<const uint8_t> data) = 0;
    // Makes everything written so far durable (fsync, in crash-safe order).
    virtual Status flush() = 0;
    // The range may read back as anything afterwards (qcow2: frees whole clusters).
    virtual Status discard(uint64_t offset, uint64_t length) = 0;
    // The range reads back as zeros; mayUnmap allows freeing storage for it.
    virtual Status writeZeroes(uint64_t offset, uint64_t length, bool mayUnmap) = 0;
    // Status of the range starting at offset, at most maxLength bytes long.
    virtual Result<BlockStatus> blockStatus(uint64_t offset, uint64_t maxLength) = 0;

    // The next image of the backing chain, if this format has one and it was opened.
    virtual const BlockBackend* backingBackend() const { return nullptr; }
    // Minimum useful write granularity (qcow2: cluster size; raw: 4 KiB).
    virtual uint64_t clusterSize() const { return 4096; }
};

}  // namespace tessera::block
