#include "core/block/image_copy.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/block/incompressible_probe.h"
#include "core/block/qcow2_compress.h"

namespace tessera::block {

namespace {

// True when every byte is zero; runs on every cluster we copy, so it scans a
// word at a time (compilers vectorise the inner loop).
bool isAllZero(std::span<const uint8_t> bytes) {
    const uint8_t* p = bytes.data();
    size_t n = bytes.size();
    while (n >= 64) {
        uint64_t acc = 0;
        for (int i = 0; i < 8; ++i) {
            uint64_t word;
            std::memcpy(&word, p + i * 8, 8);
            acc |= word;
        }
        if (acc) return false;
        p += 64;
        n -= 64;
    }
    while (n--)
        if (*p++) return false;
    return true;
}

// One unit of work: a cluster-aligned run of the virtual disk.
struct Chunk {
    uint64_t sequence = 0;
    uint64_t offset = 0;
    uint64_t length = 0;        // bytes of virtual disk covered
    bool knownZero = false;     // the source said so; nothing was read
    bool skip = false;          // left to the backing file (onlyTopLayer)
    std::vector<uint8_t> data;  // length bytes (padded to whole clusters when compressing)

    // Filled by a worker: per cluster, what to write.
    enum class Kind : uint8_t { Zero, Plain, Compressed };
    struct Piece {
        Kind kind = Kind::Zero;
        uint64_t offset = 0;  // guest
        uint64_t length = 0;  // guest bytes
        std::vector<uint8_t> compressed;
    };
    std::vector<Piece> pieces;
};

// Every thread (the caller included) runs the same loop: claim the next chunk
// of the disk, read it, scan and compress it, then hand it to the ordered
// commit. Whichever thread holds the commit turn writes every chunk that is
// next in guest order. No thread ever waits for another to pick up work, so
// the pool stays busy even on a loaded machine where a hand-off to a sleeping
// thread would cost a scheduler time slice; the only wait is the bounded
// window that keeps memory use at a few chunks per thread.
class CopyPipeline {
public:
    CopyPipeline(BlockBackend& source, BlockBackend& target, const CopyOptions& options,
                 const CompressedClusterWriter& writeCompressed, const JobControl& control)
        : source_(source),
          target_(target),
          options_(options),
          writeCompressed_(writeCompressed),
          control_(control) {}

    Status run() {
        unsigned threads = options_.threads ? options_.threads : std::thread::hardware_concurrency();
        threads = std::clamp(threads, 1u, 64u);
        window_ = threads * 4;
        // Bigger chunks amortise locking; compression still works per cluster.
        chunkSize_ = std::max<uint64_t>(options_.clusterSize, 1 << 20);
        chunkSize_ -= chunkSize_ % options_.clusterSize;

        std::vector<std::thread> helpers;
        for (unsigned i = 1; i < threads; ++i) helpers.emplace_back([this] { workLoop(); });
        workLoop();
        for (auto& helper : helpers) helper.join();

        if (failure_) return *failure_;
        if (control_.cancelled()) return makeError(kCancelledMessage);
        if (nextToWrite_ != claimed_ || nextOffset_ < source_.size())
            return makeError("internal error: the copy stopped before the end of the disk");
        return target_.flush();
    }

private:
    void failLocked(Error error) {
        if (!failure_) failure_ = std::move(error);
        windowOpen_.notify_all();
    }

    void workLoop() {
        for (;;) {
            std::unique_ptr<Chunk> chunk;
            {
                std::unique_lock lock(mutex_);
                windowOpen_.wait(lock, [&] {
                    return failure_ || nextOffset_ >= source_.size() || claimed_ < nextToWrite_ + window_;
                });
                if (failure_ || nextOffset_ >= source_.size()) return;
                if (control_.cancelled()) return failLocked(makeError(kCancelledMessage));
                // Claiming decides the chunk's extent from the source's layout;
                // it is cheap metadata work, so it is done under the lock to
                // keep chunks in order.
                auto claimedChunk = claimLocked();
                if (!claimedChunk) return failLocked(claimedChunk.error());
                chunk = std::move(*claimedChunk);
            }
            if (auto s = fill(*chunk); !s) {
                std::lock_guard lock(mutex_);
                return failLocked(s.error());
            }
            process(*chunk);
            if (auto s = commit(std::move(chunk)); !s) {
                std::lock_guard lock(mutex_);
                return failLocked(s.error());
            }
        }
    }

    // Under mutex_: the next chunk, cut where the source's layout demands.
    Result<std::unique_ptr<Chunk>> claimLocked() {
        const uint64_t size = source_.size();
        const uint64_t offset = nextOffset_;
        auto chunk = std::make_unique<Chunk>();
        chunk->sequence = claimed_;
        chunk->offset = offset;
        // Chunks end on cluster boundaries (so clusters can be compressed
        // whole) unless the source's own layout forces a cut.
        const uint64_t cluster = options_.clusterSize;
        chunk->length = std::min(size, offset - offset % cluster + chunkSize_) - offset;
        auto status = source_.blockStatus(offset, chunk->length);
        if (!status) return status.error();
        const uint64_t statusLength = std::max<uint64_t>(1, std::min(status->length, chunk->length));
        // Zero ranges are used only in whole target clusters; smaller ones
        // are read like data and found again by the zero scan.
        const uint64_t zeroLength = offset + statusLength == size ? statusLength
                                    : offset % cluster            ? 0
                                                                  : statusLength - statusLength % cluster;
        if (options_.onlyTopLayer && !status->allocated) {
            // Defined by a backing image: stays unallocated in the target.
            chunk->length = statusLength;
            chunk->skip = true;
        } else if (status->zero && (zeroLength > 0 || options_.onlyTopLayer)) {
            chunk->length = options_.onlyTopLayer ? statusLength : zeroLength;
            chunk->knownZero = true;
        } else if (options_.onlyTopLayer) {
            // With a backing file a chunk must not run into a range the top
            // image does not define, or backing data would be copied up.
            chunk->length = statusLength;
        }
        nextOffset_ = offset + chunk->length;
        ++claimed_;
        return chunk;
    }

