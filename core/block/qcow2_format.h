#pragma once
// On-disk qcow2 structures, per QEMU's docs/interop/qcow2.txt. Pure encode /
// decode: nothing here touches a file, so every function is unit-testable and
// fuzzable in isolation. Bounds against the file size are checked by the
// caller (Qcow2Image::open), which knows the file size.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/util/result.h"

namespace tessera::block::qcow2 {

// --- constants (qcow2.txt "Header") ---------------------------------------
inline constexpr uint32_t kMagic = 0x514649fb;             // "QFI\xfb"
inline constexpr uint32_t kMinClusterBits = 9;             // 512 B
inline constexpr uint32_t kMaxClusterBits = 21;            // 2 MiB (QEMU's limit)
inline constexpr uint32_t kMinExtendedL2ClusterBits = 14;  // 16 KiB (subclusters >= 512 B)
inline constexpr uint32_t kHeaderV2Length = 72;
inline constexpr uint32_t kHeaderV3MinLength = 104;
inline constexpr uint32_t kHeaderV3Length = 112;  // with compression_type + padding
inline constexpr uint32_t kMaxBackingFileNameLength = 1023;
inline constexpr uint64_t kMaxL1Bytes = 32ull << 20;             // QEMU's QCOW_MAX_L1_SIZE
inline constexpr uint64_t kMaxRefcountTableBytes = 8ull << 20;   // QEMU's QCOW_MAX_REFTABLE_SIZE
inline constexpr uint32_t kMaxSnapshots = 65536;                 // QEMU's QCOW_MAX_SNAPSHOTS
inline constexpr uint64_t kMaxSnapshotTableBytes = 64ull << 20;  // QEMU's QCOW_MAX_SNAPSHOTS_SIZE
inline constexpr uint32_t kMaxSnapshotExtraData = 1024;          // QEMU's QCOW_MAX_SNAPSHOT_EXTRA_DATA
inline constexpr uint32_t kMaxRefcountOrder = 6;
inline constexpr uint32_t kSubclustersPerCluster = 32;  // extended L2

// Incompatible feature bits (qcow2.txt header bytes 72-79).
inline constexpr uint64_t kIncompatDirty = 1ull << 0;
inline constexpr uint64_t kIncompatCorrupt = 1ull << 1;
inline constexpr uint64_t kIncompatDataFile = 1ull << 2;
inline constexpr uint64_t kIncompatCompressionType = 1ull << 3;
inline constexpr uint64_t kIncompatExtendedL2 = 1ull << 4;
inline constexpr uint64_t kIncompatKnownMask = 0x1f;
// Compatible feature bits (bytes 80-87).
inline constexpr uint64_t kCompatLazyRefcounts = 1ull << 0;
// Autoclear feature bits (bytes 88-95).
inline constexpr uint64_t kAutoclearBitmaps = 1ull << 0;
inline constexpr uint64_t kAutoclearDataFileRaw = 1ull << 1;

enum class CompressionType : uint8_t { Zlib = 0, Zstd = 1 };
const char* compressionTypeName(CompressionType type);  // "zlib", "zstd"

// Header extension types (qcow2.txt "Header extensions").
inline constexpr uint32_t kExtEnd = 0;
inline constexpr uint32_t kExtBackingFormat = 0xe2792aca;
inline constexpr uint32_t kExtFeatureNameTable = 0x6803f857;
inline constexpr uint32_t kExtBitmaps = 0x23852875;
inline constexpr uint32_t kExtFullDiskEncryption = 0x0537be77;
inline constexpr uint32_t kExtExternalDataFile = 0x44415441;

// --- header -------------------------------------------------------------------
struct Header {
    uint32_t version = 3;
    uint64_t backingFileOffset = 0;
    uint32_t backingFileSize = 0;
    uint32_t clusterBits = 16;
    uint64_t size = 0;  // virtual disk size in bytes
    uint32_t cryptMethod = 0;
    uint32_t l1Size = 0;  // entries
    uint64_t l1TableOffset = 0;
    uint64_t refcountTableOffset = 0;
    uint32_t refcountTableClusters = 0;
    uint32_t nbSnapshots = 0;
    uint64_t snapshotsOffset = 0;
    // v3 (v2 images decode with the defaults below)
    uint64_t incompatibleFeatures = 0;
    uint64_t compatibleFeatures = 0;
    uint64_t autoclearFeatures = 0;
    uint32_t refcountOrder = 4;
    uint32_t headerLength = kHeaderV3Length;
    CompressionType compressionType = CompressionType::Zlib;
    // Optional header fields past byte 112 that we do not know: kept verbatim
    // so a rewritten header preserves them (qcow2.txt: "must be preserved").
    std::vector<uint8_t> unknownTail;

