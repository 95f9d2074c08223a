// Usage text for `tessera-cli img` and each subcommand. Option names and
// meanings follow qemu-img (qemu/qemu: docs/tools/qemu-img.rst) so its users
// can carry their habits over.

#include <cstdio>
#include <cstring>

#include "app/cli/img_subcommands.h"

namespace tessera::cli {

namespace {

struct Usage {
    const char* name;
    const char* text;
};

constexpr Usage kUsages[] = {
    {"create",
     "Usage: tessera-cli img create [-f qcow2|raw] [-o OPTIONS] [-b BACKING [-F BACKING_FMT]] [-u] FILE "
     "[SIZE]\n"
     "\n"
     "Create a new disk image of SIZE bytes (suffixes k, M, G, T, P, E are powers of 1024;\n"
     "a fraction like 1.5G is fine). With a backing file SIZE defaults to the backing file's size.\n"
     "\n"
     "  -f FMT            image format: qcow2 (default) or raw\n"
     "  -o OPTIONS        comma-separated format options (repeatable):\n"
     "                      cluster_size=SIZE        512 to 2M, power of two (default 64k)\n"
     "                      compat=0.10|1.1          qcow2 version 2 or 3 (default 1.1)\n"
     "                      compression_type=zlib|zstd\n"
     "                      backing_file=FILE, backing_fmt=qcow2|raw\n"
     "                      preallocation=off|metadata|full\n"
     "                      refcount_bits=1|2|4|8|16|32|64 (default 16)\n"
     "                      lazy_refcounts=on|off, extended_l2=on|off\n"
     "                    '-o help' lists them\n"
     "  -b FILE           backing file (same as -o backing_file=FILE); relative names are\n"
     "                    resolved against the new image's directory\n"
     "  -F FMT            backing file format (same as -o backing_fmt=FMT)\n"
     "  -u                do not open the backing file (SIZE is then required)\n"
     "  -q                quiet: do not print the \"Formatting ...\" line\n"
     "  -h, --help        show this help\n"
     "\n"
     "Example: tessera-cli img create -f qcow2 debian.qcow2 15G\n"},
    {"info",
     "Usage: tessera-cli img info [-f FMT] [--output=human|json] [--backing-chain] [-U] FILE\n"
     "\n"
     "Show the format, virtual size, disk usage, cluster size, backing file, snapshots and\n"
     "qcow2-specific details of FILE. The JSON output uses qemu-img's field names.\n"
     "\n"
     "  -f FMT              format of FILE (default: probe qcow2, else raw)\n"
     "  --output=FORMAT     human (default) or json\n"
     "  --backing-chain     also show every image of the backing chain (JSON: an array)\n"
     "  -U, --force-share   open even if the image is in use (read-only)\n"
     "  -h, --help          show this help\n"},
    {"check",
     "Usage: tessera-cli img check [-f FMT] [-r leaks|all] [--output=human|json] [-q] FILE\n"
     "\n"
     "Check a qcow2 image for consistency: leaked clusters (wasted space, harmless) and\n"
     "corruptions (data at risk).\n"
     "\n"
     "  -r leaks            repair leaked clusters only\n"
     "  -r all              also repair corruptions (rebuild refcounts, fix flags)\n"
     "  --output=FORMAT     human (default) or json\n"
     "  -q                  quiet\n"
     "  -h, --help          show this help\n"
     "\n"
     "Exit status (qemu-img's): 0 no errors (after repair, with -r), 1 the check could not\n"
     "run, 2 corruptions, 3 leaks only, 63 the format (raw) has no consistency check.\n"},
    {"convert",
     "Usage: tessera-cli img convert [-f FMT] [-O FMT] [-c] [-o OPTIONS] [-p] [-m N] [-q] SOURCE TARGET\n"
     "\n"
     "Copy SOURCE into a new image TARGET, dropping all-zero clusters and unallocated\n"
     "ranges. With -c the data is compressed by a pool of threads, one per CPU.\n"
     "\n"
     "  -f FMT            format of SOURCE (default: probe)\n"
     "  -O FMT            format of TARGET: raw (the default, as in qemu-img) or qcow2\n"
     "  -c                compress the target (qcow2 only)\n"
     "  -o OPTIONS        creation options for TARGET, as for 'create', e.g.\n"
     "                    -o compression_type=zstd,cluster_size=128k\n"
     "  -p                show progress on stderr\n"
     "  -m N              number of compression threads (default: number of CPUs)\n"
     "  -q                quiet\n"
     "  -h, --help        show this help\n"
     "\n"
     "Example (shrink a disk like the qemu-img users do):\n"
     "  tessera-cli img convert -p -c -O qcow2 debian.qcow2 shrinked.qcow2\n"},
    {"compact",
     "Usage: tessera-cli img compact [-f FMT] [-c] [-o compression_type=zlib|zstd] [-p] [-m N] [-q] FILE\n"
     "\n"
     "Shrink FILE in place, safely: a compacted copy is written next to it, read back and\n"
     "compared with the original, made durable, and only then atomically renamed over it.\n"
     "Format, compat level, backing file and compression type are kept. All-zero clusters\n"
     "are dropped. Refuses to touch an image that a running VM has open. Interrupting it\n"
     "leaves FILE unchanged (the next compact removes the copy it left). A symlink stays a\n"
     "symlink (the file it points to is compacted); owner, group and mode are kept.\n"
     "\n"
     "  -f FMT            format of FILE (default: probe)\n"
     "  -c                also compress the data\n"
     "  -o compression_type=zlib|zstd   change the compression type (implies nothing else)\n"
     "  -p                show progress on stderr\n"
     "  -m N              number of compression threads (default: number of CPUs)\n"
     "  -q                quiet\n"
     "  -h, --help        show this help\n"},
    {"resize",
     "Usage: tessera-cli img resize [-f FMT] [--shrink] [-q] FILE [+|-]SIZE\n"
     "\n"
     "Change the virtual size of FILE to SIZE, or grow/shrink it by SIZE with + or -.\n"
     "Shrinking destroys data past the new end, so it needs --shrink.\n"
     "\n"
     "  -f FMT            format of FILE (default: probe)\n"
     "  --shrink          allow making the image smaller\n"
     "  -q                quiet\n"
     "  -h, --help        show this help\n"
     "\n"
     "Example: tessera-cli img resize disk.qcow2 +5G\n"},
    {"compare",
     "Usage: tessera-cli img compare [-f FMT] [-F FMT] [-s] [-p] [-q] FILE1 FILE2\n"
     "\n"
     "Check whether two images have the same guest-visible content. Unallocated space\n"
     "equals zeros, and a size difference is fine if the longer image's tail is zero.\n"
     "\n"
     "  -f FMT            format of FILE1 (default: probe)\n"
     "  -F FMT            format of FILE2 (default: probe)\n"
     "  -s                strict: sizes and allocation must match too\n"
     "  -p                show progress on stderr\n"
     "  -q                quiet\n"
     "  -h, --help        show this help\n"
     "\n"
     "Exit status (qemu-img's): 0 identical, 1 different, 2 an image could not be opened,\n"
     "3 error checking allocation, 4 read error.\n"},
    {"map",
     "Usage: tessera-cli img map [-f FMT] [--output=human|json] FILE\n"
     "\n"
     "Show where each range of the virtual disk comes from: which image of the backing\n"
     "chain (depth), whether it reads as zero, holds data, is compressed, and the host\n"
     "offset of plainly stored data. The JSON output has qemu-img's fields\n"
     "(start, length, depth, present, zero, data, compressed, offset).\n"
     "\n"
     "  -f FMT            format of FILE (default: probe)\n"
     "  --output=FORMAT   human (default: only data stored plainly) or json\n"
     "  -h, --help        show this help\n"},
    {"answers",
     "Usage: tessera-cli img answers [--hostname NAME] --user NAME [--password-file FILE]\n"
     "                               [--ssh-key FILE] OUT.img\n"
     "\n"
     "Write the answer disk of an unattended install from the Tessera install disc (what the\n"
     "New VM wizard's express install writes): a 1 MiB raw image that the installer reads\n"
     "instead of asking. Attach it read-only next to the system disk:\n"
     "  tessera-cli run -m 1G --cdrom install.iso --boot d --disk debian.qcow2 \\\n"
     "      --disk OUT.img,format=raw,readonly=on --nic user,hostfwd=tcp::2222-:22\n"
     "\n"
     "  --hostname NAME       the installed system's host name (default: debian)\n"
     "  --user NAME           the account to create (lower case, e.g. me)\n"
     "  --password-file FILE  its password: the first line of FILE ('-' = standard input);\n"
     "                        only a SHA-512 crypt hash of it is written\n"
     "  --ssh-key FILE        an OpenSSH public key file (e.g. ~/.ssh/id_ed25519.pub) that may\n"
     "                        log in as the user\n"
     "  -h, --help            show this help\n"
     "\n"
     "At least one of --password-file and --ssh-key is needed. OUT.img is written with mode\n"
     "0600; an existing file is only replaced if it is an answer disk too.\n"},
};

}  // namespace

const char* imgUsage(const std::string& subcommand) {
    for (const auto& usage : kUsages)
        if (subcommand == usage.name) return usage.text;
    return nullptr;
}

int printHelpIfAsked(const std::string& subcommand, const Args& args) {
    for (const auto& arg : args) {
        if (arg == "--") break;
        if (arg == "-h" || arg == "--help") {
            std::fputs(imgUsage(subcommand), stdout);
            return 0;
        }
    }
    return -1;
}

}  // namespace tessera::cli
