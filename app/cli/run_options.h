#pragma once
// Command line of `tessera-cli run`, modelled on qemu-system-riscv64's.

#include <optional>
#include <string>
#include <vector>

#include "app/cli/commands.h"
#include "core/debug/gdb_server.h"
#include "core/machine/mac99_config.h"
#include "core/machine/riscv_virt_config.h"
#include "core/util/result.h"

namespace tessera::cli {

enum class SerialMode { Stdio, None, File };

// The board `run` builds (--machine): QEMU's RISC-V virt or PowerPC mac99.
enum class MachineType { RiscvVirt, Mac99 };

struct RunOptions {
    MachineType machineType = MachineType::RiscvVirt;
    machine::RiscvVirtConfig machine;  // the machine knobs; mac99 reads the ones it has (mac99Config)
    SerialMode serial = SerialMode::Stdio;
    std::string serialFile;
    bool help = false;
    bool listMachines = false;               // --list-machines
    bool stats = false;                      // print RunStats on stderr at exit
    std::string monitorPath;                 // --monitor: line-based monitor on this Unix socket
    std::string screenshotPath;              // --screenshot: PNG of the display at exit
    std::string vm;                          // --vm NAME|PATH: the machine comes from a VM bundle
    bool displayGiven = false;               // --display was on the command line (overrides the bundle's)
    bool engineGiven = false;                // --engine was on the command line (mac99 defaults to interp)
    std::vector<std::string> acceptBacking;  // --accept-backing FILE (with --vm, repeatable)
    bool makeClonesIndependent = false;      // --make-clones-independent (with --vm)
    char bootDevice = 0;                     // --boot: 'd' CD-ROM, 'c' disk (run_uefi_boot.h)
    std::vector<std::string> devices;        // QEMU's -device (the NIC, with -netdev)
    std::string netdev;                      // QEMU's -netdev user,id=ID,...
    std::optional<debug::GdbAddress> gdb;    // --gdb tcp::PORT (QEMU's -gdb): the GDB stub
    bool paused = false;                     // --paused (QEMU's -S): CPUs stopped until cont
};

extern const char* const kRunUsage;

// The mac99 machine the options describe (RAM, firmware, kernel, initrd,
// command line, timeout, no-reboot).
machine::Mac99Config mac99Config(const RunOptions& options);

Result<RunOptions> parseRunOptions(const Args& args);
// With --vm: replaces options.machine by the bundle's machine (keeping the
// run-time options: timeout, no-reboot, engine, display override) and returns the
// bundle's directory. Warns about unknown config.json keys on stderr and
// refuses backing files outside the bundle unless --accept-backing allows them.
Result<std::string> applyVmBundle(RunOptions& options);
// "512M", "1G", "65536K", "256" (MiB, as QEMU's -m) -> bytes.
Result<uint64_t> parseMemorySize(const std::string& text);

}  // namespace tessera::cli
