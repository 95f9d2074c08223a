#include "core/block/qcow2_compress.h"

#include <zlib.h>
#include <zstd.h>

#include <memory>

namespace tessera::block::qcow2 {
namespace {

// zlib streams are reused per thread: deflateInit2 allocates ~256 KiB, which
// would dominate the cost of compressing one 64 KiB cluster.
struct DeflateStream {
    z_stream stream{};
    int level = -2;
    bool ready = false;
    ~DeflateStream() {
        if (ready) deflateEnd(&stream);
    }
};
struct InflateStream {
    z_stream stream{};
    bool ready = false;
    ~InflateStream() {
        if (ready) inflateEnd(&stream);
    }
};
struct ZstdContexts {
    ZSTD_CCtx* cctx = nullptr;
    ZSTD_DCtx* dctx = nullptr;
    ~ZstdContexts() {
        ZSTD_freeCCtx(cctx);
        ZSTD_freeDCtx(dctx);
    }
};
thread_local DeflateStream tlsDeflate;
thread_local InflateStream tlsInflate;
thread_local ZstdContexts tlsZstd;

std::optional<std::vector<uint8_t>> deflateCluster(std::span<const uint8_t> in, int level) {
    int zlevel = level < 0 ? Z_DEFAULT_COMPRESSION : level;
    DeflateStream& d = tlsDeflate;
    if (d.ready && d.level != zlevel) {
        deflateEnd(&d.stream);
        d.ready = false;
    }
    if (!d.ready) {
        d.stream = z_stream{};
        // Raw deflate, 4 KiB window: what QEMU writes (block/qcow2-threads.c).
        if (deflateInit2(&d.stream, zlevel, Z_DEFLATED, -12, 9, Z_DEFAULT_STRATEGY) != Z_OK)
            return std::nullopt;
        d.ready = true;
        d.level = zlevel;
    } else {
        deflateReset(&d.stream);
    }
    std::vector<uint8_t> out(in.size());  // must end up strictly smaller
    d.stream.next_in = const_cast<uint8_t*>(in.data());
    d.stream.avail_in = uInt(in.size());
    d.stream.next_out = out.data();
    d.stream.avail_out = uInt(out.size());
    int r = deflate(&d.stream, Z_FINISH);
    if (r != Z_STREAM_END) return std::nullopt;  // did not fit: store uncompressed
    out.resize(out.size() - d.stream.avail_out);
    if (out.size() >= in.size()) return std::nullopt;
    return out;
}

std::optional<std::vector<uint8_t>> zstdCluster(std::span<const uint8_t> in, int level) {
    if (!tlsZstd.cctx) tlsZstd.cctx = ZSTD_createCCtx();
    if (!tlsZstd.cctx) return std::nullopt;
    ZSTD_CCtx_reset(tlsZstd.cctx, ZSTD_reset_session_only);
    ZSTD_CCtx_setParameter(tlsZstd.cctx, ZSTD_c_compressionLevel, level < 0 ? ZSTD_CLEVEL_DEFAULT : level);
    std::vector<uint8_t> out(in.size());
    size_t n = ZSTD_compress2(tlsZstd.cctx, out.data(), out.size(), in.data(), in.size());
    if (ZSTD_isError(n) || n >= in.size()) return std::nullopt;
    out.resize(n);
    return out;
}

}  // namespace

std::optional<std::vector<uint8_t>> compressCluster(CompressionType type, std::span<const uint8_t> cluster,
                                                    int level) {
    return type == CompressionType::Zstd ? zstdCluster(cluster, level) : deflateCluster(cluster, level);
}

Status decompressCluster(CompressionType type, std::span<const uint8_t> in, std::span<uint8_t> out) {
    if (type == CompressionType::Zstd) {
        if (!tlsZstd.dctx) tlsZstd.dctx = ZSTD_createDCtx();
        if (!tlsZstd.dctx) return makeError("Out of memory creating a zstd decompressor.");
        ZSTD_DCtx_reset(tlsZstd.dctx, ZSTD_reset_session_only);
        ZSTD_inBuffer input{in.data(), in.size(), 0};
        ZSTD_outBuffer output{out.data(), out.size(), 0};
        // Stream until the cluster is full: the trailing sector bytes after
        // the frame are never looked at.
        while (output.pos < output.size) {
            size_t r = ZSTD_decompressStream(tlsZstd.dctx, &output, &input);
            if (ZSTD_isError(r))
                return makeError(std::string("Corrupt zstd-compressed cluster: ") + ZSTD_getErrorName(r) +
                                 ".");
            if (r == 0 || input.pos == input.size) break;  // frame ended or input exhausted
        }
        if (output.pos != output.size)
            return makeError(
                "Corrupt zstd-compressed cluster: it decompresses to fewer bytes than a cluster.");
        return {};
    }
    InflateStream& s = tlsInflate;
    if (!s.ready) {
        s.stream = z_stream{};
        if (inflateInit2(&s.stream, -12) != Z_OK)
            return makeError("Out of memory creating a zlib decompressor.");
        s.ready = true;
    } else {
        inflateReset(&s.stream);
    }
    s.stream.next_in = const_cast<uint8_t*>(in.data());
    s.stream.avail_in = uInt(in.size());
    s.stream.next_out = out.data();
    s.stream.avail_out = uInt(out.size());
    int r = inflate(&s.stream, Z_FINISH);
    // QEMU accepts Z_BUF_ERROR as long as the output cluster is full.
    bool full = s.stream.avail_out == 0;
    if (!((r == Z_STREAM_END || r == Z_BUF_ERROR || r == Z_OK) && full))
        return makeError("Corrupt zlib-compressed cluster: it does not decompress to a full cluster.");
    return {};
}

}  // namespace tessera::block::qcow2
