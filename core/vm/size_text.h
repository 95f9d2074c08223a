#pragma once
// Human-readable byte sizes ("512M", "15G") as used by config.json and the
// QEMU command line. Binary units: K = 1024, as QEMU and qemu-img use them.

#include <QString>
#include <cstdint>
#include <optional>

namespace tessera::vm {

// Parses "512M", "1G", "1.5G", "4096K", "2048" (bytes unless defaultUnit says
// otherwise; QEMU's -m treats a bare number as MiB). Returns nullopt on
// anything else, including overflow.
std::optional<uint64_t> parseSize(const QString& text, char defaultUnit = 0);

// Shortest exact spelling: 536870912 -> "512M", 1610612736 -> "1536M".
QString formatSize(uint64_t bytes);

// For people: 1610612736 -> "1.5 GiB" (rounded, not for round trips).
QString formatSizeForHumans(uint64_t bytes);

}  // namespace tessera::vm
