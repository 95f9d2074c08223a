#include "core/debug/gdb_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "core/debug/gdb_packet.h"
#include "core/debug/gdb_session.h"

namespace tessera::debug {

namespace {
// How long a connecting GDB waits for the running machine to stop.
constexpr int kAttachStopMillis = 30000;

bool sendAll(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t sent = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR) continue;
        if (sent <= 0) return false;
        data.remove_prefix(size_t(sent));
    }
    return true;
}

void drainEventFd(int fd) {
    uint64_t count;
    [[maybe_unused]] ssize_t ignored = read(fd, &count, sizeof count);
}
}  // namespace

Result<GdbAddress> parseGdbAddress(std::string_view spec) {
    GdbAddress address;
    std::string_view portText = spec;
    if (spec.substr(0, 4) == "tcp:") {
        const std::string_view rest = spec.substr(4);
        const size_t colon = rest.rfind(':');
        if (colon == std::string_view::npos)
            return makeError("--gdb '" + std::string(spec) + "': expected tcp::PORT or tcp:HOST:PORT");
        if (colon > 0) address.host = std::string(rest.substr(0, colon));
        if (address.host == "localhost") address.host = "127.0.0.1";
        portText = rest.substr(colon + 1);
    }
    unsigned port = 0;
    const auto [end, error] = std::from_chars(portText.data(), portText.data() + portText.size(), port);
    if (portText.empty() || error != std::errc() || end != portText.data() + portText.size() || port > 65535)
        return makeError("--gdb '" + std::string(spec) +
                         "': the port must be a number from 0 to 65535 (e.g. tcp::1234)");
    in_addr parsed{};
    if (inet_pton(AF_INET, address.host.c_str(), &parsed) != 1)
        return makeError("--gdb '" + std::string(spec) + "': '" + address.host +
                         "' is not an IPv4 address (e.g. tcp:127.0.0.1:1234)");
    address.port = uint16_t(port);
    return address;
}

Result<std::unique_ptr<GdbServer>> GdbServer::start(const GdbAddress& address, DebugTarget& target,
                                                    std::unique_ptr<GdbArch> arch) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return makeError(std::string("cannot create the GDB socket: ") + std::strerror(errno));
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in bindAddress{};
    bindAddress.sin_family = AF_INET;
    bindAddress.sin_port = htons(address.port);
    inet_pton(AF_INET, address.host.c_str(), &bindAddress.sin_addr);
    if (bind(fd, reinterpret_cast<sockaddr*>(&bindAddress), sizeof bindAddress) != 0 || listen(fd, 1) != 0) {
        const std::string why = std::strerror(errno);
        close(fd);
        return makeError("cannot listen for GDB on " + address.host + ":" + std::to_string(address.port) +
                         ": " + why + (address.port ? " (is another VM or program using the port?)" : ""));
    }
    socklen_t length = sizeof bindAddress;
    getsockname(fd, reinterpret_cast<sockaddr*>(&bindAddress), &length);
    std::unique_ptr<GdbServer> server(
        new GdbServer(fd, ntohs(bindAddress.sin_port), target, std::move(arch)));
    if (server->stopFd_ < 0 || server->eventFd_ < 0)
        return makeError("cannot create an eventfd for the GDB stub");
    target.setStopListener([raw = server.get()](const StopEvent& event) { raw->onStop(event); });
    server->thread_ = std::thread([raw = server.get()] { raw->serve(); });
    return server;
}

GdbServer::GdbServer(int listenFd, uint16_t port, DebugTarget& target, std::unique_ptr<GdbArch> arch)
    : listenFd_(listenFd),
      stopFd_(eventfd(0, EFD_CLOEXEC)),
      eventFd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)),
      port_(port),
      target_(target),
      arch_(std::move(arch)) {}

GdbServer::~GdbServer() {
    target_.setStopListener(nullptr);
    if (stopFd_ >= 0) {
        const uint64_t one = 1;
        [[maybe_unused]] ssize_t ignored = write(stopFd_, &one, sizeof one);
    }
    if (thread_.joinable()) thread_.join();
    close(listenFd_);
    if (stopFd_ >= 0) close(stopFd_);
    if (eventFd_ >= 0) close(eventFd_);
}

