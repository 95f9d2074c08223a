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
    if (kind == EngineKind::Jit)
        return makeError("the JIT engine is not part of this build yet; use --engine interp.");
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
