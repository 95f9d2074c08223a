#include "core/block/qcow2_format.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <set>

#include "core/block/big_endian.h"

namespace tessera::block::qcow2 {

std::string hex(uint64_t value) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(value));
    return buf;
}

const char* compressionTypeName(CompressionType type) {
    return type == CompressionType::Zstd ? "zstd" : "zlib";
}

// Header byte offsets (qcow2.txt "Header").
namespace off {
constexpr size_t magic = 0, version = 4, backingFileOffset = 8, backingFileSize = 16, clusterBits = 20,
                 size = 24, cryptMethod = 32, l1Size = 36, l1TableOffset = 40, refcountTableOffset = 48,
                 refcountTableClusters = 56, nbSnapshots = 60, snapshotsOffset = 64,
                 incompatibleFeatures = 72, compatibleFeatures = 80, autoclearFeatures = 88,
                 refcountOrder = 96, headerLength = 100, compressionType = 104;
}  // namespace off

Result<Header> decodeHeader(std::span<const uint8_t> bytes) {
    if (bytes.size() < kHeaderV2Length)
        return makeError("The file is too short to be a qcow2 image (truncated header).");
    const uint8_t* p = bytes.data();
    if (loadBE32(p + off::magic) != kMagic) return makeError("Not a qcow2 image (wrong magic).");
    Header h;
    h.version = loadBE32(p + off::version);
    if (h.version != 2 && h.version != 3)
        return makeError("Unsupported qcow2 version " + std::to_string(h.version) + " (only 2 and 3 exist).");
    h.backingFileOffset = loadBE64(p + off::backingFileOffset);
    h.backingFileSize = loadBE32(p + off::backingFileSize);
    h.clusterBits = loadBE32(p + off::clusterBits);
    // Range-check before anything computes 1 << clusterBits (qcow2-rs PR #8).
    if (h.clusterBits < kMinClusterBits || h.clusterBits > kMaxClusterBits)
        return makeError("Unsupported cluster size: cluster_bits is " + std::to_string(h.clusterBits) +
                         ", but it must be between 9 (512 B) and 21 (2 MiB).");
    h.size = loadBE64(p + off::size);
    h.cryptMethod = loadBE32(p + off::cryptMethod);
    h.l1Size = loadBE32(p + off::l1Size);
    h.l1TableOffset = loadBE64(p + off::l1TableOffset);
    h.refcountTableOffset = loadBE64(p + off::refcountTableOffset);
    h.refcountTableClusters = loadBE32(p + off::refcountTableClusters);
    h.nbSnapshots = loadBE32(p + off::nbSnapshots);
    h.snapshotsOffset = loadBE64(p + off::snapshotsOffset);

    if (h.version == 2) {
        h.refcountOrder = 4;
        h.headerLength = kHeaderV2Length;
        return h;
    }
    if (bytes.size() < kHeaderV3MinLength)
        return makeError("The file is too short for a qcow2 version 3 header (truncated header).");
    h.incompatibleFeatures = loadBE64(p + off::incompatibleFeatures);
    h.compatibleFeatures = loadBE64(p + off::compatibleFeatures);
    h.autoclearFeatures = loadBE64(p + off::autoclearFeatures);
    h.refcountOrder = loadBE32(p + off::refcountOrder);
    h.headerLength = loadBE32(p + off::headerLength);
    if (h.refcountOrder > kMaxRefcountOrder)
        return makeError("Invalid refcount_order " + std::to_string(h.refcountOrder) +
                         " (refcount width must be 1 to 64 bits).");
    if (h.headerLength < kHeaderV3MinLength || h.headerLength % 8 != 0)
        return makeError("Invalid qcow2 header_length " + std::to_string(h.headerLength) +
                         " (must be a multiple of 8 and at least 104).");
    if (h.headerLength > h.clusterSize())
        return makeError("Invalid qcow2 header_length " + std::to_string(h.headerLength) +
                         ": the header does not fit in the first cluster.");
    if (bytes.size() < h.headerLength)
        return makeError("The file is too short for its qcow2 header (truncated header).");
    uint8_t compression = h.headerLength > off::compressionType ? p[off::compressionType] : 0;
    if (compression > 1)
        return makeError("Unsupported qcow2 compression type " + std::to_string(compression) +
                         " (known: 0 = zlib, 1 = zstd).");
    bool bitSet = h.incompatibleFeatures & kIncompatCompressionType;
    if (compression != 0 && !bitSet)
        return makeError(
            "Invalid qcow2 header: compression_type is set but the compression type feature bit is not.");
    if (compression == 0 && bitSet)
        return makeError(
            "Invalid qcow2 header: the compression type feature bit is set but compression_type is zlib.");
    h.compressionType = CompressionType(compression);
    if (h.extendedL2() && h.clusterBits < kMinExtendedL2ClusterBits)
        return makeError("Invalid qcow2 image: extended L2 entries need clusters of at least 16 KiB.");
    if (h.headerLength > kHeaderV3Length) h.unknownTail.assign(p + kHeaderV3Length, p + h.headerLength);
    return h;
}

