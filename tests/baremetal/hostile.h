// Shared by the hostile-guest programs (hostile_*.c): run one instruction on
// a chosen address and print what it did as a line
//   CASE <name> trap <mcause> <mtval>    or    CASE <name> ok
// (or a value it left: CASE <name> value <v>).
// tests/baremetal/hostile_compare.py runs each program under Tessera and under
// qemu-system-riscv64 and compares the lines. Traps are taken in M-mode
// (runtime.c records them and resumes after the instruction, or for a fetch
// fault at the caller).
#pragma once
#include "runtime.h"

static inline void report(const char* name, uint64_t countBefore) {
    putstr("CASE ");
    putstr(name);
    if (last_trap.count == countBefore) {
        putstr(" ok\n");
        return;
    }
    putstr(" trap ");
    puthex(last_trap.cause);
    putstr(" ");
    puthex(last_trap.tval);
    putstr("\n");
}

static inline void report_value(const char* name, uint64_t value) {
    putstr("CASE ");
    putstr(name);
    putstr(" value ");
    puthex(value);
    putstr("\n");
}

// One instruction with its address in a0 and a value to store in a1.
#define ACCESS(name, insn, address)                                      \
    do {                                                                 \
        const uint64_t before_ = last_trap.count;                        \
        register uint64_t a0_ __asm__("a0") = (address);                 \
        register uint64_t a1_ __asm__("a1") = 0;                         \
        __asm__ volatile(insn : "+r"(a1_) : "r"(a0_) : "fa0", "memory"); \
        report(name, before_);                                           \
    } while (0)

// A jump to `address`: the fetch fault returns to the instruction after the jalr.
#define FETCH(name, address)                                              \
    do {                                                                  \
        const uint64_t before_ = last_trap.count;                         \
        register uint64_t a0_ __asm__("a0") = (address);                  \
        __asm__ volatile("jalr ra, 0(a0)" : : "r"(a0_) : "ra", "memory"); \
        report(name, before_);                                            \
    } while (0)
