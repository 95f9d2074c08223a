// Test tool for the crash-consistency system test (tests/system/qcow2_crash_consistency.py).
//
//   qcow2_crash_writer write <image> <journal> <seed>   random I/O until killed
//   qcow2_crash_writer dump <image> <out.raw>           the guest view, through our reader
//   qcow2_crash_writer repair <image>                   checkImage -r leaks, prints counts
//   qcow2_crash_writer verify <actual.raw> <baseline.raw> <journal> <seed> <clusterSize>
//       replays the journal over the baseline and requires every byte that a
//       flushed operation (or no operation) defines to match `actual`
//
// `write` first truncates the journal and records its seed ("S <seed>"), then
// opens the image and appends one line per operation *before* performing it
// ("W <op> <offset> <length>", "Z ...", "D ..."), and "F" after flush()
// returned, fsync'ing the journal then. Data for op N is a pure function of
// (seed, N), so the driver can replay the journal to know what every flushed
// byte must be, and which bytes an unflushed operation may have touched.
// `verify` refuses a journal written with another seed: a writer killed before
// it truncated the journal must not have the previous round's operations
// replayed with its own seed (that reports data loss that never happened).

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "core/block/open_image.h"
#include "core/block/qcow2_check.h"

using namespace tessera::block;

namespace {

void opData(uint64_t seed, uint64_t op, std::vector<uint8_t>& out) {
    std::mt19937_64 rng(seed * 1000003ull + op);
    for (size_t i = 0; i < out.size(); i += 8) {
        uint64_t v = rng();
        std::memcpy(out.data() + i, &v, std::min<size_t>(8, out.size() - i));
    }
}

int fail(const std::string& message) {
    std::fprintf(stderr, "qcow2_crash_writer: %s\n", message.c_str());
    return 1;
}

int runWriter(const std::string& image, const std::string& journalPath, uint64_t seed) {
    // The journal first: from here on it describes this run, even if we are
    // killed while the open below repairs a dirty (lazy refcounts) image.
    int journal = ::open(journalPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
    if (journal < 0) return fail("cannot open journal");
    auto log = [&](const std::string& line, bool sync) {
        std::string l = line + "\n";
        if (::write(journal, l.data(), l.size()) != ssize_t(l.size()))
            std::exit(fail("journal write failed"));
        if (sync) ::fsync(journal);
    };
    log("S " + std::to_string(seed), true);
    OpenOptions options;
    options.readOnly = false;
    auto opened = openImage(image, options);
    if (!opened) return fail(opened.message());
    BlockBackend& disk = **opened;
    std::mt19937_64 rng(seed);
    const uint64_t size = disk.size();
    std::vector<uint8_t> buffer;
    for (uint64_t op = 0;; ++op) {
        uint64_t offset = rng() % size;
        // Mostly small I/O, sometimes large spans over many clusters.
        uint64_t maxLength = rng() % 8 == 0 ? (1 << 20) : (96 << 10);
        uint64_t length = std::min<uint64_t>(size - offset, 1 + rng() % maxLength);
        if (rng() % 3 == 0) offset &= ~uint64_t(4095);  // aligned requests as a guest would send
        unsigned kind = unsigned(rng() % 100);
        tessera::Status status;
        if (kind < 60) {
            log("W " + std::to_string(op) + " " + std::to_string(offset) + " " + std::to_string(length),
                false);
            buffer.resize(length);
            opData(seed, op, buffer);
            status = disk.write(offset, buffer);
        } else if (kind < 72) {
            bool unmap = rng() & 1;
            log("Z " + std::to_string(op) + " " + std::to_string(offset) + " " + std::to_string(length),
                false);
            status = disk.writeZeroes(offset, length, unmap);
        } else if (kind < 84) {
            log("D " + std::to_string(op) + " " + std::to_string(offset) + " " + std::to_string(length),
                false);
            status = disk.discard(offset, length);
        } else {
            status = disk.flush();
            if (status) log("F", true);
        }
        if (!status) return fail(status.message());
    }
}

int runDump(const std::string& image, const std::string& out) {
    auto opened = openImage(image);
    if (!opened) return fail(opened.message());
    FILE* f = std::fopen(out.c_str(), "wb");
    if (!f) return fail("cannot create " + out);
    std::vector<uint8_t> buffer(4 << 20);
    uint64_t size = (*opened)->size();
    for (uint64_t at = 0; at < size; at += buffer.size()) {
        std::span<uint8_t> chunk(buffer.data(), std::min<uint64_t>(buffer.size(), size - at));
        auto status = (*opened)->read(at, chunk);
        if (!status) return fail(status.message());
        std::fwrite(chunk.data(), 1, chunk.size(), f);
    }
    std::fclose(f);
    return 0;
}

int runRepair(const std::string& image) {
    auto result = checkImage(image, RepairMode::Leaks);
    if (!result) return fail(result.message());
    std::printf("leaks-fixed %llu leaks %llu corruptions %llu\n", (unsigned long long)result->leaksFixed,
                (unsigned long long)result->leaks, (unsigned long long)result->corruptions);
    return result->corruptions ? 2 : 0;
}

std::vector<uint8_t> readWhole(const std::string& path) {
    std::vector<uint8_t> bytes;
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return bytes;
    std::fseek(f, 0, SEEK_END);
    bytes.resize(size_t(std::ftell(f)));
    std::fseek(f, 0, SEEK_SET);
    if (std::fread(bytes.data(), 1, bytes.size(), f) != bytes.size()) bytes.clear();
    std::fclose(f);
    return bytes;
}

int runVerify(const std::string& actualPath, const std::string& baselinePath, const std::string& journalPath,
              uint64_t seed, uint64_t clusterSize) {
    std::vector<uint8_t> actual = readWhole(actualPath), model = readWhole(baselinePath);
    if (actual.empty() || actual.size() != model.size()) return fail("actual and baseline differ in size");
    struct Op {
        char kind;
        uint64_t op, offset, length;
    };
    std::vector<Op> ops;
    size_t lastFlush = 0;  // ops[0, lastFlush) are durable
    FILE* j = std::fopen(journalPath.c_str(), "r");
    if (!j) return fail("cannot read journal");
    char line[256];
    while (std::fgets(line, sizeof line, j)) {
        Op o{};
        unsigned long long a, b, c;
        if (line[0] == 'F') {
            lastFlush = ops.size();
        } else if (line[0] == 'S') {
            unsigned long long journalSeed = 0;
            if (std::strchr(line, '\n') && std::sscanf(line + 1, "%llu", &journalSeed) == 1 &&
                journalSeed != seed) {
                std::fclose(j);
                return fail("the journal was written with seed " + std::to_string(journalSeed) + ", not " +
                            std::to_string(seed) + " (a stale journal from another run)");
            }
        } else if (std::sscanf(line + 1, "%llu %llu %llu", &a, &b, &c) == 3 && std::strchr(line, '\n')) {
            o = {line[0], a, b, c};
            ops.push_back(o);
        }  // a torn last line is an op that never started
    }
    std::fclose(j);
    const uint64_t size = model.size();
    auto discardRange = [&](const Op& o) {
        uint64_t first = (o.offset + clusterSize - 1) / clusterSize * clusterSize;
        uint64_t end = o.offset + o.length == size ? size : (o.offset + o.length) / clusterSize * clusterSize;
        return std::pair<uint64_t, uint64_t>(first, std::max(first, end));
    };
    std::vector<uint8_t> buffer;
    for (size_t i = 0; i < lastFlush; ++i) {
        const Op& o = ops[i];
        if (o.kind == 'W') {
            buffer.resize(o.length);
            opData(seed, o.op, buffer);
            std::memcpy(model.data() + o.offset, buffer.data(), o.length);
        } else if (o.kind == 'Z') {
            std::memset(model.data() + o.offset, 0, o.length);
        } else if (o.kind == 'D') {
            auto [first, end] = discardRange(o);
            std::memset(model.data() + first, 0, end - first);
        }
    }
    std::vector<uint8_t> unknown(size, 0);
    for (size_t i = lastFlush; i < ops.size(); ++i) {
        const Op& o = ops[i];
        auto [first, end] = o.kind == 'D' ? discardRange(o) : std::pair(o.offset, o.offset + o.length);
        std::memset(unknown.data() + first, 1, end - first);
    }
    uint64_t checked = 0;
    for (uint64_t i = 0; i < size; ++i) {
        if (unknown[i]) continue;
        ++checked;
        if (actual[i] != model[i]) {
            std::fprintf(
                stderr,
                "MISMATCH at byte %llu: image has 0x%02x, flushed data says 0x%02x (%zu ops, %zu flushed)\n",
                (unsigned long long)i, actual[i], model[i], ops.size(), lastFlush);
            return 1;
        }
    }
    std::printf("ok: %zu ops, %zu flushed, %llu of %llu bytes determined\n", ops.size(), lastFlush,
                (unsigned long long)checked, (unsigned long long)size);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 4 && args[0] == "write") return runWriter(args[1], args[2], std::stoull(args[3]));
    if (args.size() == 3 && args[0] == "dump") return runDump(args[1], args[2]);
    if (args.size() == 2 && args[0] == "repair") return runRepair(args[1]);
    if (args.size() == 6 && args[0] == "verify")
        return runVerify(args[1], args[2], args[3], std::stoull(args[4]), std::stoull(args[5]));
    std::fprintf(
        stderr,
        "usage: qcow2_crash_writer write <image> <journal> <seed> | dump <image> <out> | repair <image>\n");
    return 2;
}
