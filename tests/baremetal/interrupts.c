// Interrupts: CLINT timer (MTI) and software (MSI) interrupts, and an external
// interrupt from the UART (loopback mode, so the test needs no input) through
// the PLIC's M-mode context (MEI), waking WFI. Privileged spec 1.12, 3.1.9.
#include "runtime.h"

#define MIE_MSIE (1ul << 3)
#define MIE_MTIE (1ul << 7)
#define MIE_MEIE (1ul << 11)
#define MSTATUS_MIE (1ul << 3)

static volatile uint64_t plic_claimed;

static void silence(uint64_t cause) {
    switch (cause & 0xff) {
        case 7: MMIO64(CLINT + 0x4000) = ~0ul; break;  // mtimecmp = never
        case 3: MMIO32(CLINT) = 0; break;              // msip = 0
        case 11: {
            const uint32_t id = MMIO32(PLIC + 0x200004);  // claim
            plic_claimed = id;
            (void)MMIO8(UART);                             // drain RX: level drops
            MMIO32(PLIC + 0x200004) = id;                  // complete
            break;
        }
    }
}

// An interrupt raised by an MMIO write is taken "soon", not necessarily at
// the next instruction (QEMU takes it at the end of its translation block).
static void wait_for_trap(uint64_t count_before) {
    for (int i = 0; i < 100000 && last_trap.count == count_before; ++i) __asm__ volatile("nop");
}

static uint64_t mtime(void) { return MMIO64(CLINT + 0xbff8); }

int main(void) {
    putstr("interrupts: ");
    interrupt_hook = silence;

    // time CSR and mtime are the same 10 MHz clock.
    const uint64_t t0 = CSR_READ(time);
    const uint64_t m0 = mtime();
    CHECK(1, m0 >= t0 && m0 - t0 < 10000000);

    // Timer: pending in mip while masked, taken once enabled.
    last_trap.count = 0;
    MMIO64(CLINT + 0x4000) = mtime() + 1000;  // 100 us
    while (!(CSR_READ(mip) & MIE_MTIE)) {}
    CHECK(2, last_trap.count == 0);
    CSR_SET(mie, MIE_MTIE);
    CSR_SET(mstatus, MSTATUS_MIE);
    CHECK(3, last_trap.count == 1 && last_trap.cause == (INTERRUPT | 7));
    CHECK(4, !(CSR_READ(mip) & MIE_MTIE));

    // Timer wakes WFI (the host sleeps until the deadline, ~20 ms here).
    const uint64_t start = mtime();
    MMIO64(CLINT + 0x4000) = start + 200000;
    while (last_trap.count == 1) __asm__ volatile("wfi");
    CHECK(5, last_trap.cause == (INTERRUPT | 7));
    CHECK(6, mtime() - start >= 200000);

    // Software interrupt through msip.
    CSR_SET(mie, MIE_MSIE);
    MMIO32(CLINT) = 1;
    wait_for_trap(2);
    CHECK(7, last_trap.count == 3 && last_trap.cause == (INTERRUPT | 3));

    // External: UART RX (loopback) -> PLIC source 10 -> M context -> MEI.
    MMIO32(PLIC + 10 * 4) = 1;             // priority
    MMIO32(PLIC + 0x2000) = 1u << 10;      // enable for context 0 (M)
    MMIO32(PLIC + 0x200000) = 0;           // threshold
    CSR_SET(mie, MIE_MEIE);
    MMIO8(UART + 4) = 0x10;                // MCR: loopback
    MMIO8(UART + 1) = 0x01;                // IER: received data available
    MMIO8(UART) = 'Z';                     // comes straight back
    while (last_trap.count == 3) __asm__ volatile("wfi");
    CHECK(8, last_trap.cause == (INTERRUPT | 11));
    CHECK(9, plic_claimed == 10);
    MMIO8(UART + 1) = 0;
    MMIO8(UART + 4) = 0;

    // Global disable: pending but not taken.
    CSR_CLEAR(mstatus, MSTATUS_MIE);
    MMIO32(CLINT) = 1;
    wait_for_trap(4);
    CHECK(10, last_trap.count == 4);
    CHECK(11, CSR_READ(mip) & MIE_MSIE);
    MMIO32(CLINT) = 0;
    pass();
}
