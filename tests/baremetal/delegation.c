// medeleg/mideleg route traps from U/S to the S-mode handler (privileged
// spec 1.12, 3.1.8); undelegated ones still reach M.
#include "runtime.h"

static uint64_t user_program(uint64_t arg) {
    __asm__ volatile("li a7, 1\n ecall" ::: "a7", "memory");  // delegated: S handles it
    __asm__ volatile(".word 0xffffffff");                      // illegal: delegated too
    return arg;
}
static uint64_t supervisor_program(uint64_t arg) {
    // S sets its own trap vector and drops to U via sret.
    __asm__ volatile("li a7, 1\n ecall" ::: "a7", "memory");  // ecall from S: not delegated -> M
    return arg;
}

int main(void) {
    putstr("delegation: ");
    CSR_WRITE(pmpaddr0, ~0ul >> 10);
    CSR_WRITE(pmpcfg0, 0x1f);
    CSR_WRITE(stvec, (uint64_t)s_trap_entry);
    CSR_WRITE(medeleg, (1ul << 8) | (1ul << 2));  // ecall from U, illegal instruction
    CHECK(1, CSR_READ(medeleg) & (1ul << 8));

    last_trap.count = 0;
    enter_mode(0, user_program, 0);
    // Both delegated traps went to S (mode 1), the last one an illegal instruction.
    CHECK(2, last_trap.count == 2);
    CHECK(3, last_trap.mode == 1);
    CHECK(4, last_trap.cause == 2 && CSR_READ(scause) == 8);  // scause: the exit ecall passed through S

    CSR_WRITE(medeleg, 1ul << 2);  // only illegal instruction now
    last_trap.count = 0;
    enter_mode(1, supervisor_program, 0);
    CHECK(5, last_trap.count == 1 && last_trap.cause == 9 && last_trap.mode == 3);

    // Delegated exceptions never go to S while running in M.
    last_trap.count = 0;
    __asm__ volatile(".word 0xffffffff");
    CHECK(6, last_trap.count == 1 && last_trap.mode == 3);

    // sstatus is a view of mstatus.
    CSR_SET(sstatus, 1ul << 18);  // SUM
    CHECK(7, CSR_READ(mstatus) & (1ul << 18));
    CSR_CLEAR(mstatus, 1ul << 18);
    CHECK(8, !(CSR_READ(sstatus) & (1ul << 18)));
    pass();
}
