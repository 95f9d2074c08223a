#include "core/cpu/cpu_engine.h"

namespace tessera::cpu {

std::optional<EngineKind> engineKindFromName(std::string_view name) {
    if (name == "interp") return EngineKind::Interpreter;
    if (name == "jit") return EngineKind::Jit;
    return std::nullopt;
}

const char* engineName(EngineKind kind) {
    return kind == EngineKind::Jit ? "jit" : "interp";
}

Status engineAvailable(EngineKind kind) {
#if !(defined(__x86_64__) && defined(__linux__))
    // The JIT emits x86-64 code into a Linux memfd (core/jit).
    if (kind == EngineKind::Jit)
        return makeError("the JIT engine needs an x86-64 Linux host; use --engine interp.");
#else
    (void)kind;
#endif
    return {};
}

std::string availableEngineNames() {
    std::string names;
    for (EngineKind kind : {EngineKind::Interpreter, EngineKind::Jit}) {
        if (!engineAvailable(kind)) continue;
        if (!names.empty()) names += ", ";
        names += engineName(kind);
    }
    return names;
}

}  // namespace tessera::cpu
