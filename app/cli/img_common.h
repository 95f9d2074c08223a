#pragma once
// Helpers shared by the img subcommands: -f values, --output values, the -o
// option list of `create`/`convert`, progress on stderr, Ctrl-C as cancel.

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "app/cli/img_args.h"
#include "core/block/image_job.h"
#include "core/block/open_options.h"

namespace tessera::cli {

// "-f qcow2" -> Qcow2; prints an error and returns false for anything else.
bool parseFormatOption(const std::string& subcommand, const ParsedArgs& args, const std::string& key,
                       std::optional<block::ImageFormat>& format);

// "-m N": compressor threads, 1 to 64 (0 stays "one per CPU" when absent).
bool parseThreadsOption(const std::string& subcommand, const ParsedArgs& args, unsigned& threads);

enum class OutputFormat { Human, Json };
bool parseOutputOption(const std::string& subcommand, const ParsedArgs& args, OutputFormat& output);

// Applies every "-o key=value,..." (and -b/-F) to `options`. Returns an error
// message for an unknown key or a bad value, or "" on success.
std::string applyCreateOptions(const std::vector<std::string>& optionLists, block::CreateOptions& options);
// The text printed for "-o help".
const char* createOptionsHelp();
// Prints createOptionsHelp() and returns true when any -o list asks for help.
bool printedCreateOptionsHelp(const std::vector<std::string>& optionLists);

// A JobControl that draws "    (42.00/100%)" on stderr when enabled, and
// whose cancel flag is set by SIGINT/SIGTERM while it exists.
class CliJob {
public:
    explicit CliJob(bool showProgress);
    ~CliJob();
    const block::JobControl& control() const { return control_; }
    bool interrupted() const { return cancel_.load(); }

private:
    std::atomic<bool> cancel_{false};
    block::JobControl control_;
    bool showProgress_;
    int lastPercent_ = 0;
};

}  // namespace tessera::cli
