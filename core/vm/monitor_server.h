#pragma once
// MonitorServer: serves the line-based monitor on a Unix socket (mode 0600,
// only the owner may connect) from its own thread, one client at a time.
// Commands run on that thread: every MonitorTarget entry point must be
// thread-safe (the device entry points are).

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "core/util/result.h"
#include "core/vm/monitor_commands.h"

namespace tessera::vm {

class MonitorServer {
public:
    static Result<std::unique_ptr<MonitorServer>> start(const std::string& socketPath, MonitorTarget& target);
    ~MonitorServer();  // stops the thread and removes the socket file
    MonitorServer(const MonitorServer&) = delete;
    MonitorServer& operator=(const MonitorServer&) = delete;

    const std::string& path() const { return path_; }

private:
    MonitorServer(std::string path, int listenFd, int stopFd, MonitorTarget& target);
    void serve();
    void serveClient(int client);

    std::string path_;
    int listenFd_;
    int stopFd_;  // eventfd that ends the thread
    MonitorTarget& target_;
    std::thread thread_;
};

}  // namespace tessera::vm
