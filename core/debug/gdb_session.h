#pragma once
// GdbSession: one GDB connection's protocol state and the commands of the
// remote serial protocol (GDB manual, "Remote Protocol", "Packets" and
// "General Query Packets") on a DebugTarget, in all-stop mode: while GDB
// looks, every CPU is stopped. Threads are CPUs (thread id = CPU index + 1).
// It sees payloads only (framing and acks are gdb_packet.h's and
// gdb_server.h's); a payload it does not understand gets the empty reply,
// malformed arguments an `E` reply, never more.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "core/debug/debug_target.h"
#include "core/debug/gdb_arch.h"

namespace tessera::debug {

class GdbSession {
public:
    GdbSession(DebugTarget& target, const GdbArch& arch);

    struct Outcome {
        std::optional<std::string> reply;  // nothing for c/vCont;c (the stop reply comes later) and k
        enum class Next { Stay, Running, Close } next = Next::Stay;
    };
    // Executes one packet's payload (as received: still escaped).
    Outcome handle(std::string_view payload);
    // The stop reply for an event (which also selects the CPU that stopped).
    std::string stopReply(const StopEvent& event);
    // GDB went away (D, or the connection closed): its breakpoints go and the
    // machine runs on, as after a monitor `cont`.
    void release();
    bool noAck() const { return noAck_; }

private:
    Outcome query(std::string_view payload);
    Outcome vPacket(std::string_view payload);
    std::string readRegisters();
    std::string writeRegisters(std::string_view hex);
    std::string readRegister(std::string_view args);
    std::string writeRegister(std::string_view args);
    std::string readMemory(std::string_view args);
    std::string writeMemory(std::string_view args, bool binary);
    std::string changeBreakpoint(std::string_view args, bool insert);
    std::string selectThread(std::string_view args);
    Outcome resume(bool step, std::optional<unsigned> cpu, std::string_view address);
    // Copies guest memory at a virtual address of the current CPU; stops
    // at the first byte that is unmapped or not RAM.
    size_t accessMemory(uint64_t address, uint8_t* data, size_t length, bool write);
    bool applyBreakpoints();
    std::optional<unsigned> parseThread(std::string_view text) const;
    std::string threadId(unsigned cpu) const;

    DebugTarget& target_;
    const GdbArch& arch_;
    bool noAck_ = false;
    unsigned current_ = 0;  // the CPU g/p/m/s/c apply to (Hg)
    std::set<uint64_t> breakpoints_;
    StopEvent lastStop_;
};

}  // namespace tessera::debug
