#include "core/block/image_compact.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <random>

#include "core/block/host_file.h"
#include "core/block/image_compare.h"
#include "core/block/image_convert.h"
#include "core/block/image_copy.h"
#include "core/block/open_image.h"
#include "core/block/qcow2_image.h"
#include "core/block/raw_image.h"

namespace tessera::block {

namespace {

std::string directoryOf(const std::string& path) {
    const size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

std::string temporaryNameNextTo(const std::string& path) {
    const size_t slash = path.rfind('/');
    const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
    const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    std::random_device random;
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "%08x", random());
    return dir + "." + base + ".compact-" + suffix + ".tmp";
}

Status syncDirectory(const std::string& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return makeError("cannot open directory " + dir + " to make the rename durable");
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) return makeError("cannot sync directory " + dir + " after the rename");
    return {};
}

// Describes the new image exactly like the old one, so compact changes the
// layout on disk and nothing else a user would notice.
CreateOptions sameShapeAs(const BlockBackend& image, const CompactRequest& request) {
    CreateOptions create;
    create.size = image.size();
    if (const auto* qcow2 = dynamic_cast<const Qcow2Image*>(&image)) {
        create.format = ImageFormat::Qcow2;
        create.clusterSize = static_cast<uint32_t>(qcow2->clusterSize());
        create.compat = qcow2->compat();
        create.refcountBits = qcow2->header().refcountBits();
        create.compressionType = request.compressionType.value_or(qcow2->compressionType());
        create.backingFile = qcow2->backingFileName();
        if (!qcow2->backingFormat().empty()) create.backingFormat = parseImageFormat(qcow2->backingFormat());
        create.lazyRefcounts = qcow2->lazyRefcounts();
        create.extendedL2 = qcow2->extendedL2();
    } else {
        create.format = ImageFormat::Raw;
    }
    return create;
}

struct HostUsage {
    uint64_t allocated = 0, apparent = 0;
};
HostUsage usageOf(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return {};
    return {static_cast<uint64_t>(st.st_blocks) * 512, static_cast<uint64_t>(st.st_size)};
}

}  // namespace

Result<CompactResult> compactImage(const CompactRequest& request, const JobControl& control) {
    // 1. Hold the image exclusively for the whole job: a running VM holds it,
    //    so this is where we refuse; and no VM can start on it while we work.
    //    Opened read-write only to be allowed the exclusive lock; never written.
    auto guard = HostFile::open(request.path, /*readWrite=*/true, LockMode::Exclusive);
    if (!guard) return guard.error();

    OpenOptions sourceOptions;
    sourceOptions.readOnly = true;
    sourceOptions.lock = false;  // our guard holds the lock
    auto source = openImage(request.path, sourceOptions);
    if (!source) return source.error();
    const auto* sourceQcow2 = dynamic_cast<const Qcow2Image*>(source->get());
    if (sourceQcow2 && !sourceQcow2->snapshots().empty())
        return makeError(request.path + " has " + std::to_string(sourceQcow2->snapshots().size()) +
                         " internal snapshot(s); compact keeps only the current state and would lose them. "
                         "Use 'tessera-cli img convert' to a new file instead.");
    if (sourceQcow2 && sourceQcow2->corrupt())
        return makeError(request.path +
                         " is marked corrupt; repair it first with 'tessera-cli img check -r all'");
    if (request.compress && !sourceQcow2)
        return makeError("compression (-c) needs a qcow2 image; this one is raw");

    CompactResult result;
    const HostUsage before = usageOf(request.path);
    result.bytesBefore = before.allocated;
    result.fileSizeBefore = before.apparent;

    // 2. Write the compacted copy next to the original (same directory: same
    //    file system for an atomic rename; relative backing names still resolve).
    const std::string temporary = temporaryNameNextTo(request.path);
    const CreateOptions create = sameShapeAs(**source, request);
    if (auto s = createImage(temporary, create); !s) return s.error();
    auto cleanUp = [&](Error error) -> Result<CompactResult> {
        ::unlink(temporary.c_str());
        return error;
    };
    {
        struct stat st {};
        if (::stat(request.path.c_str(), &st) == 0) ::chmod(temporary.c_str(), st.st_mode & 07777);
    }

    const uint64_t size = (*source)->size();
    const bool hasBacking = sourceQcow2 && !sourceQcow2->backingFileName().empty();
    {
        OpenOptions targetOptions;
        targetOptions.readOnly = false;
        targetOptions.format = create.format;
        targetOptions.openBacking = hasBacking;
        auto target = openImage(temporary, targetOptions);
        if (!target) return cleanUp(target.error());
        CopyOptions copy;
        copy.compress = request.compress;
        copy.threads = request.threads;
        copy.onlyTopLayer = hasBacking;
        copy.targetReadsZero = !hasBacking;
        JobControl copyControl;
        copyControl.cancel = control.cancel;
        copyControl.progress = [&](uint64_t done, uint64_t) { control.report(done, 2 * size); };
        if (auto s = copyInto(**source, **target, copy, copyControl); !s) {
            target->reset();
            return cleanUp(s.error());
        }
        if (auto* qcow2 = dynamic_cast<Qcow2Image*>(target->get())) {
            if (auto s = qcow2->close(); !s) return cleanUp(s.error());
        } else if (auto s = (*target)->flush(); !s) {
            return cleanUp(s.error());
        }
    }

    // 3. Read the copy back and compare it with the original, guest byte by
    //    guest byte, before it may replace anything.
    {
        OpenOptions verifyOptions;
        verifyOptions.readOnly = true;
        verifyOptions.format = create.format;
        auto copy = openImage(temporary, verifyOptions);
        if (!copy) return cleanUp(copy.error());
        JobControl verifyControl;
        verifyControl.cancel = control.cancel;
        verifyControl.progress = [&](uint64_t done, uint64_t) { control.report(size + done, 2 * size); };
        const CompareResult compared = compareImages(**source, **copy, /*strict=*/false, verifyControl);
        if (control.cancelled()) return cleanUp(makeError(kCancelledMessage));
        if (compared.outcome != CompareResult::Outcome::Identical)
            return cleanUp(makeError("the compacted copy does not read back like the original (" +
                                     compared.message + "); the original is unchanged"));
    }

    // 4. Durable, then atomic: the copy is synced by close(); one last cancel
    //    check, rename over the original, sync the directory entry.
    if (control.cancelled()) return cleanUp(makeError(kCancelledMessage));
    source->reset();
    if (::rename(temporary.c_str(), request.path.c_str()) != 0)
        return cleanUp(makeError("cannot replace " + request.path +
                                 " with its compacted copy; the original is unchanged"));
    if (auto s = syncDirectory(directoryOf(request.path)); !s) return s.error();

    const HostUsage after = usageOf(request.path);
    result.bytesAfter = after.allocated;
    result.fileSizeAfter = after.apparent;
    control.report(2 * size, 2 * size);
    return result;
}

}  // namespace tessera::block
