#pragma once
// Command line of `tessera-cli run`, modelled on qemu-system-riscv64's.

#include <string>

#include "app/cli/commands.h"
#include "core/machine/riscv_virt_config.h"
#include "core/util/result.h"

namespace tessera::cli {

enum class SerialMode { Stdio, None, File };

struct RunOptions {
    machine::RiscvVirtConfig machine;
    SerialMode serial = SerialMode::Stdio;
    std::string serialFile;
    bool help = false;
    bool stats = false;  // print RunStats on stderr at exit
    std::string monitorPath;     // --monitor: line-based monitor on this Unix socket
    std::string screenshotPath;  // --screenshot: PNG of the display at exit
};

extern const char* const kRunUsage;

Result<RunOptions> parseRunOptions(const Args& args);
// "512M", "1G", "65536K", "256" (MiB, as QEMU's -m) -> bytes.
Result<uint64_t> parseMemorySize(const std::string& text);

}  // namespace tessera::cli
