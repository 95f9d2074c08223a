/* Address translation: BATs (a 16 MiB identity block for code and data, a
   read-only 128 KiB block), segment registers with Ks/Kp keys and the N bit,
   the hashed page table (primary and secondary PTEGs), reference and change
   bits, DSI and ISI causes (a PP=11 page is read-only for both keys), and
   tlbie after a PTE change. */
#include "runtime.inc"

        .set HTAB, 0x00100000   /* 64 KiB, HTABMASK 0 */
        .set MSR_TRANS, MSR_FP | 0x30

/* map_page: r3 = EA, r4 = PTE word 1 (RPN | WIMG | PP), r5 = 1 for the
   secondary PTEG. Returns r7 = address of the PTE's word 1. */
        .text
map_page:
        mfsrin 6, 3
        clrlwi 6, 6, 8          /* VSID */
        rlwinm 8, 3, 20, 16, 31 /* page index */
        clrlwi 9, 6, 13         /* VSID low 19 bits */
        xor 8, 8, 9             /* primary hash */
        cmpwi 5, 0
        beq 1f
        not 8, 8
1:      rlwinm 8, 8, 6, 16, 25  /* (hash & 0x3ff) << 6 */
        oris 8, 8, HTAB@h
2:      lwz 9, 0(8)             /* first free slot of the group */
        cmpwi 9, 0
        bge 3f
        addi 8, 8, 8
        b 2b
3:      rlwinm 9, 6, 7, 1, 24   /* VSID << 7 */
        oris 9, 9, 0x8000       /* V */
        rlwimi 9, 5, 6, 25, 25  /* H */
        rlwimi 9, 3, 10, 26, 31 /* API: EA bits 4-9 */
        stw 4, 4(8)
        stw 9, 0(8)
        addi 7, 8, 4
        blr

        .globl test_main
test_main:
        mflr 27
        lis 3, HTAB@h
        mtsdr1 3
        /* segments: VSID 0x100+n, Ks = 0, Kp = 1; segment 6 no-execute */
        li 3, 0
        lis 4, 0x2000
        ori 4, 4, 0x100
4:      mtsrin 4, 3
        addi 4, 4, 1
        addis 3, 3, 0x1000
        cmpwi 3, 0
        bne 4b
        lis 4, 0x3000
        ori 4, 4, 0x106
        lis 3, 0x6000
        mtsrin 4, 3
        /* IBAT0/DBAT0: EA 0 -> PA 0, 16 MiB, both states, read/write */
        li 3, 0x1ff
        li 4, 2
        mtibatu 0, 3
        mtibatl 0, 4
        mtdbatu 0, 3
        mtdbatl 0, 4
        /* DBAT1: EA 0x40000000 -> PA 0x00200000, 128 KiB, supervisor, read-only */
        lis 3, 0x4000
        ori 3, 3, 2
        lis 4, 0x0020
        ori 4, 4, 1
        mtdbatu 1, 3
        mtdbatl 1, 4
        lis 3, 0x0020
        lis 4, 0x1234
        ori 4, 4, 0x5678
        stw 4, 0x10(3)
        /* pages: 0x50000000 -> 0x300000 rw; 0x50001000 -> 0x301000 read-only for key 1;
           0x50002000 -> 0x302000 in the secondary group; 0x50003000 unmapped;
           0x60000000 (no-execute segment) -> 0x300000; 0x70000000 -> the page of mapped_code */
        lis 3, 0x5000
        lis 4, 0x0030
        ori 4, 4, 2
        li 5, 0
        bl map_page
        mr 20, 7
        lis 3, 0x5000
        ori 3, 3, 0x1000
        lis 4, 0x0030
        ori 4, 4, 0x1003
        bl map_page
        mr 21, 7
        lis 3, 0x5000
        ori 3, 3, 0x2000
        lis 4, 0x0030
        ori 4, 4, 0x2002
        li 5, 1
        bl map_page
        mr 22, 7
        lis 3, 0x6000
        lis 4, 0x0030
        ori 4, 4, 2
        li 5, 0
        bl map_page
        lis 3, 0x7000
        lis 4, mapped_code@h
        ori 4, 4, mapped_code@l
        rlwinm 4, 4, 0, 0, 19
        ori 4, 4, 2
        bl map_page
        mr 23, 7
        sync

        li 3, MSR_TRANS
        mtmsr 3
        isync
        lis 10, 0x4000
        lwz 3, 0x10(10)         /* through DBAT1 */
        REC 3
        stw 3, 0x10(10)         /* read-only block: DSI protection */
        lis 10, 0x5000
        li 3, 0x55
        stw 3, 0x20(10)         /* sets R and C */
        lwz 3, 0x1004(10)       /* sets R only */
        REC 3
        li 3, 0x66
        stw 3, 0x2008(10)       /* secondary group */
        lwz 3, 0x2008(10)
        REC 3
        stw 3, 0x1008(10)       /* PP=11 is read-only under key 0 (Ks) too: DSI protection */
        lwz 3, 0x3000(10)       /* unmapped: DSI */
        stw 3, 0x3000(10)       /* unmapped store: DSI */
        lis 3, 0x7000
        mtctr 3
        bctrl                   /* code through the page table */
        REC 3
        lis 3, 0x5000
        ori 3, 3, 0x3000
        mtctr 3
        bctrl                   /* ISI: no translation (resumes at LR) */
        lis 3, 0x6000
        mtctr 3
        bctrl                   /* ISI: no-execute segment */

        /* user state: key Kp = 1 */
        lis 3, user@h
        ori 3, 3, user@l
        mtsrr0 3
        li 3, MSR_TRANS | 0x4000
        mtsrr1 3
        rfi
user:   lwz 3, 0x1000(10)       /* read-only page: loads fine */
        REC 3
        stw 3, 0x1000(10)       /* store: DSI protection */
        stw 3, 0x30(10)         /* read/write page */
        lwz 3, 0x10(0)          /* DBAT0 for user */
        li 0, -1
        sc                      /* back to supervisor */

        /* make page 0 read-only for key 1, tlbie it, then store from user state */
        li 3, MSR_FP
        mtmsr 3
        isync
        lwz 3, 0(20)
        ori 3, 3, 3
        stw 3, 0(20)
        sync
        lis 3, 0x5000
        tlbie 3
        sync
        lis 3, user2@h
        ori 3, 3, user2@l
        mtsrr0 3
        li 3, MSR_TRANS | 0x4000
        mtsrr1 3
        rfi
user2:  stw 3, 0x40(10)         /* now a protection DSI */
        li 0, -1
        sc
        li 3, MSR_FP
        mtmsr 3
        isync
        /* the reference and change bits the accesses left */
        lwz 3, 0(20)
        REC 3
        lwz 3, 0(21)
        REC 3
        lwz 3, 0(22)
        REC 3
        lwz 3, 0(23)
        REC 3
        lis 3, 0x0030
        lwz 4, 0x20(3)
        REC 4
        lwz 4, 0x2008(3)
        REC 4
        lwz 4, 0x30(3)
        REC 4
        lwz 4, 0x1008(3)        /* untouched by the faulting supervisor store */
        REC 4
        mtlr 27
        blr

        .balign 4096
mapped_code:
        li 3, 0x777
        blr
