#pragma once
// The `tessera-cli img` subcommands, one file each (img_<name>.cpp). Each
// parses its own arguments and calls a job in core/block; exit codes follow
// qemu-img's.

#include "app/cli/commands.h"

namespace tessera::cli {

int imgCreate(const Args& args);
int imgInfo(const Args& args);
int imgCheck(const Args& args);
int imgConvert(const Args& args);
int imgCompact(const Args& args);
int imgResize(const Args& args);
int imgCompare(const Args& args);
int imgMap(const Args& args);
int imgAnswers(const Args& args);

// Usage text of a subcommand (img_help.cpp), or nullptr if there is none.
const char* imgUsage(const std::string& subcommand);
// Prints the usage and returns 0 when args ask for help (-h/--help anywhere
// before "--"); returns -1 otherwise.
int printHelpIfAsked(const std::string& subcommand, const Args& args);

}  // namespace tessera::cli
