// tessera-cli: the Tessera core without a GUI, for scripts and tests.

#include <cstdio>
#include <cstring>

#include "app/cli/commands.h"

namespace {

constexpr const char* kUsage =
    "Usage: tessera-cli <command> [options]\n"
    "\n"
    "Run virtual machines of other CPU architectures and manage their disk images.\n"
    "\n"
    "Commands:\n"
    "  run    boot a virtual machine headless, serial console on stdio\n"
    "         (tessera-cli run --help for its options)\n"
    "  qemu   run a qemu-system-ppc / qemu-system-riscv64 command line with Tessera's\n"
    "         emulator, or print it as a run line (--dry-run) or keep it as a VM (--save)\n"
    "         (tessera-cli qemu --help)\n"
    "  img    create, inspect, check, convert, compact, resize, compare and map\n"
    "         disk images (qcow2, raw), modelled on qemu-img\n"
    "         (tessera-cli img --help for its subcommands)\n"
    "\n"
    "Options:\n"
    "  -h, --help     show this help and exit\n"
    "  -V, --version  show the version and exit\n";

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fputs(kUsage, stderr);
        return 2;
    }
    const std::string command = argv[1];
    tessera::cli::Args rest(argv + 2, argv + argc);
    if (command == "-h" || command == "--help" || command == "help") {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (command == "-V" || command == "--version") {
        std::printf("tessera-cli %s\n", TESSERA_VERSION);
        return 0;
    }
    if (command == "img") return tessera::cli::imgCommand(rest);
    if (command == "run") return tessera::cli::runCommand(rest);
    if (command == "qemu") return tessera::cli::qemuCommand(rest);
    std::fprintf(stderr, "tessera-cli: unknown command '%s'. Try 'tessera-cli --help'.\n", command.c_str());
    return 2;
}
