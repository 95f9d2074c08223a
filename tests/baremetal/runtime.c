#include "runtime.h"

volatile struct trap_record last_trap;
void (*volatile interrupt_hook)(uint64_t cause);
extern char resume_machine[];

void putstr(const char* s) {
    for (; *s; ++s) {
        while (!(MMIO8(UART + 5) & 0x20)) {}
        MMIO8(UART) = (uint8_t)*s;
    }
}

void puthex(uint64_t v) {
    char buf[19] = "0x";
    for (int i = 0; i < 16; ++i) buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
    buf[18] = 0;
    putstr(buf);
}

void finish(int code) {
    if (code == 0) {
        putstr("PASS\n");
        MMIO32(TEST_DEVICE) = 0x5555;
    } else {
        putstr("FAIL ");
        puthex((uint64_t)code);
        putstr("\n");
        MMIO32(TEST_DEVICE) = ((uint32_t)code << 16) | 0x3333;
    }
    for (;;) __asm__ volatile("wfi");
}
void pass(void) { finish(0); }
void fail(unsigned code) { finish((int)code); }

static uint64_t insn_length(uint64_t epc) {
    // Reading the faulting instruction works here: the tests run from
    // identity-mapped RAM.
    return (*(volatile uint16_t*)epc & 3) == 3 ? 4 : 2;
}

static uint64_t record(uint64_t cause, uint64_t epc, uint64_t tval, uint64_t mode) {
    last_trap.cause = cause;
    last_trap.epc = epc;
    last_trap.tval = tval;
    last_trap.mode = mode;
    last_trap.count++;
    if (cause & INTERRUPT) {
        if (interrupt_hook) interrupt_hook(cause);
        return epc;
    }
    if ((cause & 0xff) == 1 || (cause & 0xff) == 12) {
        // Instruction fault: the instruction cannot be skipped, return to the
        // caller instead (ra in the frame).
        return 0;
    }
    return epc + insn_length(epc);
}

uint64_t m_trap(uint64_t cause, uint64_t epc, uint64_t tval, uint64_t* frame) {
    // The exit ecall (a7 = 93) from a lower mode ends enter_mode().
    if ((cause == 8 || cause == 9) && frame[17] == 93) {
        CSR_SET(mstatus, 3ul << 11);  // mret back into M-mode
        return (uint64_t)resume_machine;
    }
    const uint64_t next = record(cause, epc, tval, 3);
    return next ? next : frame[1];
}

uint64_t s_trap(uint64_t cause, uint64_t epc, uint64_t tval, uint64_t* frame) {
    // A delegated exit ecall from U: pass it on to M, which ends enter_mode().
    if (cause == 8 && frame[17] == 93) __asm__ volatile("li a7, 93\n ecall" ::: "a7");
    const uint64_t next = record(cause, epc, tval, 1);
    return next ? next : frame[1];
}
