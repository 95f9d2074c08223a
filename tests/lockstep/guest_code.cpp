#include "lockstep/guest_code.h"

#include <cstring>

#include "core/cpu/riscv/decode_table.h"

namespace tessera::lockstep {

namespace {

bool readPhysical(const hw::MemoryBus& bus, uint64_t paddr, void* out, unsigned size) {
    const uint8_t* host = bus.ramPointer(paddr, size);
    if (!host) return false;
    std::memcpy(out, host, size);
    return true;
}

// Fetch translation as the hart would make it (privileged spec 4.3.2), minus
// every permission check: a report shows what is there, not whether it may run.
bool fetchAddress(const riscv::HartState& s, const hw::MemoryBus& bus, uint64_t vaddr, uint64_t& paddr) {
    const uint64_t mode = s.satp >> 60;
    if (s.priv == riscv::PrivMachine || mode == 0) {
        paddr = vaddr;
        return true;
    }
    int level = mode == 9 ? 3 : 2;
    uint64_t table = (s.satp & ((1ull << 44) - 1)) << 12;
    for (; level >= 0; --level) {
        const unsigned shift = 12 + 9 * unsigned(level);
        uint64_t pte = 0;
        if (!readPhysical(bus, table + ((vaddr >> shift) & 511) * 8, &pte, 8) || !(pte & 1)) return false;
        const uint64_t ppnBase = (pte >> 10) << 12;
        if (pte & 0xa) {  // R or X: a leaf, possibly a superpage
            paddr = (ppnBase & ~((1ull << shift) - 1)) | (vaddr & ((1ull << shift) - 1));
            return true;
        }
        table = ppnBase;
    }
    return false;
}

}  // namespace

GuestInstruction instructionAt(const riscv::Hart& hart, const hw::MemoryBus& bus) {
    GuestInstruction insn;
    insn.pc = hart.state().pc;
    uint64_t paddr = 0;
    uint16_t low = 0, high = 0;
    if (!fetchAddress(hart.state(), bus, insn.pc, paddr) || !readPhysical(bus, paddr, &low, 2)) return insn;
    if ((low & 3) != 3) {
        insn.raw = low;
        insn.length = 2;
        return insn;
    }
    // The upper half may lie on the next page, which translates on its own.
    if (!fetchAddress(hart.state(), bus, insn.pc + 2, paddr) || !readPhysical(bus, paddr, &high, 2))
        return insn;
    insn.raw = low | (uint32_t(high) << 16);
    insn.length = 4;
    return insn;
}

std::string instructionName(const GuestInstruction& insn) {
    if (insn.length == 0) return "(not readable)";
    std::string prefix;
    uint32_t raw = insn.raw;
    if (insn.length == 2) {
        for (const riscv::CompressedRow& row : riscv::compressedTable())
            if ((raw & row.pattern.mask) == row.pattern.match) {
                prefix = std::string(row.name) + " -> ";
                break;
            }
        raw = riscv::expandCompressed(static_cast<uint16_t>(raw));
        if (raw == 0) return prefix + "illegal";
    }
    const riscv::DecodedInsn decoded = riscv::decodeInstruction(raw);
    const auto rows = riscv::decodeTable();
    return prefix + (decoded.row < rows.size() ? rows[decoded.row].name : "illegal");
}

}  // namespace tessera::lockstep
