#!/usr/bin/env python3
"""Benchmark (ctest label `bench`): a CPU-bound bare-metal program
(tests/baremetal/bench_loop.c: sieve, recursion, hashing; self-checking)
under Tessera's JIT, Tessera's interpreter and qemu-system-riscv64 (TCG)
`-bios none`, measured in the same run, best wall time of three each.
No guest OS: this isolates the CPU engines. Prints one JSON object.
usage: cpu_loop_benchmark.py <tessera-cli> <bench_loop.elf>"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_guest import report  # noqa: E402

RUNS = 3


def best_time(argv):
    best = None
    for _ in range(RUNS):
        start = time.monotonic()
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
        seconds = time.monotonic() - start
        if proc.returncode != 0 or "bench_loop done" not in proc.stdout:
            sys.exit(f"{argv[0]} failed (status {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        best = seconds if best is None else min(best, seconds)
    return round(best, 3)


def main():
    cli, elf = sys.argv[1], sys.argv[2]
    tessera = [cli, "run", "--bios", "none", "--kernel", elf, "--timeout", "300"]
    jit = best_time(tessera + ["--engine", "jit"])
    interp = best_time(tessera + ["--engine", "interp"])
    qemu = best_time(["qemu-system-riscv64", "-machine", "virt", "-m", "128M", "-bios", "none", "-kernel", elf,
                      "-nographic", "-monitor", "none"])
    report({
        "benchmark": "cpu_loop",
        "jit_s": jit,
        "interp_s": interp,
        "qemu_tcg_s": qemu,
        "speedup_jit_over_qemu": round(qemu / jit, 2),
        "speedup_interp_over_qemu": round(qemu / interp, 2),
        "speedup_jit_over_interp": round(interp / jit, 2),
    })


main()
