#pragma once
// Breakpoints: the debugger's breakpoint addresses (guest virtual pcs) as an
// engine honours them (cpu_engine.h, setBreakpoints). Both engines check the
// pc against the set where execution passes through their dispatcher, and
// make their blocks (decoded or translated) end before any address a
// breakpoint could be: a block is cached by physical page and may run under
// another virtual mapping of that page, so a block stops before every byte
// offset within its page that some breakpoint has, whatever its page.

#include <algorithm>
#include <cstdint>
#include <vector>

namespace tessera::cpu {

class Breakpoints {
public:
    void assign(std::vector<uint64_t> pcs) {
        std::sort(pcs.begin(), pcs.end());
        pcs.erase(std::unique(pcs.begin(), pcs.end()), pcs.end());
        pcs_ = std::move(pcs);
    }
    bool empty() const { return pcs_.empty(); }
    bool contains(uint64_t pc) const {
        return !pcs_.empty() && std::binary_search(pcs_.begin(), pcs_.end(), pc);
    }
    // How many bytes of code from `pc` on a block may hold (at most `limit`):
    // up to the nearest breakpoint page offset after pc's own.
    uint64_t bytesBeforeNext(uint64_t pc, uint64_t limit) const {
        const uint64_t offset = pc & 0xfff;
        for (uint64_t breakpoint : pcs_) {
            const uint64_t at = breakpoint & 0xfff;
            if (at > offset) limit = std::min(limit, at - offset);
        }
        return limit;
    }

private:
    std::vector<uint64_t> pcs_;
};

}  // namespace tessera::cpu
