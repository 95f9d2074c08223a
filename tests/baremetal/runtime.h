// Tiny runtime shared by the bare-metal self-checking tests: UART output,
// pass/fail through the sifive_test device, CSR access, trap recording.
#pragma once
#include <stdint.h>

#define CSR_READ(name) ({ uint64_t v_; __asm__ volatile("csrr %0, " #name : "=r"(v_)); v_; })
#define CSR_WRITE(name, v) __asm__ volatile("csrw " #name ", %0" ::"r"((uint64_t)(v)))
#define CSR_SET(name, v) __asm__ volatile("csrs " #name ", %0" ::"r"((uint64_t)(v)))
#define CSR_CLEAR(name, v) __asm__ volatile("csrc " #name ", %0" ::"r"((uint64_t)(v)))

#define MMIO32(addr) (*(volatile uint32_t*)(uintptr_t)(addr))
#define MMIO64(addr) (*(volatile uint64_t*)(uintptr_t)(addr))
#define MMIO8(addr) (*(volatile uint8_t*)(uintptr_t)(addr))

#define UART 0x10000000ul
#define TEST_DEVICE 0x100000ul
#define CLINT 0x2000000ul
#define PLIC 0xc000000ul

#define INTERRUPT (1ul << 63)

// One recorded trap.
struct trap_record {
    uint64_t count, cause, epc, tval, mode;  // mode: 3 = taken in M, 1 = in S
};
extern volatile struct trap_record last_trap;
// What the handlers do after recording an exception: skip the instruction
// (default), or for interrupts: run this hook (which must silence the source).
extern void (*volatile interrupt_hook)(uint64_t cause);

void putstr(const char* s);
void puthex(uint64_t v);
void pass(void) __attribute__((noreturn));
void fail(unsigned code) __attribute__((noreturn));
void finish(int code) __attribute__((noreturn));
uint64_t enter_mode(uint64_t mpp, uint64_t (*fn)(uint64_t), uint64_t arg);
extern char s_trap_entry[];

// Fails with `code` (and prints `what`) unless cond holds.
#define CHECK(code, cond)                                       \
    do {                                                        \
        if (!(cond)) {                                          \
            putstr("CHECK failed: " #cond "\n");                 \
            fail(code);                                         \
        }                                                       \
    } while (0)
