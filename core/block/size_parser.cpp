#include "core/block/size_parser.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace tessera::block {

namespace {

// Returns the multiplier for a suffix letter, or 0 for an unknown one.
uint64_t suffixMultiplier(char suffix) {
    switch (suffix) {
        case 'b':
        case 'B':
            return 1;
        case 'k':
        case 'K':
            return 1ull << 10;
        case 'm':
        case 'M':
            return 1ull << 20;
        case 'g':
        case 'G':
            return 1ull << 30;
        case 't':
        case 'T':
            return 1ull << 40;
        case 'p':
        case 'P':
            return 1ull << 50;
        case 'e':
        case 'E':
            return 1ull << 60;
        default:
            return 0;
    }
}

Error invalidSize(std::string_view text) {
    return makeError("invalid size '" + std::string(text) +
                     "': use a number of bytes, optionally with a k, M, G, T, P or E suffix "
                     "(powers of 1024), e.g. 15G");
}

}  // namespace

Result<uint64_t> parseSize(std::string_view text) {
    if (text.empty()) return invalidSize(text);
    size_t pos = 0;
    uint64_t whole = 0;
    bool anyDigit = false;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        const uint64_t digit = static_cast<uint64_t>(text[pos] - '0');
        if (whole > (std::numeric_limits<uint64_t>::max() - digit) / 10)
            return makeError("size '" + std::string(text) + "' is too large");
        whole = whole * 10 + digit;
        anyDigit = true;
        ++pos;
    }
    // Optional fraction ("1.5G"), as qemu-img accepts; kept as digits so the
    // result is exact for the common cases (.5, .25) and truncated otherwise.
    uint64_t fracNumerator = 0, fracDenominator = 1;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        bool fracDigit = false;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (fracDenominator < 1000000000000ull) {
                fracNumerator = fracNumerator * 10 + static_cast<uint64_t>(text[pos] - '0');
                fracDenominator *= 10;
            }
            fracDigit = true;
            ++pos;
        }
        if (!fracDigit) return invalidSize(text);
        anyDigit = true;
    }
    if (!anyDigit) return invalidSize(text);
    uint64_t multiplier = 1;
    if (pos < text.size()) {
        multiplier = suffixMultiplier(text[pos]);
        ++pos;
        if (multiplier == 0 || pos != text.size()) return invalidSize(text);
    }
    if (fracNumerator != 0 && multiplier == 1)
        return makeError("size '" + std::string(text) + "' is not a whole number of bytes");
    if (whole > std::numeric_limits<uint64_t>::max() / multiplier)
        return makeError("size '" + std::string(text) + "' is too large");
    uint64_t bytes = whole * multiplier;
    if (fracNumerator != 0) {
        // multiplier >= 1024 and fracDenominator <= 1e12, so use long double for the product.
        const long double extra = static_cast<long double>(multiplier) * fracNumerator / fracDenominator;
        if (extra + bytes > static_cast<long double>(std::numeric_limits<uint64_t>::max()))
            return makeError("size '" + std::string(text) + "' is too large");
        bytes += static_cast<uint64_t>(extra);
    }
    // qemu-img's own limit: sizes are signed 64-bit internally.
    if (bytes > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        return makeError("size '" + std::string(text) + "' is too large (the limit is 8 EiB)");
    return bytes;
}

Result<SizeChange> parseSizeChange(std::string_view text) {
    SizeChange change;
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
        change.kind = text[0] == '+' ? SizeChange::Kind::Grow : SizeChange::Kind::Shrink;
        text.remove_prefix(1);
    }
    auto bytes = parseSize(text);
    if (!bytes) return bytes.error();
    change.bytes = *bytes;
    return change;
}

Result<uint64_t> SizeChange::applyTo(uint64_t current) const {
    switch (kind) {
        case Kind::Absolute:
            return bytes;
        case Kind::Grow:
            if (bytes > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) - current)
                return makeError("the new size would exceed 8 EiB");
            return current + bytes;
        case Kind::Shrink:
            if (bytes > current)
                return makeError("cannot shrink by " + std::to_string(bytes) + " bytes: the image is only " +
                                 std::to_string(current) + " bytes");
            return current - bytes;
    }
    return bytes;
}

std::string formatHumanSize(uint64_t bytes) {
    static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    // qemu's size_to_str switches unit once the value reaches 1000 of the
    // current one (so 1000 KiB prints as "0.977 MiB").
    while (value >= 1000.0 && unit < 6) {
        value /= 1024.0;
        ++unit;
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%0.3g %s", value, kUnits[unit]);
    return buffer;
}

}  // namespace tessera::block
