#pragma once
// Writes Sv39/Sv48 page tables (privileged spec 1.12, 4.3-4.5) into guest RAM,
// for the CPU unit tests and the CPU fuzzer. Table pages come from a pool in
// RAM; every RAM access is bounds-checked, because the fuzzer also pokes
// random entries into the tables and then maps over them.

#include <cstdint>
#include <cstring>

namespace tessera::riscv::test {

namespace pte {
enum : uint64_t { V = 1, R = 2, W = 4, X = 8, U = 16, G = 32, A = 64, D = 128 };
}

struct GuestPageTables {
    uint8_t* ram;
    uint64_t ramBase, ramSize;
    unsigned levels;  // 3: Sv39, 4: Sv48
    uint64_t next, poolEnd;
    uint64_t root = 0;

    GuestPageTables(uint8_t* guestRam, uint64_t base, uint64_t size, unsigned levelCount, uint64_t pool,
                    uint64_t poolLimit)
        : ram(guestRam), ramBase(base), ramSize(size), levels(levelCount), next(pool), poolEnd(poolLimit) {
        root = allocate();
    }

    bool inRam(uint64_t pa, uint64_t length) const {
        return pa >= ramBase && pa - ramBase <= ramSize && length <= ramSize - (pa - ramBase);
    }
    uint64_t read64(uint64_t pa) const {
        uint64_t v = 0;
        if (inRam(pa, 8)) std::memcpy(&v, ram + (pa - ramBase), 8);
        return v;
    }
    void write64(uint64_t pa, uint64_t v) {
        if (inRam(pa, 8)) std::memcpy(ram + (pa - ramBase), &v, 8);
    }
    // A zeroed table page from the pool, or 0 when it is used up.
    uint64_t allocate() {
        if (next + 0x1000 > poolEnd || !inRam(next, 0x1000)) return 0;
        const uint64_t page = next;
        next += 0x1000;
        std::memset(ram + (page - ramBase), 0, 0x1000);
        return page;
    }
    // Address of the entry for `va` at `leafLevel` (0: 4 KiB page, 1: 2 MiB,
    // 2: 1 GiB, 3: 512 GiB), creating tables on the way; an entry on the way
    // that is not a pointer to a table in RAM is replaced by a new table.
    // 0 when the pool is used up.
    uint64_t entryFor(uint64_t va, unsigned leafLevel) {
        uint64_t table = root;
        for (int level = static_cast<int>(levels) - 1; table; --level) {
            const uint64_t entry = table + ((va >> (12 + 9 * level)) & 0x1ff) * 8;
            if (level <= static_cast<int>(leafLevel)) return entry;
            uint64_t value = read64(entry);
            const uint64_t child = ((value >> 10) & ((1ull << 44) - 1)) << 12;
            if (!(value & pte::V) || (value & (pte::R | pte::W | pte::X)) || !inRam(child, 0x1000)) {
                const uint64_t fresh = allocate();
                if (!fresh) return 0;
                write64(entry, ((fresh >> 12) << 10) | pte::V);
                table = fresh;
            } else {
                table = child;
            }
        }
        return 0;
    }
    void map(uint64_t va, uint64_t pa, uint64_t flags, unsigned leafLevel = 0) {
        if (const uint64_t entry = entryFor(va, leafLevel)) write64(entry, ((pa >> 12) << 10) | flags);
    }
    uint64_t satp() const { return (uint64_t(levels == 3 ? 8 : 9) << 60) | (root >> 12); }
};

}  // namespace tessera::riscv::test
