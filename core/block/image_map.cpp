#include "core/block/image_map.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

namespace tessera::block {

namespace {
const char* jsonBool(bool value) {
    return value ? "true" : "false";
}
}  // namespace

bool MapExtent::canAbsorb(const MapExtent& next) const {
    if (length == 0) return false;
    if (zero != next.zero || data != next.data || compressed != next.compressed || depth != next.depth ||
        present != next.present)
        return false;
    if (offset.has_value() != next.offset.has_value()) return false;
    return !offset || *offset + length == *next.offset;
}

Result<std::vector<MapExtent>> mapImage(BlockBackend& image, const JobControl& control) {
    std::vector<MapExtent> extents;
    const uint64_t size = image.size();
    uint64_t offset = 0;
    while (offset < size) {
        if (control.cancelled()) return makeError(kCancelledMessage);
        auto status = image.blockStatus(offset, size - offset);
        if (!status) return status.error();
        if (status->length == 0)
            return makeError("internal error: block status of " + image.fileName() + " at offset " +
                             std::to_string(offset) + " returned an empty range");
        MapExtent extent;
        extent.start = offset;
        extent.length = std::min(status->length, size - offset);
        extent.depth = status->depth;
        extent.present = status->allocated;
        // qemu-img's "present" and "offset" describe the layer that answered:
        // ask that layer itself (a zero cluster in a backing file is present,
        // a range no layer defines is not; raw files map every byte, holes too).
        BlockBackend* layer = &image;
        for (int d = 0; d < status->depth && layer; ++d)
            layer = const_cast<BlockBackend*>(layer->backingBackend());
        if (layer && layer != &image && offset >= layer->size()) {
            extent.present = false;  // past the end of the backing file: implicit zeros
        } else if (layer && layer != &image) {
            extent.length = std::min(extent.length, layer->size() - offset);
            auto own = layer->blockStatus(offset, extent.length);
            if (!own) return own.error();
            extent.length = std::max<uint64_t>(1, std::min(extent.length, own->length));
            extent.present = own->allocated;
        }
        if (layer && layer->formatName() == "raw" && !status->hostOffset && offset < layer->size())
            extent.offset = offset;
        extent.zero = status->zero;
        extent.data = status->data;
        extent.compressed = status->compressed;
        if (status->hostOffset) extent.offset = status->hostOffset;
        if (!extents.empty() && extents.back().canAbsorb(extent))
            extents.back().length += extent.length;
        else
            extents.push_back(extent);
        offset += extent.length;
        control.report(offset, size);
    }
    return extents;
}

std::string formatMapJson(const std::vector<MapExtent>& extents) {
    std::string out = "[";
    char line[320];
    for (size_t i = 0; i < extents.size(); ++i) {
        const MapExtent& e = extents[i];
        std::snprintf(line, sizeof line,
                      "%s{ \"start\": %" PRIu64 ", \"length\": %" PRIu64
                      ", \"depth\": %d, \"present\": %s, "
                      "\"zero\": %s, \"data\": %s, \"compressed\": %s",
                      i == 0 ? "" : ",\n", e.start, e.length, e.depth, jsonBool(e.present), jsonBool(e.zero),
                      jsonBool(e.data), jsonBool(e.compressed));
        out += line;
        if (e.offset) {
            std::snprintf(line, sizeof line, ", \"offset\": %" PRIu64, *e.offset);
            out += line;
        }
        out += "}";
    }
    out += "]\n";
    return out;
}

Result<std::string> formatMapHuman(const std::vector<MapExtent>& extents,
                                   const std::vector<std::string>& layerFiles) {
    std::string out = "Offset          Length          Mapped to       File\n";
    char line[512];
    for (const MapExtent& e : extents) {
        if (e.data && !e.offset)
            return makeError("File contains external, encrypted or compressed clusters.");
        if (!e.data || !e.offset) continue;
        const std::string file = e.depth >= 0 && static_cast<size_t>(e.depth) < layerFiles.size()
                                     ? layerFiles[e.depth]
                                     : std::string("?");
        std::snprintf(line, sizeof line, "%#-16" PRIx64 "%#-16" PRIx64 "%#-16" PRIx64 "%s\n", e.start,
                      e.length, *e.offset, file.c_str());
        out += line;
    }
    return out;
}

}  // namespace tessera::block
