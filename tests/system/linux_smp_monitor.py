#!/usr/bin/env python3
"""System test: the monitor, pausing and the reset button with four harts
(issue 12, "pausing, reset, shut down and the monitor work with every hart").

`info cpus` lists all four harts, each with its pc and whether it runs or
sleeps in WFI. `stop` parks every hart: they all read "paused" and their pcs
stand still; `cont` lets them go on and the guest's shell answers. The reset
button (`system_reset`) restarts every hart and device: Linux boots again
with four CPUs. `quit` ends the run."""
import os
import re
import shutil
import sys
import tempfile
import time

from guest_console import run_test
from linux_guest import Monitor, boot, sh
from linux_shell import PROMPT

cli = sys.argv[1]
CPU = re.compile(r"CPU #(\d) pc=0x([0-9a-f]+) (running|halted|paused)")


def harts(monitor):
    answer = monitor.ask("info cpus")
    assert answer.startswith("OK "), answer
    found = CPU.findall(answer)
    assert [int(n) for n, _, _ in found] == [0, 1, 2, 3], answer
    return [(pc, state) for _, pc, state in found]


def body():
    work = tempfile.mkdtemp(prefix="tessera-smp-monitor-")
    try:
        monitor_path = os.path.join(work, "monitor.sock")
        guest = boot(cli, ["--smp", "4", "--monitor", monitor_path])
        try:
            monitor = Monitor(monitor_path)
            sh(guest, "nproc", r"\n4\r?\n")
            # An idle guest: its harts sleep in WFI most of the time.
            assert any(state == "halted" for _, state in harts(monitor))

            assert monitor.ask("stop") == "OK"
            time.sleep(0.5)
            paused = harts(monitor)
            assert all(state == "paused" for _, state in paused), paused
            time.sleep(0.5)
            assert harts(monitor) == paused  # no hart moves while paused
            assert monitor.ask("cont") == "OK"
            sh(guest, "echo back", r"\nback\r?\n")
            assert all(state != "paused" for _, state in harts(monitor))

            assert monitor.ask("system_reset") == "OK"
            guest.expect(r"TESSERA-GUEST-READY Linux", 240)
            guest.expect(PROMPT, 60)
            sh(guest, "nproc", r"\n4\r?\n")
            sh(guest, "cat /sys/devices/system/cpu/online", r"\n0-3\r?\n")
            assert monitor.ask("quit") == "OK"
            monitor.close()
            guest.wait(60)
        finally:
            guest.kill()
    finally:
        shutil.rmtree(work, ignore_errors=True)


run_test(body)
