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
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "system"))
from guest_console import GuestConsole, fixtures  # noqa: E402
from linux_shell import PROMPT  # noqa: E402

LOOP = "i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done; echo LOOP-$((i))-DONE\n"
APPEND = "console=ttyS0 earlycon=sbi"


def measure(argv, name):
    guest = GuestConsole(argv)
    try:
        guest.expect(r"TESSERA-GUEST-READY", 600)
        guest.expect(PROMPT, 60)
        boot = guest.elapsed()
        start = time.monotonic()
        guest.send(LOOP)
        guest.expect(r"LOOP-30000-DONE", 600)
        loop = time.monotonic() - start
        guest.expect(PROMPT, 60)
        guest.send("poweroff\n")
        guest.wait(120)
        stats = re.search(r"tessera-stats: (\{.*\})", guest.text())
        result = {"boot_to_shell_s": round(boot, 3), "loop_s": round(loop, 3)}
        if stats:
            result.update(json.loads(stats.group(1)))
        return result
    finally:
        guest.kill()


def main():
    cli = sys.argv[1]
    fx = fixtures("firmware", "linux", "initramfs")
    common = ["-m", "512M", "--bios", fx["OPENSBI_FW_DYNAMIC"], "--kernel", fx["LINUX_IMAGE"],
              "--initrd", fx["INITRAMFS"], "--append", APPEND]
    tessera = measure([cli, "run", *common, "--stats", "--timeout", "900"], "tessera")
    qemu = measure(["qemu-system-riscv64", "-machine", "virt", "-m", "512M", "-nographic", "-bios",
                    fx["OPENSBI_FW_DYNAMIC"], "-kernel", fx["LINUX_IMAGE"], "-initrd", fx["INITRAMFS"],
                    "-append", APPEND], "qemu")
    report = {
        "benchmark": "linux_boot",
        "tessera": tessera,
        "qemu_tcg": qemu,
        "boot_ratio_tessera_over_qemu": round(tessera["boot_to_shell_s"] / qemu["boot_to_shell_s"], 2),
        "loop_ratio_tessera_over_qemu": round(tessera["loop_s"] / qemu["loop_s"], 2),
        "qemu_mips_estimated": round(tessera.get("mips", 0) * tessera["loop_s"] / qemu["loop_s"], 1),
        "target": "boot to shell within 5x QEMU",
    }
    print("\nBENCHMARK-JSON " + json.dumps(report), flush=True)


main()
