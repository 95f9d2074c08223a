#pragma once
// Command-line parsing shared by the `tessera-cli img` subcommands: getopt-like
// (short options with glued or separate values, --long[=value], "--" ends
// options), so qemu-img users can type what they are used to.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/cli/commands.h"

namespace tessera::cli {

struct OptionSpec {
    char shortName = 0;              // 0 = long only
    const char* longName = nullptr;  // nullptr = short only
    bool takesValue = false;
};

struct ParsedArgs {
    // Keyed by long name if it has one, else by the short letter as a string.
    // Repeated options keep every value in order (-o may be given many times).
    std::map<std::string, std::vector<std::string>> options;
    std::vector<std::string> positional;

    bool has(const std::string& key) const { return options.count(key) != 0; }
    std::optional<std::string> last(const std::string& key) const;
    std::vector<std::string> all(const std::string& key) const;
};

// Parses args against specs; on a bad option prints one error line naming the
// subcommand and how to get help, and returns nullopt.
std::optional<ParsedArgs> parseArgs(const std::string& subcommand, const Args& args,
                                    const std::vector<OptionSpec>& specs);

// One error line on stderr, in the shape "tessera-cli img <sub>: <message>",
// then returns 1 (qemu-img's exit status for usage and setup errors).
int failWith(const std::string& subcommand, const std::string& message);

// Splits "-o a=1,b=2" into ordered key/value pairs; "a" alone maps to "on".
// Commas inside values are written ",," as in qemu-img.
std::vector<std::pair<std::string, std::string>> splitOptionList(const std::string& text);

}  // namespace tessera::cli
