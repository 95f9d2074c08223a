#!/usr/bin/env python3
"""Benchmark (ctest label `bench`, issue 13 "PowerPC"): the mac99 board, Tessera
vs qemu-system-ppc -M mac99 -cpu 750 (TCG), measured in the same run. Both boot
Debian's OpenBIOS, the linux-ppc32 kernel and the initramfs-ppc32 BusyBox with
"tessera.shell"; then the same BusyBox commands run in both guests, one
emulator after the other, --rounds times, keeping the best. Prints one JSON object.

Times: boot_s, wall seconds from start to the /init marker, and boot_cpu_s,
the host CPU time the emulator used until then (both guests boot at once, so
load falls on both alike); per program cpu_s, the emulator's host CPU time
(all its threads, /proc/PID/task/*/schedstat) around the command, which a
shared host inflates less than wall time. Every command prints a result that
must be the same under both emulators, or the benchmark fails.

Ratio: qemu_over_tessera = QEMU's time / Tessera's (above 1: Tessera is faster).
usage: mac99_benchmark.py <tessera-cli> [--rounds N] [--scale N]"""
import argparse
import math
import os
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "system"))
from emulators import mac99_argv  # noqa: E402
from guest_console import GuestConsole, fixtures  # noqa: E402
from bench_guest import cpu_seconds, report  # noqa: E402

APPEND = "console=ttyPZ0 tessera.shell"

# The data, made once per guest before timing: N numbers in a scrambled order,
# and their text eight times over (~1 MiB) for the hashes.
SETUP = ("cd /tmp && seq %(lines)d | awk '{ print ($1 * 7919) %% 100003 }' > nums.txt && "
         "for i in 1 2 3 4 5 6 7 8; do cat nums.txt; done > data.bin")
# name -> command; each prints the result both emulators must agree on.
PROGRAMS = {
    "int_sha256": "sha256sum data.bin",  # integer: rotates, adds, table lookups
    "int_md5": "md5sum data.bin",
    "mem_sort": "sort -n nums.txt | md5sum",  # memory: comparisons over a moving working set
    # floating point: awk's numbers are doubles (its BusyBox has no libm functions)
    "fp_awk": "awk 'BEGIN { x = 0; for (i = 1; i <= %(fp)d; i++) x += 1.0001 / (i + 0.5) * (i %% 3 - 0.75); "
              "printf \"%%.6f\\n\", x }'",
    "shell_loop": "i=0; s=0; while [ $i -lt %(loop)d ]; do s=$((s + i * i %% 7)); i=$((i + 1)); done; echo $s",
}


def boot(emulator, fx):
    return GuestConsole(mac99_argv(emulator, "512M", fx["PPC_LINUX_VMLINUX"], fx["PPC_INITRAMFS"], APPEND,
                                   timeout=3000))


def wait_ready(guest):
    guest.expect(r"TESSERA-GUEST-READY Linux \S+ ppc\r?\n", 1200)
    result = {"boot_s": round(guest.elapsed(), 2), "boot_cpu_s": round(cpu_seconds(guest.proc.pid), 2)}
    guest.expect(r"# ", 60)  # the shell's prompt: type nothing before it
    run(guest, "echo shell-ok", "shell")
    return result


def run(guest, command, name):
    """Runs one command in the guest's shell: (host CPU seconds, its output)."""
    before = cpu_seconds(guest.proc.pid)
    guest.send("%s; echo BENCH-DONE-%s-$?\n" % (command, name), char_delay=0.005)
    done = guest.expect(r"\n(?:(.*?)\r?\n)?BENCH-DONE-%s-(\d+)" % name, 1800)
    cpu = cpu_seconds(guest.proc.pid) - before
    if done.group(2) != b"0":
        sys.exit("%s failed in the guest:\n%s" % (command, guest.text()[-3000:]))
    return round(cpu, 3), (done.group(1) or b"").decode().strip()


def geomean(values):
    return round(math.exp(sum(math.log(v) for v in values) / len(values)), 3)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cli")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    sizes = {"lines": 20000 * args.scale, "fp": 100000 * args.scale, "loop": 20000 * args.scale}
    fx = fixtures("linux-ppc32", "initramfs-ppc32")
    emulators = {"tessera": args.cli, "qemu": "qemu"}
    guests = {name: boot(emulator, fx) for name, emulator in emulators.items()}
    results = {name: {} for name in emulators}
    try:
        # Both at once, so each boot time is taken when its own marker appears.
        with ThreadPoolExecutor(len(guests)) as pool:
            waits = {name: pool.submit(wait_ready, guest) for name, guest in guests.items()}
            boots = {name: wait.result() for name, wait in waits.items()}
        for name, guest in guests.items():
            run(guest, SETUP % sizes, "setup")
        for _ in range(args.rounds):
            for program, command in PROGRAMS.items():
                for name, guest in guests.items():
                    cpu, output = run(guest, command % sizes, program)
                    if program not in results[name] or cpu < results[name][program][0]:
                        results[name][program] = (cpu, output)
        for guest in guests.values():
            guest.send("poweroff -f\n")
            guest.wait(120)
    finally:
        for guest in guests.values():
            guest.kill()

    table, mismatches = {}, []
    for program in PROGRAMS:
        tessera, qemu = results["tessera"][program], results["qemu"][program]
        if tessera[1] != qemu[1]:
            mismatches.append("%s: tessera %r, qemu %r" % (program, tessera[1], qemu[1]))
        table[program] = {"tessera_cpu_s": tessera[0], "qemu_cpu_s": qemu[0],
                          "qemu_over_tessera": round(qemu[0] / tessera[0], 4) if tessera[0] else None}
    boot_row = {"tessera_s": boots["tessera"]["boot_s"], "qemu_s": boots["qemu"]["boot_s"],
                "tessera_cpu_s": boots["tessera"]["boot_cpu_s"], "qemu_cpu_s": boots["qemu"]["boot_cpu_s"]}
    boot_row["qemu_over_tessera_cpu"] = round(boot_row["qemu_cpu_s"] / boot_row["tessera_cpu_s"], 4)
    report({
        "benchmark": "mac99",
        "scale": args.scale,
        "rounds": args.rounds,
        "sizes": sizes,
        "boot_to_init_marker": boot_row,
        "programs": table,
        "summary": {"geomean_qemu_over_tessera": geomean([r["qemu_over_tessera"] for r in table.values()
                                                          if r["qemu_over_tessera"]])},
    })
    if mismatches:
        sys.exit("the guests' results differ between Tessera and QEMU:\n" + "\n".join(mismatches))


main()