    uint64_t clusterSize() const { return 1ull << clusterBits; }
    uint32_t refcountBits() const { return 1u << refcountOrder; }
    bool extendedL2() const { return incompatibleFeatures & kIncompatExtendedL2; }
    uint32_t l2EntryBytes() const { return extendedL2() ? 16 : 8; }
    uint64_t l2Entries() const { return clusterSize() / l2EntryBytes(); }
    uint64_t refcountBlockEntries() const { return clusterSize() * 8 / refcountBits(); }
};

// Decodes the fixed header and checks everything that needs no file size:
// magic, version, cluster_bits range (before any shift), header_length,
// refcount_order, compression type, extended-L2 constraints.
Result<Header> decodeHeader(std::span<const uint8_t> bytes);
// Encodes header.headerLength bytes (72 for v2).
std::vector<uint8_t> encodeHeader(const Header& header);

// --- header extensions ----------------------------------------------------------
struct HeaderExtension {
    uint32_t type = 0;
    std::vector<uint8_t> data;
};
// Parses the extension list starting at header.headerLength inside `cluster0`
// (the first cluster, or the file if it is shorter). Fails on a length running
// past the end or a duplicate type.
Result<std::vector<HeaderExtension>> decodeExtensions(std::span<const uint8_t> cluster0, uint32_t start);
// Encodes the list followed by the end marker, each entry 8-byte aligned.
std::vector<uint8_t> encodeExtensions(const std::vector<HeaderExtension>& extensions);

// Feature name table entries: 48 bytes each (type, bit, 46-byte name).
enum class FeatureType : uint8_t { Incompatible = 0, Compatible = 1, Autoclear = 2 };
struct FeatureName {
    FeatureType type = FeatureType::Incompatible;
    uint8_t bit = 0;
    std::string name;
};
std::vector<FeatureName> decodeFeatureNameTable(std::span<const uint8_t> data);
std::vector<uint8_t> encodeFeatureNameTable(const std::vector<FeatureName>& names);
// The table QEMU writes into new images (and so do we).
std::vector<FeatureName> standardFeatureNames();

// --- L1 / L2 entries (qcow2.txt "Cluster mapping") --------------------------------
inline constexpr uint64_t kOflagCopied = 1ull << 63;
inline constexpr uint64_t kOflagCompressed = 1ull << 62;
inline constexpr uint64_t kOflagZero = 1ull << 0;
inline constexpr uint64_t kL1OffsetMask = 0x00fffffffffffe00ull;    // bits 9-55
inline constexpr uint64_t kL2OffsetMask = 0x00fffffffffffe00ull;    // bits 9-55
inline constexpr uint64_t kL1ReservedMask = 0x7f000000000001ffull;  // must be zero
inline constexpr uint64_t kL2StandardReservedMask = 0x3f000000000001feull;
inline constexpr uint64_t kReftableOffsetMask = 0xfffffffffffffe00ull;
inline constexpr uint64_t kReftableReservedMask = 0x1ffull;

inline uint64_t l1EntryL2Offset(uint64_t entry) {
    return entry & kL1OffsetMask;
}

enum class ClusterKind : uint8_t {
    Unallocated,    // read from backing (or zeros without one)
    ZeroPlain,      // reads as zero, no host cluster
    ZeroAllocated,  // reads as zero, host cluster preallocated
    Normal,         // host cluster holds the data
    Compressed,     // compressed bytes at an unaligned host offset
};

struct L2Mapping {
    ClusterKind kind = ClusterKind::Unallocated;
    uint64_t hostOffset = 0;       // Normal/ZeroAllocated: cluster offset; Compressed: byte offset
    uint64_t compressedSize = 0;   // Compressed: bytes from hostOffset that may hold the data
    bool copied = false;           // refcount is exactly 1 (valid for the active L1 only)
    bool reservedBitsSet = false;  // a bit the spec reserves is set (check reports it)
};

// Decodes the first u64 of an L2 entry. With extended L2 the zero bit is
// reserved and the allocation state comes from the bitmap (see below).
L2Mapping decodeL2Entry(uint64_t entry, uint32_t clusterBits, bool extendedL2);
uint64_t encodeStandardL2Entry(uint64_t hostOffset, bool copied, bool zero);
// Compressed descriptor: x = 62 - (cluster_bits - 8); bits 0..x-1 host byte
// offset, bits x..61 additional 512-byte sectors. `length` is the compressed
// byte count. Returns nullopt when the range cannot be represented.
std::optional<uint64_t> encodeCompressedL2Entry(uint64_t hostOffset, uint64_t length, uint32_t clusterBits);
// The host clusters whose refcount a compressed entry holds (sector-rounded range).
struct HostRange {
    uint64_t offset = 0;
    uint64_t length = 0;
};
HostRange compressedHostRange(uint64_t entry, uint32_t clusterBits);

// Extended L2 bitmap (second u64): bit i = subcluster i allocated, bit 32+i =
// subcluster i reads as zero. Both set is invalid.
enum class SubclusterKind : uint8_t { Unallocated, Zero, Normal, Invalid };
SubclusterKind subclusterKind(uint64_t bitmap, unsigned index);
inline constexpr uint64_t kBitmapAllAllocated = 0x00000000ffffffffull;
inline constexpr uint64_t kBitmapAllZero = 0xffffffff00000000ull;

// --- refcounts (qcow2.txt "Host cluster management") --------------------------
// A refcount block holds clusterSize*8 >> order entries of (1 << order) bits;
// sub-byte widths are packed with entry 0 in the least significant bits.
uint64_t maxRefcount(uint32_t refcountOrder);
uint64_t readRefcount(std::span<const uint8_t> block, uint64_t index, uint32_t refcountOrder);
void writeRefcount(std::span<uint8_t> block, uint64_t index, uint32_t refcountOrder, uint64_t value);

// --- snapshot table (qcow2.txt "Snapshots") -------------------------------------
struct Snapshot {
    uint64_t l1TableOffset = 0;
    uint32_t l1Size = 0;
    std::string id;
    std::string name;
    uint32_t dateSec = 0;
    uint32_t dateNsec = 0;
    uint64_t vmClockNsec = 0;
    uint64_t vmStateSize = 0;          // the 64-bit extra field when present, else the 32-bit one
    std::optional<uint64_t> diskSize;  // extra data bytes 8-15
    std::vector<uint8_t> extraData;    // kept verbatim for rewriting
};
// Decodes `count` entries with QEMU's limits (qcow2_read_snapshots): at most
// 1 KiB of extra data per entry and 64 MiB for the whole table.
struct SnapshotTable {
    std::vector<Snapshot> snapshots;
    uint64_t byteLength = 0;  // to the end of the last entry, without its padding (QEMU's snapshots_size)
};
// `read` fills `out` with the table bytes at `position`; the caller decides
// what lies past the end of the file (zeros, as QEMU reads, or an error).
using TableReader = std::function<Status(uint64_t position, std::span<uint8_t> out)>;
// With `repairs` (check -r all), what QEMU's repair drops instead of failing:
// extra data past 1 KiB is cut (the entry keeps its place), and snapshots past
// the 64 MiB limit are dropped.
struct SnapshotTableRepairs {
    uint32_t extraDataCut = 0;
    uint32_t snapshotsDropped = 0;
};
Result<SnapshotTable> decodeSnapshotTable(const TableReader& read, uint32_t count,
                                          SnapshotTableRepairs* repairs = nullptr);
// The same from a buffer; entries running past its end are an error.
Result<SnapshotTable> decodeSnapshotTable(std::span<const uint8_t> bytes, uint32_t count);
std::vector<uint8_t> encodeSnapshotTable(const std::vector<Snapshot>& snapshots);

// --- small helpers ---------------------------------------------------------------
inline uint64_t alignUp(uint64_t value, uint64_t alignment) {
    return (value + alignment - 1) & ~(alignment - 1);
}
inline uint64_t divRoundUp(uint64_t value, uint64_t divisor) {
    return (value + divisor - 1) / divisor;
}
std::string hex(uint64_t value);  // "0x1f0000", for messages

}  // namespace tessera::block::qcow2
