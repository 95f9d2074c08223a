#!/usr/bin/env python3
"""Random-instruction differential test: random PowerPC 750 instruction
streams (integer, logical, rotate, compare, CR, XER, loads and stores of every
width and byte order, FPU arithmetic, conversions, compares and FPSCR moves)
start from random register and memory state and run under qemu-system-ppc
-M mac99 -cpu 750 and Tessera; the final GPRs, CR, XER, FPRs, FPSCR and the
4 KiB scratch memory must be identical.

    ppc_random_diff.py RUNNER WORKDIR [--seed S] [--programs N] [--length L]

Left out on purpose: branches and exceptions (the conformance programs cover
them), and fres, whose result for a zero operand QEMU 7.2 gets wrong (1/2
instead of infinity) while a random stream can make zeros."""
import argparse
import os
import random
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ppc_compare  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SCRATCH = 0x3000          # 4 KiB inside the result block (records area)
BASE_REG = 28             # holds SCRATCH + 0x800 throughout
WRITABLE = list(range(0, 27))  # r27 (saved LR), r28 (base), r29-r31 belong to the runtime


def d_form(op, rt, ra, imm):
    return (op << 26) | (rt << 21) | (ra << 16) | (imm & 0xFFFF)


def x_form(op, rt, ra, rb, xo, rc=0):
    return (op << 26) | (rt << 21) | (ra << 16) | (rb << 11) | (xo << 1) | rc


def xo_form(rt, ra, rb, xo, oe, rc):
    return (31 << 26) | (rt << 21) | (ra << 16) | (rb << 11) | (oe << 10) | (xo << 1) | rc


def a_form(op, frt, fra, frb, frc, xo, rc):
    return (op << 26) | (frt << 21) | (fra << 16) | (frb << 11) | (frc << 6) | (xo << 1) | rc


XO_OPS = [266, 10, 138, 234, 202, 40, 8, 136, 232, 200, 104, 235, 491, 459]
X_LOGICAL = [28, 60, 444, 412, 316, 476, 124, 284, 24, 536, 792, 26, 954, 922]
CR_OPS = [257, 129, 289, 225, 33, 449, 417, 193]
LOADS_D = [32, 34, 40, 42]             # lwz lbz lhz lha
STORES_D = [36, 38, 44]                # stw stb sth
LOADS_X = [23, 87, 279, 343, 534, 790]  # lwzx lbzx lhzx lhax lwbrx lhbrx
STORES_X = [151, 215, 407, 662, 918]   # stwx stbx sthx stwbrx sthbrx
FP_A = [(63, 21), (63, 20), (63, 25), (63, 18), (63, 29), (63, 28), (63, 31), (63, 30), (63, 23), (63, 26),
        (59, 21), (59, 20), (59, 25), (59, 18), (59, 29), (59, 28), (59, 31), (59, 30)]
# Reserved fields are zero: QEMU raises the illegal-instruction interrupt for
# these invalid forms (addme with rB != 0, fadd with frC != 0, ...).
ONE_OPERAND_XO = (234, 202, 232, 200, 104)
FP_X = [12, 14, 15, 40, 72, 136, 264]  # frsp fctiw fctiwz fneg fmr fnabs fabs


