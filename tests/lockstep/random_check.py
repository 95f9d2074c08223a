#!/usr/bin/env python3
"""The three-way random-program check (issue 17, proof of equality): for each
seed, random_program.py writes a program, riscv64-linux-gnu-gcc builds it, and

  (a) tessera-lockstep runs it on the reference interpreter and on every engine
      under test in lockstep (any divergence fails, with its report), then
  (b) qemu-system-riscv64 -M virt -bios none runs it,

and the final states both print (x1..x31, f0..f31, fcsr, a memory checksum, a
hash and a count of the traps taken) must be equal. A failure names the seed,
the differing values and the command that reruns that seed by hand.

    random_check.py --lockstep build/tests/lockstep/tessera-lockstep --seeds 1-24
    random_check.py --lockstep ... --count 500 [--first-seed N] [--jobs 2]
    TESSERA_RANDOM_PROGRAMS=5000 ctest --test-dir build -R random_lockstep_campaign

--count without --first-seed starts at a random seed (printed).
--require-coverage (the ctest) also fails unless the programs together used
every row of Tessera's decode table (core/cpu/riscv/decode_table.cpp,
compressed_table.cpp), so the generator cannot silently stop covering an
instruction; a handful of seeds need not.
"""
import argparse
import concurrent.futures
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
GCC = "riscv64-linux-gnu-gcc"
OBJDUMP = "riscv64-linux-gnu-objdump"
GCC_FLAGS = ["-nostdlib", "-nostartfiles", "-static", "-no-pie", "-march=rv64gc", "-mabi=lp64d",
             "-Wl,--build-id=none", "-Wl,--no-warn-rwx-segments", "-T", os.path.join(HERE, "random_program.ld")]
LABELS = (["x%d" % r for r in range(1, 32)] + ["f%d" % r for r in range(32)] +
          ["fcsr", "memory checksum", "trap hash", "trap count"])
QEMU_TIMEOUT = 60


def parse_seeds(text):
    seeds = []
    for part in text.split(","):
        first, _, last = part.partition("-")
        seeds += list(range(int(first), int(last or first) + 1))
    return seeds


def decode_table_names():
    """Every instruction name in Tessera's decode tables (combined compressed rows split)."""
    names = set()
    for table in ("decode_table.cpp", "compressed_table.cpp"):
        text = open(os.path.join(SOURCE, "core/cpu/riscv", table)).read()
        for match in re.finditer(r'^\s*\{"[01. ]+",.*"([a-z0-9./]+)"(?:, EndsBlock)?\},', text, re.M):
            names.update(match.group(1).split("/"))
    return names


def mnemonics(elf):
    out = subprocess.run([OBJDUMP, "-d", "-M", "no-aliases", elf], capture_output=True, text=True,
                         check=True).stdout
    found = set()
    for line in out.splitlines():
        fields = line.split("\t")
        if len(fields) >= 3 and re.match(r"\s*[0-9a-f]+:$", fields[0]):
            found.add(re.sub(r"\.(aqrl|aq|rl)$", "", fields[2].strip()))
    return found


def rerun_command(args, seed):
    return "%s %s --lockstep %s --seeds %d --chunks %d --keep" % (
        sys.executable, os.path.abspath(__file__), args.lockstep, seed, args.chunks)


