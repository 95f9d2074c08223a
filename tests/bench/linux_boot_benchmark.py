#!/usr/bin/env python3
"""Benchmark (ctest label `bench`): Linux boot-to-shell wall time and guest
throughput on Tessera vs qemu-system-riscv64 (TCG) with the same OpenSBI,
kernel and initramfs, measured in the same run. Prints one JSON object.

- boot_to_shell_s: process start until the initramfs prints its ready marker
  and the shell prompt appears.
- loop_s: wall time of a CPU-bound BusyBox shell loop typed at the prompt.
- tessera mips: instructions retired / time spent executing (tessera-cli --stats).
  QEMU's MIPS is estimated from the loop ratio (same guest code, same work).
"""
import sys
import time

from bench_guest import PROMPT, boot, poweroff, qemu_argv, report, tessera_argv, tessera_stats

LOOP = "i=0; while [ $i -lt 10000 ]; do i=$((i+1)); done; echo LOOP-$((i))-DONE\n"


def measure(argv):
    guest = boot(argv)
    try:
        boot_seconds = guest.elapsed()
        start = time.monotonic()
        guest.send(LOOP)
        guest.expect(r"LOOP-10000-DONE", 600)
        loop = time.monotonic() - start
        guest.expect(PROMPT, 60)
        poweroff(guest)
        result = {"boot_to_shell_s": round(boot_seconds, 3), "loop_s": round(loop, 3)}
        result.update(tessera_stats(guest))
        return result
    finally:
        guest.kill()


def main():
    cli = sys.argv[1]
    tessera = measure(tessera_argv(cli, "512M"))
    qemu = measure(qemu_argv("512M"))
    report({
        "benchmark": "linux_boot",
        "tessera": tessera,
        "qemu_tcg": qemu,
        "boot_ratio_tessera_over_qemu": round(tessera["boot_to_shell_s"] / qemu["boot_to_shell_s"], 2),
        "loop_ratio_tessera_over_qemu": round(tessera["loop_s"] / qemu["loop_s"], 2),
        "qemu_mips_estimated": round(tessera.get("mips", 0) * tessera["loop_s"] / qemu["loop_s"], 1),
        "target": "boot to shell within 5x QEMU",
    })


main()
