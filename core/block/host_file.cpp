#include "core/block/host_file.h"

#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace tessera::block {

HostFile::~HostFile() {
    if (fd_ >= 0) ::close(fd_);
}

HostFile::HostFile(HostFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

HostFile& HostFile::operator=(HostFile&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
        path_ = std::move(other.path_);
    }
    return *this;
}

Error HostFile::errnoError(const std::string& what, int error) const {
    return makeError("Could not " + what + " '" + path_ + "': " + std::strerror(error) + ".");
}

// OFD locks (F_OFD_SETLK) belong to the open file description, so two opens in
// one process conflict just like two processes do: a VM and `img compact` in
// the same GUI process cannot both own an image.
static int lockFile(int fd, LockMode mode) {
    struct flock fl {};
    fl.l_type = mode == LockMode::Exclusive ? F_WRLCK : F_RDLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = 0;
    fl.l_len = 0;
    return ::fcntl(fd, F_OFD_SETLK, &fl);
}

Result<HostFile> HostFile::open(const std::string& path, bool readWrite, LockMode lock) {
    int fd = ::open(path.c_str(), (readWrite ? O_RDWR : O_RDONLY) | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return makeError("Could not open '" + path + "': " + std::strerror(e) + ".");
    }
    HostFile file(fd, path);
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
        return makeError("Could not open '" + path + "': it is a directory.");
    if (lock != LockMode::None && lockFile(fd, lock) != 0) {
        int e = errno;
        if (e == EAGAIN || e == EACCES)
            return makeError(
                "Could not open '" + path +
                "': image is in use by another process (a running VM?). Close it and try again.");
        if (e != EINVAL && e != ENOLCK) return file.errnoError("lock", e);
        // File systems without OFD lock support: continue unlocked.
    }
    return file;
}

Result<HostFile> HostFile::create(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        int e = errno;
        return makeError("Could not create '" + path + "': " + std::strerror(e) + ".");
    }
    HostFile file(fd, path);
    if (lockFile(fd, LockMode::Exclusive) != 0 && (errno == EAGAIN || errno == EACCES))
        return makeError("Could not create '" + path +
                         "': image is in use by another process (a running VM?). Close it and try again.");
    TESSERA_TRY(file.truncate(0));
    return file;
}

Result<uint64_t> HostFile::size() const {
    struct stat st {};
    if (::fstat(fd_, &st) != 0) return errnoError("stat", errno);
    if (S_ISBLK(st.st_mode)) {
        off_t end = ::lseek(fd_, 0, SEEK_END);
        if (end < 0) return errnoError("seek in", errno);
        return uint64_t(end);
    }
    return uint64_t(st.st_size);
}

Status HostFile::readExact(uint64_t offset, std::span<uint8_t> out) const {
    size_t done = 0;
    while (done < out.size()) {
        ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, off_t(offset + done));
        if (n < 0) {
            if (errno == EINTR) continue;
            return errnoError("read", errno);
        }
        if (n == 0)
            return makeError("Could not read '" + path_ + "': unexpected end of file at offset " +
                             std::to_string(offset + done) + " (the file is truncated).");
        done += size_t(n);
    }
    return {};
}

Status HostFile::readZeroFilled(uint64_t offset, std::span<uint8_t> out) const {
    size_t done = 0;
    while (done < out.size()) {
        ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, off_t(offset + done));
        if (n < 0) {
            if (errno == EINTR) continue;
            return errnoError("read", errno);
        }
        if (n == 0) {
            std::memset(out.data() + done, 0, out.size() - done);
            break;
        }
        done += size_t(n);
    }
    return {};
}

Status HostFile::write(uint64_t offset, std::span<const uint8_t> data) const {
    size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::pwrite(fd_, data.data() + done, data.size() - done, off_t(offset + done));
        if (n < 0) {
            if (errno == EINTR) continue;
            return errnoError("write", errno);
        }
        done += size_t(n);
    }
    return {};
}

Status HostFile::sync() const {
    if (::fdatasync(fd_) != 0) return errnoError("sync", errno);
    return {};
}

Status HostFile::truncate(uint64_t size) const {
    if (::ftruncate(fd_, off_t(size)) != 0) return errnoError("resize", errno);
    return {};
}

Result<bool> HostFile::punchHole(uint64_t offset, uint64_t length) const {
    if (length == 0) return true;
    if (::fallocate(fd_, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off_t(offset), off_t(length)) == 0)
        return true;
    if (errno == EOPNOTSUPP || errno == ENOSYS) return false;
    return errnoError("punch a hole in", errno);
}

Status HostFile::allocate(uint64_t offset, uint64_t length) const {
    if (length == 0) return {};
    int r = ::posix_fallocate(fd_, off_t(offset), off_t(length));
    if (r != 0) return errnoError("allocate space in", r);
    return {};
}

Result<HostFile::Extent> HostFile::extentAt(uint64_t offset, uint64_t fileSize) const {
    if (offset >= fileSize) return Extent{false, ~0ull};  // past EOF: a hole without end
    off_t data = ::lseek(fd_, off_t(offset), SEEK_DATA);
    if (data < 0) {
        if (errno == ENXIO) return Extent{false, fileSize};  // only a hole up to EOF
        return Extent{true, fileSize};                       // no SEEK_DATA support: all data
    }
    if (uint64_t(data) > offset) return Extent{false, uint64_t(data)};
    off_t hole = ::lseek(fd_, off_t(offset), SEEK_HOLE);
    if (hole < 0) return Extent{true, fileSize};
    return Extent{true, uint64_t(hole)};
}

}  // namespace tessera::block