def check_seed(args, work, seed):
    """Returns (seed, error or None, lockstep seconds, instructions, mnemonics)."""
    base = os.path.join(work, "random-%d" % seed)
    with open(base + ".S", "w") as source:
        subprocess.run([sys.executable, os.path.join(HERE, "random_program.py"), str(seed), "--chunks",
                        str(args.chunks)], stdout=source, check=True)
    built = subprocess.run([GCC] + GCC_FLAGS + [base + ".S", "-o", base + ".elf"], capture_output=True, text=True)
    if built.returncode != 0:
        return seed, "the program does not assemble:\n" + built.stderr, 0, 0, set()
    start = time.monotonic()
    lockstep = subprocess.run([args.lockstep, base + ".elf"], capture_output=True, text=True, timeout=600)
    seconds = time.monotonic() - start
    # One line per engine under test: the instructions each ran in lockstep.
    instructions = sum(int(n) for n in re.findall(r"^lockstep .*: (\d+) instructions", lockstep.stderr, re.M))
    if lockstep.returncode != 0:
        return seed, "tessera-lockstep failed (exit %d):\n%s" % (lockstep.returncode, lockstep.stderr), seconds, \
            instructions, set()
    try:
        qemu = subprocess.run([args.qemu, "-M", "virt", "-m", "128M", "-bios", "none", "-kernel", base + ".elf",
                               "-nographic", "-monitor", "none"], stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=QEMU_TIMEOUT)
    except subprocess.TimeoutExpired:
        return seed, "QEMU did not power off within %d s" % QEMU_TIMEOUT, seconds, instructions, set()
    ours = lockstep.stdout.split()
    theirs = qemu.stdout.decode(errors="replace").replace("\r", "").split()
    if len(ours) != len(LABELS) or len(theirs) != len(LABELS):
        return seed, "incomplete dump (Tessera %d values, QEMU %d of %d)" % (len(ours), len(theirs), len(LABELS)), \
            seconds, instructions, set()
    differences = ["  %-16s %s | %s" % (label, a, b) for label, a, b in zip(LABELS, ours, theirs) if a != b]
    if differences:
        return seed, "final state differs (Tessera | QEMU):\n" + "\n".join(differences), seconds, instructions, set()
    return seed, None, seconds, instructions, mnemonics(base + ".elf")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lockstep", required=True, help="the tessera-lockstep executable")
    parser.add_argument("--qemu", default="qemu-system-riscv64")
    parser.add_argument("--seeds", help="e.g. 1-24 or 3,7,9")
    parser.add_argument("--count", type=int, help="run this many consecutive seeds")
    parser.add_argument("--campaign", type=int, metavar="N",
                        help="like --count, but TESSERA_RANDOM_PROGRAMS overrides N (the campaign ctest)")
    parser.add_argument("--first-seed", type=int)
    parser.add_argument("--chunks", type=int, default=150, help="random chunks per program")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the programs (prints where)")
    parser.add_argument("--require-coverage", action="store_true",
                        help="fail unless every decode-table row was used by some program")
    args = parser.parse_args()
    for tool in (GCC, OBJDUMP, args.qemu):
        if not shutil.which(tool):
            print("SKIP   : %s is missing (scripts/debian-packages.txt lists it)" % tool)
            return 77
    if args.campaign:
        args.count = int(os.environ.get("TESSERA_RANDOM_PROGRAMS", args.campaign))
    if args.seeds:
        seeds = parse_seeds(args.seeds)
    elif args.count:
        first = args.first_seed if args.first_seed is not None else random.randrange(1 << 31)
        seeds = list(range(first, first + args.count))
    else:
        parser.error("give --seeds or --count")
    print("random programs: seeds %d..%d (%d programs, %d chunks each)" % (seeds[0], seeds[-1], len(seeds),
                                                                         args.chunks), flush=True)
    work = tempfile.mkdtemp(prefix="tessera-random-")
    failures, seconds, instructions, covered = [], 0.0, 0, set()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for seed, error, spent, retired, found in pool.map(lambda s: check_seed(args, work, s), seeds):
            seconds += spent
            instructions += retired
            covered |= found
            if error:
                failures.append(seed)
                print("seed %d FAILED: %s\n  rerun: %s" % (seed, error, rerun_command(args, seed)), flush=True)
    print("lockstep (all engines under test): %d instructions in %.1f s (%.0f instructions/s, %.1f programs/s)" % (
        instructions, seconds, instructions / seconds if seconds else 0, len(seeds) / seconds if seconds else 0))
    missing = sorted(decode_table_names() - covered) if args.require_coverage and not failures else []
    if missing:
        print("the programs never used these decode-table rows: " + " ".join(missing))
    if args.keep or failures:
        print("programs kept in " + work)
    else:
        shutil.rmtree(work)
    if failures or missing:
        print("FAILED: seeds " + " ".join(map(str, failures)) if failures else "FAILED: coverage")
        return 1
    print("all %d programs agree: every engine in lockstep with the interpreter, and with QEMU" % len(seeds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