    Status fill(Chunk& chunk) {
        if (chunk.skip || chunk.knownZero) return {};
        chunk.data.assign(qcow2::alignUp(chunk.length, options_.clusterSize), 0);
        if (auto s = source_.read(chunk.offset, std::span<uint8_t>(chunk.data.data(), chunk.length)); !s)
            return makeError("cannot read " + source_.fileName() + " at offset " +
                             std::to_string(chunk.offset) + ": " + s.message());
        return {};
    }

    void process(Chunk& chunk) {
        using Kind = Chunk::Kind;
        if (chunk.skip) return;
        if (chunk.knownZero) {
            chunk.pieces.push_back({Kind::Zero, chunk.offset, chunk.length, {}});
            return;
        }
        const uint64_t cluster = options_.clusterSize;
        for (uint64_t at = 0; at < chunk.length; at += cluster) {
            const uint64_t length = std::min(cluster, chunk.length - at);
            std::span<const uint8_t> bytes(chunk.data.data() + at, cluster);  // padded with zeros
            Chunk::Piece piece{Kind::Plain, chunk.offset + at, length, {}};
            // Only whole clusters (or the disk's last, partial one) can be compressed.
            const bool wholeCluster = (piece.offset % cluster) == 0 &&
                                      (length == cluster || piece.offset + length == source_.size());
            if (isAllZero(bytes.first(length))) {
                piece.kind = Kind::Zero;
            } else if (options_.compress && wholeCluster &&
                       !(options_.compressionType == qcow2::CompressionType::Zlib &&
                         clearlyIncompressible(bytes))) {
                if (auto packed = qcow2::compressCluster(options_.compressionType, bytes)) {
                    piece.kind = Kind::Compressed;
                    piece.compressed = std::move(*packed);
                }
            }
            // Merge neighbouring plain/zero clusters into one write.
            if (!chunk.pieces.empty() && piece.kind != Kind::Compressed &&
                chunk.pieces.back().kind == piece.kind)
                chunk.pieces.back().length += piece.length;
            else
                chunk.pieces.push_back(std::move(piece));
        }
    }

    // Ordered commit: park the chunk; if nobody is writing, take the turn and
    // write every chunk that is next in guest order.
    Status commit(std::unique_ptr<Chunk> chunk) {
        std::unique_lock lock(mutex_);
        finished_[chunk->sequence] = std::move(chunk);
        if (writing_) return {};
        writing_ = true;
        for (;;) {
            auto it = finished_.find(nextToWrite_);
            if (failure_ || it == finished_.end()) break;
            std::unique_ptr<Chunk> next = std::move(it->second);
            finished_.erase(it);
            lock.unlock();
            Status written = write(*next);
            if (written) control_.report(next->offset + next->length, source_.size());
            lock.lock();
            if (!written) {
                writing_ = false;
                return written;
            }
            ++nextToWrite_;
            windowOpen_.notify_all();
        }
        writing_ = false;
        return {};
    }

    Status write(const Chunk& chunk) {
        for (const auto& piece : chunk.pieces) {
            switch (piece.kind) {
                case Chunk::Kind::Zero:
                    if (!options_.targetReadsZero)
                        TESSERA_TRY(target_.writeZeroes(piece.offset, piece.length, true));
                    break;
                case Chunk::Kind::Plain:
                    TESSERA_TRY(target_.write(
                        piece.offset, std::span<const uint8_t>(
                                          chunk.data.data() + (piece.offset - chunk.offset), piece.length)));
                    break;
                case Chunk::Kind::Compressed:
                    TESSERA_TRY(writeCompressed_(piece.offset, piece.compressed));
                    break;
            }
        }
        return {};
    }

    BlockBackend& source_;
    BlockBackend& target_;
    const CopyOptions& options_;
    const CompressedClusterWriter& writeCompressed_;
    const JobControl& control_;
    uint64_t chunkSize_ = 0;
    uint64_t window_ = 0;

    std::mutex mutex_;
    std::condition_variable windowOpen_;
    uint64_t nextOffset_ = 0;  // next byte of the disk to claim
    uint64_t claimed_ = 0, nextToWrite_ = 0;
    std::map<uint64_t, std::unique_ptr<Chunk>> finished_;
    bool writing_ = false;
    std::optional<Error> failure_;
};

}  // namespace

Status copyImageData(BlockBackend& source, BlockBackend& target, const CopyOptions& options,
                     const CompressedClusterWriter& writeCompressed, const JobControl& control) {
    if (options.clusterSize == 0 || (options.clusterSize & (options.clusterSize - 1)))
        return makeError("internal error: cluster size " + std::to_string(options.clusterSize) +
                         " is not a power of two");
    if (target.size() < source.size())
        return makeError("the target (" + std::to_string(target.size()) +
                         " bytes) is smaller than the source (" + std::to_string(source.size()) + " bytes)");
    if (options.compress && !writeCompressed)
        return makeError("the target format does not support compression");
    CopyPipeline pipeline(source, target, options, writeCompressed, control);
    return pipeline.run();
}

}  // namespace tessera::block
