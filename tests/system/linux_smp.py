#!/usr/bin/env python3
"""System test: Linux on a 4-hart virt board (issue 12).

OpenSBI brings up all four harts (its lottery picks the boot hart; Linux
starts the others through SBI HSM, i.e. CLINT IPIs): the guest counts 4 CPUs
in nproc and /proc/cpuinfo. The multi-threaded stress program (smpstress:
AMO and LR/SC counters, a spinlock, a lock-free queue, concurrent page
faults, a self-modifying-code handoff between harts) gives exact results
three times in a row. A hart goes offline through sysfs (SBI HSM stop: it
sleeps in OpenSBI's WFI loop) and comes back (HSM start: an IPI wakes it),
and the stress program still passes with the harts it has then. A guest
reboot brings all four harts up again."""
import sys

from guest_console import run_test
from linux_guest import boot, poweroff, sh
from linux_shell import PROMPT

cli = sys.argv[1]


def body():
    guest = boot(cli, ["--smp", "4"])
    try:
        sh(guest, "nproc", r"\n4\r?\n")
        sh(guest, "grep -c '^hart' /proc/cpuinfo", r"\n4\r?\n")
        sh(guest, "cat /sys/devices/system/cpu/online", r"\n0-3\r?\n")
        sh(guest, "smpstress -r 3 | tail -1", r"SMPSTRESS PASS \(24 checks, 4 threads\)", timeout=400)

        sh(guest, "echo 0 > /sys/devices/system/cpu/cpu2/online; cat /sys/devices/system/cpu/online",
           r"\n0-1,3\r?\n")
        sh(guest, "nproc", r"\n3\r?\n")
        sh(guest, "smpstress | tail -1", r"SMPSTRESS PASS \(8 checks, 3 threads\)", timeout=200)
        sh(guest, "echo 1 > /sys/devices/system/cpu/cpu2/online; cat /sys/devices/system/cpu/online",
           r"\n0-3\r?\n")
        sh(guest, "smpstress | tail -1", r"SMPSTRESS PASS \(8 checks, 4 threads\)", timeout=200)
        # A guest reset restarts every hart (the others parked meanwhile):
        # all four come up again.
        guest.send("reboot\n")
        guest.expect(r"TESSERA-GUEST-READY Linux", 240)
        guest.expect(PROMPT, 60)
        sh(guest, "nproc", r"\n4\r?\n")
        poweroff(guest)
    finally:
        guest.kill()


run_test(body)
