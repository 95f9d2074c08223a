// tessera-cli img create [-f FMT] [-o OPTIONS] [-b BACKING [-F FMT]] [-u] [-q] FILE [SIZE]

#include <cstdio>

#include "app/cli/img_common.h"
#include "app/cli/img_subcommands.h"
#include "core/block/open_image.h"
#include "core/block/size_parser.h"

namespace tessera::cli {

namespace {

std::string describe(const std::string& path, const block::CreateOptions& o) {
    using namespace block;
    std::string line = "Formatting '" + path + "', fmt=" + imageFormatName(o.format);
    if (o.format == ImageFormat::Qcow2) {
        line += " cluster_size=" + std::to_string(o.clusterSize);
        if (o.compat == "0.10") line += " compat=0.10";
        line += std::string(" extended_l2=") + (o.extendedL2 ? "on" : "off");
        line += std::string(" compression_type=") + qcow2::compressionTypeName(o.compressionType);
    }
    line += " size=" + std::to_string(o.size);
    if (!o.backingFile.empty()) line += " backing_file=" + o.backingFile;
    if (o.backingFormat) line += std::string(" backing_fmt=") + imageFormatName(*o.backingFormat);
    if (o.preallocation != Preallocation::Off) {
        static constexpr const char* kNames[] = {"off", "metadata", "falloc", "full"};
        line += std::string(" preallocation=") + kNames[static_cast<int>(o.preallocation)];
    }
    if (o.format == ImageFormat::Qcow2) {
        line += std::string(" lazy_refcounts=") + (o.lazyRefcounts ? "on" : "off");
        line += " refcount_bits=" + std::to_string(o.refcountBits);
    }
    return line;
}

}  // namespace

int imgCreate(const Args& rawArgs) {
    const std::string sub = "create";
    auto args = parseArgs(sub, rawArgs,
                          {{'f', nullptr, true},
                           {'o', nullptr, true},
                           {'b', nullptr, true},
                           {'F', nullptr, true},
                           {'u', nullptr, false},
                           {'q', nullptr, false}});
    if (!args) return 1;
    if (printedCreateOptionsHelp(args->all("o"))) return 0;
    block::CreateOptions options;
    std::optional<block::ImageFormat> format;
    if (!parseFormatOption(sub, *args, "f", format)) return 1;
    options.format = format.value_or(block::ImageFormat::Qcow2);

    std::vector<std::string> lists = args->all("o");
    if (auto b = args->last("b"))
        lists.push_back("backing_file=" + [&] {
            std::string escaped;
            for (char c : *b) escaped += c == ',' ? std::string(",,") : std::string(1, c);
            return escaped;
        }());
    if (auto f = args->last("F")) lists.push_back("backing_fmt=" + *f);
    if (auto error = applyCreateOptions(lists, options); !error.empty()) return failWith(sub, error);

    if (args->positional.empty()) return failWith(sub, "missing FILE (see 'tessera-cli img create --help')");
    if (args->positional.size() > 2)
        return failWith(
            sub, "unexpected argument '" + args->positional[2] + "' (see 'tessera-cli img create --help')");
    const std::string& path = args->positional[0];
    if (args->positional.size() == 2) {
        auto size = block::parseSize(args->positional[1]);
        if (!size) return failWith(sub, size.message());
        options.size = *size;
    } else if (options.backingFile.empty() && options.size == 0) {
        return failWith(sub,
                        path + ": a size is needed, e.g. 'tessera-cli img create -f qcow2 " + path + " 15G'");
    } else if (args->has("u") && options.size == 0) {
        return failWith(sub,
                        path + ": with -u the size must be given, because the backing file is not opened");
    }

    if (!args->has("q")) std::printf("%s\n", describe(path, options).c_str());
    if (auto status = block::createImage(path, options); !status) return failWith(sub, status.message());
    return 0;
}

}  // namespace tessera::cli