std::vector<uint8_t> encodeHeader(const Header& h) {
    uint32_t length = h.version == 2 ? kHeaderV2Length : std::max(h.headerLength, kHeaderV3MinLength);
    std::vector<uint8_t> out(length, 0);
    uint8_t* p = out.data();
    storeBE32(p + off::magic, kMagic);
    storeBE32(p + off::version, h.version);
    storeBE64(p + off::backingFileOffset, h.backingFileOffset);
    storeBE32(p + off::backingFileSize, h.backingFileSize);
    storeBE32(p + off::clusterBits, h.clusterBits);
    storeBE64(p + off::size, h.size);
    storeBE32(p + off::cryptMethod, h.cryptMethod);
    storeBE32(p + off::l1Size, h.l1Size);
    storeBE64(p + off::l1TableOffset, h.l1TableOffset);
    storeBE64(p + off::refcountTableOffset, h.refcountTableOffset);
    storeBE32(p + off::refcountTableClusters, h.refcountTableClusters);
    storeBE32(p + off::nbSnapshots, h.nbSnapshots);
    storeBE64(p + off::snapshotsOffset, h.snapshotsOffset);
    if (h.version == 2) return out;
    storeBE64(p + off::incompatibleFeatures, h.incompatibleFeatures);
    storeBE64(p + off::compatibleFeatures, h.compatibleFeatures);
    storeBE64(p + off::autoclearFeatures, h.autoclearFeatures);
    storeBE32(p + off::refcountOrder, h.refcountOrder);
    storeBE32(p + off::headerLength, length);
    if (length > off::compressionType) p[off::compressionType] = uint8_t(h.compressionType);
    if (length > kHeaderV3Length && !h.unknownTail.empty())
        std::memcpy(p + kHeaderV3Length, h.unknownTail.data(),
                    std::min<size_t>(h.unknownTail.size(), length - kHeaderV3Length));
    return out;
}

Result<std::vector<HeaderExtension>> decodeExtensions(std::span<const uint8_t> cluster0, uint32_t start) {
    std::vector<HeaderExtension> list;
    std::set<uint32_t> seen;
    uint64_t pos = start;
    while (true) {
        if (pos + 8 > cluster0.size())
            return makeError(
                "Invalid qcow2 header extension list: it runs past the end of the first cluster.");
        uint32_t type = loadBE32(cluster0.data() + pos);
        uint32_t length = loadBE32(cluster0.data() + pos + 4);
        pos += 8;
        if (type == kExtEnd) break;
        if (length > cluster0.size() - pos)
            return makeError("Invalid qcow2 header extension 0x" +
                             [&] {
                                 char buf[16];
                                 std::snprintf(buf, sizeof buf, "%08x", type);
                                 return std::string(buf);
                             }() +
                             ": its length " + std::to_string(length) +
                             " runs past the end of the first cluster.");
        if (!seen.insert(type).second)
            return makeError("Invalid qcow2 image: a header extension appears twice.");
        HeaderExtension ext;
        ext.type = type;
        ext.data.assign(cluster0.data() + pos, cluster0.data() + pos + length);
        list.push_back(std::move(ext));
        pos += alignUp(length, 8);
    }
    return list;
}