void GdbServer::onStop(const StopEvent& event) {
    {
        std::lock_guard lock(eventsMutex_);
        events_.push_back(event);
    }
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t ignored = write(eventFd_, &one, sizeof one);
}

bool GdbServer::takeEvent(StopEvent& event) {
    std::lock_guard lock(eventsMutex_);
    if (events_.empty()) return false;
    event = events_.front();
    events_.pop_front();
    return true;
}

bool GdbServer::waitForEvent(StopEvent& event, int millis) {
    for (;;) {
        if (takeEvent(event)) return true;
        pollfd fds[2] = {{eventFd_, POLLIN, 0}, {stopFd_, POLLIN, 0}};
        const int ready = poll(fds, 2, millis);
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0 || fds[1].revents) return false;
        drainEventFd(eventFd_);
    }
}

void GdbServer::serve() {
    for (;;) {
        pollfd fds[3] = {{listenFd_, POLLIN, 0}, {stopFd_, POLLIN, 0}, {eventFd_, POLLIN, 0}};
        if (poll(fds, 3, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (fds[1].revents) return;
        if (fds[2].revents) drainEventFd(eventFd_);  // stops nobody is attached to hear
        if (!(fds[0].revents & POLLIN)) continue;
        const int client = accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) continue;
        const int one = 1;
        setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        serveClient(client);
        close(client);
    }
}

void GdbServer::serveClient(int client) {
    GdbSession session(target_, *arch_);
    // Events from before this connection are nobody's; a GDB that connects stops the machine.
    StopEvent event;
    while (takeEvent(event)) {
        if (event.kind == StopEvent::Kind::Ended) return;
    }
    if (!target_.stopped()) {
        target_.requestStop();
        if (!waitForEvent(event, kAttachStopMillis) || event.kind == StopEvent::Kind::Ended) return;
        session.stopReply(event);
    }
    GdbPacketReader reader;
    std::string lastSent;
    bool running = false;
    auto reply = [&](const std::string& payload) {
        lastSent = framePacket(payload);
        return sendAll(client, lastSent);
    };
    uint8_t buffer[4096];
    for (;;) {
        pollfd fds[3] = {{client, POLLIN, 0}, {stopFd_, POLLIN, 0}, {eventFd_, POLLIN, 0}};
        if (poll(fds, 3, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        // Events first: the VM's end (W00) is told before the server stops.
        if (fds[2].revents || fds[1].revents) {
            drainEventFd(eventFd_);
            while (takeEvent(event)) {
                if (event.kind == StopEvent::Kind::Ended) {
                    reply(session.stopReply(event));  // W00: the machine is gone
                    return;
                }
                if (!running) continue;  // a stop GDB did not ask for while it looks: it is stopped anyway
                running = false;
                if (!reply(session.stopReply(event))) return;
            }
        }
        if (fds[1].revents) return;
        if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        const ssize_t got = read(client, buffer, sizeof buffer);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
            // GDB went away without detaching: its breakpoints go (they can
            // only be changed while stopped) and the machine runs on.
            if (running) {
                target_.requestStop();
                if (!waitForEvent(event, kAttachStopMillis) || event.kind == StopEvent::Kind::Ended) return;
            }
            session.release();
            return;
        }
        for (GdbInput& input : reader.feed({buffer, size_t(got)})) {
            switch (input.kind) {
                case GdbInput::Kind::Ack:
                    break;
                case GdbInput::Kind::Nack:
                    if (!lastSent.empty() && !sendAll(client, lastSent)) return;
                    break;
                case GdbInput::Kind::Interrupt:
                    if (running) target_.requestStop();  // the stop reply follows with the event
                    break;
                case GdbInput::Kind::BadChecksum:
                    if (!session.noAck() && !sendAll(client, "-")) return;
                    break;
                case GdbInput::Kind::TooLong:
                    if ((!session.noAck() && !sendAll(client, "+")) || !reply("E16")) return;
                    break;
                case GdbInput::Kind::Packet: {
                    if (!session.noAck() && !sendAll(client, "+")) return;
                    const GdbSession::Outcome outcome = session.handle(input.payload);
                    if (outcome.reply && !reply(*outcome.reply)) return;
                    if (outcome.next == GdbSession::Outcome::Next::Close) return;
                    if (outcome.next == GdbSession::Outcome::Next::Running) running = true;
                    break;
                }
            }
        }
    }
}

}  // namespace tessera::debug
