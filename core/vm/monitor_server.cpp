#include "core/vm/monitor_server.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tessera::vm {

Result<std::unique_ptr<MonitorServer>> MonitorServer::start(const std::string& socketPath, MonitorTarget& target) {
    sockaddr_un address{};
    if (socketPath.empty() || socketPath.size() >= sizeof address.sun_path)
        return makeError("monitor socket path '" + socketPath + "' is empty or longer than " +
                         std::to_string(sizeof address.sun_path - 1) + " characters");
    struct stat existing{};
    if (lstat(socketPath.c_str(), &existing) == 0) {
        if (!S_ISSOCK(existing.st_mode))
            return makeError("cannot create the monitor socket: '" + socketPath + "' exists and is not a socket");
        unlink(socketPath.c_str());  // a stale socket from an earlier run
    }
    const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return makeError(std::string("cannot create the monitor socket: ") + std::strerror(errno));
    // Linux creates the socket file with the socket inode's mode: set 0600
    // before bind so there is no window in which others could connect.
    fchmod(fd, 0600);
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, socketPath.c_str(), socketPath.size() + 1);
    if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || listen(fd, 2) != 0) {
        const std::string why = std::strerror(errno);
        close(fd);
        return makeError("cannot listen on monitor socket '" + socketPath + "': " + why);
    }
    chmod(socketPath.c_str(), 0600);
    const int stopFd = eventfd(0, EFD_CLOEXEC);
    if (stopFd < 0) {
        close(fd);
        unlink(socketPath.c_str());
        return makeError("cannot create an eventfd for the monitor");
    }
    std::unique_ptr<MonitorServer> server(new MonitorServer(socketPath, fd, stopFd, target));
    server->thread_ = std::thread([raw = server.get()] { raw->serve(); });
    return server;
}

MonitorServer::MonitorServer(std::string path, int listenFd, int stopFd, MonitorTarget& target)
    : path_(std::move(path)), listenFd_(listenFd), stopFd_(stopFd), target_(target) {}

MonitorServer::~MonitorServer() {
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t ignored = write(stopFd_, &one, sizeof one);
    if (thread_.joinable()) thread_.join();
    close(listenFd_);
    close(stopFd_);
    unlink(path_.c_str());
}

void MonitorServer::serve() {
    for (;;) {
        pollfd fds[2] = {{listenFd_, POLLIN, 0}, {stopFd_, POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (fds[1].revents) return;
        if (!(fds[0].revents & POLLIN)) continue;
        const int client = accept4(listenFd_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) continue;
        serveClient(client);
        close(client);
    }
}

void MonitorServer::serveClient(int client) {
    constexpr size_t kMaxLine = 4096;
    std::string buffer;
    char chunk[1024];
    for (;;) {
        pollfd fds[2] = {{client, POLLIN, 0}, {stopFd_, POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (fds[1].revents) return;
        const ssize_t got = read(client, chunk, sizeof chunk);
        if (got <= 0) return;
        buffer.append(chunk, static_cast<size_t>(got));
        size_t newline;
        while ((newline = buffer.find('\n')) != std::string::npos) {
            const std::string answer = executeMonitorLine(std::string_view(buffer).substr(0, newline), target_) + "\n";
            buffer.erase(0, newline + 1);
            if (send(client, answer.data(), answer.size(), MSG_NOSIGNAL) < 0) return;
        }
        if (buffer.size() > kMaxLine) {
            const std::string answer = "error: line too long\n";
            send(client, answer.data(), answer.size(), MSG_NOSIGNAL);
            return;  // drop a client that floods us without newlines
        }
    }
}

}  // namespace tessera::vm
