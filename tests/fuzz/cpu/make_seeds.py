#!/usr/bin/env python3
"""Writes the seed inputs in tests/fuzz/cpu/seeds: small hostile guests, one
per kind of access the CPU fuzzer is there for (misaligned and wild accesses
at 0 and at the top of the address space, under each privilege and
translation mode, atomics on devices, LR/SC around a device write, fetches
from nowhere, TLB flushes), encoded as guest_scenario.h reads them, so that
the fuzzer starts from programs that reach those paths.
usage: make_seeds.py [directory]"""
import os
import struct
import sys

# Indices into kInterestingValues (guest_scenario.cpp).
ZERO, ONE, TWO, THREE, FOUR, SEVEN, EIGHT, PAGE_END_8, PAGE_END_4, PAGE_END_2, PAGE_END_1, PAGE_1 = range(12)
TOP, TOP_1, TOP_3, TOP_7, TOP_PAGE = range(12, 17)
RAM, PROGRAM, SCRATCH, TABLES, RAM_END_8, RAM_END_1, RAM_END, BELOW_RAM_8, BELOW_RAM_1 = range(17, 26)
MROM, MROM_END_2, UART, UART_LSR, CLINT, CLINT_MTIMECMP, CLINT_MTIME, PLIC, PLIC_CLAIM, TEST, RTC = range(26, 37)
SV39_EDGE, SV39_EDGE_8, SV39_LOW_NEGATIVE, SV48_EDGE, SV48_EDGE_8, SV48_LOW_NEGATIVE = range(37, 43)
BEYOND_PHYSICAL, HOLE, SCRATCH_PAGE_END_2, PROGRAM_END_2 = range(43, 47)

# Instruction templates (enum Template).
RAW32, RAW16, LOAD, STORE, LOAD_FP, STORE_FP, ATOMIC, C_MEMORY, ADDI, LUI, AUIPC, ADD, JAL, JALR, BRANCH, CSR, SYSTEM = \
    range(17)
LB, LH, LW, LD, LBU, LHU, LWU = range(7)
SB, SH, SW, SD = range(4)
LR, SC, AMOSWAP, AMOADD, AMOXOR, AMOAND, AMOOR, AMOMIN, AMOMAX, AMOMINU, AMOMAXU = range(11)
ECALL, EBREAK, MRET, SRET, WFI, SFENCE_VMA, FENCE, FENCE_I = range(8)
M, S, U = 0, 1, 2
BARE, SV39, SV48 = range(3)
MPRV, SUM, MXR = 1, 2, 4
# PTE flags.
V, R, W, X, PTE_U, G, A, D = 1, 2, 4, 8, 16, 32, 64, 128
# Registers.
ZERO_REG, RA, SP, GP, TP, T0, T1, T2, S0, S1, A0, A1, A2, A3 = range(14)
S2, S3, S4 = 18, 19, 20


def value(pick, delta=0):
    return bytes([pick, delta & 0xff])


def raw(v):
    return bytes([255, 0]) + struct.pack("<Q", v)


def insn(template, rd=0, rs1=0, rs2=0, sub=0, imm=0):
    fields = rd | rs1 << 5 | rs2 << 10 | sub << 15 | (imm & 0xfff) << 20
    return bytes([template]) + struct.pack("<I", fields)


def atomic(op, rd, rs1, rs2=0, double=True):
    return insn(ATOMIC, rd, rs1, rs2, op, 1 if double else 0)


def guest(program, priv=M, paging=BARE, status=0, medeleg=0, mideleg=0, mie=0, pmp=(), mappings=(), pokes=(),
          dma=(), offset=0, regs=None):
    """pmp: (cfg, low ones, address value); mappings: (va value, pa value, flags, level);
    pokes: (table page, index, raw PTE); dma: (slice, address value, length, fill)."""
    out = bytes([len(program)]) + b"".join(program)
    out += bytes([priv, paging, status]) + struct.pack("<HHH", medeleg, mideleg, mie)
    out += bytes([len(pmp)]) + b"".join(bytes([cfg, ones]) + addr for cfg, ones, addr in pmp)
    out += bytes([len(mappings)]) + b"".join(va + pa + bytes([flags, level]) for va, pa, flags, level in mappings)
    out += bytes([len(pokes)]) + b"".join(bytes([page]) + struct.pack("<HQ", index, pte) for page, index, pte in pokes)
    out += bytes([len(dma)]) + b"".join(bytes([s]) + addr + bytes([length - 1, fill]) for s, addr, length, fill in dma)
    out += struct.pack("<H", offset)
    regs = regs or {}
    return out + b"".join(regs.get(r, value(ZERO)) for r in range(1, 32))


# Loads, stores and atomics of every width at the address in s1.
EVERY_ACCESS = [insn(LOAD, A0, S1, sub=w) for w in (LB, LH, LW, LD)] + \
               [insn(STORE, rs1=S1, rs2=A2, sub=w) for w in (SB, SH, SW, SD)] + \
               [atomic(LR, A0, S1), atomic(SC, A0, S1, A2), atomic(AMOADD, A0, S1, A2, double=False)]