std::vector<uint8_t> encodeExtensions(const std::vector<HeaderExtension>& extensions) {
    std::vector<uint8_t> out;
    for (const auto& ext : extensions) {
        size_t at = out.size();
        out.resize(at + 8 + alignUp(ext.data.size(), 8), 0);
        storeBE32(out.data() + at, ext.type);
        storeBE32(out.data() + at + 4, uint32_t(ext.data.size()));
        if (!ext.data.empty()) std::memcpy(out.data() + at + 8, ext.data.data(), ext.data.size());
    }
    out.resize(out.size() + 8, 0);  // end marker: type 0, length 0
    return out;
}

std::vector<FeatureName> decodeFeatureNameTable(std::span<const uint8_t> data) {
    std::vector<FeatureName> names;
    for (size_t pos = 0; pos + 48 <= data.size(); pos += 48) {
        FeatureName n;
        n.type = FeatureType(data[pos]);
        n.bit = data[pos + 1];
        const char* s = reinterpret_cast<const char*>(data.data() + pos + 2);
        n.name.assign(s, strnlen(s, 46));
        names.push_back(std::move(n));
    }
    return names;
}

std::vector<uint8_t> encodeFeatureNameTable(const std::vector<FeatureName>& names) {
    std::vector<uint8_t> out(names.size() * 48, 0);
    for (size_t i = 0; i < names.size(); ++i) {
        out[i * 48] = uint8_t(names[i].type);
        out[i * 48 + 1] = names[i].bit;
        std::memcpy(out.data() + i * 48 + 2, names[i].name.data(),
                    std::min<size_t>(46, names[i].name.size()));
    }
    return out;
}

std::vector<FeatureName> standardFeatureNames() {
    return {
        {FeatureType::Incompatible, 0, "dirty bit"},
        {FeatureType::Incompatible, 1, "corrupt bit"},
        {FeatureType::Incompatible, 2, "external data file"},
        {FeatureType::Incompatible, 3, "compression type"},
        {FeatureType::Incompatible, 4, "extended L2 entries"},
        {FeatureType::Compatible, 0, "lazy refcounts"},
        {FeatureType::Autoclear, 0, "bitmaps"},
        {FeatureType::Autoclear, 1, "raw external data"},
    };
}

L2Mapping decodeL2Entry(uint64_t entry, uint32_t clusterBits, bool extendedL2) {
    L2Mapping m;
    m.copied = entry & kOflagCopied;
    if (entry & kOflagCompressed) {
        uint32_t x = 62 - (clusterBits - 8);
        m.kind = ClusterKind::Compressed;
        m.hostOffset = entry & ((1ull << x) - 1);
        uint64_t sectors = ((entry & ~(kOflagCopied | kOflagCompressed)) >> x) + 1;
        // The data runs from hostOffset to the end of the last counted sector.
        m.compressedSize = sectors * 512 - (m.hostOffset & 511);
        // COPIED must never be set on compressed entries.
        m.reservedBitsSet = m.copied;
        return m;
    }
    m.hostOffset = entry & kL2OffsetMask;
    bool zero = !extendedL2 && (entry & kOflagZero);
    m.reservedBitsSet = (entry & kL2StandardReservedMask) != 0 || (extendedL2 && (entry & kOflagZero));
    if (zero)
        m.kind = m.hostOffset ? ClusterKind::ZeroAllocated : ClusterKind::ZeroPlain;
    else
        m.kind = m.hostOffset ? ClusterKind::Normal : ClusterKind::Unallocated;
    return m;
}

