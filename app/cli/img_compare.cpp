// tessera-cli img compare [-f FMT] [-F FMT] [-s] [-p] [-q] FILE1 FILE2
// Exit codes as qemu-img compare: 0 identical, 1 different, 2 open error,
// 3 allocation error, 4 read error.

#include <cstdio>

#include "app/cli/img_common.h"
#include "app/cli/img_subcommands.h"
#include "core/block/image_compare.h"
#include "core/block/open_image.h"

namespace tessera::cli {

int imgCompare(const Args& rawArgs) {
    const std::string sub = "compare";
    constexpr int kOpenError = 2;
    auto args = parseArgs(sub, rawArgs,
                          {{'f', nullptr, true},
                           {'F', nullptr, true},
                           {'s', nullptr, false},
                           {'p', nullptr, false},
                           {'q', nullptr, false},
                           {'U', "force-share", false}});
    if (!args) return 1;
    std::optional<block::ImageFormat> format1, format2;
    if (!parseFormatOption(sub, *args, "f", format1) || !parseFormatOption(sub, *args, "F", format2))
        return 1;
    if (args->positional.size() != 2)
        return failWith(sub, "expected two files to compare (see 'tessera-cli img compare --help')");

    block::OpenOptions options;
    options.readOnly = true;
    options.lock = !args->has("force-share");
    options.format = format1;
    auto first = block::openImage(args->positional[0], options);
    if (!first) {
        failWith(sub, first.message());
        return kOpenError;
    }
    options.format = format2;
    auto second = block::openImage(args->positional[1], options);
    if (!second) {
        failWith(sub, second.message());
        return kOpenError;
    }
    const bool quiet = args->has("q");
    block::CompareResult result;
    {
        CliJob job(args->has("p") && !quiet);
        result = block::compareImages(**first, **second, args->has("s"), job.control());
    }
    using O = block::CompareResult::Outcome;
    if (result.outcome == O::Identical || result.outcome == O::Different) {
        if (!quiet) {
            if (result.sizeMismatch) std::printf("Warning: Image size mismatch!\n");
            std::printf("%s\n", result.message.c_str());
        }
    } else {
        failWith(sub, result.message);
    }
    return static_cast<int>(result.outcome);
}

}  // namespace tessera::cli
