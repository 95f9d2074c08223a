#pragma once
// Debug tracing for the board, switched on with the environment variable
// TESSERA_TRACE (comma-separated categories, or "all"): e.g.
// TESSERA_TRACE=mmio,irq,boot. When off it costs one predictable branch on a
// cached flag per trace point.

#include <cstdint>
#include <cstdio>

namespace tessera::hw {

enum class TraceCategory : uint32_t { Boot = 1, Mmio = 2, Irq = 4, Loop = 8, Insn = 16 };

uint32_t traceMask();  // parsed once from TESSERA_TRACE

inline bool traceEnabled(TraceCategory category) {
    static const uint32_t mask = traceMask();
    return (mask & static_cast<uint32_t>(category)) != 0;
}

}  // namespace tessera::hw

#define TESSERA_TRACE(category, ...)                                               \
    do {                                                                           \
        if (::tessera::hw::traceEnabled(::tessera::hw::TraceCategory::category)) { \
            std::fprintf(stderr, "[trace] " __VA_ARGS__);                          \
            std::fputc('\n', stderr);                                              \
        }                                                                          \
    } while (0)