HOSTILE_ADDRESSES = {"zero": ZERO, "one": ONE, "three": THREE, "top": TOP, "top-1": TOP_1, "top-7": TOP_7,
                     "page-end": PAGE_END_1, "mrom-end": MROM_END_2, "ram-end": RAM_END_1}

SEEDS = {
    # Issue 10 item 1: lh a0, 1(zero) in M-mode hit an empty TLB entry.
    "m-lh-1-zero": guest([insn(LOAD, A0, ZERO_REG, sub=LH, imm=1)]),
    # The same after the TLB slot held a real page and was flushed (sfence.vma).
    "m-flush-then-lh-1": guest([insn(LOAD, T0, S0, sub=LD), insn(STORE, rs1=S0, rs2=T0, sub=SD),
                                insn(SYSTEM, sub=SFENCE_VMA), insn(LOAD, A0, ZERO_REG, sub=LH, imm=1),
                                insn(STORE, rs1=ZERO_REG, rs2=T0, sub=SW, imm=1)],
                               regs={S0: value(RAM, 0)}),
    "s-sv39-flush-then-lh-1": guest([insn(LOAD, T0, S0, sub=LD), insn(SYSTEM, sub=SFENCE_VMA),
                                     insn(LOAD, A0, ZERO_REG, sub=LH, imm=1)], priv=S, paging=SV39,
                                    mappings=[(value(ZERO), value(SCRATCH), V | R | W | A | D, 0)],
                                    regs={S0: value(ZERO)}),
    # Atomics and misaligned accesses on device registers.
    "m-device-atomics": guest([atomic(AMOOR, A0, S1, ZERO_REG, double=False), atomic(LR, A0, S2),
                               atomic(SC, A1, S2, A2), insn(LOAD, A0, S3, sub=LW, imm=1),
                               insn(STORE, rs1=S3, rs2=ZERO_REG, sub=SH, imm=3)],
                              regs={S1: value(UART, 4), S2: value(CLINT_MTIME), S3: value(CLINT_MTIMECMP)}),
    # LR, a device writes the reserved granule (between run slices), SC must fail.
    "m-lr-dma-sc": guest([atomic(LR, A0, S1), insn(SYSTEM, sub=WFI), atomic(SC, A1, S1, A2)],
                         regs={S1: value(SCRATCH)}, dma=[(1, value(SCRATCH, 4), 4, 0xee)]),
    # Fetches from nowhere, a device and the top of the address space.
    "m-wild-fetches": guest([insn(JALR, RA, S1), insn(JALR, RA, S2), insn(JALR, RA, S3),
                             insn(JALR, RA, S4)],
                            regs={S1: value(ZERO), S2: value(UART), S3: value(TOP_1), S4: value(MROM_END_2)}),
    # M-mode with MPRV: data accesses translated as S under Sv39, U page with SUM.
    "m-mprv-sv39": guest([insn(LOAD, A0, S1, sub=LD, imm=1), insn(STORE, rs1=S1, rs2=A2, sub=SW, imm=2)],
                         priv=M, paging=SV39, status=MPRV | SUM | (1 << 6),
                         mappings=[(value(ZERO), value(HOLE), V | R | W | PTE_U | A | D, 0)],
                         regs={S1: value(ZERO)}),
    # PMP: a locked TOR region up to the end of RAM, readable and executable but
    # not writable (for M too), then a NAPOT region over a hole.
    "u-pmp": guest([insn(STORE, rs1=S1, rs2=A2, sub=SD, imm=-4), insn(LOAD, A0, S1, sub=LW, imm=-2)],
                   priv=U, pmp=[(0x8d, 0, value(RAM_END)), (0x1f, 10, value(HOLE))],
                   regs={S1: value(SCRATCH)}),
    # Superpages and garbage PTEs.
    "s-sv48-superpages-pokes": guest([insn(LOAD, A0, S1, sub=LD), insn(LOAD, A0, S2, sub=LD, imm=-1)],
                                     priv=S, paging=SV48,
                                     mappings=[(value(SV48_EDGE_8), value(RAM), V | R | X | A, 1),
                                               (value(TOP_PAGE), value(UART), V | R | W | A | D, 0)],
                                     pokes=[(0, 1, 0xffffffffffffffff), (1, 511, (0x80000 << 10) | 0x1)],
                                     regs={S1: value(SV48_EDGE_8), S2: value(TOP)}),
    # Delegated faults handled in S, a compressed load at the end of a page.
    "s-delegated-compressed": guest([insn(C_MEMORY, sub=2, imm=0), insn(LOAD, A0, S1, sub=LD, imm=6)],
                                    priv=S, paging=SV39, medeleg=0xb0ff, offset=0xffc,
                                    regs={S1: value(TOP_7), 8: value(PAGE_END_2)}),
}
for name, address in HOSTILE_ADDRESSES.items():
    for priv, paging, label in ((M, BARE, "m"), (S, SV39, "s-sv39"), (U, SV48, "u-sv48")):
        SEEDS[f"{label}-every-access-at-{name}"] = guest(EVERY_ACCESS, priv=priv, paging=paging,
                                                         regs={S1: value(address), A2: raw(0x1122334455667788)})


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds")
    os.makedirs(directory, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(directory, name), "wb") as f:
            f.write(data)
    print(f"wrote {len(SEEDS)} seeds to {directory}")


if __name__ == "__main__":
    main()
