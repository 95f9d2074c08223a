#include "core/block/raw_image.h"

#include <algorithm>
#include <vector>

namespace tessera::block {

RawImage::RawImage(HostFile file, std::string path, bool readOnly, uint64_t size)
    : file_(std::move(file)), path_(std::move(path)), readOnly_(readOnly), size_(size) {}

Result<std::unique_ptr<RawImage>> RawImage::open(const std::string& path, const OpenOptions& options) {
    LockMode lock = !options.lock      ? LockMode::None
                    : options.readOnly ? LockMode::Shared
                                       : LockMode::Exclusive;
    auto file = HostFile::open(path, !options.readOnly, lock);
    if (!file) return file.error();
    auto size = file->size();
    if (!size) return size.error();
    return std::unique_ptr<RawImage>(new RawImage(std::move(file.value()), path, options.readOnly, *size));
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
    return file_.write(offset, data);
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