uint64_t encodeStandardL2Entry(uint64_t hostOffset, bool copied, bool zero) {
    return (hostOffset & kL2OffsetMask) | (copied ? kOflagCopied : 0) | (zero ? kOflagZero : 0);
}

std::optional<uint64_t> encodeCompressedL2Entry(uint64_t hostOffset, uint64_t length, uint32_t clusterBits) {
    if (length == 0) return std::nullopt;
    uint32_t x = 62 - (clusterBits - 8);
    if (hostOffset >= (1ull << x)) return std::nullopt;
    uint64_t end = hostOffset + length;
    uint64_t sectors = divRoundUp(end, 512) - hostOffset / 512;
    uint64_t maxSectorsField = (1ull << (62 - x)) - 1;
    if (sectors - 1 > maxSectorsField) return std::nullopt;
    return kOflagCompressed | ((sectors - 1) << x) | hostOffset;
}

HostRange compressedHostRange(uint64_t entry, uint32_t clusterBits) {
    L2Mapping m = decodeL2Entry(entry, clusterBits, false);
    uint64_t start = m.hostOffset & ~511ull;
    return {start, m.hostOffset + m.compressedSize - start};
}

SubclusterKind subclusterKind(uint64_t bitmap, unsigned index) {
    bool alloc = (bitmap >> index) & 1;
    bool zero = (bitmap >> (32 + index)) & 1;
    if (alloc && zero) return SubclusterKind::Invalid;
    if (zero) return SubclusterKind::Zero;
    return alloc ? SubclusterKind::Normal : SubclusterKind::Unallocated;
}

uint64_t maxRefcount(uint32_t order) {
    return order >= 6 ? ~0ull : (1ull << (1u << order)) - 1;
}

uint64_t readRefcount(std::span<const uint8_t> block, uint64_t index, uint32_t order) {
    const uint8_t* p = block.data();
    switch (order) {
        case 0:
            return (p[index / 8] >> (index % 8)) & 1;
        case 1:
            return (p[index / 4] >> (2 * (index % 4))) & 3;
        case 2:
            return (p[index / 2] >> (4 * (index % 2))) & 15;
        case 3:
            return p[index];
        case 4:
            return loadBE16(p + 2 * index);
        case 5:
            return loadBE32(p + 4 * index);
        default:
            return loadBE64(p + 8 * index);
    }
}

void writeRefcount(std::span<uint8_t> block, uint64_t index, uint32_t order, uint64_t value) {
    uint8_t* p = block.data();
    auto packed = [&](unsigned bits) {
        unsigned perByte = 8 / bits;
        unsigned shift = bits * unsigned(index % perByte);
        uint8_t mask = uint8_t(((1u << bits) - 1) << shift);
        uint8_t& byte = p[index / perByte];
        byte = uint8_t((byte & ~mask) | ((value << shift) & mask));
    };
    switch (order) {
        case 0:
            packed(1);
            break;
        case 1:
            packed(2);
            break;
        case 2:
            packed(4);
            break;
        case 3:
            p[index] = uint8_t(value);
            break;
        case 4:
            storeBE16(p + 2 * index, uint16_t(value));
            break;
        case 5:
            storeBE32(p + 4 * index, uint32_t(value));
            break;
        default:
            storeBE64(p + 8 * index, value);
            break;
    }
}

