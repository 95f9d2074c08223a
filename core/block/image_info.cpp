#include "core/block/image_info.h"

#include <sys/stat.h>

#include <cinttypes>
#include <cstdio>
#include <ctime>

#include "core/block/json_writer.h"
#include "core/block/open_image.h"
#include "core/block/qcow2_image.h"
#include "core/block/size_parser.h"

namespace tessera::block {

namespace {

uint64_t readBigEndian64(const std::vector<uint8_t>& bytes, size_t at) {
    uint64_t value = 0;
    for (size_t i = 0; i < 8; ++i) value = (value << 8) | bytes[at + i];
    return value;
}

uint64_t allocatedBytesOnHost(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return 0;
    return static_cast<uint64_t>(st.st_blocks) * 512;
}

}  // namespace

std::string combineBackingPath(const std::string& imagePath, const std::string& backingName) {
    if (backingName.empty() || backingName[0] == '/') return backingName;
    const size_t slash = imagePath.rfind('/');
    if (slash == std::string::npos) return backingName;
    return imagePath.substr(0, slash + 1) + backingName;
}

Result<ImageInfo> describeImage(const BlockBackend& image, const std::string& filename) {
    ImageInfo info;
    info.filename = filename;
    info.format = image.formatName();
    info.virtualSize = image.size();
    info.actualSize = allocatedBytesOnHost(image.fileName());
    const auto* qcow2 = dynamic_cast<const Qcow2Image*>(&image);
    if (!qcow2) return info;

    info.dirty = qcow2->dirty();
    info.clusterSize = qcow2->clusterSize();
    if (!qcow2->backingFileName().empty()) {
        info.backingFilename = qcow2->backingFileName();
        info.fullBackingFilename = combineBackingPath(filename, qcow2->backingFileName());
        if (!qcow2->backingFormat().empty()) info.backingFormat = qcow2->backingFormat();
    }
    for (const auto& snapshot : qcow2->snapshots()) {
        SnapshotInfo entry;
        entry.id = snapshot.id;
        entry.name = snapshot.name;
        entry.vmStateSize = snapshot.vmStateSize;
        entry.dateSec = snapshot.dateSec;
        entry.dateNsec = snapshot.dateNsec;
        entry.vmClockNsec = snapshot.vmClockNsec;
        // qcow2.txt "Snapshot table entry" extra data: bytes 16-23 = icount.
        if (snapshot.extraData.size() >= 24) {
            const uint64_t icount = readBigEndian64(snapshot.extraData, 16);
            if (icount != UINT64_MAX) entry.icount = icount;
        }
        info.snapshots.push_back(entry);
    }
    Qcow2Info specific;
    specific.compat = qcow2->compat();
    specific.compressionType = qcow2::compressionTypeName(qcow2->compressionType());
    specific.lazyRefcounts = qcow2->lazyRefcounts();
    specific.refcountBits = qcow2->header().refcountBits();
    specific.corrupt = qcow2->corrupt();
    specific.extendedL2 = qcow2->extendedL2();
    info.qcow2 = specific;
    return info;
}

Result<std::vector<ImageInfo>> describeImageChain(const std::string& path, std::optional<ImageFormat> format,
                                                  bool backingChain, bool forceShare) {
    OpenOptions options;
    options.readOnly = true;
    options.format = format;
    options.openBacking = backingChain;
    options.lock = !forceShare;
    // Like qemu-img info: a damaged image still describes itself (`img check` says what is wrong).
    options.validation = OpenValidation::Describe;
    auto image = openImage(path, options);
    if (!image) return image.error();

    std::vector<ImageInfo> chain;
    const BlockBackend* layer = image->get();
    std::string name = path;
    while (layer) {
        auto info = describeImage(*layer, name);
        if (!info) return info.error();
        chain.push_back(*info);
        if (!backingChain || !info->fullBackingFilename) break;
        name = *info->fullBackingFilename;
        layer = layer->backingBackend();
    }
    return chain;
}

namespace {

std::string snapshotDate(uint32_t seconds) {
    std::time_t time = seconds;
    std::tm local{};
    localtime_r(&time, &local);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &local);
    return buffer;
}

std::string vmClock(uint64_t nanoseconds) {
    const uint64_t seconds = nanoseconds / 1000000000;
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%02" PRIu64 ":%02" PRIu64 ":%02" PRIu64 ".%03" PRIu64,
                  seconds / 3600, (seconds / 60) % 60, seconds % 60, (nanoseconds / 1000000) % 1000);
    return buffer;
}

