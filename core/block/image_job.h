#pragma once
// What a long-running image job (convert, compact, compare) shares with its
// caller: a progress callback and a cancel flag. The CLI prints progress to
// stderr; the GUI's one-click shrink drives a progress bar and a Cancel button
// with the same two hooks.

#include <atomic>
#include <cstdint>
#include <functional>

namespace tessera::block {

struct JobControl {
    // Called from the job's thread with bytes done / bytes total (the virtual
    // disk size for copy jobs). May be empty.
    std::function<void(uint64_t done, uint64_t total)> progress;
    // Set from any thread to ask the job to stop; the job then returns an error
    // saying it was cancelled and leaves every input untouched.
    const std::atomic<bool>* cancel = nullptr;

    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
    void report(uint64_t done, uint64_t total) const {
        if (progress) progress(done, total);
    }
};

inline constexpr const char* kCancelledMessage = "the operation was cancelled; nothing was changed";

}  // namespace tessera::block
