// tessera-cli img map [-f FMT] [--output=human|json] FILE

#include <cstdio>

#include "app/cli/img_common.h"
#include "app/cli/img_subcommands.h"
#include "core/block/image_info.h"
#include "core/block/image_map.h"
#include "core/block/open_image.h"
#include "core/block/qcow2_image.h"

namespace tessera::cli {

int imgMap(const Args& rawArgs) {
    const std::string sub = "map";
    auto args =
        parseArgs(sub, rawArgs, {{'f', nullptr, true}, {0, "output", true}, {'U', "force-share", false}});
    if (!args) return 1;
    std::optional<block::ImageFormat> format;
    OutputFormat output;
    if (!parseFormatOption(sub, *args, "f", format) || !parseOutputOption(sub, *args, output)) return 1;
    if (args->positional.size() != 1)
        return failWith(sub, args->positional.empty()
                                 ? "missing FILE (see 'tessera-cli img map --help')"
                                 : "expected one FILE, got " + std::to_string(args->positional.size()));
    const std::string& path = args->positional[0];
    block::OpenOptions options;
    options.readOnly = true;
    options.format = format;
    options.lock = !args->has("force-share");
    auto image = block::openImage(path, options);
    if (!image) return failWith(sub, image.message());

    auto extents = block::mapImage(**image);
    if (!extents) return failWith(sub, extents.message());
    if (output == OutputFormat::Json) {
        std::fputs(block::formatMapJson(*extents).c_str(), stdout);
        return 0;
    }
    // Name each layer the way the user would: relative names combined with
    // the directory of the image that names them (as info does).
    std::vector<std::string> layers{path};
    for (const block::BlockBackend* layer = image->get(); layer; layer = layer->backingBackend()) {
        const auto* qcow2 = dynamic_cast<const block::Qcow2Image*>(layer);
        if (!qcow2 || qcow2->backingFileName().empty()) break;
        layers.push_back(block::combineBackingPath(layers.back(), qcow2->backingFileName()));
    }
    auto text = block::formatMapHuman(*extents, layers);
    if (!text) return failWith(sub, text.message());
    std::fputs(text->c_str(), stdout);
    return 0;
}

}  // namespace tessera::cli
