#include "app/cli/img_common.h"

#include <csignal>
#include <cstdio>

#include "core/block/size_parser.h"

namespace tessera::cli {

bool parseFormatOption(const std::string& subcommand, const ParsedArgs& args, const std::string& key,
                       std::optional<block::ImageFormat>& format) {
    auto value = args.last(key);
    if (!value) return true;
    format = block::parseImageFormat(*value);
    if (!format) {
        failWith(subcommand, "unknown image format '" + *value + "' for -" + key + ": use qcow2 or raw");
        return false;
    }
    return true;
}

bool parseThreadsOption(const std::string& subcommand, const ParsedArgs& args, unsigned& threads) {
    auto value = args.last("m");
    if (!value) return true;
    bool valid = !value->empty() && value->size() <= 2;
    for (char c : *value) valid = valid && c >= '0' && c <= '9';
    const unsigned parsed = valid ? static_cast<unsigned>(std::stoul(*value)) : 0;
    if (parsed < 1 || parsed > 64) {
        failWith(subcommand, "invalid value '" + *value + "' for -m: use a number of threads from 1 to 64");
        return false;
    }
    threads = parsed;
    return true;
}

bool parseOutputOption(const std::string& subcommand, const ParsedArgs& args, OutputFormat& output) {
    auto value = args.last("output");
    if (!value || *value == "human") {
        output = OutputFormat::Human;
        return true;
    }
    if (*value == "json") {
        output = OutputFormat::Json;
        return true;
    }
    failWith(subcommand, "unknown --output format '" + *value + "': use human or json");
    return false;
}

bool printedCreateOptionsHelp(const std::vector<std::string>& optionLists) {
    for (const auto& list : optionLists) {
        if (list == "help" || list == "?") {
            std::fputs(createOptionsHelp(), stdout);
            return true;
        }
    }
    return false;
}

const char* createOptionsHelp() {
    return "Supported options (qcow2):\n"
           "  backing_file=<str>          file name of a base image\n"
           "  backing_fmt=<str>           image format of the base image (qcow2, raw)\n"
           "  cluster_size=<size>         qcow2 cluster size, 512 to 2M (default 64k)\n"
           "  compat=<str>                0.10 (version 2) or 1.1 (version 3, default)\n"
           "  compression_type=<str>      zlib (default) or zstd\n"
           "  extended_l2=<bool (on/off)> 32 subclusters per cluster (needs cluster_size >= 16k)\n"
           "  lazy_refcounts=<bool (on/off)> postpone refcount updates (compat 1.1)\n"
           "  preallocation=<str>         off (default), metadata, falloc or full\n"
           "                              (with a backing file only if extended_l2=on)\n"
           "  refcount_bits=<num>         width of a reference count entry, 1 to 64 (default 16)\n"
           "  size=<size>                 virtual disk size\n"
           "\n"
           "Supported options (raw):\n"
           "  preallocation=<str>         off (default), falloc or full\n"
           "  size=<size>                 virtual disk size\n";
}

namespace {

std::optional<bool> parseBool(const std::string& value) {
    if (value == "on" || value == "true" || value == "yes") return true;
    if (value == "off" || value == "false" || value == "no") return false;
    return std::nullopt;
}

}  // namespace

std::string applyCreateOptions(const std::vector<std::string>& optionLists, block::CreateOptions& options) {
    using namespace block;
    for (const auto& list : optionLists) {
        for (const auto& [key, value] : splitOptionList(list)) {
            if (key == "size") {
                auto size = parseSize(value);
                if (!size) return size.message();
                options.size = *size;
            } else if (key == "cluster_size") {
                auto size = parseSize(value);
                if (!size) return size.message();
                if (*size < 512 || *size > (2u << 20) || (*size & (*size - 1)))
                    return "cluster_size must be a power of two between 512 and 2M, not '" + value + "'";
                options.clusterSize = static_cast<uint32_t>(*size);
            } else if (key == "compat") {
                if (value == "0.10" || value == "v2")
                    options.compat = "0.10";
                else if (value == "1.1" || value == "v3")
                    options.compat = "1.1";
                else
                    return "compat must be 0.10 or 1.1, not '" + value + "'";
            } else if (key == "compression_type") {
                if (value == "zlib")
                    options.compressionType = qcow2::CompressionType::Zlib;
                else if (value == "zstd")
                    options.compressionType = qcow2::CompressionType::Zstd;
                else
                    return "compression_type must be zlib or zstd, not '" + value + "'";
            } else if (key == "backing_file") {
                options.backingFile = value;
            } else if (key == "backing_fmt") {
                auto format = parseImageFormat(value);
                if (!format) return "backing_fmt must be qcow2 or raw, not '" + value + "'";
                options.backingFormat = format;
            } else if (key == "preallocation") {
                auto mode = parsePreallocation(value);
                if (!mode) return "preallocation must be off, metadata, falloc or full, not '" + value + "'";
                options.preallocation = *mode;
            } else if (key == "refcount_bits") {
                uint32_t bits = 0;
                bool valid = !value.empty() && value.size() <= 2;
                for (char c : value) valid = valid && c >= '0' && c <= '9';
                if (valid) bits = static_cast<uint32_t>(std::stoul(value));
                if (!valid || bits == 0 || bits > 64 || (bits & (bits - 1)))
                    return "refcount_bits must be a power of two between 1 and 64, not '" + value + "'";
                options.refcountBits = bits;
            } else if (key == "lazy_refcounts") {
                auto flag = parseBool(value);
                if (!flag) return "lazy_refcounts must be on or off, not '" + value + "'";
                options.lazyRefcounts = *flag;
            } else if (key == "extended_l2") {
                auto flag = parseBool(value);
                if (!flag) return "extended_l2 must be on or off, not '" + value + "'";
                options.extendedL2 = *flag;
            } else {
                return "unknown option '" + key + "' (see '-o help' for the list)";
            }
        }
    }
    if (options.format == ImageFormat::Raw) {
        const CreateOptions defaults;
        if (!options.backingFile.empty()) return "raw images cannot have a backing file";
        if (options.preallocation == Preallocation::Metadata)
            return "raw images do not support preallocation=metadata";
        const char* qcow2Only = options.clusterSize != defaults.clusterSize           ? "cluster_size"
                                : options.compat != defaults.compat                   ? "compat"
                                : options.refcountBits != defaults.refcountBits       ? "refcount_bits"
                                : options.lazyRefcounts                               ? "lazy_refcounts"
                                : options.extendedL2                                  ? "extended_l2"
                                : options.compressionType != defaults.compressionType ? "compression_type"
                                                                                      : nullptr;
        if (qcow2Only)
            return std::string(qcow2Only) + " exists only for qcow2 images, not raw (use -f qcow2)";
    }
    if (options.compat == "0.10") {
        if (options.refcountBits != 16) return "compat=0.10 supports only refcount_bits=16";
        if (options.lazyRefcounts) return "lazy_refcounts needs compat=1.1";
        if (options.extendedL2) return "extended_l2 needs compat=1.1";
        if (options.compressionType != qcow2::CompressionType::Zlib)
            return "compression_type=zstd needs compat=1.1";
    }
    if (options.extendedL2 && options.clusterSize < 16384)
        return "extended_l2 needs cluster_size of at least 16k";
    if (options.backingFormat && options.backingFile.empty())
        return "backing_fmt given without a backing file";
    return {};
}

namespace {
std::atomic<bool>* activeCancelFlag = nullptr;
extern "C" void onInterrupt(int) {
    if (activeCancelFlag) activeCancelFlag->store(true);
}
}  // namespace

CliJob::CliJob(bool showProgress) : showProgress_(showProgress) {
    control_.cancel = &cancel_;
    if (showProgress_) {
        control_.progress = [this](uint64_t done, uint64_t total) {
            // Redraw on each whole percent, like qemu-img -p.
            const int percent = total ? static_cast<int>(done * 100 / total) : 100;
            if (percent == lastPercent_) return;
            lastPercent_ = percent;
            std::fprintf(stderr, "    (%.2f/100%%)\r", total ? done * 100.0 / total : 100.0);
            std::fflush(stderr);
        };
        std::fputs("    (0.00/100%)\r", stderr);
    }
    activeCancelFlag = &cancel_;
    std::signal(SIGINT, onInterrupt);
    std::signal(SIGTERM, onInterrupt);
}

CliJob::~CliJob() {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    activeCancelFlag = nullptr;
    if (showProgress_) std::fputs("\n", stderr);
}

}  // namespace tessera::cli
