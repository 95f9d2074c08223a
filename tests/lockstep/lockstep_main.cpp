// tessera-lockstep: runs a bare-metal RISC-V program (an ELF for the virt
// board, entered in M-mode at its entry point) on the reference engine and on
// each engine under test side by side (lockstep.h), and prints the guest's
// UART output. Used by random_check.py for generated programs; run it by hand
// on any bare-metal test program.
//
//   tessera-lockstep prog.elf [--engine NAME] [--harts N] [--max-instructions N] [--trace-traps]
//
// NAME is one of engines.h's engines under test (interp, interp-blocks, ...);
// without --engine, every one of them runs. --harts N (1-8) starts N harts at
// the entry, which take turns one unit each (lockstep.h).
//
// --trace-traps prints each trap the reference takes, as QEMU's `-d int` does.
// Exit status: 0 when every engine agreed with the reference and the guest
// powered off with a pass; 1 on a divergence (the report goes to stderr); 2
// when the guest failed, did not finish, or the program could not be loaded.

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "core/machine/image_loader.h"
#include "lockstep/engines.h"
#include "lockstep/lockstep.h"

using namespace tessera;
using namespace tessera::lockstep;

namespace {

int usage(const char* message) {
    std::fprintf(stderr,
                 "tessera-lockstep: %s\nusage: tessera-lockstep prog.elf [--engine NAME] [--harts N] "
                 "[--max-instructions N] [--trace-traps]\n",
                 message);
    return 2;
}

// Runs the program on the reference and `engine`; prints the UART output once.
int runOne(const EngineUnderTest& engine, const std::vector<uint8_t>& elf, const std::string& path,
           unsigned harts, LockstepOptions options, bool printOutput) {
    auto reference = DeterministicBoard::create(kReferenceEngine, kDefaultRamSize, harts);
    auto candidate = DeterministicBoard::create(engine.kind, kDefaultRamSize, harts);
    if (!reference || !candidate) return usage((!reference ? reference : candidate).message().c_str());
    for (auto* board : {&*reference, &*candidate}) {
        const Status loaded = (*board)->loadElf(elf, path);
        if (!loaded) return usage(loaded.message().c_str());
    }
    options.advanceCandidate = engine.advance;
    options.candidateName = engine.name;
    const auto start = std::chrono::steady_clock::now();
    const LockstepOutcome outcome = runLockstep(**reference, **candidate, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (printOutput)
        std::fwrite((*reference)->uartOutput().data(), 1, (*reference)->uartOutput().size(), stdout);
    std::fflush(stdout);
    std::fprintf(stderr,
                 "lockstep %s vs %s: %llu instructions, %llu comparisons, %.2f s (%.0f instructions/s)\n",
                 engine.name, cpu::engineName(kReferenceEngine), (unsigned long long)outcome.instructions,
                 (unsigned long long)outcome.comparisons, seconds,
                 seconds > 0 ? double(outcome.instructions) / seconds : 0.0);
    if (outcome.diverged) {
        std::fprintf(stderr, "%s", outcome.report.c_str());
        return 1;
    }
    if (!outcome.finished) {
        std::fprintf(stderr, "tessera-lockstep: %s\n", outcome.report.c_str());
        return 2;
    }
    if ((*reference)->exitCode() != 0) {
        std::fprintf(stderr, "tessera-lockstep: the guest failed with code %d\n", (*reference)->exitCode());
        return 2;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::string path;
    std::vector<const EngineUnderTest*> engines;
    LockstepOptions options;
    unsigned harts = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--engine" && i + 1 < argc) {
            const EngineUnderTest* engine = findEngineUnderTest(argv[++i]);
            if (!engine) return usage("unknown engine name (engines.h lists the engines under test)");
            engines.push_back(engine);
        } else if (arg == "--harts" && i + 1 < argc) {
            harts = unsigned(std::strtoul(argv[++i], nullptr, 0));
            if (harts < 1 || harts > 8) return usage("--harts takes 1 to 8");
        } else if (arg == "--trace-traps") {
            options.traceTraps = true;
        } else if (arg == "--max-instructions" && i + 1 < argc) {
            options.maxInstructions = std::strtoull(argv[++i], nullptr, 0);
        } else if (path.empty() && arg.rfind("--", 0) != 0) {
            path = arg;
        } else {
            return usage(("unexpected argument " + arg).c_str());
        }
    }
    if (path.empty()) return usage("no program given");
    if (engines.empty())
        for (const EngineUnderTest& engine : kEnginesUnderTest) engines.push_back(&engine);
    auto elf = machine::readImageFile(path, "program");
    if (!elf) return usage(elf.message().c_str());
    int status = 0;
    for (size_t i = 0; i < engines.size() && status == 0; ++i)
        status = runOne(*engines[i], *elf, path, harts, options, i == 0);
    return status;
}