def random_instruction(r):
    g = lambda: r.choice(WRITABLE)
    s = lambda: r.randrange(32)
    f = lambda: r.randrange(32)
    k = r.randrange(100)
    if k < 18:
        xo = r.choice(XO_OPS)
        return xo_form(g(), s(), 0 if xo in ONE_OPERAND_XO else s(), xo, r.randrange(2), r.randrange(2))
    if k < 22:
        return x_form(31, g(), s(), s(), r.choice([11, 75]), r.randrange(2))    # mulhwu mulhw
    if k < 34:
        # logical ops write rA from rS: the destination is field rA
        xo = r.choice(X_LOGICAL)
        return x_form(31, s(), g(), 0 if xo in (26, 954, 922) else s(), xo, r.randrange(2))
    if k < 37:
        return x_form(31, s(), g(), r.randrange(32), 824, r.randrange(2))       # srawi
    if k < 44:
        op = r.choice([14, 15, 12, 13, 8, 7, 24, 25, 26, 27, 28, 29])
        if op in (24, 25, 26, 27, 28, 29):
            return d_form(op, s(), g(), r.getrandbits(16))
        return d_form(op, g(), s(), r.getrandbits(16))
    if k < 50:
        op = r.choice([20, 21, 23])
        return (op << 26) | (s() << 21) | (g() << 16) | (r.randrange(32) << 11) | \
            (r.randrange(32) << 6) | (r.randrange(32) << 1) | r.randrange(2)
    if k < 54:
        op = r.choice([0, 32])
        return x_form(31, r.randrange(8) << 2, s(), s(), op)                   # cmp cmpl
    if k < 56:
        return d_form(r.choice([10, 11]), r.randrange(8) << 2, s(), r.getrandbits(16))
    if k < 59:
        return x_form(19, r.randrange(32), r.randrange(32), r.randrange(32), r.choice(CR_OPS))
    if k < 60:
        return x_form(19, r.randrange(8) << 2, r.randrange(8) << 2, 0, 0)      # mcrf
    if k < 61:
        return (31 << 26) | (s() << 21) | (r.getrandbits(8) << 12) | (144 << 1)  # mtcrf
    if k < 62:
        return x_form(31, g(), 0, 0, 19)                                          # mfcr
    if k < 63:
        return x_form(31, r.randrange(8) << 2, 0, 0, 512)                         # mcrxr
    if k < 64:
        return x_form(31, s(), 1, 0, 467)                                         # mtxer
    if k < 69:
        return d_form(r.choice(LOADS_D), g(), BASE_REG, r.randrange(-0x800, 0x7f8))
    if k < 73:
        return d_form(r.choice(STORES_D), s(), BASE_REG, r.randrange(-0x800, 0x7f8))
    if k < 76:
        return x_form(31, g(), BASE_REG, 0, r.choice(LOADS_X))  # index r0: see below
    if k < 78:
        return x_form(31, s(), BASE_REG, 0, r.choice(STORES_X))
    if k < 90:
        op, xo = r.choice(FP_A)
        fra, frb, frc = f(), f(), f()
        if xo in (18, 20, 21):
            frc = 0
        elif xo == 25:
            frb = 0
        elif xo == 26:
            fra = frc = 0
        return a_form(op, f(), fra, frb, frc, xo, r.randrange(2))
    if k < 94:
        return x_form(63, f(), 0, f(), r.choice(FP_X), r.randrange(2))
    if k < 96:
        return x_form(63, r.randrange(8) << 2, f(), f(), r.choice([0, 32]))    # fcmpu fcmpo
    if k < 97:
        return x_form(63, f(), 0, 0, 583, r.randrange(2))                       # mffs
    if k < 98:
        return (63 << 26) | (7 << 23) | (r.randrange(4) << 12) | (134 << 1)     # mtfsfi 7,RN
    if k < 99:
        return d_form(r.choice([48, 50]), f(), BASE_REG, r.randrange(-0x800, 0x7f0) & ~3)
    return d_form(r.choice([52, 54]), f(), BASE_REG, r.randrange(-0x800, 0x7f0) & ~3)


SPECIAL_DOUBLES = [0.0, -0.0, 1.0, -1.0, 0.5, 3.0, 1e308, -1e308, 5e-324, 2.2250738585072014e-308,
                   float("inf"), float("-inf"), 2147483647.5, -2147483648.7, 1e-40, 3.4028235e38]


def random_double(r):
    k = r.randrange(10)
    if k < 3:
        return struct.pack(">d", r.choice(SPECIAL_DOUBLES))
    if k == 3:
        return struct.pack(">Q", r.choice([0x7FF8000000000001, 0x7FF0000000000001, 0xFFF4000000000000]))
    if k < 6:
        return struct.pack(">d", r.uniform(-1e6, 1e6))
    if k < 8:
        return struct.pack(">f", r.uniform(-100, 100)) and struct.pack(">d", struct.unpack(">f", struct.pack(">f", r.uniform(-100, 100)))[0])
    return struct.pack(">Q", r.getrandbits(64))


