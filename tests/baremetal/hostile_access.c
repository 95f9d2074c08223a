// Hostile accesses in M-mode, without translation (issue 10): misaligned and
// aligned loads, stores, AMOs and LR/SC at address 0, at the top of the
// address space, in holes of the physical map, across the end of RAM and of
// the boot ROM, and on device registers; fetches from nowhere. Each prints
// its outcome (hostile.h); hostile_compare.py holds both emulators to the
// same lines. 0x200000 is a hole in both our map and QEMU's virt; the cases
// stay inside device registers both emulators implement alike.
#include "hostile.h"

#define RAM_END (0x80000000ul + (128ul << 20))  // -m 128M on both
#define MTIME (CLINT + 0xbff8)

int main(void) {
    putstr("hostile_access\n");
    // Address 0 (no memory or device there) and just above it.
    ACCESS("lb-0", "lb a1, 0(a0)", 0);
    ACCESS("lh-0", "lh a1, 0(a0)", 0);
    ACCESS("lh-1", "lh a1, 0(a0)", 1);  // issue 10 item 1: crashed the emulator
    ACCESS("lw-1", "lw a1, 0(a0)", 1);
    ACCESS("lw-2", "lw a1, 0(a0)", 2);
    ACCESS("ld-3", "ld a1, 0(a0)", 3);
    ACCESS("ld-7", "ld a1, 0(a0)", 7);
    ACCESS("lhu-5", "lhu a1, 0(a0)", 5);
    ACCESS("sb-0", "sb a1, 0(a0)", 0);
    ACCESS("sh-1", "sh a1, 0(a0)", 1);
    ACCESS("sw-2", "sw a1, 0(a0)", 2);
    ACCESS("sd-5", "sd a1, 0(a0)", 5);
    ACCESS("flw-1", "flw fa0, 0(a0)", 1);
    ACCESS("fsd-3", "fsd fa0, 0(a0)", 3);
    ACCESS("c.lw-0", "c.lw a1, 0(a0)", 0);
    ACCESS("c.ld-2", "c.ld a1, 0(a0)", 2);
    ACCESS("c.sd-4", "c.sd a1, 0(a0)", 4);
    ACCESS("lr.w-0", "lr.w a1, (a0)", 0);
    ACCESS("lr.d-4", "lr.d a1, (a0)", 4);
    ACCESS("lr.w-2", "lr.w a1, (a0)", 2);
    ACCESS("amoadd.w-0", "amoadd.w a1, a1, (a0)", 0);
    ACCESS("amoswap.d-0", "amoswap.d a1, a1, (a0)", 0);
    ACCESS("amoor.w-1", "amoor.w a1, a1, (a0)", 1);
    ACCESS("amomax.d-4", "amomax.d a1, a1, (a0)", 4);
    ACCESS("sc.w-0", "sc.w a1, a1, (a0)", 0);
    ACCESS("sc.d-3", "sc.d a1, a1, (a0)", 3);

    // The top of the address space; misaligned accesses there wrap to 0.
    ACCESS("lb-top", "lb a1, 0(a0)", ~0ul);
    ACCESS("lh-top", "lh a1, 0(a0)", ~0ul);
    ACCESS("lw-top-1", "lw a1, 0(a0)", ~0ul - 1);
    ACCESS("ld-top", "ld a1, 0(a0)", ~0ul);
    ACCESS("ld-top-6", "ld a1, 0(a0)", ~0ul - 6);
    ACCESS("ld-top-7", "ld a1, 0(a0)", ~0ul - 7);
    ACCESS("sh-top", "sh a1, 0(a0)", ~0ul);
    ACCESS("sd-top-2", "sd a1, 0(a0)", ~0ul - 2);
    ACCESS("sw-top-3", "sw a1, 0(a0)", ~0ul - 3);
    ACCESS("lr.d-top-7", "lr.d a1, (a0)", ~0ul - 7);
    ACCESS("amoadd.d-top-7", "amoadd.d a1, a1, (a0)", ~0ul - 7);
    ACCESS("amoadd.w-top-1", "amoadd.w a1, a1, (a0)", ~0ul - 1);

    // Holes in the physical map, and accesses running off the end of RAM or the boot ROM.
    ACCESS("ld-hole+1", "ld a1, 0(a0)", 0x200001);
    ACCESS("sw-hole+2", "sw a1, 0(a0)", 0x200002);
    ACCESS("lw-rom-start-2", "lw a1, 0(a0)", 0x1000 - 2);
    ACCESS("lw-rom-end-2", "lw a1, 0(a0)", 0x10000 - 2);
    ACCESS("ld-ram-end-4", "ld a1, 0(a0)", RAM_END - 4);
    ACCESS("lh-ram-end-1", "lh a1, 0(a0)", RAM_END - 1);
    ACCESS("sw-ram-end-2", "sw a1, 0(a0)", RAM_END - 2);
    ACCESS("ld-ram-end", "ld a1, 0(a0)", RAM_END);
    ACCESS("amoadd.w-ram-end", "amoadd.w a1, a1, (a0)", RAM_END);

    // Device registers: misaligned reads inside a register file, atomics.
    ACCESS("lw-uart+1", "lw a1, 0(a0)", UART + 1);
    ACCESS("lh-uart+3", "lh a1, 0(a0)", UART + 3);
    ACCESS("lw-mtime+2", "lw a1, 0(a0)", MTIME + 2);
    ACCESS("ld-mtime", "ld a1, 0(a0)", MTIME);
    ACCESS("amoor.w-uart+4", "amoor.w a1, zero, (a0)", UART + 4);
    ACCESS("amoor.w-uart+1", "amoor.w a1, zero, (a0)", UART + 1);
    ACCESS("amoadd.w-mtime", "amoadd.w a1, zero, (a0)", MTIME);
    ACCESS("lr.d-mtime", "lr.d a1, (a0)", MTIME);
    ACCESS("sc.d-mtime", "sc.d a1, zero, (a0)", MTIME);

    // Fetches from nowhere, the top of the address space, the end of RAM and a device.
    FETCH("fetch-0", 0);
    FETCH("fetch-hole", 0x200000);
    FETCH("fetch-top-1", ~0ul - 1);
    FETCH("fetch-top-3", ~0ul - 3);
    FETCH("fetch-ram-end", RAM_END);
    FETCH("fetch-mtime", MTIME);
    putstr("DONE\n");
    pass();
}
