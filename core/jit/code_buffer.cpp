#include "core/jit/code_buffer.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tessera::jit {

namespace {
std::string systemError(const char* what) {
    return std::string(what) + ": " + std::strerror(errno);
}
}  // namespace

CodeBuffer::CodeBuffer(size_t capacity) {
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    capacity_ = (capacity + page - 1) / page * page;
    // The name shows in /proc/self/maps (the W^X test looks for it).
    const int fd = memfd_create("tessera-jit", MFD_CLOEXEC);
    if (fd < 0) {
        error_ = systemError("memfd_create");
        return;
    }
    if (ftruncate(fd, static_cast<off_t>(capacity_)) != 0) {
        error_ = systemError("ftruncate of the JIT code buffer");
        close(fd);
        return;
    }
    void* rw = mmap(nullptr, capacity_, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    void* rx =
        rw == MAP_FAILED ? MAP_FAILED : mmap(nullptr, capacity_, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    close(fd);  // the mappings keep the memory
    if (rw == MAP_FAILED || rx == MAP_FAILED) {
        error_ = systemError("mmap of the JIT code buffer");
        if (rw != MAP_FAILED) munmap(rw, capacity_);
        return;
    }
    rw_ = static_cast<uint8_t*>(rw);
    rx_ = static_cast<uint8_t*>(rx);
}

CodeBuffer::~CodeBuffer() {
    if (rw_) munmap(rw_, capacity_);
    if (rx_) munmap(rx_, capacity_);
}

CodeSpan CodeBuffer::allocate(size_t size) {
    const size_t start = (used_ + 15) & ~size_t{15};
    if (!valid() || size > capacity_ || start > capacity_ - size) return {};
    used_ = start + size;
    return {rw_ + start, rx_ + start, size};
}

void CodeBuffer::reset() {
    used_ = permanent_;
    ++resets_;
}

bool CodeBuffer::containsExecutable(const void* p) const {
    const auto* b = static_cast<const uint8_t*>(p);
    return valid() && b >= rx_ && b < rx_ + capacity_;
}

uint8_t* CodeBuffer::writableAlias(const void* rx) const {
    return rw_ + (static_cast<const uint8_t*>(rx) - rx_);
}

}  // namespace tessera::jit
