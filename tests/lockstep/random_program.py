#!/usr/bin/env python3
"""Random RV64GC bare-metal programs for the three-way check (random_check.py):
the same program runs in lockstep inside Tessera (reference interpreter against
each engine under test) and on qemu-system-riscv64 -M virt -bios none, and both
must print the same final state.

    random_program.py SEED [--chunks N] > prog.S

A program is seeded and reproducible: the same seed gives the same bytes. It
starts in M-mode at 0x8000_0000, fills every register from a pool of
interesting values (FP: zeros, infinities, quiet and signalling NaNs,
subnormals, conversion edges, singles not NaN-boxed), runs random chunks, then
dumps x1..x31, f0..f31, fcsr, a checksum of the memory the program writes, and
a log of every trap it took (cause, tval, epc folded into a hash, plus a
count) over the UART, one hex value per line, and powers off through
sifive_test.

Chunks cover every RV64GC instruction (I, M, A with LR/SC and every AMO, F and
D in every static and dynamic rounding mode, C, Zicsr, fences), exceptions
(illegal, ecall, ebreak, access faults, misaligned LR), Sv39 and Sv48 page
faults from S- and U-mode, timer/software/supervisor-software interrupts, and
self-modifying code made visible with FENCE.I.

Kept out, because QEMU 7.2 and the specification (or Tessera) legitimately
differ there, so a difference would say nothing about either engine:
  - time, cycle, instret and mtime values (host time in QEMU; counters count
    differently), and misa/mstatus/mip values (WARL bits: QEMU 7.2 has more
    extensions and status bits);
  - page-table entries with A=0 or D=0 (hardware update or fault are both
    allowed, privileged spec 4.3.1);
  - misaligned or faulting AMOs and SCs (QEMU reports AMO faults with the load
    cause and never traps an SC without a reservation; see
    tests/baremetal/hostile_compare.py), an SC to another address than its LR
    (the reservation set is implementation-defined), and anything between an
    LR and its SC that may lose the reservation;
  - device-register accesses other than the CLINT, the UART's THR and the
    test finisher, and addresses that QEMU's virt board maps but Tessera's
    lockstep board does not (flash, PCIe, fw_cfg): access faults use 0 and
    0x9000_0000, unmapped in both;
  - interrupts made pending while enabled: they are taken at an
    engine-dependent point (QEMU: the end of a translation block). Every
    interrupt here is made pending while disabled and then enabled by a CSR
    write, after which QEMU, the interpreter and the JIT all take it at once;
  - misaligned loads and stores that cross into an unmapped page (which piece
    faults first is implementation-defined); within RAM they complete in both.
"""
import argparse
import random
import sys

RAM = 0x80000000
DATA = RAM + 0x40000          # 4 KiB of random data; s0 points at its middle
DATA_MID = DATA + 0x800
SAVE = RAM + 0x42000          # trap handler save area, trap hash and count
DUMP = RAM + 0x43000          # final state, then printed
ROOT = RAM + 0x50000          # Sv39 root, L1 and L0 tables
L1 = RAM + 0x51000
L0 = RAM + 0x52000
ROOT_U = RAM + 0x53000        # Sv39 root for U-mode: the program's gigapage has U set
ROOT48 = RAM + 0x54000        # Sv48 roots: entry 0 points at the Sv39 roots as level-2 tables
ROOT48_U = RAM + 0x55000
TEST_PAGES = RAM + 0x60000    # 8 pages mapped at TEST_VA with per-program permissions
TEST_VA = 0x40000000
TEST_SPAN = 256               # S-mode accesses stay in the first 256 bytes of a page (checksummed)
CLINT_MSIP = 0x2000000
CLINT_MTIMECMP = 0x2004000
UART = 0x10000000
FINISHER = 0x100000
UNMAPPED = [0x0, 0x90000000]

S0, S1 = 8, 9  # s0: data pointer (M-mode); s1: where a fetch fault or an ecall from S resumes
WRITABLE = [r for r in range(32) if r not in (S0, S1)]  # x0 included: writes to it vanish

PTE_V, PTE_R, PTE_W, PTE_X, PTE_U, PTE_A, PTE_D = 1, 2, 4, 8, 16, 64, 128
TEST_PAGE_KINDS = [
    PTE_V | PTE_R | PTE_W | PTE_A | PTE_D,           # read/write
    PTE_V | PTE_R | PTE_A,                           # read-only: stores fault
    PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D,   # user page: S faults unless SUM
    0,                                               # invalid
    PTE_V | PTE_X | PTE_A,                           # execute-only: loads fault unless MXR
    PTE_V | PTE_W | PTE_A | PTE_D,                   # W without R: reserved, always faults
    PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D,   # everything
]

INT_POOL = [0, 1, 2, 3, -1, -2, 0x7fffffffffffffff, -0x8000000000000000, 0x7fffffff, -0x80000000,
            0xffffffff, 0x80000000, 0xffff, 0x8000, 0x7f, 0x80, 63, 64, 31, 32, 0x5555555555555555,
            -0x5555555555555556, 0x123456789abcdef0]
# Doubles: zeros, one, ties, infinities, quiet/signalling NaNs (with payloads),
# subnormals, extremes, conversion edges (2^31, 2^32, 2^63, 2^64).
DOUBLE_POOL = [0x0, 0x8000000000000000, 0x3ff0000000000000, 0xbff8000000000000, 0x4004000000000000,
               0x3fe0000000000000, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000,
               0x7ff8000000000123, 0xfff8000000000000, 0x7ff0000000000001, 0x7ff4000000000000,
               0x0000000000000001, 0x000fffffffffffff, 0x0010000000000000, 0x7fefffffffffffff,
               0x41e0000000000000, 0xc1e0000000000000, 0x41f0000000000000, 0x43e0000000000000,
               0xc3e0000000000000, 0x43f0000000000000, 0x3ff0000000000001, 0x4330000000000001,
               0x3ca0000000000000, 0x7fe0000000000000]
