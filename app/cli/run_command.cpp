#include <cstdio>

#include "app/cli/commands.h"

namespace tessera::cli {

int runCommand(const Args&) {
    std::fputs("tessera-cli run: this command is not available in this build yet.\n", stderr);
    return 1;
}

}  // namespace tessera::cli
