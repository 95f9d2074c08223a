#pragma once
// `tessera-cli run --gdb … --paused`: the GDB stub on a board (any of them),
// started before the board runs and stopped after it has returned.

#include <memory>

#include "app/cli/run_options.h"
#include "core/debug/gdb_server.h"
#include "core/machine/board.h"
#include "core/util/result.h"

namespace tessera::cli {

enum class GuestIsa { Riscv64, Ppc32 };

// With --paused, the board is asked to pause before it runs (every CPU then
// stands at its reset vector). With --gdb, the stub listens (the port is
// printed on stderr); without, the result is null.
Result<std::unique_ptr<debug::GdbServer>> startGdbStub(const RunOptions& options, machine::Board& board,
                                                       GuestIsa isa);

}  // namespace tessera::cli
