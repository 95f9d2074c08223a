// `tessera-cli img <subcommand>`: dispatch only; each subcommand lives in its
// own img_<name>.cpp.

#include <cstdio>
#include <string>

#include "app/cli/commands.h"
#include "app/cli/img_subcommands.h"

namespace tessera::cli {

namespace {

constexpr const char* kImgUsage =
    "Usage: tessera-cli img <subcommand> [options]\n"
    "\n"
    "Create, inspect and shrink disk images (qcow2, raw). The subcommands and their\n"
    "options follow qemu-img, so 'qemu-img X' habits work as 'tessera-cli img X'.\n"
    "\n"
    "Subcommands:\n"
    "  create    create a new image:        img create -f qcow2 disk.qcow2 15G\n"
    "  info      show what an image is:      img info [--output=json] disk.qcow2\n"
    "  check     find leaks and corruption:  img check [-r leaks|all] disk.qcow2\n"
    "  convert   copy into a new image, optionally compressed:\n"
    "                                        img convert -p -c -O qcow2 in.qcow2 out.qcow2\n"
    "  compact   shrink an image in place, safely:  img compact -p -c disk.qcow2\n"
    "  resize    grow (or --shrink) an image: img resize disk.qcow2 +5G\n"
    "  compare   compare guest-visible content: img compare a.qcow2 b.raw\n"
    "  map       show how the image is laid out: img map --output=json disk.qcow2\n"
    "  answers   the answer disk for an unattended install from the Tessera install disc:\n"
    "                                        img answers --user me --ssh-key ~/.ssh/id_ed25519.pub answers.img\n"
    "\n"
    "Run 'tessera-cli img <subcommand> --help' for the options of each.\n";

struct Subcommand {
    const char* name;
    int (*run)(const Args&);
};

constexpr Subcommand kSubcommands[] = {
    {"create", imgCreate},   {"info", imgInfo},     {"check", imgCheck},     {"convert", imgConvert},
    {"compact", imgCompact}, {"resize", imgResize}, {"compare", imgCompare}, {"map", imgMap},
    {"answers", imgAnswers},
};

}  // namespace

int imgCommand(const Args& args) {
    if (args.empty()) {
        std::fputs(kImgUsage, stderr);
        return 1;
    }
    const std::string& name = args[0];
    if (name == "-h" || name == "--help" || name == "help") {
        std::fputs(kImgUsage, stdout);
        return 0;
    }
    for (const auto& subcommand : kSubcommands) {
        if (name != subcommand.name) continue;
        const Args rest(args.begin() + 1, args.end());
        if (int help = printHelpIfAsked(name, rest); help >= 0) return help;
        return subcommand.run(rest);
    }
    std::fprintf(stderr, "tessera-cli img: unknown subcommand '%s' (see 'tessera-cli img --help')\n",
                 name.c_str());
    return 1;
}

}  // namespace tessera::cli
