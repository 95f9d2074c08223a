#pragma once
// Size arguments as qemu-img spells them: "15G", "512k", "1.5T", "65536",
// optionally signed ("+1G", "-512M") where a relative size is meant (resize).
// Suffixes are powers of 1024 (qemu-img docs: k/K, M, G, T, P, E; b/B = bytes).

#include <cstdint>
#include <string>
#include <string_view>

#include "core/util/result.h"

namespace tessera::block {

// An absolute size in bytes. A bare number means bytes.
Result<uint64_t> parseSize(std::string_view text);

// A size that may be relative to the current one: "+1G" grows, "-1G" shrinks,
// "1G" is absolute.
struct SizeChange {
    enum class Kind { Absolute, Grow, Shrink } kind = Kind::Absolute;
    uint64_t bytes = 0;
    // The new size for an image that is `current` bytes now, or an error if it
    // would be negative or overflow.
    Result<uint64_t> applyTo(uint64_t current) const;
};
Result<SizeChange> parseSizeChange(std::string_view text);

// Human size the way qemu-img prints it: "1.5 GiB", "196 KiB", "512 B"
// (three significant digits, binary units).
std::string formatHumanSize(uint64_t bytes);

}  // namespace tessera::block
