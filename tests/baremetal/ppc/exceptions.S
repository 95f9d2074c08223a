/* Exceptions and their SRR0/SRR1/DAR/DSISR: system call, illegal and
   invalid-form instructions, traps, privileged instructions in user state,
   alignment, floating-point unavailable; and the PVR of the 750. Each
   exception is logged by the runtime (runtime.inc) and resumed. */
#include "runtime.inc"

        .text
        .globl test_main
test_main:
        mflr 27
        mfpvr 3
        REC 3
        li 0, 0
        li 3, 0x111
        sc                      /* supervisor system call */
        .long 0                 /* illegal: primary opcode 0 */
        .long 0x7c0007fe        /* illegal: an unassigned extended opcode of 31 */
        li 3, 5
        tw 4, 3, 3              /* traps (equal) */
        tw 24, 3, 3             /* does not trap (< or >) */
        twi 2, 3, 6             /* traps (unsigned less than) */
        .long 0x84600000        /* lwzu r3,0(r0): invalid form */
        .long 0x4c000420        /* bcctr with BO[2] clear: invalid form */
        mfspr 3, 5              /* no such SPR */
        lis 10, 0x0002
        ori 10, 10, 0x0102
        lwarx 3, 0, 10          /* misaligned: alignment interrupt */
        stwcx. 3, 0, 10
        lwz 3, 1(10)            /* misaligned, but the 750 handles it */
        REC 3
        li 3, 0                 /* FPU off: floating-point unavailable */
        mtmsr 3
        isync
        fadd 1, 1, 1
        lfd 1, 0(10)
        li 3, MSR_FP
        mtmsr 3
        isync
        /* to user state through rfi */
        lis 3, user@h
        ori 3, 3, user@l
        mtsrr0 3
        li 3, MSR_FP | 0x4000
        mtsrr1 3
        rfi
user:   mfmsr 3                 /* privileged */
        mtsprg 0, 3             /* privileged SPR */
        mfsrr0 3
        mtsr 2, 3
        tlbie 3
        .long 0x4c000064        /* rfi */
        mfspr 3, 1              /* XER: fine in user state */
        mfspr 3, 8
        REC 3
        li 3, 0x222
        sc                      /* user system call */
        li 0, -1
        sc                      /* back to supervisor (runtime) */
        mfmsr 3
        REC 3
        mtlr 27
        blr
