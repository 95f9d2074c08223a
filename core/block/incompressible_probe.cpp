#include "core/block/incompressible_probe.h"

#include <zstd.h>

#include <array>
#include <cmath>
#include <vector>

namespace tessera::block {

namespace {

struct ProbeContext {
    ZSTD_CCtx* context = ZSTD_createCCtx();
    std::vector<uint8_t> scratch;
    ProbeContext() {
        if (context) ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, 1);
    }
    ~ProbeContext() { ZSTD_freeCCtx(context); }
};
thread_local ProbeContext probe;

double entropyBitsPerByte(std::span<const uint8_t> bytes) {
    std::array<uint32_t, 256> counts{};
    for (uint8_t b : bytes) ++counts[b];
    const double total = static_cast<double>(bytes.size());
    double bits = 0;
    for (uint32_t count : counts) {
        if (!count) continue;
        const double p = count / total;
        bits -= p * std::log2(p);
    }
    return bits;
}

}  // namespace

bool clearlyIncompressible(std::span<const uint8_t> cluster) {
    if (cluster.size() < 16384 || !probe.context) return false;  // too small for a reliable histogram
    // Even uniformly random bytes measure below 8 bits in a finite sample
    // (by about 255 / (2 n ln 2)); allow for that so the bar means the same
    // for every cluster size.
    const double samplingDeficit = 255.0 / (2.0 * static_cast<double>(cluster.size()) * std::log(2.0));
    if (entropyBitsPerByte(cluster) < 7.99 - samplingDeficit) return false;
    probe.scratch.resize(ZSTD_compressBound(cluster.size()));
    ZSTD_CCtx_reset(probe.context, ZSTD_reset_session_only);
    const size_t n = ZSTD_compress2(probe.context, probe.scratch.data(), probe.scratch.size(), cluster.data(),
                                    cluster.size());
    return !ZSTD_isError(n) && n >= cluster.size();
}

}  // namespace tessera::block
