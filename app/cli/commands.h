#pragma once
// Subcommands of tessera-cli. Each takes the arguments after its own name and
// returns the process exit status.

#include <string>
#include <vector>

namespace tessera::cli {

using Args = std::vector<std::string>;

int imgCommand(const Args& args);  // img_command.cpp
int runCommand(const Args& args);  // run_command.cpp
int qemuCommand(const Args& args);  // qemu_command.cpp

}  // namespace tessera::cli