def program_source(r, length):
    lines = ['#include "runtime.inc"', "        .text", "        .globl test_main", "test_main:",
             "        mflr 27",
             # scratch memory from the data image
             "        lis 3, scratch_init@h", "        ori 3, 3, scratch_init@l",
             f"        li 4, {SCRATCH}", "        li 5, 1024", "        mtctr 5",
             "1:      lwz 5, 0(3)", "        stw 5, 0(4)", "        addi 3, 3, 4", "        addi 4, 4, 4",
             "        bdnz 1b",
             "        lis 3, fpr_init@h", "        ori 3, 3, fpr_init@l"]
    lines += [f"        lfd {n}, {8 * n}(3)" for n in range(32)]
    # random GPRs; r0 is an index register for the X-form accesses: keep it small
    for n in WRITABLE:
        v = r.getrandbits(32) if n else r.randrange(-0x800, 0x7f8)
        lines += [f"        lis {n}, {(v >> 16) & 0xFFFF:#x}", f"        ori {n}, {n}, {v & 0xFFFF:#x}"]
    lines += [f"        li {BASE_REG}, {SCRATCH + 0x800}",
              f"        lis 3, {r.getrandbits(16):#x}", "        mtcrf 0xff, 3",
              f"        lis 3, {r.getrandbits(3) << 13:#x}", "        mtxer 3",
              f"        mtfsfi 7, {r.randrange(4)}",
              f"        li 0, {r.randrange(-0x800, 0x7f8)}"]
    # the stream; X-form accesses index with r0, which the stream may change:
    # re-bound it before each one
    for _ in range(length):
        insn = random_instruction(r)
        if (insn >> 26) == 31 and ((insn >> 1) & 0x3FF) in LOADS_X + STORES_X:
            lines.append(f"        li 0, {r.randrange(-0x800, 0x7f8)}")
        lines.append(f"        .long {insn:#010x}")
    lines += ["        mtlr 27", "        blr", "        .data", "        .balign 8", "fpr_init:"]
    lines += [f"        .quad {struct.unpack('>Q', random_double(r))[0]:#018x}" for _ in range(32)]
    lines += ["scratch_init:"]
    lines += [f"        .long {r.getrandbits(32):#010x}" for _ in range(1024)]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("runner")
    ap.add_argument("workdir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--programs", type=int, default=10)
    ap.add_argument("--length", type=int, default=300)
    ap.add_argument("--gcc", default="powerpc-linux-gnu-gcc")
    args = ap.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    failed = 0
    for n in range(args.programs):
        seed = args.seed * 100003 + n
        r = random.Random(seed)
        src = os.path.join(args.workdir, f"random_{seed}.S")
        elf = src[:-2] + ".elf"
        with open(src, "w") as out:
            out.write(program_source(r, args.length))
        subprocess.run([args.gcc, "-nostdlib", "-static", "-Wl,--build-id=none", "-Wl,-n",
                        "-Wl,--no-warn-rwx-segments", "-T", os.path.join(HERE, "link.ld"), "-I", HERE,
                        "-o", elf, src], check=True)
        ref = ppc_compare.run_qemu(elf)
        got = ppc_compare.run_tessera(args.runner, elf)
        diffs = [a for a in sorted(ref) if got.get(a) != ref[a]]
        if diffs:
            failed += 1
            print(f"seed {seed}: {len(diffs)} words differ (program {src}):")
            for a in diffs[:20]:
                print(f"  {a:#06x} {ppc_compare.label(a):28} qemu {ref[a]:#010x}  tessera {got.get(a, 0):#010x}")
        else:
            print(f"seed {seed}: {args.length} random instructions, final state matches")
    total = args.programs * args.length
    print(f"{args.programs - failed} of {args.programs} programs ({total} instructions) match qemu-system-ppc -cpu 750")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
