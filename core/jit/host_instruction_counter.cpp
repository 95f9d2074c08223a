#include "core/jit/host_instruction_counter.h"

#include <string_view>

namespace tessera::jit {

asmjit::Error HostInstructionCounter::_log(const char* data, size_t size) noexcept {
    std::string_view text(data, size == SIZE_MAX ? std::char_traits<char>::length(data) : size);
    while (!text.empty()) {
        const size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
        // "L3:" binds a label; ".db"/".dd"/".align" are data and padding.
        if (line.empty() || line.back() == ':' || line.front() == '.' || line.front() == ';') continue;
        ++count_;
    }
    return asmjit::kErrorOk;
}

}  // namespace tessera::jit
