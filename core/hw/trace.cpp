#include "core/hw/trace.h"

#include <cstdlib>
#include <string_view>

namespace tessera::hw {

uint32_t traceMask() {
    const char* env = std::getenv("TESSERA_TRACE");
    if (!env) return 0;
    const std::string_view spec(env);
    if (spec == "all" || spec == "1") return ~uint32_t(0);
    uint32_t mask = 0;
    auto has = [&](std::string_view word) { return spec.find(word) != std::string_view::npos; };
    if (has("boot")) mask |= uint32_t(TraceCategory::Boot);
    if (has("mmio")) mask |= uint32_t(TraceCategory::Mmio);
    if (has("irq")) mask |= uint32_t(TraceCategory::Irq);
    if (has("loop")) mask |= uint32_t(TraceCategory::Loop);
    if (has("insn")) mask |= uint32_t(TraceCategory::Insn);
    return mask;
}

}  // namespace tessera::hw
