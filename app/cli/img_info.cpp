// tessera-cli img info [-f FMT] [--output=human|json] [--backing-chain] [-U] FILE

#include <cstdio>

#include "app/cli/img_common.h"
#include "app/cli/img_subcommands.h"
#include "core/block/image_info.h"

namespace tessera::cli {

int imgInfo(const Args& rawArgs) {
    const std::string sub = "info";
    auto args = parseArgs(sub, rawArgs,
                          {{'f', nullptr, true},
                           {0, "output", true},
                           {0, "backing-chain", false},
                           {'U', "force-share", false}});
    if (!args) return 1;
    std::optional<block::ImageFormat> format;
    OutputFormat output;
    if (!parseFormatOption(sub, *args, "f", format) || !parseOutputOption(sub, *args, output)) return 1;
    if (args->positional.size() != 1)
        return failWith(sub, args->positional.empty()
                                 ? "missing FILE (see 'tessera-cli img info --help')"
                                 : "expected one FILE, got " + std::to_string(args->positional.size()));
    const bool chain = args->has("backing-chain");
    auto infos = block::describeImageChain(args->positional[0], format, chain, args->has("force-share"));
    if (!infos) return failWith(sub, infos.message());
    const std::string text =
        output == OutputFormat::Json ? block::formatInfoJson(*infos, chain) : block::formatInfoHuman(*infos);
    std::fputs(text.c_str(), stdout);
    return 0;
}

}  // namespace tessera::cli
