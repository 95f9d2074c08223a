#pragma once
// CodeBuffer: the executable memory translated code lives in, W^X by
// construction. One memfd is mapped twice: a read-write view the emitter
// copies code into and a read-execute view the host CPU runs, so no page is
// ever writable and executable through the same mapping (a JIT spraying
// guest-chosen bytes into RWX memory is the classic exploit target).
//
// Bounded: allocation is a bump pointer over a fixed size; when it is full
// the owner flushes every translation and calls reset(), so a long run reuses
// the same memory instead of growing. A permanent prefix (trampolines) that
// reset() keeps is allocated first.

#include <cstddef>
#include <cstdint>
#include <string>

namespace tessera::jit {

struct CodeSpan {
    uint8_t* rw = nullptr;        // where to write the bytes
    const uint8_t* rx = nullptr;  // where they execute (same bytes, other view)
    size_t size = 0;
};

class CodeBuffer {
public:
    // `capacity` is rounded up to whole host pages. On failure (no memfd, no
    // mapping) valid() is false and error() says why.
    explicit CodeBuffer(size_t capacity);
    ~CodeBuffer();
    CodeBuffer(const CodeBuffer&) = delete;
    CodeBuffer& operator=(const CodeBuffer&) = delete;

    bool valid() const { return rx_ != nullptr; }
    const std::string& error() const { return error_; }

    // `size` bytes aligned to 16, or an empty span when the buffer is full.
    CodeSpan allocate(size_t size);
    // Marks everything allocated so far as permanent: reset() keeps it.
    void sealPermanent() { permanent_ = used_; }
    // Forgets every non-permanent allocation. The caller guarantees that no
    // code in it runs any more and nothing points into it.
    void reset();

    size_t capacity() const { return capacity_; }
    size_t used() const { return used_; }
    uint64_t resets() const { return resets_; }
    bool containsExecutable(const void* p) const;
    // Address in the writable view of an executable address inside the buffer.
    uint8_t* writableAlias(const void* rx) const;

private:
    size_t capacity_ = 0;
    size_t used_ = 0;
    size_t permanent_ = 0;
    uint64_t resets_ = 0;
    uint8_t* rw_ = nullptr;
    uint8_t* rx_ = nullptr;
    std::string error_;
};

}  // namespace tessera::jit
