#pragma once
// The architectural state two engines must agree on, as a flat array of named
// 64-bit values taken from a Hart: GPRs, FPRs, pc, privilege, fcsr, the LR/SC
// reservation, and every CSR HartState holds. A flat array makes the
// per-step comparison one memcmp; names are only looked up for a report.
//
// Left out on purpose: host-side caches (software TLB, its contexts, the MXCSR
// cache), the scratch trap cause/value of a handler that has not trapped yet,
// and the exit-request word. None of them is visible to the guest.

#include <array>
#include <cstdint>
#include <string>

#include "core/cpu/riscv/hart.h"

namespace tessera::lockstep {

inline constexpr size_t kGprFields = 31;  // x1..x31
inline constexpr size_t kFprFields = 32;
inline constexpr size_t kCsrFields = 31;
inline constexpr size_t kPmpcfgFields = riscv::kPmpEntries / 8;
inline constexpr size_t kArchFields =
    kGprFields + kFprFields + kCsrFields + kPmpcfgFields + riscv::kPmpEntries;

struct ArchState {
    std::array<uint64_t, kArchFields> values{};
    bool operator==(const ArchState&) const = default;
};

ArchState captureArchState(const riscv::Hart& hart);
// "a0", "f3", "mstatus", "pmpaddr12", ...
const char* archFieldName(size_t field);
// Index of the field for GPR x<n> (n >= 1) and FPR f<n>.
constexpr size_t gprField(unsigned n) {
    return n - 1;
}
constexpr size_t fprField(unsigned n) {
    return kGprFields + n;
}

// One line per field that differs: "  a0: <a> | <b>".
std::string describeDifferences(const ArchState& a, const ArchState& b);

}  // namespace tessera::lockstep
