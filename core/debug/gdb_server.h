#pragma once
// GdbServer: the GDB stub's TCP side (`tessera-cli run --gdb tcp::PORT`,
// QEMU's -gdb): listens (on 127.0.0.1 unless the address names another
// host), serves one GDB at a time from its own thread with a GdbSession, and
// turns the target's stop events into stop replies. A GDB that connects
// stops the machine; one that detaches or goes away lets it run on.

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "core/debug/debug_target.h"
#include "core/debug/gdb_arch.h"
#include "core/util/result.h"

namespace tessera::debug {

struct GdbAddress {
    std::string host = "127.0.0.1";
    uint16_t port = 0;
};
// "tcp::1234", "tcp:HOST:1234" or "1234" (port 0: any free port).
Result<GdbAddress> parseGdbAddress(std::string_view spec);

class GdbServer {
public:
    static Result<std::unique_ptr<GdbServer>> start(const GdbAddress& address, DebugTarget& target,
                                                    std::unique_ptr<GdbArch> arch);
    ~GdbServer();  // closes the connection and stops the thread
    GdbServer(const GdbServer&) = delete;
    GdbServer& operator=(const GdbServer&) = delete;

    uint16_t port() const { return port_; }

private:
    GdbServer(int listenFd, uint16_t port, DebugTarget& target, std::unique_ptr<GdbArch> arch);
    void serve();
    void serveClient(int client);
    void onStop(const StopEvent& event);
    bool takeEvent(StopEvent& event);
    // Waits up to `millis` for a stop event (or the end of the server);
    // false when none came.
    bool waitForEvent(StopEvent& event, int millis);

    int listenFd_;
    int stopFd_;   // eventfd: the server ends
    int eventFd_;  // eventfd: a stop event is queued
    uint16_t port_;
    DebugTarget& target_;
    std::unique_ptr<GdbArch> arch_;
    std::mutex eventsMutex_;
    std::deque<StopEvent> events_;
    std::thread thread_;
};

}  // namespace tessera::debug
