#!/usr/bin/env python3
"""Benchmark (ctest label `bench`): Linux boot-to-shell wall time and guest
throughput on Tessera's two CPU engines (the JIT and the interpreter) vs
qemu-system-riscv64 (TCG) with the same OpenSBI, kernel and initramfs,
measured in the same run. Prints one JSON object.

- boot_to_shell_s: process start until the initramfs prints its ready marker
  and the shell prompt appears.
- loop_s: wall time of a CPU-bound BusyBox shell loop typed at the prompt.
- poweroff_s: from typing `poweroff` until the emulator has exited.
- total_s: process start until exit (boot, loop, poweroff).
- tessera mips: instructions retired / time spent executing (tessera-cli --stats).
  QEMU's MIPS is estimated from the loop ratio (same guest code, same work).
Ratios are time/time: below 1 means faster than QEMU.
"""
import sys
import time

from bench_guest import PROMPT, boot, qemu_argv, report, tessera_argv, tessera_stats

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
        start = time.monotonic()
        guest.send("poweroff\n")
        guest.wait(120)
        off = time.monotonic() - start
        result = {"boot_to_shell_s": round(boot_seconds, 3), "loop_s": round(loop, 3),
                  "poweroff_s": round(off, 3), "total_s": round(guest.elapsed(), 3)}
        result.update(tessera_stats(guest))
        return result
    finally:
        guest.kill()


def ratio(a, b, key):
    return round(a[key] / b[key], 2)


def main():
    cli = sys.argv[1]
    jit = measure(tessera_argv(cli, "512M", ("--engine", "jit")))
    interp = measure(tessera_argv(cli, "512M", ("--engine", "interp")))
    qemu = measure(qemu_argv("512M"))
    report({
        "benchmark": "linux_boot",
        "tessera_jit": jit,
        "tessera_interp": interp,
        "qemu_tcg": qemu,
        "boot_ratio_jit_over_qemu": ratio(jit, qemu, "boot_to_shell_s"),
        "boot_ratio_interp_over_qemu": ratio(interp, qemu, "boot_to_shell_s"),
        "total_ratio_jit_over_qemu": ratio(jit, qemu, "total_s"),
        "total_ratio_interp_over_qemu": ratio(interp, qemu, "total_s"),
        "loop_ratio_jit_over_qemu": ratio(jit, qemu, "loop_s"),
        "loop_ratio_interp_over_qemu": ratio(interp, qemu, "loop_s"),
        "loop_speedup_jit_over_interp": ratio(interp, jit, "loop_s"),
        "qemu_mips_estimated": round(interp.get("mips", 0) * interp["loop_s"] / qemu["loop_s"], 1),
        "target": "boot to shell faster than QEMU (issue 17)",
    })


main()
