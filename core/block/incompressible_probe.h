#pragma once
// A cheap "do not bother" test run before zlib on each cluster. On a used
// disk a quarter or more of the clusters hold data that is already compressed
// (packages, media, archives); deflate spends about half as long on such a
// cluster as on text, only for QEMU's rule to store it uncompressed anyway
// (a cluster is stored compressed only if that makes it smaller). A cluster
// is skipped only when both of these say there is nothing to gain:
//   * its byte histogram is flat (order-0 entropy >= 7.99 bits per byte, less
//     the shortfall any finite random sample shows), so
//     Huffman coding alone cannot save more than ~0.1 %, less than the cost
//     of deflate's code tables; and
//   * zstd at its fastest level, which finds the repeated strings deflate
//     would use, cannot make it smaller.
// Data with any text or structure fails the first test and goes to zlib.

#include <cstdint>
#include <span>

namespace tessera::block {

bool clearlyIncompressible(std::span<const uint8_t> cluster);

}  // namespace tessera::block
