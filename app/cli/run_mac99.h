#pragma once
// `tessera-cli run --machine mac99`: the PowerPC board with its serial console
// on stdio; and what every board's run reports at the end (statistics, exit
// status), shared with the RISC-V path in run_command.cpp.

#include "app/cli/run_options.h"
#include "core/cpu/cpu_engine.h"
#include "core/machine/run_outcome.h"
#include "core/machine/vm_host.h"

namespace tessera::cli {

int runMac99(const RunOptions& options, machine::VmHost& host);

// --stats: one JSON line on stderr.
void printRunStats(const machine::RunStats& stats, cpu::EngineKind engine);
// The process exit status for how the run ended (0 power-off/reset/stop,
// the guest's code, 124 timeout, 125 emulator failure), with its message.
int runExitStatus(const machine::RunOutcome& outcome, bool quitByUser);

}  // namespace tessera::cli
