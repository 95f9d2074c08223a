#include "core/block/image_compact.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
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

std::string baseNameOf(const std::string& path) {
    const size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

constexpr char kTemporaryInfix[] = ".compact-";
constexpr char kTemporarySuffix[] = ".tmp";
constexpr size_t kTemporaryHexDigits = 8;

std::string temporaryNameNextTo(const std::string& path) {
    std::random_device random;
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "%08x", random());
    return directoryOf(path) + "/." + baseNameOf(path) + kTemporaryInfix + suffix + kTemporarySuffix;
}

// Removes the copies a killed compact of `path` left next to it. Only called
// while holding the image's exclusive lock, so no compact of it is running.
void removeStaleTemporaries(const std::string& path) {
    const std::string prefix = "." + baseNameOf(path) + kTemporaryInfix;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(directoryOf(path), ec), end; !ec && it != end;
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        // Exactly ".NAME.compact-XXXXXXXX.tmp": not the copy of "NAME.compact-x", another image.
        if (name.starts_with(prefix) && isCompactTemporaryName(name) &&
            name.size() == prefix.size() + kTemporaryHexDigits + std::strlen(kTemporarySuffix))
            ::unlink(it->path().c_str());
    }
}

// The copy takes the original's place, so it takes its owner, group and mode
// too: a compact run as root must not hand a user's disk to root. chown first,
// since it clears set-id bits.
Status copyOwnerAndMode(const struct stat& original, const std::string& copy, const std::string& path) {
    if (::chown(copy.c_str(), original.st_uid, original.st_gid) != 0) {
        const int error = errno;
        struct stat now {};  // not allowed to, but maybe it already is the owner
        if (::stat(copy.c_str(), &now) != 0 || now.st_uid != original.st_uid || now.st_gid != original.st_gid)
            return makeError("cannot give the compacted copy the owner of " + path + " (user " +
                             std::to_string(original.st_uid) + ", group " + std::to_string(original.st_gid) +
                             "): " + std::strerror(error) + "; the original is unchanged");
    }
    if (::chmod(copy.c_str(), original.st_mode & 07777) != 0)
        return makeError("cannot give the compacted copy the permissions of " + path + ": " +
                         std::strerror(errno) + "; the original is unchanged");
    return {};
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

bool isCompactTemporaryName(const std::string& name) {
    const size_t infix = name.rfind(kTemporaryInfix);
    const size_t suffixLength = std::strlen(kTemporarySuffix);
    if (name.size() < 2 || name[0] != '.' || infix == std::string::npos || infix < 2 ||
        name.size() != infix + std::strlen(kTemporaryInfix) + kTemporaryHexDigits + suffixLength ||
        !name.ends_with(kTemporarySuffix))
        return false;
    for (size_t i = infix + std::strlen(kTemporaryInfix); i < name.size() - suffixLength; ++i)
        if (!std::isxdigit(static_cast<unsigned char>(name[i])) ||
            std::isupper(static_cast<unsigned char>(name[i])))
            return false;
    return true;
}

Result<CompactResult> compactImage(const CompactRequest& request, const JobControl& control) {
    // 0. A symlinked disk stays a symlink: the file it points to is what gets
    //    replaced, by a copy written next to it (same file system, so the
    //    rename is atomic). The image is still opened by the name given, so
    //    relative backing names resolve as they do when the VM opens it.
    char* resolved = ::realpath(request.path.c_str(), nullptr);
    if (!resolved) return makeError("cannot open " + request.path + ": " + std::strerror(errno));
    const std::string realPath = resolved;
    std::free(resolved);

    // 1. Hold the image exclusively for the whole job: a running VM holds it,
    //    so this is where we refuse; and no VM can start on it while we work.
    //    Opened read-write only to be allowed the exclusive lock; never written.
    auto guard = HostFile::open(request.path, /*readWrite=*/true, LockMode::Exclusive);
    if (!guard) return guard.error();
    removeStaleTemporaries(realPath);
    if (realPath != request.path)
        removeStaleTemporaries(request.path);  // left by compacts before symlinks were followed

    OpenOptions sourceOptions;
    sourceOptions.readOnly = true;
    sourceOptions.lock = false;  // our guard holds the lock
    sourceOptions.format = request.format;
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

    // 2. Write the compacted copy next to the original file (same directory:
    //    same file system for an atomic rename; relative backing names resolve
    //    as from the original, unless it is reached through a symlink in
    //    another directory, in which case the verification below refuses a
    //    copy that reads differently).
    const std::string temporary = temporaryNameNextTo(realPath);
    const CreateOptions create = sameShapeAs(**source, request);
    struct stat original {};
    if (::stat(realPath.c_str(), &original) != 0)
        return makeError("cannot read the owner and permissions of " + request.path + ": " +
                         std::strerror(errno));
    if (auto s = createImage(temporary, create); !s) return s.error();
    auto cleanUp = [&](Error error) -> Result<CompactResult> {
        ::unlink(temporary.c_str());
        return error;
    };
    if (auto s = copyOwnerAndMode(original, temporary, request.path); !s) return cleanUp(s.error());

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
    if (::rename(temporary.c_str(), realPath.c_str()) != 0)
        return cleanUp(makeError("cannot replace " + request.path +
                                 " with its compacted copy; the original is unchanged"));
    if (auto s = syncDirectory(directoryOf(realPath)); !s) return s.error();

    const HostUsage after = usageOf(request.path);
    result.bytesAfter = after.allocated;
    result.fileSizeAfter = after.apparent;
    control.report(2 * size, 2 * size);
    return result;
}

}  // namespace tessera::block
