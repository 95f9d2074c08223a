// Exceptions taken in M-mode carry the causes and mtval of privileged spec
// 1.12 table 3.6; U-mode cannot touch M-mode CSRs; ecall reports the mode.
#include "runtime.h"

static uint64_t user_ecall(uint64_t arg) {
    __asm__ volatile("li a7, 1\n ecall" ::: "a7", "memory");
    return arg + 1;
}
static uint64_t user_reads_mstatus(uint64_t arg) {
    (void)CSR_READ(mstatus);
    return arg;
}
static uint64_t supervisor_ecall(uint64_t arg) {
    __asm__ volatile("li a7, 2\n ecall" ::: "a7", "memory");
    return arg * 2;
}

int main(void) {
    putstr("traps: ");
    // Illegal instruction: mtval holds the instruction bits.
    last_trap.count = 0;
    __asm__ volatile(".word 0xffffffff");
    CHECK(1, last_trap.count == 1 && last_trap.cause == 2);
    CHECK(2, last_trap.tval == 0xffffffff || last_trap.tval == 0);

    // Nonexistent CSR.
    __asm__ volatile("csrr t0, 0x7ff" ::: "t0");
    CHECK(3, last_trap.count == 2 && last_trap.cause == 2);

    // ebreak and ecall from M.
    __asm__ volatile("ebreak");
    CHECK(4, last_trap.cause == 3);
    __asm__ volatile("li a7, 0\n ecall" ::: "a7");
    CHECK(5, last_trap.cause == 11);

    // Loads and stores to unmapped physical memory: access faults with the address.
    // (0x200000..0x400000 is a hole in both our map and QEMU's virt.)
    (void)MMIO32(0x200000);
    CHECK(6, last_trap.cause == 5 && last_trap.tval == 0x200000);
    MMIO32(0x300000) = 1;
    CHECK(7, last_trap.cause == 7 && last_trap.tval == 0x300000);

    // Jump to unmapped memory: instruction access fault, mtval = target.
    const uint64_t before = last_trap.count;
    ((void (*)(void))0x380000ul)();
    CHECK(8, last_trap.count == before + 1 && last_trap.cause == 1 && last_trap.tval == 0x380000ul);

    // Lower modes: ecall cause says which mode called; U cannot read mstatus.
    CSR_WRITE(pmpaddr0, ~0ul >> 10);  // let S/U access everything (PMP TOR/NAPOT all)
    CSR_WRITE(pmpcfg0, 0x1f);
    CHECK(9, enter_mode(0, user_ecall, 41) == 42);
    CHECK(10, last_trap.cause == 8 && last_trap.mode == 3);
    CHECK(11, enter_mode(1, supervisor_ecall, 21) == 42);
    CHECK(12, last_trap.cause == 9);
    enter_mode(0, user_reads_mstatus, 0);
    CHECK(13, last_trap.cause == 2);

    // mepc/mtval are WARL but hold what the trap wrote.
    CHECK(14, (CSR_READ(misa) >> 62) == 2);  // MXL = 64
    const uint64_t misa = CSR_READ(misa);
    for (const char* ext = "IMAFDCSU"; *ext; ++ext) CHECK(15, misa & (1ul << (*ext - 'A')));
    pass();
}
