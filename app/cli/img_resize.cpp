// tessera-cli img resize [-f FMT] [--shrink] [-q] FILE [+|-]SIZE

#include <cstdio>

#include "app/cli/img_common.h"
#include "app/cli/img_subcommands.h"
#include "core/block/open_image.h"
#include "core/block/qcow2_image.h"
#include "core/block/raw_image.h"
#include "core/block/size_parser.h"

namespace tessera::cli {

int imgResize(const Args& rawArgs) {
    const std::string sub = "resize";
    // The size comes last and may start with '-' ("-1G"): take it out before
    // option parsing, as qemu-img does, so it is not read as an option.
    if (rawArgs.empty()) return failWith(sub, "missing FILE and SIZE (see 'tessera-cli img resize --help')");
    Args optionArgs(rawArgs.begin(), rawArgs.end() - 1);
    const std::string sizeText = rawArgs.back();
    auto args =
        parseArgs(sub, optionArgs, {{'f', nullptr, true}, {0, "shrink", false}, {'q', nullptr, false}});
    if (!args) return 1;
    std::optional<block::ImageFormat> format;
    if (!parseFormatOption(sub, *args, "f", format)) return 1;
    if (args->positional.size() != 1)
        return failWith(sub, "expected FILE and SIZE (see 'tessera-cli img resize --help')");
    const std::string& path = args->positional[0];
    auto change = block::parseSizeChange(sizeText);
    if (!change) return failWith(sub, change.message());

    block::OpenOptions options;
    options.readOnly = false;
    options.format = format;
    options.openBacking = false;
    auto image = block::openImage(path, options);
    if (!image) return failWith(sub, image.message());
    const uint64_t current = (*image)->size();
    auto newSize = change->applyTo(current);
    if (!newSize) return failWith(sub, newSize.message());
    const bool allowShrink = args->has("shrink");
    if (*newSize < current && !allowShrink)
        return failWith(
            sub, "Use the --shrink option to perform a shrink operation (data past the new end is lost).");

    Status status;
    if (auto* qcow2 = dynamic_cast<block::Qcow2Image*>(image->get())) {
        status = qcow2->resize(*newSize, allowShrink);
        if (status) status = qcow2->close();
    } else if (auto* raw = dynamic_cast<block::RawImage*>(image->get())) {
        status = raw->resize(*newSize, allowShrink);
        if (status) status = raw->flush();
    } else {
        status = makeError("this image format cannot be resized");
    }
    if (!status) return failWith(sub, status.message());
    if (!args->has("q")) std::printf("Image resized.\n");
    return 0;
}

}  // namespace tessera::cli
