#include "app/cli/img_args.h"

#include <cstdio>

namespace tessera::cli {

std::optional<std::string> ParsedArgs::last(const std::string& key) const {
    auto it = options.find(key);
    if (it == options.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> ParsedArgs::all(const std::string& key) const {
    auto it = options.find(key);
    return it == options.end() ? std::vector<std::string>{} : it->second;
}

int failWith(const std::string& subcommand, const std::string& message) {
    std::fprintf(stderr, "tessera-cli img %s: %s\n", subcommand.c_str(), message.c_str());
    return 1;
}

namespace {

std::string keyOf(const OptionSpec& spec) {
    return spec.longName ? std::string(spec.longName) : std::string(1, spec.shortName);
}

std::string helpHint(const std::string& subcommand) {
    return " (see 'tessera-cli img " + subcommand + " --help')";
}

}  // namespace

std::optional<ParsedArgs> parseArgs(const std::string& subcommand, const Args& args,
                                    const std::vector<OptionSpec>& specs) {
    ParsedArgs parsed;
    bool optionsEnded = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (optionsEnded || arg.size() < 2 || arg[0] != '-') {
            parsed.positional.push_back(arg);
            continue;
        }
        if (arg == "--") {
            optionsEnded = true;
            continue;
        }
        if (arg[1] == '-') {
            const size_t eq = arg.find('=');
            const std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
            const OptionSpec* spec = nullptr;
            for (const auto& candidate : specs)
                if (candidate.longName && name == candidate.longName) spec = &candidate;
            if (!spec) {
                failWith(subcommand, "unknown option '--" + name + "'" + helpHint(subcommand));
                return std::nullopt;
            }
            std::string value;
            if (spec->takesValue) {
                if (eq != std::string::npos) {
                    value = arg.substr(eq + 1);
                } else if (i + 1 < args.size()) {
                    value = args[++i];
                } else {
                    failWith(subcommand, "option '--" + name + "' needs a value" + helpHint(subcommand));
                    return std::nullopt;
                }
            } else if (eq != std::string::npos) {
                failWith(subcommand, "option '--" + name + "' takes no value" + helpHint(subcommand));
                return std::nullopt;
            }
            parsed.options[keyOf(*spec)].push_back(value);
            continue;
        }
        // A cluster of short options: "-pc", "-fqcow2", "-f qcow2".
        for (size_t j = 1; j < arg.size(); ++j) {
            const char letter = arg[j];
            const OptionSpec* spec = nullptr;
            for (const auto& candidate : specs)
                if (candidate.shortName == letter) spec = &candidate;
            if (!spec) {
                failWith(subcommand, std::string("unknown option '-") + letter + "'" + helpHint(subcommand));
                return std::nullopt;
            }
            if (!spec->takesValue) {
                parsed.options[keyOf(*spec)].push_back("");
                continue;
            }
            std::string value;
            if (j + 1 < arg.size()) {
                value = arg.substr(j + 1);
            } else if (i + 1 < args.size()) {
                value = args[++i];
            } else {
                failWith(subcommand,
                         std::string("option '-") + letter + "' needs a value" + helpHint(subcommand));
                return std::nullopt;
            }
            parsed.options[keyOf(*spec)].push_back(value);
            break;
        }
    }
    return parsed;
}

std::vector<std::pair<std::string, std::string>> splitOptionList(const std::string& text) {
    std::vector<std::pair<std::string, std::string>> result;
    std::string current;
    auto finish = [&] {
        if (current.empty()) return;
        const size_t eq = current.find('=');
        if (eq == std::string::npos)
            result.emplace_back(current, "on");
        else
            result.emplace_back(current.substr(0, eq), current.substr(eq + 1));
        current.clear();
    };
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == ',') {
            if (i + 1 < text.size() && text[i + 1] == ',') {
                current += ',';
                ++i;
                continue;
            }
            finish();
            continue;
        }
        current += text[i];
    }
    finish();
    return result;
}

}  // namespace tessera::cli
