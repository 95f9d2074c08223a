#include "app/cli/run_gdb.h"

#include <cstdio>

#include "core/debug/debug_target.h"

namespace tessera::cli {

Result<std::unique_ptr<debug::GdbServer>> startGdbStub(const RunOptions& options, machine::Board& board,
                                                       GuestIsa isa) {
    if (options.paused) board.requestPause(true);
    if (!options.gdb) return std::unique_ptr<debug::GdbServer>();
    debug::DebugTarget* target = board.debugTarget();
    if (!target) return makeError("--gdb: this machine has no debugger interface.");
    auto server = debug::GdbServer::start(
        *options.gdb, *target,
        isa == GuestIsa::Riscv64 ? debug::makeRiscv64GdbArch() : debug::makePpc32GdbArch());
    if (!server) return server.error();
    std::fprintf(stderr, "tessera-cli run: GDB stub on %s:%u (gdb: target remote %s:%u)%s\n",
                 options.gdb->host.c_str(), unsigned((*server)->port()), options.gdb->host.c_str(),
                 unsigned((*server)->port()), options.paused ? ", the CPUs wait for continue" : "");
    return server;
}

}  // namespace tessera::cli