void appendHuman(std::string& out, const ImageInfo& info) {
    char line[1200];
    out += "image: " + info.filename + "\n";
    out += "file format: " + info.format + "\n";
    std::snprintf(line, sizeof line, "virtual size: %s (%" PRIu64 " bytes)\n",
                  formatHumanSize(info.virtualSize).c_str(), info.virtualSize);
    out += line;
    out += "disk size: " + formatHumanSize(info.actualSize) + "\n";
    if (info.clusterSize) out += "cluster_size: " + std::to_string(*info.clusterSize) + "\n";
    if (info.backingFilename) {
        out += "backing file: " + *info.backingFilename;
        if (info.fullBackingFilename && *info.fullBackingFilename != *info.backingFilename)
            out += " (actual path: " + *info.fullBackingFilename + ")";
        out += "\n";
        if (info.backingFormat) out += "backing file format: " + *info.backingFormat + "\n";
    }
    if (info.dirty) out += "cleanly shut down: no\n";
    if (!info.snapshots.empty()) {
        out += "Snapshot list:\n";
        std::snprintf(line, sizeof line, "%-9s %-17s %7s%20s %13s %11s\n", "ID", "TAG", "VM SIZE", "DATE",
                      "VM CLOCK", "ICOUNT");
        out += line;
        for (const auto& s : info.snapshots) {
            const std::string icount = s.icount ? std::to_string(*s.icount) : std::string();
            std::snprintf(line, sizeof line, "%-9s %-17s %7s%20s %13s %11s\n", s.id.c_str(), s.name.c_str(),
                          formatHumanSize(s.vmStateSize).c_str(), snapshotDate(s.dateSec).c_str(),
                          vmClock(s.vmClockNsec).c_str(), icount.c_str());
            out += line;
        }
    }
    if (info.qcow2) {
        const Qcow2Info& q = *info.qcow2;
        out += "Format specific information:\n";
        out += "    compat: " + q.compat + "\n";
        out += "    compression type: " + q.compressionType + "\n";
        if (q.compat != "0.10")
            out += std::string("    lazy refcounts: ") + (q.lazyRefcounts ? "true" : "false") + "\n";
        out += "    refcount bits: " + std::to_string(q.refcountBits) + "\n";
        if (q.compat != "0.10") {
            out += std::string("    corrupt: ") + (q.corrupt ? "true" : "false") + "\n";
            out += std::string("    extended l2: ") + (q.extendedL2 ? "true" : "false") + "\n";
        }
    }
}

void appendJson(JsonWriter& json, const ImageInfo& info) {
    json.beginObject();
    json.value("filename", info.filename);
    json.value("format", info.format);
    json.value("virtual-size", info.virtualSize);
    json.value("actual-size", info.actualSize);
    json.value("dirty-flag", info.dirty);
    if (info.clusterSize) json.value("cluster-size", *info.clusterSize);
    if (info.backingFilename) {
        json.value("backing-filename", *info.backingFilename);
        json.value("full-backing-filename", *info.fullBackingFilename);
        if (info.backingFormat) json.value("backing-filename-format", *info.backingFormat);
    }
    if (!info.snapshots.empty()) {
        json.beginArray("snapshots");
        for (const auto& s : info.snapshots) {
            json.beginObject();
            json.value("id", s.id);
            json.value("name", s.name);
            json.value("vm-state-size", s.vmStateSize);
            json.value("date-sec", static_cast<uint64_t>(s.dateSec));
            json.value("date-nsec", static_cast<uint64_t>(s.dateNsec));
            json.value("vm-clock-sec", s.vmClockNsec / 1000000000);
            json.value("vm-clock-nsec", s.vmClockNsec % 1000000000);
            if (s.icount) json.value("icount", *s.icount);
            json.endObject();
        }
        json.endArray();
    }
    if (info.qcow2) {
        const Qcow2Info& q = *info.qcow2;
        json.beginObject("format-specific");
        json.value("type", "qcow2");
        json.beginObject("data");
        json.value("compat", q.compat);
        json.value("compression-type", q.compressionType);
        if (q.compat != "0.10") json.value("lazy-refcounts", q.lazyRefcounts);
        json.value("refcount-bits", static_cast<uint64_t>(q.refcountBits));
        if (q.compat != "0.10") {
            json.value("corrupt", q.corrupt);
            json.value("extended-l2", q.extendedL2);
        }
        json.endObject();
        json.endObject();
    }
    json.endObject();
}

}  // namespace

std::string formatInfoHuman(const std::vector<ImageInfo>& chain) {
    std::string out;
    for (size_t i = 0; i < chain.size(); ++i) {
        if (i) out += "\n";
        appendHuman(out, chain[i]);
    }
    return out;
}

std::string formatInfoJson(const std::vector<ImageInfo>& chain, bool asArray) {
    JsonWriter json;
    if (asArray) json.beginArray();
    for (const auto& info : chain) appendJson(json, info);
    if (asArray) json.endArray();
    return json.text();
}

}  // namespace tessera::block
