#include "lockstep/arch_state.h"

#include <cinttypes>
#include <cstdio>
#include <iterator>

namespace tessera::lockstep {

namespace {

const char* const kGprNames[kGprFields] = {"ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0", "a1",
                                           "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5", "s6",
                                           "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
// The named single values after the registers: pc, privilege, fcsr, the
// reservation and every CSR HartState holds. One table, so a name can never
// pair with another field's value.
using Hart = riscv::Hart;
struct NamedValue {
    const char* name;
    uint64_t (*read)(const Hart&);
};
// clang-format off
#define TESSERA_STATE_FIELD(field) {#field, [](const Hart& h) -> uint64_t { return h.state().field; }}
const NamedValue kCsrs[] = {
    TESSERA_STATE_FIELD(pc), TESSERA_STATE_FIELD(priv), TESSERA_STATE_FIELD(frm), TESSERA_STATE_FIELD(fflags),
    // Where an SC may succeed; the address means nothing without a reservation.
    {"reservation", [](const Hart& h) -> uint64_t {
         return h.state().reservationValid ? h.state().reservationAddress | 1 : 0; }},
    TESSERA_STATE_FIELD(mstatus), TESSERA_STATE_FIELD(misa), TESSERA_STATE_FIELD(medeleg),
    TESSERA_STATE_FIELD(mideleg), TESSERA_STATE_FIELD(mie),
    // With the device lines OR-ed in, as the guest reads it.
    {"mip", [](const Hart& h) { return h.readMip(); }},
    TESSERA_STATE_FIELD(mtvec), TESSERA_STATE_FIELD(mepc), TESSERA_STATE_FIELD(mcause), TESSERA_STATE_FIELD(mtval),
    TESSERA_STATE_FIELD(mscratch), TESSERA_STATE_FIELD(mcounteren), TESSERA_STATE_FIELD(mcountinhibit),
    TESSERA_STATE_FIELD(menvcfg), TESSERA_STATE_FIELD(mhartid), TESSERA_STATE_FIELD(instret),
    TESSERA_STATE_FIELD(cycleOffset), TESSERA_STATE_FIELD(instretOffset), TESSERA_STATE_FIELD(stvec),
    TESSERA_STATE_FIELD(sepc), TESSERA_STATE_FIELD(scause), TESSERA_STATE_FIELD(stval),
    TESSERA_STATE_FIELD(sscratch), TESSERA_STATE_FIELD(scounteren), TESSERA_STATE_FIELD(senvcfg),
    TESSERA_STATE_FIELD(satp)};
#undef TESSERA_STATE_FIELD
// clang-format on
static_assert(std::size(kCsrs) == kCsrFields);

struct FieldNames {
    std::array<std::string, kArchFields> names;
    FieldNames() {
        size_t i = 0;
        for (const char* gpr : kGprNames) names[i++] = gpr;
        for (unsigned n = 0; n < kFprFields; ++n) names[i++] = "f" + std::to_string(n);
        for (const NamedValue& csr : kCsrs) names[i++] = csr.name;
        for (unsigned n = 0; n < kPmpcfgFields; ++n) names[i++] = "pmpcfg" + std::to_string(2 * n);
        for (unsigned n = 0; n < riscv::kPmpEntries; ++n) names[i++] = "pmpaddr" + std::to_string(n);
    }
};

}  // namespace

const char* archFieldName(size_t field) {
    static const FieldNames table;
    return field < kArchFields ? table.names[field].c_str() : "?";
}

ArchState captureArchState(const riscv::Hart& hart) {
    const riscv::HartState& s = hart.state();
    ArchState out;
    uint64_t* v = out.values.data();
    for (unsigned n = 1; n <= kGprFields; ++n) *v++ = s.x[n];
    for (unsigned n = 0; n < kFprFields; ++n) *v++ = s.f[n];
    for (const NamedValue& csr : kCsrs) *v++ = csr.read(hart);
    for (unsigned n = 0; n < kPmpcfgFields; ++n) {
        uint64_t packed = 0;
        for (unsigned b = 0; b < 8; ++b) packed |= uint64_t(s.pmpcfg[8 * n + b]) << (8 * b);
        *v++ = packed;
    }
    for (unsigned n = 0; n < riscv::kPmpEntries; ++n) *v++ = s.pmpaddr[n];
    return out;
}

std::string describeDifferences(const ArchState& a, const ArchState& b) {
    std::string out;
    char line[128];
    for (size_t i = 0; i < kArchFields; ++i) {
        if (a.values[i] == b.values[i]) continue;
        std::snprintf(line, sizeof line, "  %-16s %016" PRIx64 " | %016" PRIx64 "\n", archFieldName(i),
                      a.values[i], b.values[i]);
        out += line;
    }
    return out;
}

}  // namespace tessera::lockstep