Result<SnapshotTable> decodeSnapshotTable(const TableReader& read, uint32_t count,
                                          SnapshotTableRepairs* repairs) {
    SnapshotTable table;
    table.snapshots.reserve(std::min(count, kMaxSnapshots));
    uint64_t pos = 0;
    std::vector<uint8_t> variable;
    for (uint32_t i = 0; i < count; ++i) {
        const uint64_t entryStart = pos;
        pos = alignUp(pos, 8);
        uint8_t p[40];
        TESSERA_TRY(read(pos, p));
        Snapshot s;
        s.l1TableOffset = loadBE64(p);
        s.l1Size = loadBE32(p + 8);
        uint16_t idLen = loadBE16(p + 12);
        uint16_t nameLen = loadBE16(p + 14);
        s.dateSec = loadBE32(p + 16);
        s.dateNsec = loadBE32(p + 20);
        s.vmClockNsec = loadBE64(p + 24);
        s.vmStateSize = loadBE32(p + 32);
        const uint32_t extraSize = loadBE32(p + 36);
        uint32_t extraKept = extraSize;
        if (extraSize > kMaxSnapshotExtraData) {
            if (!repairs)
                return makeError("snapshot table entry " + std::to_string(i) + " has " +
                                 std::to_string(extraSize) + " bytes of extra data (at most 1024)");
            repairs->extraDataCut++;
            extraKept = kMaxSnapshotExtraData;
        }
        variable.resize(size_t(extraKept) + idLen + nameLen);
        TESSERA_TRY(read(pos + 40, std::span(variable).first(extraKept)));
        TESSERA_TRY(read(pos + 40 + extraSize, std::span(variable).subspan(extraKept)));
        const uint8_t* v = variable.data();
        s.extraData.assign(v, v + extraKept);
        if (extraKept >= 8) s.vmStateSize = loadBE64(v);
        if (extraKept >= 16) s.diskSize = loadBE64(v + 8);
        s.id.assign(reinterpret_cast<const char*>(v + extraKept), idLen);
        s.name.assign(reinterpret_cast<const char*>(v + extraKept + idLen), nameLen);
        pos += 40 + uint64_t(extraSize) + idLen + nameLen;
        if (pos > kMaxSnapshotTableBytes) {
            if (!repairs)
                return makeError("the snapshot table is larger than 64 MiB (at entry " + std::to_string(i) +
                                 ")");
            repairs->snapshotsDropped = count - i;
            pos = entryStart;
            break;
        }
        table.snapshots.push_back(std::move(s));
    }
    table.byteLength = pos;
    return table;
}

Result<SnapshotTable> decodeSnapshotTable(std::span<const uint8_t> bytes, uint32_t count) {
    return decodeSnapshotTable(
        [&](uint64_t position, std::span<uint8_t> out) -> Status {
            if (position > bytes.size() || out.size() > bytes.size() - position)
                return makeError("a snapshot table entry runs past the end of the table");
            std::copy_n(bytes.data() + position, out.size(), out.data());
            return {};
        },
        count);
}

std::vector<uint8_t> encodeSnapshotTable(const std::vector<Snapshot>& snapshots) {
    std::vector<uint8_t> out;
    for (const auto& s : snapshots) {
        std::vector<uint8_t> extra = s.extraData;
        if (extra.size() < 16) extra.resize(16, 0);
        storeBE64(extra.data(), s.vmStateSize);
        if (s.diskSize) storeBE64(extra.data() + 8, *s.diskSize);
        size_t at = out.size();
        size_t length = 40 + extra.size() + s.id.size() + s.name.size();
        out.resize(at + alignUp(length, 8), 0);
        uint8_t* p = out.data() + at;
        storeBE64(p, s.l1TableOffset);
        storeBE32(p + 8, s.l1Size);
        storeBE16(p + 12, uint16_t(s.id.size()));
        storeBE16(p + 14, uint16_t(s.name.size()));
        storeBE32(p + 16, s.dateSec);
        storeBE32(p + 20, s.dateNsec);
        storeBE64(p + 24, s.vmClockNsec);
        storeBE32(p + 32, uint32_t(std::min<uint64_t>(s.vmStateSize, 0xffffffffu)));
        storeBE32(p + 36, uint32_t(extra.size()));
        std::memcpy(p + 40, extra.data(), extra.size());
        std::memcpy(p + 40 + extra.size(), s.id.data(), s.id.size());
        std::memcpy(p + 40 + extra.size() + s.id.size(), s.name.data(), s.name.size());
    }
    return out;
}

}  // namespace tessera::block::qcow2
