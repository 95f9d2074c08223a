// tessera-cli img convert [-f FMT] [-O FMT] [-c] [-o OPTIONS] [-p] [-m N] [-q] SOURCE TARGET

#include <cstdio>

#include "app/cli/img_common.h"
#include "app/cli/img_subcommands.h"
#include "core/block/image_convert.h"

namespace tessera::cli {

int imgConvert(const Args& rawArgs) {
    const std::string sub = "convert";
    auto args = parseArgs(sub, rawArgs,
                          {{'f', nullptr, true},
                           {'O', nullptr, true},
                           {'c', nullptr, false},
                           {'o', nullptr, true},
                           {'p', nullptr, false},
                           {'m', nullptr, true},
                           {'q', nullptr, false}});
    if (!args) return 1;
    if (printedCreateOptionsHelp(args->all("o"))) return 0;
    block::ConvertRequest request;
    std::optional<block::ImageFormat> targetFormat;
    if (!parseFormatOption(sub, *args, "f", request.sourceFormat) ||
        !parseFormatOption(sub, *args, "O", targetFormat))
        return 1;
    // qemu-img's default target format is raw; -O qcow2 is what the seed article uses.
    request.targetOptions.format = targetFormat.value_or(block::ImageFormat::Raw);
    if (auto error = applyCreateOptions(args->all("o"), request.targetOptions); !error.empty())
        return failWith(sub, error);
    request.compress = args->has("c");
    if (!parseThreadsOption(sub, *args, request.threads)) return 1;
    if (args->positional.size() != 2)
        return failWith(sub, "expected SOURCE and TARGET, got " + std::to_string(args->positional.size()) +
                                 " file name(s) (see 'tessera-cli img convert --help')");
    request.source = args->positional[0];
    request.target = args->positional[1];

    CliJob job(args->has("p") && !args->has("q"));
    auto status = block::convertImage(request, job.control());
    if (!status) return failWith(sub, status.message());
    return 0;
}

}  // namespace tessera::cli