# Singles, NaN-boxed (0xffffffff in the upper half), plus a few that are not
# boxed (read as the canonical NaN by single-precision operations).
SINGLE_POOL = [0x00000000, 0x80000000, 0x3f800000, 0xbfc00000, 0x40200000, 0x3f000000, 0x7f800000,
               0xff800000, 0x7fc00000, 0x7fc00123, 0xffc00000, 0x7f800001, 0x7fa00000, 0x00000001,
               0x007fffff, 0x00800000, 0x7f7fffff, 0x4f000000, 0xcf000000, 0x4f800000, 0x5f000000,
               0xdf000000, 0x5f800000, 0x3f800001, 0x4b000001, 0x33800000]
FP_POOL = DOUBLE_POOL + [0xffffffff00000000 | v for v in SINGLE_POOL] + [0x00000000_3f800000, 0x7fff0000_7fc00000]

ROUNDING = ["rne", "rtz", "rdn", "rup", "rmm", "dyn"]


def reg(r):
    return "x%d" % r


class Generator:
    def __init__(self, seed, chunks, dump_memory=False):
        self.dump_memory = dump_memory
        self.rng = random.Random(seed)
        self.seed = seed
        self.chunks = chunks
        self.lines = []
        self.label_count = 0
        self.page_flags = [self.rng.choice(TEST_PAGE_KINDS) for _ in range(8)]
        self.page_flags[0] = TEST_PAGE_KINDS[0]  # at least one page S-mode can write

    # ---- helpers ----
    def emit(self, *lines):
        self.lines.extend(lines)

    def label(self):
        self.label_count += 1
        return ".L%d" % self.label_count

    def rd(self, avoid=()):
        return self.rng.choice([r for r in WRITABLE if r not in avoid])

    def rs(self):
        return self.rng.randrange(32)

    def temp(self, avoid=()):
        """A scratch register that is not x0 (it must hold a value)."""
        return self.rng.choice([r for r in WRITABLE if r != 0 and r not in avoid])

    def int_value(self):
        if self.rng.random() < 0.6:
            return self.rng.choice(INT_POOL)
        return self.rng.getrandbits(64) - (1 << 63)

    def rm(self):
        return self.rng.choice(ROUNDING)

    # ---- chunks: each is a self-contained piece of straight or branching code ----
    def chunk_int(self):
        for _ in range(self.rng.randint(3, 10)):
            kind = self.rng.random()
            if kind < 0.45:
                op = self.rng.choice(["add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and",
                                      "addw", "subw", "sllw", "srlw", "sraw"])
                self.emit("  %s %s, %s, %s" % (op, reg(self.rd()), reg(self.rs()), reg(self.rs())))
            elif kind < 0.8:
                op = self.rng.choice(["addi", "slti", "sltiu", "xori", "ori", "andi", "addiw"])
                self.emit("  %s %s, %s, %d" % (op, reg(self.rd()), reg(self.rs()), self.rng.randint(-2048, 2047)))
            elif kind < 0.9:
                op, top = self.rng.choice([("slli", 63), ("srli", 63), ("srai", 63), ("slliw", 31),
                                           ("srliw", 31), ("sraiw", 31)])
                self.emit("  %s %s, %s, %d" % (op, reg(self.rd()), reg(self.rs()), self.rng.randint(0, top)))
            else:
                op = self.rng.choice(["lui", "auipc"])
                self.emit("  %s %s, 0x%x" % (op, reg(self.rd()), self.rng.getrandbits(20)))

    def chunk_muldiv(self):
        for _ in range(self.rng.randint(2, 6)):
            a, b = self.temp(), self.temp()
            if self.rng.random() < 0.3:  # the edge cases: division by zero, overflow
                self.emit("  li %s, %d" % (reg(b), self.rng.choice([0, -1])))
                self.emit("  li %s, %d" % (reg(a), self.rng.choice([-0x8000000000000000, -0x80000000, 5])))
            op = self.rng.choice(["mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu", "mulw",
                                  "divw", "divuw", "remw", "remuw"])
            self.emit("  %s %s, %s, %s" % (op, reg(self.rd()), reg(a), reg(b)))

    def chunk_memory(self):
        for _ in range(self.rng.randint(2, 8)):
            op, size = self.rng.choice([("lb", 1), ("lh", 2), ("lw", 4), ("ld", 8), ("lbu", 1), ("lhu", 2),
                                        ("lwu", 4), ("sb", 1), ("sh", 2), ("sw", 4), ("sd", 8)])
            offset = self.rng.randrange(-2048, 2048 - 8)
            if self.rng.random() < 0.8:
                offset -= offset % size
            # else misaligned: completes in both (within RAM)
            if op.startswith("s"):
                self.emit("  %s %s, %d(s0)" % (op, reg(self.rs()), offset))
            else:
                self.emit("  %s %s, %d(s0)" % (op, reg(self.rd()), offset))

    def chunk_fp_memory(self):
        for _ in range(self.rng.randint(1, 4)):
            op, size = self.rng.choice([("flw", 4), ("fld", 8), ("fsw", 4), ("fsd", 8)])
            offset = self.rng.randrange(-2048, 2040, size)
            self.emit("  %s f%d, %d(s0)" % (op, self.rng.randrange(32), offset))

    def chunk_fp(self):
        f = lambda: "f%d" % self.rng.randrange(32)
        for _ in range(self.rng.randint(3, 10)):
            t = self.rng.choice("sd")
            kind = self.rng.randrange(10)
            if kind == 0:
                op = self.rng.choice(["fadd", "fsub", "fmul", "fdiv"])
                self.emit("  %s.%s %s, %s, %s, %s" % (op, t, f(), f(), f(), self.rm()))
            elif kind == 1:
                self.emit("  fsqrt.%s %s, %s, %s" % (t, f(), f(), self.rm()))
            elif kind == 2:
                op = self.rng.choice(["fmin", "fmax", "fsgnj", "fsgnjn", "fsgnjx"])
                self.emit("  %s.%s %s, %s, %s" % (op, t, f(), f(), f()))
            elif kind == 3:
                op = self.rng.choice(["fmadd", "fmsub", "fnmsub", "fnmadd"])
                self.emit("  %s.%s %s, %s, %s, %s, %s" % (op, t, f(), f(), f(), f(), self.rm()))
            elif kind == 4:
                op = self.rng.choice(["feq", "flt", "fle"])
                self.emit("  %s.%s %s, %s, %s" % (op, t, reg(self.rd()), f(), f()))
            elif kind == 5:
                self.emit("  fclass.%s %s, %s" % (t, reg(self.rd()), f()))
            elif kind == 6:
                i = self.rng.choice(["w", "wu", "l", "lu"])
                self.emit("  fcvt.%s.%s %s, %s, %s" % (i, t, reg(self.rd()), f(), self.rm()))
            elif kind == 7:
                i = self.rng.choice(["w", "wu", "l", "lu"])
                exact = t == "d" and i in ("w", "wu")  # no rounding possible: no rm operand
                self.emit("  fcvt.%s.%s %s, %s%s" % (t, i, f(), reg(self.rs()), "" if exact else ", " + self.rm()))
            elif kind == 8:
                if self.rng.random() < 0.5:
                    self.emit("  fcvt.s.d %s, %s, %s" % (f(), f(), self.rm()))
                else:
                    self.emit("  fcvt.d.s %s, %s" % (f(), f()))
            else:
                op = self.rng.choice(["fmv.x.w", "fmv.x.d", "fmv.w.x", "fmv.d.x"])
                if op.startswith("fmv.x"):
                    self.emit("  %s %s, %s" % (op, reg(self.rd()), f()))
                else:
                    self.emit("  %s %s, %s" % (op, f(), reg(self.rs())))

    def chunk_fcsr(self):
        choice = self.rng.randrange(7)
        if choice == 0:
            self.emit("  fsrmi %s, %d" % (reg(self.rd()), self.rng.randrange(5)))
        elif choice == 1:
            self.emit("  fsflagsi %s, %d" % (reg(self.rd()), self.rng.randrange(32)))
        elif choice == 2:
            self.emit("  frcsr %s" % reg(self.rd()))
            self.emit("  frflags %s" % reg(self.rd()))
            self.emit("  frrm %s" % reg(self.rd()))
        elif choice == 3:
            t = self.temp()
            self.emit("  li %s, %d" % (reg(t), self.rng.randrange(256)))
            self.emit("  fscsr %s, %s" % (reg(self.rd()), reg(t)))
            self.emit("  fsrmi %d" % self.rng.randrange(5))  # back to a valid mode
        elif choice == 4:
            # A reserved dynamic rounding mode makes every dyn-rm operation illegal.
            self.emit("  fsrmi %d" % self.rng.choice([5, 6, 7]))
            self.emit("  fadd.d f%d, f%d, f%d, dyn" % (self.rng.randrange(32), self.rng.randrange(32),
                                                      self.rng.randrange(32)))
            self.emit("  fcvt.w.s %s, f%d" % (reg(self.rd()), self.rng.randrange(32)))  # dyn too
            self.emit("  fsrmi %d" % self.rng.randrange(5))
        elif choice == 5:
            # Static rounding modes 5 and 6 are reserved: illegal instruction.
            rm = self.rng.choice([5, 6])
            word = 0x53 | (self.rng.randrange(32) << 7) | (rm << 12) | (self.rng.randrange(32) << 15) | \
                (self.rng.randrange(32) << 20) | (self.rng.choice([0x00, 0x01]) << 25)
            self.emit("  .word 0x%08x  # fadd with rm=%d" % (word, rm))
        else:
            op = self.rng.choice(["csrrw", "csrrs", "csrrc"])
            csr = self.rng.choice(["fflags", "frm", "fcsr", "sscratch"])
            self.emit("  %s %s, %s, %s" % (op, reg(self.rd()), csr, reg(self.rs())))
            self.emit("  fsrmi %d" % self.rng.randrange(5))

    def chunk_csr(self):
        # Written: fully writable CSRs only. Read only: the trap CSRs, whose
        # written values are WARL/WLRL (QEMU 7.2 keeps bit 0 of xepc, which
        # the spec makes zero). Not mtval at all: after an ebreak it is zero
        # or the pc (QEMU: zero, Tessera: the pc), see trap_handler.
        if self.rng.random() < 0.3:
            csr = self.rng.choice(["mcause", "mepc", "sepc", "scause"])
            self.emit("  csrr %s, %s" % (reg(self.rd()), csr))
            return
        csr = self.rng.choice(["sscratch", "fflags", "frm", "fcsr", "stval"])
        op = self.rng.choice(["csrrw", "csrrs", "csrrc", "csrrwi", "csrrsi", "csrrci"])
        if op.endswith("i"):
            self.emit("  %s %s, %s, %d" % (op, reg(self.rd()), csr, self.rng.randrange(32)))
        else:
            self.emit("  %s %s, %s, %s" % (op, reg(self.rd()), csr, reg(self.rs())))
        if csr in ("frm", "fcsr"):
            self.emit("  fsrmi %d" % self.rng.randrange(5))

    def chunk_atomic(self):
        addr = self.temp()
        width, size = self.rng.choice([("w", 4), ("d", 8)])
        offset = self.rng.randrange(-2048, 2040, 8)
        self.emit("  addi %s, s0, %d" % (reg(addr), offset))
        order = self.rng.choice(["", ".aq", ".rl", ".aqrl"])
        if self.rng.random() < 0.5:
            op = self.rng.choice(["amoswap", "amoadd", "amoxor", "amoand", "amoor", "amomin", "amomax",
                                  "amominu", "amomaxu"])
            self.emit("  %s.%s%s %s, %s, (%s)" % (op, width, order, reg(self.rd()), reg(self.rs()), reg(addr)))
            return
        # LR, a little arithmetic that cannot lose the reservation, SC to the same address.
        value = self.temp(avoid=(addr,))
        self.emit("  lr.%s%s %s, (%s)" % (width, order, reg(value), reg(addr)))
        self.emit("  addi %s, %s, %d" % (reg(value), reg(value), self.rng.randint(-100, 100)))
        status = self.rd(avoid=(addr, value))
        self.emit("  sc.%s%s %s, %s, (%s)" % (width, self.rng.choice(["", ".rl", ".aqrl"]), reg(status),
                                            reg(value), reg(addr)))
        if self.rng.random() < 0.5:  # the reservation is gone: this SC fails and stores nothing
            self.emit("  sc.%s %s, %s, (%s)" % (width, reg(self.rd(avoid=(addr,))), reg(self.rs()), reg(addr)))

    def chunk_branch(self):
        done = self.label()
        op = self.rng.choice(["beq", "bne", "blt", "bge", "bltu", "bgeu"])
        self.emit("  %s %s, %s, %s" % (op, reg(self.rs()), reg(self.rs()), done))
        self.chunk_int()
        self.emit("%s:" % done)

    def chunk_loop(self):
        counter = self.temp()
        top = self.label()
        self.emit("  li %s, %d" % (reg(counter), self.rng.randint(1, 5)))
        self.emit("%s:" % top)
        for _ in range(self.rng.randint(2, 6)):
            op = self.rng.choice(["add", "xor", "mul", "srl", "addw", "sub"])
            self.emit("  %s %s, %s, %s" % (op, reg(self.rd(avoid=(counter,))), reg(self.rs()), reg(self.rs())))
        self.emit("  addi %s, %s, -1" % (reg(counter), reg(counter)))
        self.emit("  bnez %s, %s" % (reg(counter), top))

    def chunk_jump(self):
        target = self.label()
        kind = self.rng.randrange(4)
        if kind == 0:
            self.emit("  jal %s, %s" % (reg(self.rd()), target))
            self.emit("  addi %s, %s, 1" % (reg(self.rd()), reg(self.rs())))  # skipped
        else:
            base = self.temp()
            self.emit("  la %s, %s" % (reg(base), target))
            # jalr clears bit 0 of the target: an odd offset still lands on the label.
            offset = self.rng.choice([0, 1]) if kind == 1 else 0
            link = self.rd()
            if kind == 3:
                self.emit("  c.jalr %s" % reg(base))  # links in ra
            else:
                self.emit("  jalr %s, %d(%s)" % (reg(link), offset, reg(base)))
            self.emit("  addi %s, %s, 1" % (reg(self.rd()), reg(self.rs())))  # skipped
        self.emit("%s:" % target)

    def chunk_compressed(self):
        creg = lambda avoid=(): self.rng.choice([r for r in range(10, 16) if r not in avoid])  # x10..x15
        for _ in range(self.rng.randint(2, 8)):
            k = self.rng.randrange(20)
            r = self.rng.choice([x for x in WRITABLE if x not in (0, 2)])
            if k == 0:
                self.emit("  c.addi %s, %d" % (reg(r), self.rng.choice([i for i in range(-32, 32) if i])))
            elif k == 1:
                self.emit("  c.addiw %s, %d" % (reg(r), self.rng.randint(-32, 31)))
            elif k == 2:
                self.emit("  c.li %s, %d" % (reg(r), self.rng.randint(-32, 31)))
            elif k == 3:
                self.emit("  c.lui %s, 0x%x" % (reg(r), self.rng.choice(list(range(1, 32)) + [0xfffe0, 0xfffff])))
            elif k == 4:
                self.emit("  c.slli %s, %d" % (reg(r), self.rng.randint(1, 63)))
            elif k == 5:
                op = self.rng.choice(["c.srli", "c.srai"])
                self.emit("  %s %s, %d" % (op, reg(creg()), self.rng.randint(1, 63)))
            elif k == 6:
                self.emit("  c.andi %s, %d" % (reg(creg()), self.rng.randint(-32, 31)))
            elif k == 7:
                self.emit("  c.mv %s, %s" % (reg(r), reg(self.rng.randrange(1, 32))))
            elif k == 8:
                self.emit("  c.add %s, %s" % (reg(r), reg(self.rng.randrange(1, 32))))
            elif k == 9:
                op = self.rng.choice(["c.sub", "c.xor", "c.or", "c.and", "c.subw", "c.addw"])
                self.emit("  %s %s, %s" % (op, reg(creg()), reg(self.rng.randrange(8, 16))))
            elif k == 10:
                op, scale, top = self.rng.choice([("c.lw", 4, 124), ("c.ld", 8, 248)])
                self.emit("  %s %s, %d(s0)" % (op, reg(creg()), self.rng.randrange(0, top + 1, scale)))
            elif k == 11:
                op, scale, top = self.rng.choice([("c.sw", 4, 124), ("c.sd", 8, 248)])
                self.emit("  %s %s, %d(s0)" % (op, reg(self.rng.randrange(8, 16)), self.rng.randrange(0, top + 1, scale)))
            elif k == 12:
                op = self.rng.choice(["c.fld", "c.fsd"])
                self.emit("  %s f%d, %d(s0)" % (op, self.rng.randrange(8, 16), self.rng.randrange(0, 249, 8)))
            elif k == 13:
                # The sp-relative forms, with sp pointed into the data area.
                self.emit("  mv sp, s0")
                op = self.rng.choice(["c.lwsp", "c.ldsp", "c.swsp", "c.sdsp", "c.fldsp", "c.fsdsp"])
                scale = 4 if "w" in op[2:4] else 8
                offset = self.rng.randrange(0, 256, scale)
                if op in ("c.lwsp", "c.ldsp"):
                    self.emit("  %s %s, %d(sp)" % (op, reg(r), offset))
                elif op in ("c.swsp", "c.sdsp"):
                    self.emit("  %s %s, %d(sp)" % (op, reg(self.rs()), offset))
                else:
                    self.emit("  %s f%d, %d(sp)" % (op, self.rng.randrange(32), offset))
            elif k == 14:
                self.emit("  c.addi4spn %s, sp, %d" % (reg(creg()), self.rng.randrange(4, 1021, 4)))
            elif k == 15:
                self.emit("  c.addi16sp sp, %d" % self.rng.choice([i for i in range(-512, 497, 16) if i]))
            elif k == 16:
                self.emit("  c.nop")
            elif k == 17:
                done = self.label()
                self.emit("  %s %s, %s" % (self.rng.choice(["c.beqz", "c.bnez"]), reg(self.rng.randrange(8, 16)), done))
                self.emit("  c.addi %s, 1" % reg(r))
                self.emit("%s:" % done)
            elif k == 18:
                done = self.label()
                self.emit("  c.j %s" % done)
                self.emit("  c.addi %s, 1" % reg(r))
                self.emit("%s:" % done)
            else:
                done = self.label()
                base = self.temp()
                self.emit("  la %s, %s" % (reg(base), done))
                self.emit("  c.jr %s" % reg(base))
                self.emit("  c.addi %s, 1" % reg(r))
                self.emit("%s:" % done)

    def chunk_fence(self):
        self.emit("  " + self.rng.choice(["fence", "fence rw, rw", "fence iorw, iorw", "fence r, w", "fence.tso",
                                          "fence.i", "sfence.vma", "sfence.vma %s, x0" % reg(self.rs()),
                                          ".word 0x0100000f  # pause"]))

    def chunk_exception(self):
        k = self.rng.randrange(8)
        if k == 0:
            self.emit("  ecall")
        elif k == 1:
            self.emit("  .option push", "  .option norvc", "  ebreak  # not c.ebreak", "  .option pop")
        elif k == 2:
            self.emit("  c.ebreak")
        elif k == 3:
            self.emit("  " + self.rng.choice([".half 0x0000  # c.unimp: illegal", ".word 0x0000000b  # custom-0",
                                              ".word 0xffffffff", "csrw cycle, x1  # read-only CSR",
                                              "csrr x5, 0x5c0  # no such CSR", "unimp"]))
        elif k in (4, 5):
            base = self.temp()
            address = self.rng.choice(UNMAPPED) + self.rng.randrange(0, 64, 8)
            self.emit("  li %s, 0x%x" % (reg(base), address))
            op = self.rng.choice(["ld", "lw", "lbu", "sd", "sw", "sb", "fld", "fsw"])
            if op.startswith("f"):
                self.emit("  %s f%d, 0(%s)" % (op, self.rng.randrange(32), reg(base)))
            elif op.startswith("s"):
                self.emit("  %s %s, 0(%s)" % (op, reg(self.rs()), reg(base)))
            else:
                self.emit("  %s %s, 0(%s)" % (op, reg(self.rd(avoid=(base,))), reg(base)))
        elif k == 6:
            # Instruction access fault: resumes at s1.
            back = self.label()
            base = self.temp()
            self.emit("  la s1, %s" % back)
            self.emit("  li %s, 0x%x" % (reg(base), self.rng.choice(UNMAPPED) + 0x100))
            self.emit("  jalr %s, 0(%s)" % (reg(self.rd()), reg(base)))
            self.emit("%s:" % back)
        else:
            # A misaligned LR: load address misaligned (cause 4) in every implementation.
            base = self.temp()
            self.emit("  addi %s, s0, %d" % (reg(base), self.rng.choice([1, 2, 3, 4, 6])))
            self.emit("  lr.d %s, (%s)" % (reg(self.rd()), reg(base)))

    def chunk_interrupt(self):
        """A source made pending while interrupts are off, then enabled by a CSR
        write: taken right after that write by QEMU and every Tessera engine."""
        kind = self.rng.randrange(3)
        t = self.temp()
        if kind == 0:
            self.emit("  li %s, 0x%x" % (reg(t), CLINT_MTIMECMP), "  sd x0, 0(%s)" % reg(t))  # mtime >= 0: MTIP
            bit = 1 << 7
        elif kind == 1:
            v = self.temp(avoid=(t,))
            self.emit("  li %s, 0x%x" % (reg(t), CLINT_MSIP), "  li %s, 1" % reg(v), "  sw %s, 0(%s)" % (reg(v), reg(t)))
            bit = 1 << 3
        else:
            self.emit("  csrsi mip, 2")  # SSIP, software-writable
            bit = 1 << 1
        self.emit("  li %s, %d" % (reg(t), bit), "  csrs mie, %s" % reg(t))
        if self.rng.random() < 0.5:
            self.emit("  wfi  # pending and enabled in mie: falls through")
        self.emit("  csrsi mstatus, 8  # MIE: the interrupt is taken here")
        self.emit("  csrci mstatus, 8", "  csrc mie, %s" % reg(t))

    def chunk_smc(self):
        """Rewrites an instruction that has already run, then FENCE.I: the
        second pass of the loop must run the new instruction."""
        target, addr, value, counter = self.rng.sample([r for r in WRITABLE if r != 0], 4)
        top, slot = self.label(), self.label()
        opcodes = {"addi": 0, "xori": 4, "ori": 6, "andi": 7}
        first, second = self.rng.choice(list(opcodes)), self.rng.choice(list(opcodes))
        imm = self.rng.randint(-2048, 2047)
        word = 0x13 | (target << 7) | (opcodes[second] << 12) | (target << 15) | ((imm & 0xfff) << 20)
        self.emit("  li %s, 2" % reg(counter), "%s:" % top, "  .option push", "  .option norvc",
                  "%s: %s %s, %s, %d" % (slot, first, reg(target), reg(target), self.rng.randint(-2048, 2047)),
                  "  .option pop", "  la %s, %s" % (reg(addr), slot), "  li %s, 0x%x" % (reg(value), word),
                  "  sw %s, 0(%s)" % (reg(value), reg(addr)), "  fence.i",
                  "  addi %s, %s, -1" % (reg(counter), reg(counter)), "  bnez %s, %s" % (reg(counter), top))

    def chunk_supervisor(self):
        self.paged_chunk(user=False)

    def chunk_user(self):
        self.paged_chunk(user=True)

    def paged_chunk(self, user):
        """Sv39 or Sv48 in S- or U-mode: loads, stores and a fetch on the test
        pages, some of which fault, an AMO on the data area, and instructions the mode may not
        run; an ecall (or a fetch fault) returns to M-mode at s1. The program
        is mapped at its own address (U-mode: through a root whose gigapage
        has U set), so the M-mode handler reads a faulting instruction at
        mepc directly."""
        t = self.temp()
        back, entry = self.label(), self.label()
        sv48 = self.rng.random() < 0.4
        root = {(False, False): ROOT, (True, False): ROOT_U, (False, True): ROOT48, (True, True): ROOT48_U}[
            (user, sv48)]
        self.emit("  la s1, %s" % back)
        self.emit("  li %s, 0x%x" % (reg(t), ((9 if sv48 else 8) << 60) | (root >> 12)), "  csrw satp, %s" % reg(t),
                  "  sfence.vma")
        self.emit("  li %s, 0x1800" % reg(t), "  csrc mstatus, %s" % reg(t))  # MPP = U
        if not user:
            self.emit("  li %s, 0x800" % reg(t), "  csrs mstatus, %s" % reg(t))  # MPP = S
        for bit in (18, 19):  # SUM, MXR
            self.emit("  li %s, 0x%x" % (reg(t), 1 << bit),
                      "  %s mstatus, %s" % (self.rng.choice(["csrs", "csrc"]), reg(t)))
        if self.rng.random() < 0.5:
            self.emit("  la %s, %s" % (reg(t), entry), "  csrw mepc, %s" % reg(t), "  mret", "%s:" % entry)
        else:  # sret is legal in M-mode too: to sstatus.SPP at sepc
            self.emit("  li %s, 0x100" % reg(t), "  %s sstatus, %s" % ("csrc" if user else "csrs", reg(t)),
                      "  la %s, %s" % (reg(t), entry), "  csrw sepc, %s" % reg(t), "  sret", "%s:" % entry)
        for _ in range(self.rng.randint(2, 8)):
            k = self.rng.randrange(6)
            if k <= 2:
                base = self.temp()
                # Pages 0..7 have per-program permissions, page 8 is not mapped,
                # page 512 is the misaligned megapage.
                page = self.rng.choice(list(range(9)) + [512])
                offset = self.rng.randrange(0, TEST_SPAN - 8, 8)
                self.emit("  li %s, 0x%x" % (reg(base), TEST_VA + page * 0x1000 + offset))
                op = self.rng.choice(["ld", "lw", "lbu", "sd", "sw", "sb", "amoadd.d", "fld", "fsd"])
                if op == "amoadd.d":
                    # Translated, but on the data area, which this mode may always
                    # write: a faulting AMO is reported with the load cause by QEMU.
                    self.emit("  addi %s, s0, %d" % (reg(base), self.rng.randrange(-2048, 2040, 8)))
                    self.emit("  amoadd.d %s, %s, (%s)" % (reg(self.rd(avoid=(base,))), reg(self.rs()), reg(base)))
                elif op.startswith("f"):
                    self.emit("  %s f%d, 0(%s)" % (op, self.rng.randrange(32), reg(base)))
                elif op.startswith("s"):
                    self.emit("  %s %s, 0(%s)" % (op, reg(self.rs()), reg(base)))
                else:
                    self.emit("  %s %s, 0(%s)" % (op, reg(self.rd(avoid=(base,))), reg(base)))
            elif k == 3:
                self.chunk_int()
            elif k == 4:
                self.chunk_fp()
            else:
                # Illegal below M (mscratch, mret), and below S (sscratch, sfence.vma) in U.
                self.emit("  " + self.rng.choice(["csrr %s, mscratch" % reg(self.rd()),
                                                  "csrrw %s, sscratch, %s" % (reg(self.rd()), reg(self.rs())),
                                                  "sfence.vma", "mret"]))
        if self.rng.random() < 0.3:
            # Fetch page fault: jump to a test page this mode may not execute
            # (invalid, not X; for S a user page; for U every test page is
            # one without U or X), or to the unmapped page 8.
            base = self.temp()
            pages = [i for i, flags in enumerate(self.page_flags) if user or not flags & PTE_X or flags & PTE_U]
            self.emit("  li %s, 0x%x" % (reg(base), TEST_VA + self.rng.choice(pages + [8]) * 0x1000 + 0x200),
                      "  jalr x0, 0(%s)" % reg(base))
        self.emit("  ecall")
        self.emit("%s:" % back, "  csrw satp, x0", "  sfence.vma")

    CHUNKS = [("chunk_int", 12), ("chunk_muldiv", 5), ("chunk_memory", 8), ("chunk_fp_memory", 3),
              ("chunk_fp", 12), ("chunk_fcsr", 3), ("chunk_csr", 3), ("chunk_atomic", 5), ("chunk_branch", 4),
              ("chunk_loop", 3), ("chunk_jump", 3), ("chunk_compressed", 6), ("chunk_fence", 2),
              ("chunk_exception", 5), ("chunk_interrupt", 3), ("chunk_smc", 2), ("chunk_supervisor", 3),
              ("chunk_user", 2)]

    # ---- the fixed parts ----
    def prologue(self):
        self.emit("  .section .text.init, \"ax\"", "  .option rvc", "  .option nopic",
                  # No linker relaxation: it would shrink the code and move the data placed at
                  # fixed addresses with .org (page tables, the data area) off those addresses.
                  "  .option norelax", "  .globl _start", "_start:",
                  "  la t0, trap_handler", "  csrw mtvec, t0", "  li t0, 0x%x" % SAVE, "  csrw mscratch, t0",
                  "  li t0, 0x2000", "  csrs mstatus, t0  # FS: the FPU is on",
                  "  li s0, 0x%x" % DATA_MID, "  la t0, fp_pool")
        # One PMP entry granting everything, as every firmware sets: with no
        # entry, S-mode accesses fail (privileged spec 3.7.1, as Tessera does)
        # but QEMU 7.2 lets them through.
        self.emit("  li t1, -1", "  csrw pmpaddr0, t1", "  li t1, 0x1f", "  csrw pmpcfg0, t1")
        for f in range(32):
            self.emit("  fld f%d, %d(t0)" % (f, 8 * self.rng.randrange(len(FP_POOL))))
        self.emit("  fsrmi %d" % self.rng.randrange(5))
        for r in range(1, 32):
            if r not in (S0, S1):
                self.emit("  li %s, %d" % (reg(r), self.int_value()))
        self.emit("  la s1, dump")

    def body(self):
        names = [name for name, _ in self.CHUNKS]
        weights = [w for _, w in self.CHUNKS]
        for _ in range(self.chunks):
            getattr(self, self.rng.choices(names, weights)[0])()
        self.emit("  j dump")

    def trap_handler(self):
        # Saves t2..t5 in SAVE (t6 swapped with mscratch), folds mcause, mtval
        # and mepc into the trap hash, counts, then: fetch faults and ecalls
        # from S/U resume at s1 in M-mode; other exceptions skip the
        # instruction; interrupts silence their source.
        self.emit(
            "  .align 2", "trap_handler:", "  csrrw t6, mscratch, t6", "  sd t5, 0(t6)", "  sd t4, 8(t6)",
            "  sd t3, 16(t6)", "  sd t2, 24(t6)", "  ld t4, 32(t6)", "  slli t3, t4, 7", "  srli t4, t4, 57", "  or t4, t4, t3",
            # mtval of a breakpoint is zero or the pc (privileged spec 3.1.16;
            # QEMU: zero, Tessera: the pc): not hashed.
            "  csrr t5, mcause", "  xor t4, t4, t5", "  csrr t3, mtval", "  li t2, 3", "  bne t5, t2, 1f",
            "  li t3, 0", "1: slli t3, t3, 1", "  xor t4, t4, t3",
            "  csrr t3, mepc", "  slli t3, t3, 3", "  xor t4, t4, t3", "  sd t4, 32(t6)", "  ld t4, 40(t6)",
            "  addi t4, t4, 1", "  sd t4, 40(t6)", "  bltz t5, 3f",
            "  li t4, 1", "  beq t5, t4, 1f", "  li t4, 8", "  beq t5, t4, 1f", "  li t4, 9", "  beq t5, t4, 1f",
            "  li t4, 12", "  beq t5, t4, 1f",
            "  csrr t3, mepc", "  lhu t4, 0(t3)", "  andi t4, t4, 3", "  li t5, 3", "  addi t3, t3, 2",
            "  bne t4, t5, 2f", "  addi t3, t3, 2", "2: csrw mepc, t3", "  j 9f",
            # Back to M-mode with interrupts off (MPP = M, MPIE = 0).
            "1: csrw mepc, s1", "  li t4, 0x1800", "  csrs mstatus, t4", "  li t4, 0x80", "  csrc mstatus, t4", "  j 9f",
            "3: andi t5, t5, 0xff", "  li t4, 7", "  bne t5, t4, 4f", "  li t3, 0x%x" % CLINT_MTIMECMP,
            "  li t4, -1", "  sd t4, 0(t3)", "  j 9f",
            "4: li t4, 3", "  bne t5, t4, 5f", "  li t3, 0x%x" % CLINT_MSIP, "  sw x0, 0(t3)", "  j 9f",
            "5: csrci mip, 2",
            "9: ld t2, 24(t6)", "  ld t3, 16(t6)", "  ld t4, 8(t6)", "  ld t5, 0(t6)", "  csrrw t6, mscratch, t6", "  mret")

    def dump(self):
        self.emit("dump:", "  csrw sscratch, x1", "  li x1, 0x%x" % DUMP)
        for r in range(2, 32):
            self.emit("  sd x%d, %d(x1)" % (r, 8 * r))
        self.emit("  csrr x2, sscratch", "  sd x2, 8(x1)")
        for f in range(32):
            self.emit("  fsd f%d, %d(x1)" % (f, 256 + 8 * f))
        self.emit("  frcsr x2", "  sd x2, 512(x1)")
        # Checksum (FNV-1a over 64-bit words) of the data area and the start of each test page.
        self.emit("  li x3, 0", "  li x4, 0x100000001b3")
        ranges = [(DATA, DATA + 0x1000)] + [(TEST_PAGES + i * 0x1000, TEST_PAGES + i * 0x1000 + TEST_SPAN)
                                            for i in range(8)]
        for start, end in ranges:
            self.emit("  li x5, 0x%x" % start, "  li x6, 0x%x" % end, "1: ld x7, 0(x5)", "  xor x3, x3, x7",
                      "  mul x3, x3, x4", "  addi x5, x5, 8", "  bltu x5, x6, 1b")
        self.emit("  sd x3, 520(x1)", "  li x5, 0x%x" % SAVE, "  ld x6, 32(x5)", "  sd x6, 528(x1)",
                  "  ld x6, 40(x5)", "  sd x6, 536(x1)")
        # Print the 68 values (x0 slot 0 holds nothing: x1..x31, f0..f31, fcsr, checksum, trap hash, traps).
        self.emit("  li x20, 0x%x" % UART)
        self.print_words(DUMP + 8, DUMP + 544)
        if self.dump_memory:  # every checksummed word, to find which one differs
            for start, end in ranges:
                self.print_words(start, end)
        self.emit("  li x5, 0x%x" % FINISHER, "  li x6, 0x5555", "  sw x6, 0(x5)", "4: j 4b")

    def print_words(self, start, end):
        """Prints the 64-bit words in [start, end) in hex, one a line (x20: the UART)."""
        self.emit("  li x21, 0x%x" % start, "  li x22, 0x%x" % end, "1: ld x10, 0(x21)", "  li x11, 16",
                  "2: srli x12, x10, 60", "  addi x13, x12, -10", "  bltz x13, 3f", "  addi x12, x12, 39",
                  "3: addi x12, x12, 48", "  sb x12, 0(x20)", "  slli x10, x10, 4", "  addi x11, x11, -1",
                  "  bnez x11, 2b", "  li x12, 10", "  sb x12, 0(x20)", "  addi x21, x21, 8", "  bltu x21, x22, 1b")

    def data(self):
        self.emit("  .org 0x%x" % (DATA - RAM), "  .balign 8", "fp_pool:")
        for v in FP_POOL:
            self.emit("  .quad 0x%x" % v)
        for _ in range((0x1000 - 8 * len(FP_POOL)) // 8):
            self.emit("  .quad 0x%x" % (self.int_value() & (2**64 - 1)))
        self.emit("  .org 0x%x" % (SAVE - RAM), "  .fill 64, 1, 0")
        # Sv39: VA 0x8000_0000 (gigapage) = the program itself, for S-mode; VA
        # 0x4000_0000 + 4 KiB * i = the test pages; VA 0x4020_0000 = a
        # megapage whose physical address is misaligned (page fault).
        self.emit("  .org 0x%x" % (ROOT - RAM))
        root = [0] * 512
        root[1] = ((L1 >> 12) << 10) | PTE_V
        root[2] = ((RAM >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D
        l1 = [0] * 512
        l1[0] = ((L0 >> 12) << 10) | PTE_V
        l1[1] = (((TEST_PAGES + 0x1000) >> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
        l0 = [0] * 512
        for i, flags in enumerate(self.page_flags):
            l0[i] = (((TEST_PAGES + i * 0x1000) >> 12) << 10) | flags if flags else 0
        root_u = list(root)
        root_u[2] |= PTE_U
        root48, root48_u = [0] * 512, [0] * 512
        root48[0] = ((ROOT >> 12) << 10) | PTE_V
        root48_u[0] = ((ROOT_U >> 12) << 10) | PTE_V
        for table in (root, l1, l0, root_u, root48, root48_u):
            for entry in table:
                self.emit("  .quad 0x%x" % entry)
        self.emit("  .org 0x%x" % (TEST_PAGES - RAM))
        for _ in range(8):
            for _ in range(TEST_SPAN // 8):
                self.emit("  .quad 0x%x" % (self.int_value() & (2**64 - 1)))
            self.emit("  .balign 4096")

    def program(self):
        self.emit("# Random RV64GC program, seed %d (tests/lockstep/random_program.py)" % self.seed)
        self.prologue()
        self.body()
        self.trap_handler()
        self.dump()
        self.data()
        return "\n".join(self.lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("seed", type=int)
    parser.add_argument("--chunks", type=int, default=150)
    parser.add_argument("--dump-memory", action="store_true",
                        help="also print every word the checksum covers (data area, then each test page's start)")
    args = parser.parse_args()
    sys.stdout.write(Generator(args.seed, args.chunks, args.dump_memory).program())


if __name__ == "__main__":
    main()
