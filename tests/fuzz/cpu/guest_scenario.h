#pragma once
// Turns a CPU fuzzer input into a guest: a machine-mode prologue that programs
// the privilege and paging setup the input asks for (satp, mstatus, PMP,
// delegation, trap vectors, every register), page tables in guest RAM,
// trap handlers that skip the faulting instruction and return, and the random
// instruction stream itself. Everything is guest code, so any engine runs it.
//
// Input layout (tests/fuzz/cpu/make_seeds.py writes it; bytes past the end
// read as zero). The program comes first, so that even a short input runs
// instructions; a missing setup means M-mode, no translation, no PMP and
// every register 0, so its accesses go to page 0 and the top of memory.
//   u8  instruction count N
//   N instructions, each u8 template + u32 fields (see Template)
//   u8  start privilege (0 M, 1 S, 2 U, else M)
//   u8  paging: 0 Bare, 1 Sv39, 2 Sv48 (mod 3)
//   u8  mstatus bits: 0 MPRV, 1 SUM, 2 MXR, 3 TVM, 4 TW, 5 TSR, 6-7 MPP for an M start
//   u16 medeleg, u16 mideleg, u16 mie
//   u8  PMP entry count (mod 9), each: u8 pmpcfg, u8 low ones (mod 64), Value address
//   u8  mapping count (mod 33), each: Value va, Value pa, u8 PTE flags (V R W X U G A D),
//       u8 leaf level (mod 4) | bit 7: set a reserved PTE bit
//   u8  raw PTE count (mod 17), each: u8 table page (mod pool), u16 index (mod 512), u64 value
//   u8  DMA count (mod 5), each: u8 slice, Value paddr, u8 length, u8 fill byte
//   u16 program offset in its page (even)
//   31 Values: x1..x31
// A Value is u8 pick + i8 delta: kInterestingValues[pick] + delta, or for a
// pick past the table, the next 8 bytes raw.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tessera::riscv::fuzz {

// Guest physical layout of the fuzzed machine (RAM as on the virt board).
inline constexpr uint64_t kRamBase = 0x80000000;
inline constexpr uint64_t kRamSize = 1 << 20;
inline constexpr uint64_t kPrologue = kRamBase;          // reset pc
inline constexpr uint64_t kSlots = kRamBase + 0x400;     // prologue data
inline constexpr uint64_t kMHandler = kRamBase + 0xc00;  // mtvec
inline constexpr uint64_t kSHandler = kRamBase + 0xe00;  // stvec
inline constexpr uint64_t kProgram = kRamBase + 0x1000;  // two pages, identity-mapped
inline constexpr uint64_t kScratch = kRamBase + 0x3000;  // two data pages, identity-mapped
inline constexpr uint64_t kTablePool = kRamBase + 0x8000;
inline constexpr uint64_t kTablePoolEnd = kRamBase + 0x28000;

struct DmaWrite {
    unsigned slice;  // run slice after which the device writes
    uint64_t paddr;
    std::vector<uint8_t> bytes;
};

struct Scenario {
    std::vector<DmaWrite> dma;
};

// Writes the guest for `data` into `ram` (kRamSize bytes at kRamBase, zeroed
// by the caller). The engine starts at kPrologue in M-mode.
Scenario writeScenario(const uint8_t* data, size_t size, uint8_t* ram);

}  // namespace tessera::riscv::fuzz
