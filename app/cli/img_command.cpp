#include <cstdio>

#include "app/cli/commands.h"

namespace tessera::cli {

int imgCommand(const Args&) {
    std::fputs("tessera-cli img: this command is not available in this build yet.\n", stderr);
    return 1;
}

}  // namespace tessera::cli
