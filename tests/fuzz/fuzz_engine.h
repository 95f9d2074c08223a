#pragma once
// The CPU engine a CPU fuzzer drives, chosen at run time through the engine
// interface a board uses (cpu::CpuEngine made by the ISA's createEngine):
// TESSERA_FUZZ_ENGINE=interp|jit (`--engine` names; interp when unset).
// run_fuzz.py sets it (`--engine`), one ctest per engine (tests/fuzz/CMakeLists.txt).

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "core/cpu/cpu_engine.h"

namespace tessera::fuzz {

// The engine TESSERA_FUZZ_ENGINE names. A misconfigured run must not fuzz
// another engine than asked: it stops with the reason (LLVMFuzzerInitialize
// asks first, so that happens before fuzzing, not as a "crash").
inline cpu::EngineKind fuzzEngineKind() {
    const char* name = std::getenv("TESSERA_FUZZ_ENGINE");
    const auto kind = cpu::engineKindFromName(name && *name ? name : "interp");
    if (!kind) {
        std::fprintf(stderr, "TESSERA_FUZZ_ENGINE=%s names no engine (use %s)\n", name,
                     cpu::availableEngineNames().c_str());
        std::exit(2);
    }
    const Status available = cpu::engineAvailable(*kind);
    if (!available) {
        std::fprintf(stderr, "cannot fuzz the %s engine: %s\n", cpu::engineName(*kind),
                     available.message().c_str());
        std::exit(2);
    }
    return *kind;
}

// createEngine is the ISA's factory (riscv::createEngine, ppc::createEngine).
template <typename CreateEngine, typename Config>
std::unique_ptr<cpu::CpuEngine> makeFuzzEngine(CreateEngine createEngine, hw::MemoryBus& bus, Config config) {
    auto engine = createEngine(fuzzEngineKind(), bus, config);
    if (!engine) {
        std::fprintf(stderr, "cannot make the CPU engine: %s\n", engine.message().c_str());
        std::exit(2);
    }
    return std::move(*engine);
}

}  // namespace tessera::fuzz
