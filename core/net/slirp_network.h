#pragma once
// SlirpNetwork: QEMU-style user-mode networking ("-nic user") on libslirp.
// The guest sees 10.0.2.0/24 with the gateway/host at 10.0.2.2 (which reaches
// the host's loopback), DNS at 10.0.2.3 and a DHCP server handing out 10.0.2.15.
// Nothing here runs on its own thread: the VM thread's run loop calls poll()
// between CPU slices (and instead of sleeping when the guest idles), which
// services slirp's sockets and timers and delivers frames to the guest.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "core/net/host_forward.h"
#include "core/util/result.h"

struct Slirp;

namespace tessera::net {

struct SlirpOptions {
    std::string hostName = "tessera";
    std::vector<HostForward> forwards;  // installed at creation
    // Isolate the guest (QEMU's -netdev user,restrict=on): slirp's own DHCP and
    // gateway still answer, but no connection to the host or the outside is
    // made; only port forwards reach the guest.
    bool restricted = false;
};

class SlirpNetwork {
public:
    // Frames from the network to the guest (Ethernet, without FCS).
    using FrameSink = std::function<void(std::span<const uint8_t> frame)>;

    static Result<std::unique_ptr<SlirpNetwork>> create(const SlirpOptions& options, FrameSink toGuest);
    ~SlirpNetwork();
    SlirpNetwork(const SlirpNetwork&) = delete;
    SlirpNetwork& operator=(const SlirpNetwork&) = delete;

    // A frame the guest transmitted. VM thread.
    void sendFromGuest(std::span<const uint8_t> frame);

    // Services sockets and timers, waiting at most `maxWait` for something to
    // happen (0 = just check). wake() from any thread cuts the wait short.
    void poll(std::chrono::milliseconds maxWait);
    void wake();

    // Port forwards, at run time; thread-safe (serialised with poll()). A rule is
    // validated again here (validateHostForward) and refused rather than bound to
    // an address it does not name.
    Status addHostForward(const HostForward& rule);
    Status removeHostForward(const HostForward& rule);
    std::vector<HostForward> hostForwards() const;

private:
    struct Timer;
    SlirpNetwork(FrameSink toGuest);
    int64_t nowMs() const;
    void runExpiredTimers();

    static ssize_t sendPacketCallback(const void* buffer, size_t length, void* opaque);
    static void guestErrorCallback(const char* message, void* opaque);
    static int64_t clockCallback(void* opaque);
    static void* timerNewCallback(void (*callback)(void*), void* callbackOpaque, void* opaque);
    static void timerFreeCallback(void* timer, void* opaque);
    static void timerModCallback(void* timer, int64_t expireMs, void* opaque);
    static void registerFdCallback(int, void*) {}
    static void unregisterFdCallback(int, void*) {}
    static void notifyCallback(void* opaque);
    void waitForPollToEnd();

    FrameSink toGuest_;
    Slirp* slirp_ = nullptr;

    mutable std::recursive_mutex mutex_;  // guards slirp_, timers_, forwards_
    std::vector<std::unique_ptr<Timer>> timers_;
    std::vector<HostForward> forwards_;
    int wakeFd_ = -1;  // eventfd
    // poll() keeps every polled file open until it returns, so a closed listener
    // keeps accepting while the VM thread sleeps in poll(); removeHostForward waits
    // for the current poll to end (see there).
    std::mutex pollMutex_;
    std::condition_variable pollEnded_;
    bool polling_ = false;
    uint64_t pollsEnded_ = 0;
    std::chrono::steady_clock::time_point epoch_ = std::chrono::steady_clock::now();
};

}  // namespace tessera::net
