#pragma once
// A POSIX file descriptor with whole-buffer positional I/O, hole punching and
// OFD locks. Every failure becomes an Error naming the file and the errno text.

#include <cstdint>
#include <span>
#include <string>

#include "core/util/result.h"

namespace tessera::block {

enum class LockMode { None, Shared, Exclusive };

class HostFile {
public:
    HostFile() = default;
    ~HostFile();
    HostFile(HostFile&& other) noexcept;
    HostFile& operator=(HostFile&& other) noexcept;
    HostFile(const HostFile&) = delete;
    HostFile& operator=(const HostFile&) = delete;

    // Opens an existing file. A lock conflict fails with
    // "image is in use by another process (a running VM?)".
    static Result<HostFile> open(const std::string& path, bool readWrite, LockMode lock);
    // Creates or truncates a file for writing, locked exclusively.
    static Result<HostFile> create(const std::string& path);

    bool isOpen() const { return fd_ >= 0; }
    int fd() const { return fd_; }
    const std::string& path() const { return path_; }

    Result<uint64_t> size() const;
    // Fails if the range is not completely inside the file.
    Status readExact(uint64_t offset, std::span<uint8_t> out) const;
    // Bytes past the end of the file read as zeros.
    Status readZeroFilled(uint64_t offset, std::span<uint8_t> out) const;
    Status write(uint64_t offset, std::span<const uint8_t> data) const;
    Status sync() const;
    Status truncate(uint64_t size) const;
    // Deallocates the range, keeping the file size; the range reads as zeros.
    // Returns false (not an error) when the file system cannot punch holes.
    Result<bool> punchHole(uint64_t offset, uint64_t length) const;
    Status allocate(uint64_t offset, uint64_t length) const;  // fallocate, keeps data
    // SEEK_DATA/SEEK_HOLE: is `offset` in data, and where does that extent end?
    struct Extent {
        bool data = true;
        uint64_t end = 0;
    };
    Result<Extent> extentAt(uint64_t offset, uint64_t fileSize) const;

private:
    HostFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
    Error errnoError(const std::string& what, int error) const;

    int fd_ = -1;
    std::string path_;
};

}  // namespace tessera::block
