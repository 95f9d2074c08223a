// libFuzzer target: a mutated qcow2 image is opened, read, checked, repaired
// and written to. Every outcome is fine except a crash, a sanitizer report,
// a hang or a runaway allocation. Backing files are not followed (a fuzzed
// name could point anywhere); everything else runs as in production.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "core/block/qcow2_check.h"
#include "core/block/qcow2_image.h"

using namespace tessera::block;

namespace {

std::string scratchPath() {
    static std::string path = [] {
        const char* dir = std::getenv("TMPDIR");
        return std::string(dir ? dir : "/tmp") + "/tessera-qcow2-fuzz-" + std::to_string(::getpid()) +
               ".qcow2";
    }();
    return path;
}

void writeInput(const std::string& path, const uint8_t* data, size_t size) {
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) std::abort();
    if (size) std::fwrite(data, 1, size, f);
    std::fclose(f);
}

void exerciseReads(BlockBackend& image) {
    uint64_t size = image.size();
    std::vector<uint8_t> buffer(256 << 10);
    // The start and the end of the disk, bounded so a huge virtual size costs nothing.
    for (uint64_t at : {uint64_t(0), size > buffer.size() ? size - buffer.size() : 0}) {
        uint64_t length = std::min<uint64_t>(buffer.size(), size - std::min(size, at));
        if (length) (void)image.read(at, std::span(buffer).first(length));
    }
    uint64_t at = 0;
    for (int i = 0; i < 64 && at < size; ++i) {
        auto status = image.blockStatus(at, 1 << 20);
        if (!status || status->length == 0) break;
        at += status->length;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string path = scratchPath();
    writeInput(path, data, size);
    OpenOptions readOnly;
    readOnly.openBacking = false;
    readOnly.lock = false;
    if (auto image = Qcow2Image::open(path, readOnly)) {
        exerciseReads(**image);
        (*image)->close().ok();
    }
    (void)checkImage(path, RepairMode::None);
    (void)checkImage(path, RepairMode::All);
    OpenOptions readWrite = readOnly;
    readWrite.readOnly = false;
    if (auto image = Qcow2Image::open(path, readWrite)) {
        Qcow2Image& q = **image;
        uint64_t diskSize = q.size();
        std::vector<uint8_t> block(4096, 0xa5);
        if (diskSize >= block.size()) {
            (void)q.write(0, block);
            (void)q.write(diskSize / 2 / 4096 * 4096, block);
            (void)q.writeZeroes(0, std::min<uint64_t>(diskSize, 1 << 20), true);
            (void)q.discard(diskSize / 2 / 4096 * 4096, 4096);
        }
        (void)q.flush();
        exerciseReads(q);
        (void)q.close();
    }
    ::unlink(path.c_str());
    return 0;
}
