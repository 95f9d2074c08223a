// tessera-cli img compact [-f FMT] [-c] [-o compression_type=zlib|zstd] [-p] [-m N] [-q] FILE

#include <cstdio>

#include "app/cli/img_common.h"
#include "app/cli/img_subcommands.h"
#include "core/block/image_compact.h"
#include "core/block/size_parser.h"

namespace tessera::cli {

int imgCompact(const Args& rawArgs) {
    const std::string sub = "compact";
    auto args = parseArgs(sub, rawArgs,
                          {{'f', nullptr, true},
                           {'c', nullptr, false},
                           {'o', nullptr, true},
                           {'p', nullptr, false},
                           {'m', nullptr, true},
                           {'q', nullptr, false}});
    if (!args) return 1;
    block::CompactRequest request;
    if (!parseFormatOption(sub, *args, "f", request.format)) return 1;
    request.compress = args->has("c");
    for (const auto& list : args->all("o")) {
        for (const auto& [key, value] : splitOptionList(list)) {
            if (key != "compression_type")
                return failWith(
                    sub, "compact keeps the image's shape; the only -o option is compression_type, not '" +
                             key + "'");
            if (value == "zlib")
                request.compressionType = block::qcow2::CompressionType::Zlib;
            else if (value == "zstd")
                request.compressionType = block::qcow2::CompressionType::Zstd;
            else
                return failWith(sub, "compression_type must be zlib or zstd, not '" + value + "'");
        }
    }
    if (!parseThreadsOption(sub, *args, request.threads)) return 1;
    if (args->positional.size() != 1)
        return failWith(sub, args->positional.empty()
                                 ? "missing FILE (see 'tessera-cli img compact --help')"
                                 : "expected one FILE, got " + std::to_string(args->positional.size()));
    request.path = args->positional[0];

    const bool quiet = args->has("q");
    Result<block::CompactResult> result = makeError("not run");
    {
        CliJob job(args->has("p") && !quiet);
        result = block::compactImage(request, job.control());
    }
    if (!result) return failWith(sub, result.message());
    if (!quiet)
        std::printf("Compacted %s: %s -> %s on disk\n", request.path.c_str(),
                    block::formatHumanSize(result->bytesBefore).c_str(),
                    block::formatHumanSize(result->bytesAfter).c_str());
    return 0;
}

}  // namespace tessera::cli
