#include "lockstep/arch_state.h"

#include <cinttypes>
#include <cstdio>

namespace tessera::lockstep {

namespace {

const char* const kGprNames[kGprFields] = {"ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0", "a1",
                                           "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5", "s6",
                                           "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
const char* const kCsrNames[kCsrFields] = {
    "pc",      "priv",     "frm",      "fflags",     "reservation", "mstatus",       "misa",
    "medeleg", "mideleg",  "mie",      "mip",        "mtvec",       "mepc",          "mcause",
    "mtval",   "mscratch", "mcounteren", "mcountinhibit", "menvcfg", "mhartid",      "instret",
    "mcycle-offset", "minstret-offset", "stvec", "sepc", "scause",     "stval",         "sscratch",
    "scounteren", "senvcfg", "satp"};

struct FieldNames {
    std::array<std::string, kArchFields> names;
    FieldNames() {
        size_t i = 0;
        for (const char* gpr : kGprNames) names[i++] = gpr;
        for (unsigned n = 0; n < kFprFields; ++n) names[i++] = "f" + std::to_string(n);
        for (const char* csr : kCsrNames) names[i++] = csr;
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
    const uint64_t csrs[kCsrFields] = {
        s.pc, s.priv, s.frm, s.fflags,
        // Where an SC may succeed; the address means nothing without a reservation.
        s.reservationValid ? s.reservationAddress | 1 : 0,
        s.mstatus, s.misa, s.medeleg, s.mideleg, s.mie,
        hart.readMip(),  // with the device lines, as the guest reads it
        s.mtvec, s.mepc, s.mcause, s.mtval, s.mscratch, s.mcounteren, s.mcountinhibit, s.menvcfg, s.mhartid,
        s.instret, s.cycleOffset, s.instretOffset, s.stvec, s.sepc, s.scause, s.stval, s.sscratch,
        s.scounteren, s.senvcfg, s.satp};
    for (uint64_t c : csrs) *v++ = c;
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
