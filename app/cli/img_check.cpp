// tessera-cli img check [-f FMT] [-r leaks|all] [--output=human|json] [-q] FILE
// Output and exit codes follow qemu-img check (qemu-img.c, check): 0 clean,
// 1 check failed, 2 corruptions, 3 leaks only, 63 no check for this format.

#include <cinttypes>
#include <cstdio>

#include "app/cli/img_common.h"
#include "app/cli/img_subcommands.h"
#include "core/block/json_writer.h"
#include "core/block/qcow2_check.h"

namespace tessera::cli {

namespace {

void printHuman(const block::CheckResult& r, bool quiet) {
    if (quiet) return;
    for (const auto& message : r.messages) std::fprintf(stderr, "%s\n", message.c_str());
    if (r.corruptionsFixed || r.leaksFixed)
        std::printf(
            "The following inconsistencies were found and repaired:\n\n"
            "    %" PRIu64 " leaked clusters\n    %" PRIu64
            " corruptions\n\n"
            "Double checking the fixed image now...\n",
            r.leaksFixed, r.corruptionsFixed);
    if (!(r.corruptions || r.leaks || r.checkErrors)) {
        std::printf("No errors were found on the image.\n");
    } else {
        if (r.corruptions)
            std::printf("\n%" PRIu64
                        " errors were found on the image.\n"
                        "Data may be corrupted, or further writes to the image may corrupt it.\n",
                        r.corruptions);
        if (r.leaks)
            std::printf("\n%" PRIu64
                        " leaked clusters were found on the image.\n"
                        "This means waste of disk space, but no harm to data.\n",
                        r.leaks);
        if (r.checkErrors)
            std::printf("\n%" PRIu64 " internal errors have occurred during the check.\n", r.checkErrors);
    }
    if (r.totalClusters && r.allocatedClusters)
        std::printf("%" PRIu64 "/%" PRIu64
                    " = %0.2f%% allocated, %0.2f%% fragmented, %0.2f%% compressed clusters\n",
                    r.allocatedClusters, r.totalClusters, r.allocatedClusters * 100.0 / r.totalClusters,
                    r.fragmentedClusters * 100.0 / r.allocatedClusters,
                    r.compressedClusters * 100.0 / r.allocatedClusters);
    if (r.imageEndOffset) std::printf("Image end offset: %" PRIu64 "\n", r.imageEndOffset);
}

void printJson(const block::CheckResult& r, const std::string& filename) {
    // qemu-img includes the optional counters only when they are non-zero.
    block::JsonWriter json;
    json.beginObject();
    json.value("filename", filename);
    json.value("format", r.format);
    json.value("check-errors", r.checkErrors);
    auto optional = [&](const char* key, uint64_t value) {
        if (value) json.value(key, value);
    };
    optional("image-end-offset", r.imageEndOffset);
    optional("corruptions", r.corruptions);
    optional("leaks", r.leaks);
    optional("corruptions-fixed", r.corruptionsFixed);
    optional("leaks-fixed", r.leaksFixed);
    optional("total-clusters", r.totalClusters);
    optional("allocated-clusters", r.allocatedClusters);
    optional("fragmented-clusters", r.fragmentedClusters);
    optional("compressed-clusters", r.compressedClusters);
    json.endObject();
    std::fputs(json.text().c_str(), stdout);
}

}  // namespace

int imgCheck(const Args& rawArgs) {
    const std::string sub = "check";
    auto args =
        parseArgs(sub, rawArgs,
                  {{'f', nullptr, true}, {'r', "repair", true}, {0, "output", true}, {'q', nullptr, false}});
    if (!args) return 1;
    std::optional<block::ImageFormat> format;
    OutputFormat output;
    if (!parseFormatOption(sub, *args, "f", format) || !parseOutputOption(sub, *args, output)) return 1;
    block::RepairMode repair = block::RepairMode::None;
    if (auto r = args->last("repair")) {
        if (*r == "leaks")
            repair = block::RepairMode::Leaks;
        else if (*r == "all")
            repair = block::RepairMode::All;
        else
            return failWith(sub, "invalid value '" + *r + "' for -r: use leaks or all");
    }
    if (args->positional.size() != 1)
        return failWith(sub, args->positional.empty()
                                 ? "missing FILE (see 'tessera-cli img check --help')"
                                 : "expected one FILE, got " + std::to_string(args->positional.size()));
    const std::string& path = args->positional[0];
    auto result = block::checkImage(path, repair, format);
    if (!result) {
        failWith(sub, result.message());
        return 1;
    }
    if (!result->formatSupportsCheck) {
        failWith(sub, "This image format (" + result->format + ") does not support checks");
        return 63;
    }
    if (output == OutputFormat::Json)
        printJson(*result, path);
    else
        printHuman(*result, args->has("q"));
    if (result->checkErrors) return 1;
    if (result->corruptions) return 2;
    if (result->leaks) return 3;
    return 0;
}

}  // namespace tessera::cli
