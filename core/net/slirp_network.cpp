#include "core/net/slirp_network.h"

#include <arpa/inet.h>
#include <poll.h>
#include <slirp/libslirp.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <QDebug>
#include <algorithm>
#include <climits>

namespace tessera::net {

struct SlirpNetwork::Timer {
    void (*callback)(void*) = nullptr;
    void* callbackOpaque = nullptr;
    int64_t expireMs = -1;  // -1: not armed
};

namespace {

// The fixed addresses of the guest's network (constants, always valid).
in_addr ipv4(const char* text) {
    in_addr address{};
    inet_pton(AF_INET, text, &address);
    return address;
}

// A forward's address as libslirp takes it. A rule is checked again here, the
// last step before a socket is bound: an address that does not parse must never
// become in_addr{} = 0.0.0.0, which would listen on every interface.
Result<in_addr> forwardAddress(const std::string& text) {
    in_addr address{};
    if (inet_pton(AF_INET, text.c_str(), &address) != 1)
        return makeError("\"" + text + "\" is not an IPv4 address");
    return address;
}

// pollfds_fill/pollfds_poll glue: slirp asks for fds with SLIRP_POLL_* events.
struct PollSet {
    std::vector<pollfd> fds;
    static int add(int fd, int events, void* opaque) {
        auto* set = static_cast<PollSet*>(opaque);
        short mask = 0;
        if (events & SLIRP_POLL_IN) mask |= POLLIN;
        if (events & SLIRP_POLL_OUT) mask |= POLLOUT;
        if (events & SLIRP_POLL_PRI) mask |= POLLPRI;
        set->fds.push_back({fd, mask, 0});
        return static_cast<int>(set->fds.size() - 1);
    }
    static int revents(int index, void* opaque) {
        auto* set = static_cast<PollSet*>(opaque);
        if (index < 0 || static_cast<size_t>(index) >= set->fds.size()) return 0;
        const short r = set->fds[index].revents;
        int events = 0;
        if (r & POLLIN) events |= SLIRP_POLL_IN;
        if (r & POLLOUT) events |= SLIRP_POLL_OUT;
        if (r & POLLPRI) events |= SLIRP_POLL_PRI;
        if (r & POLLERR) events |= SLIRP_POLL_ERR;
        if (r & POLLHUP) events |= SLIRP_POLL_HUP;
        return events;
    }
};

}  // namespace

SlirpNetwork::SlirpNetwork(FrameSink toGuest) : toGuest_(std::move(toGuest)) {}

Result<std::unique_ptr<SlirpNetwork>> SlirpNetwork::create(const SlirpOptions& options, FrameSink toGuest) {
    std::unique_ptr<SlirpNetwork> network(new SlirpNetwork(std::move(toGuest)));
    network->wakeFd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (network->wakeFd_ < 0) return makeError("cannot create an eventfd for user networking");

    // Same addresses as QEMU's -nic user, so guides written for QEMU apply.
    SlirpConfig config{};
    config.version = 4;
    config.restricted = options.restricted ? 1 : 0;
    config.in_enabled = true;
    config.vnetwork = ipv4("10.0.2.0");
    config.vnetmask = ipv4("255.255.255.0");
    config.vhost = ipv4("10.0.2.2");
    config.vdhcp_start = ipv4("10.0.2.15");
    config.vnameserver = ipv4("10.0.2.3");
    config.in6_enabled = false;
    config.vhostname = options.hostName.c_str();
    config.if_mtu = 1500;
    config.if_mru = 1500;
    config.disable_host_loopback = false;

    static const SlirpCb callbacks = [] {
        SlirpCb cb{};
        cb.send_packet = &SlirpNetwork::sendPacketCallback;
        cb.guest_error = &SlirpNetwork::guestErrorCallback;
        cb.clock_get_ns = &SlirpNetwork::clockCallback;
        cb.timer_new = &SlirpNetwork::timerNewCallback;
        cb.timer_free = &SlirpNetwork::timerFreeCallback;
        cb.timer_mod = &SlirpNetwork::timerModCallback;
        cb.register_poll_fd = &SlirpNetwork::registerFdCallback;
        cb.unregister_poll_fd = &SlirpNetwork::unregisterFdCallback;
        cb.notify = &SlirpNetwork::notifyCallback;
        return cb;
    }();
    network->slirp_ = slirp_new(&config, &callbacks, network.get());
    if (!network->slirp_) return makeError("libslirp could not start user networking");
    for (const HostForward& rule : options.forwards) TESSERA_TRY(network->addHostForward(rule));
    return network;
}

SlirpNetwork::~SlirpNetwork() {
    if (slirp_) slirp_cleanup(slirp_);
    if (wakeFd_ >= 0) close(wakeFd_);
}

int64_t SlirpNetwork::nowMs() const { return clockCallback(const_cast<SlirpNetwork*>(this)) / 1000000; }

void SlirpNetwork::sendFromGuest(std::span<const uint8_t> frame) {
    std::lock_guard lock(mutex_);
    slirp_input(slirp_, frame.data(), static_cast<int>(frame.size()));
}

void SlirpNetwork::wake() {
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t ignored = ::write(wakeFd_, &one, sizeof one);
}

void SlirpNetwork::poll(std::chrono::milliseconds maxWait) {
    PollSet set;
    uint32_t timeoutMs = static_cast<uint32_t>(std::clamp<int64_t>(maxWait.count(), 0, INT_MAX));
    {
        std::lock_guard lock(mutex_);
        runExpiredTimers();
        slirp_pollfds_fill(slirp_, &timeoutMs, &PollSet::add, &set);
        const int64_t now = nowMs();
        for (const auto& timer : timers_)
            if (timer->expireMs >= 0)
                timeoutMs = static_cast<uint32_t>(std::min<int64_t>(timeoutMs, std::max<int64_t>(0, timer->expireMs - now)));
    }
    const size_t slirpFds = set.fds.size();
    set.fds.push_back({wakeFd_, POLLIN, 0});
    {
        std::lock_guard pollLock(pollMutex_);
        polling_ = true;
    }
    const int ready = ::poll(set.fds.data(), set.fds.size(), static_cast<int>(timeoutMs));
    {
        std::lock_guard pollLock(pollMutex_);
        polling_ = false;
        ++pollsEnded_;
    }
    pollEnded_.notify_all();
    if (set.fds.back().revents & POLLIN) {
        uint64_t drained;
        [[maybe_unused]] ssize_t ignored = ::read(wakeFd_, &drained, sizeof drained);
    }
    set.fds.resize(slirpFds);
    std::lock_guard lock(mutex_);
    slirp_pollfds_poll(slirp_, ready < 0 ? 1 : 0, &PollSet::revents, &set);
    runExpiredTimers();
}

void SlirpNetwork::runExpiredTimers() {
    const int64_t now = nowMs();
    // A callback may re-arm or free timers: collect first, then re-check.
    std::vector<Timer*> due;
    for (const auto& timer : timers_)
        if (timer->expireMs >= 0 && timer->expireMs <= now) due.push_back(timer.get());
    for (Timer* timer : due) {
        const bool alive = std::any_of(timers_.begin(), timers_.end(), [&](const auto& t) { return t.get() == timer; });
        if (!alive || timer->expireMs < 0 || timer->expireMs > now) continue;
        timer->expireMs = -1;
        timer->callback(timer->callbackOpaque);
    }
}

Status SlirpNetwork::addHostForward(const HostForward& written) {
    Result<HostForward> rule = validateHostForward(HostForwardFields::of(written));
    if (!rule) return makeError("cannot forward " + written.toString() + ": " + rule.message());
    Result<in_addr> host = forwardAddress(rule->hostAddress);
    if (!host) return makeError("cannot forward " + written.toString() + ": " + host.message());
    Result<in_addr> guest = rule->guestAddress.empty() ? in_addr{} : forwardAddress(rule->guestAddress);
    if (!guest) return makeError("cannot forward " + written.toString() + ": " + guest.message());
    std::lock_guard lock(mutex_);
    if (slirp_add_hostfwd(slirp_, rule->udp, *host, rule->hostPort, *guest, rule->guestPort) < 0)
        return makeError("cannot forward " + rule->toString() + ": host port " +
                         std::to_string(rule->hostPort) + " on " + rule->hostAddress +
                         " is in use or not available");
    forwards_.push_back(*rule);
    return {};
}

Status SlirpNetwork::removeHostForward(const HostForward& written) {
    Result<std::string> address = parseListenAddress(written.hostAddress);
    Result<in_addr> host = address ? forwardAddress(*address) : Result<in_addr>(address.error());
    if (!host) return makeError("no port forward on " + written.hostAddress + ": " + host.message());
    const std::string what =
        std::string(written.udp ? "udp" : "tcp") + ":" + *address + ":" + std::to_string(written.hostPort);
    std::lock_guard lock(mutex_);
    if (slirp_remove_hostfwd(slirp_, written.udp, *host, written.hostPort) < 0)
        return makeError("no port forward " + what + " to remove");
    std::erase_if(forwards_, [&](const HostForward& f) {
        return f.udp == written.udp && f.hostAddress == *address && f.hostPort == written.hostPort;
    });
    waitForPollToEnd();
    return {};
}

void SlirpNetwork::waitForPollToEnd() {
    // libslirp closed the listener, but a poll() in progress on the VM thread still
    // holds the socket open (Linux keeps polled files referenced until poll returns),
    // so the host port would go on accepting connections. Wake the poller and wait
    // for that poll to end; bounded, in case the VM thread is stopped.
    std::unique_lock pollLock(pollMutex_);
    if (!polling_) return;
    const uint64_t ended = pollsEnded_;
    wake();
    pollEnded_.wait_for(pollLock, std::chrono::seconds(2), [&] { return pollsEnded_ != ended; });
}

std::vector<HostForward> SlirpNetwork::hostForwards() const {
    std::lock_guard lock(mutex_);
    return forwards_;
}

ssize_t SlirpNetwork::sendPacketCallback(const void* buffer, size_t length, void* opaque) {
    auto* self = static_cast<SlirpNetwork*>(opaque);
    if (self->toGuest_) self->toGuest_(std::span<const uint8_t>(static_cast<const uint8_t*>(buffer), length));
    return static_cast<ssize_t>(length);
}

void SlirpNetwork::guestErrorCallback(const char* message, void*) {
    qWarning("user networking: guest error: %s", message);
}

int64_t SlirpNetwork::clockCallback(void* opaque) {
    auto* self = static_cast<SlirpNetwork*>(opaque);
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - self->epoch_)
        .count();
}

void* SlirpNetwork::timerNewCallback(void (*callback)(void*), void* callbackOpaque, void* opaque) {
    auto* self = static_cast<SlirpNetwork*>(opaque);
    auto timer = std::make_unique<Timer>();
    timer->callback = callback;
    timer->callbackOpaque = callbackOpaque;
    Timer* raw = timer.get();
    self->timers_.push_back(std::move(timer));
    return raw;
}

void SlirpNetwork::timerFreeCallback(void* timer, void* opaque) {
    auto* self = static_cast<SlirpNetwork*>(opaque);
    std::erase_if(self->timers_, [&](const auto& t) { return t.get() == timer; });
}

void SlirpNetwork::timerModCallback(void* timer, int64_t expireMs, void*) {
    static_cast<Timer*>(timer)->expireMs = expireMs;
}

void SlirpNetwork::notifyCallback(void* opaque) { static_cast<SlirpNetwork*>(opaque)->wake(); }

}  // namespace tessera::net
