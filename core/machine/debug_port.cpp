#include "core/machine/debug_port.h"

namespace tessera::machine {

bool DebugPort::stopped() const {
    std::lock_guard lock(mutex_);
    return paused_ && !ended_;
}

bool DebugPort::whileStopped(const std::function<void()>& job) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !job_ || !paused_ || ended_; });  // one job at a time
    if (!paused_ || ended_) return false;
    job_ = &job;
    const uint64_t ticket = jobsDone_ + 1;
    changed_.notify_all();
    changed_.wait(lock, [&] { return jobsDone_ >= ticket || ended_; });
    return jobsDone_ >= ticket;
}

void DebugPort::setStopListener(std::function<void(const debug::StopEvent&)> listener) {
    std::lock_guard lock(listenerMutex_);
    listener_ = std::move(listener);
}

void DebugPort::report(const debug::StopEvent& event) {
    std::lock_guard lock(listenerMutex_);
    if (listener_) listener_(event);
}

void DebugPort::noteBreakpoint(unsigned index) {
    {
        std::lock_guard lock(mutex_);
        if (breakpointCpu_ < 0) breakpointCpu_ = int(index);  // the first CPU there is reported
    }
    hooks_.pause(true);
}

void DebugPort::servePause(const std::function<bool()>& leave) {
    debug::StopEvent event;
    {
        std::lock_guard lock(mutex_);
        paused_ = true;
        if (breakpointCpu_ >= 0) {
            event = {debug::StopEvent::Kind::Breakpoint, unsigned(breakpointCpu_)};
            breakpointCpu_ = -1;
        }
    }
    report(event);
    std::unique_lock lock(mutex_);
    for (;;) {
        changed_.wait(lock, [&] { return job_ || leave(); });
        if (!job_) break;
        const std::function<void()>* job = job_;
        lock.unlock();
        (*job)();
        lock.lock();
        job_ = nullptr;
        ++jobsDone_;
        changed_.notify_all();
    }
    paused_ = false;
    changed_.notify_all();
}

void DebugPort::wake() {
    std::lock_guard lock(mutex_);
    changed_.notify_all();
}

void DebugPort::ended() {
    {
        std::lock_guard lock(mutex_);
        ended_ = true;
        changed_.notify_all();
    }
    report({debug::StopEvent::Kind::Ended, 0});
}

}  // namespace tessera::machine
