#include "core/block/raw_image.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

#include "core/block/format_magic.h"

namespace tessera::block {

RawImage::RawImage(HostFile file, std::string path, bool readOnly, uint64_t size, bool probed)
    : file_(std::move(file)), path_(std::move(path)), readOnly_(readOnly), size_(size), probed_(probed) {}

Result<std::unique_ptr<RawImage>> RawImage::open(const std::string& path, const OpenOptions& options) {
    LockMode lock = !options.lock      ? LockMode::None
                    : options.readOnly ? LockMode::Shared
                                       : LockMode::Exclusive;
    auto file = HostFile::open(path, !options.readOnly, lock);
    if (!file) return file.error();
    auto size = file->size();
    if (!size) return size.error();
    const bool probed = !options.format.has_value();
    if (probed && !options.readOnly)  // QEMU's warning, in substance
        std::fprintf(
            stderr,
            "tessera: the format of '%s' was not given and probing guessed raw; writes to its sector 0 "
            "that look like another image format are refused. Give format=raw to lift this.\n",
            path.c_str());
    return std::unique_ptr<RawImage>(
        new RawImage(std::move(file.value()), path, options.readOnly, *size, probed));
}

Status RawImage::create(const std::string& path, uint64_t size, Preallocation preallocation) {
    auto file = HostFile::create(path);
    if (!file) return file.error();
    TESSERA_TRY(file->truncate(size));
    if (preallocation == Preallocation::Falloc) TESSERA_TRY(file->allocate(0, size));
    if (preallocation == Preallocation::Full) {
        std::vector<uint8_t> zeros(std::min<uint64_t>(size, 1 << 20), 0);
        for (uint64_t at = 0; at < size; at += zeros.size())
            TESSERA_TRY(file->write(at, std::span(zeros).first(std::min<uint64_t>(zeros.size(), size - at))));
    }
    return file->sync();
}

uint64_t RawImage::size() const {
    std::lock_guard lock(mutex_);
    return size_;
}

Status RawImage::checkRange(uint64_t offset, uint64_t length) const {
    if (offset > size_ || length > size_ - offset)
        return makeError("Access beyond the end of '" + path_ + "' (offset " + std::to_string(offset) +
                         ", length " + std::to_string(length) + ", disk size " + std::to_string(size_) +
                         ").");
    return {};
}

Status RawImage::read(uint64_t offset, std::span<uint8_t> out) {
    std::lock_guard lock(mutex_);
    TESSERA_TRY(checkRange(offset, out.size()));
    return file_.readZeroFilled(offset, out);
}

Status RawImage::write(uint64_t offset, std::span<const uint8_t> data) {
    std::lock_guard lock(mutex_);
    if (readOnly_) return makeError("'" + path_ + "' is open read-only.");
    TESSERA_TRY(checkRange(offset, data.size()));
    if (probed_ && offset < kProbeBytes && !data.empty()) TESSERA_TRY(checkProbedHeaderWrite(offset, data));
    return file_.write(offset, data);
}

Status RawImage::checkProbedHeaderWrite(uint64_t offset, std::span<const uint8_t> data) {
    // Sector 0 as it is and as it would be after this write.
    std::vector<uint8_t> before(std::min<uint64_t>(kProbeBytes, size_));
    TESSERA_TRY(file_.readZeroFilled(0, before));
    std::vector<uint8_t> after = before;
    const size_t length = std::min<size_t>(data.size(), after.size() - offset);
    std::memcpy(after.data() + offset, data.data(), length);
    const char* was = formatNamedByHeader(before);
    const char* would = formatNamedByHeader(after);
    if (!would || (was && std::strcmp(was, would) == 0)) return {};
    if (!refusalLogged_) {
        refusalLogged_ = true;
        std::fprintf(stderr,
                     "tessera: refused a write to sector 0 of '%s' that would make it look like a %s image "
                     "(its format was probed, not given); the guest gets an I/O error. Further refusals are "
                     "not logged.\n",
                     path_.c_str(), would);
    }
    return makeError("Refused to write a " + std::string(would) + " signature into sector 0 of '" + path_ +
                     "': its format was probed as raw, and the next probe would open it as " + would +
                     ". Give the format (format=raw) to allow such writes.");
}

Status RawImage::flush() {
    std::lock_guard lock(mutex_);
    if (readOnly_) return {};
    return file_.sync();
}

Status RawImage::discard(uint64_t offset, uint64_t length) {
    std::lock_guard lock(mutex_);
    if (readOnly_) return makeError("'" + path_ + "' is open read-only.");
    TESSERA_TRY(checkRange(offset, length));
    auto punched = file_.punchHole(offset, length);
    if (!punched) return punched.error();
    return {};  // without hole support a discard is allowed to do nothing
}

Status RawImage::writeZeroes(uint64_t offset, uint64_t length, bool mayUnmap) {
    {
        std::lock_guard lock(mutex_);
        if (readOnly_) return makeError("'" + path_ + "' is open read-only.");
        TESSERA_TRY(checkRange(offset, length));
        if (mayUnmap) {
            auto punched = file_.punchHole(offset, length);
            if (!punched) return punched.error();
            if (*punched) return {};
        }
    }
    std::vector<uint8_t> zeros(std::min<uint64_t>(length, 1 << 20), 0);
    for (uint64_t done = 0; done < length; done += zeros.size())
        TESSERA_TRY(write(offset + done, std::span<const uint8_t>(zeros).first(
                                             std::min<uint64_t>(zeros.size(), length - done))));
    return {};
}

Result<BlockStatus> RawImage::blockStatus(uint64_t offset, uint64_t maxLength) {
    std::lock_guard lock(mutex_);
    if (offset >= size_ || maxLength == 0)
        return makeError("Block status query beyond the end of '" + path_ + "'.");
    maxLength = std::min(maxLength, size_ - offset);
    auto fileSize = file_.size();
    if (!fileSize) return fileSize.error();
    auto extent = file_.extentAt(offset, *fileSize);
    if (!extent) return extent.error();
    BlockStatus status;
    status.length = std::min(maxLength, extent->end - offset);
    status.allocated = true;  // a raw image defines every byte itself
    status.data = extent->data;
    status.zero = !extent->data;
    if (extent->data) status.hostOffset = offset;
    return status;
}

Status RawImage::resize(uint64_t newSize, bool allowShrink) {
    std::lock_guard lock(mutex_);
    if (readOnly_) return makeError("'" + path_ + "' is open read-only.");
    if (newSize < size_ && !allowShrink)
        return makeError("Shrinking '" + path_ + "' would destroy data; use --shrink to allow it.");
    TESSERA_TRY(file_.truncate(newSize));
    size_ = newSize;
    return file_.sync();
}

}  // namespace tessera::block
