/* Integer arithmetic, logical, rotate, shift, compare and CR instructions over
   a table of operand pairs, each result recorded with CR and XER. */
#include "runtime.inc"

        .macro OP insn
        lwz 3, 0(29)
        lwz 4, 4(29)
        \insn
        REC 5
        .endm
        /* the same with XER[CA] = 1 going in */
        .macro OPC insn
        lwz 3, 0(29)
        lwz 4, 4(29)
        lis 30, 0x2000
        mtxer 30
        \insn
        REC 5
        .endm

        .text
        .globl test_main
test_main:
        mflr 27
        lis 29, pairs@h
        ori 29, 29, pairs@l
        li 28, (pairs_end - pairs) / 8
1:
        OP "add 5,3,4"
        OP "addo. 5,3,4"
        OP "addc. 5,3,4"
        OP "addco 5,3,4"
        OPC "adde. 5,3,4"
        OPC "addeo 5,3,4"
        OPC "addme. 5,3"
        OPC "addzeo. 5,3"
        OP "subf. 5,3,4"
        OP "subfo 5,3,4"
        OP "subfc. 5,3,4"
        OPC "subfe. 5,3,4"
        OPC "subfeo. 5,3,4"
        OPC "subfmeo. 5,3"
        OPC "subfze. 5,3"
        OP "nego. 5,3"
        OP "mullwo. 5,3,4"
        OP "mulhw. 5,3,4"
        OP "mulhwu 5,3,4"
        OP "divwo. 5,3,4"
        OP "divwuo. 5,3,4"
        OP "addic 5,3,-7"
        OP "addic. 5,3,0x7fff"
        OP "subfic 5,3,100"
        OP "mulli 5,3,-1234"
        OP "and. 5,3,4"
        OP "andc 5,3,4"
        OP "or. 5,3,4"
        OP "orc 5,3,4"
        OP "xor. 5,3,4"
        OP "nand 5,3,4"
        OP "nor. 5,3,4"
        OP "eqv 5,3,4"
        OP "andi. 5,3,0x8421"
        OP "andis. 5,3,0x8421"
        OP "ori 5,3,0x1234"
        OP "oris 5,3,0x1234"
        OP "xori 5,3,0xffff"
        OP "xoris 5,3,0x8000"
        OP "extsb. 5,3"
        OP "extsh. 5,3"
        OP "cntlzw. 5,3"
        OP "slw. 5,3,4"
        OP "srw. 5,3,4"
        OP "sraw. 5,3,4"
        OP "srawi. 5,3,7"
        OP "srawi 5,3,0"
        OP "srawi 5,3,31"
        OP "rlwinm. 5,3,5,3,27"
        OP "rlwinm 5,3,31,29,2"
        OP "rlwnm. 5,3,4,8,23"
        OP "rlwimi. 5,3,12,4,19"
        OP "cmpw 3,4"
        OP "cmplw 1,3,4"
        OP "cmpwi 7,3,-1"
        OP "cmplwi 3,3,0x8000"
        OP "crxor 2,0,9"
        OP "cror 31,1,2"
        OP "crnand 5,0,0"
        OP "mcrf 6,0"
        OP "mtcrf 0x5a,3"
        OPC "mcrxr 4"
        addi 29, 29, 8
        addic. 28, 28, -1
        bne 1b
        mtlr 27
        blr

        .data
pairs:
        .long 0, 0
        .long 1, 0xffffffff
        .long 0x7fffffff, 1
        .long 0x80000000, 0xffffffff
        .long 0x80000000, 0x80000000
        .long 0x12345678, 0x9abcdef0
        .long 0xffffffff, 0xffffffff
        .long 0xdeadbeef, 35
        .long 100, 7
        .long 0xfffffff9, 3
        .long 3, 0xfffffff9
        .long 0x00ff00ff, 0x0000001f
        .long 0x00000001, 0x00000020
pairs_end:
