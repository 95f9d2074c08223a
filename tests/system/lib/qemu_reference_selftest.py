#!/usr/bin/env python3
"""System test (label `system`): the guest fixtures boot under the reference
emulator, real qemu-system-riscv64, driven by guest_console.py.

It proves three things at once: the fixtures are sound (so a Tessera system
test that fails points at Tessera, not at the fixtures), the console helper
works against a real guest, and it prints the QEMU reference timings the
benchmarks compare against (as one JSON line; no timing is asserted).

Checks:
  1. GuestConsole itself: a wait that cannot be satisfied raises ConsoleTimeout
     quoting the output tail and kills the process group; run_status reports
     a command's exit status.
  2. OpenSBI fw_jump + U-Boot qemu-riscv64_smode reach the `=>` prompt and
     answer `version`.
  3. OpenSBI fw_jump + Linux + initramfs: the ready marker, `uname -m`,
     the ISA string in /proc/cpuinfo, rvcheck PASS, and `poweroff` ends QEMU
     with status 0.
  4. The same Linux through U-Boot (`booti` of kernel + initramfs in RAM).
"""
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fixtures import (GUEST_READY, fixture_paths, qemu_linux_argv, qemu_uboot_argv,  # noqa: E402
                      qemu_uboot_linux_argv, uboot_booti_command)
from guest_console import ConsoleTimeout, GuestConsole  # noqa: E402


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def process_alive(pid):
    """True if pid runs; a zombie (killed, not yet reaped by its new parent) is dead."""
    for _ in range(20):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return False
        if state in ("Z", "X"):
            return False
        time.sleep(0.1)
    return True


def console_helper_reports_timeouts_and_kills_the_group():
    # The child's own child (sleep) must die with the group.
    print("selftest: the timeout report below is expected", file=sys.stderr)
    con = GuestConsole(["sh", "-c", "echo first-line; sleep 300 & echo child=$!; wait"], name="selftest")
    child = int(con.wait_for(r"child=(\d+)", timeout=10).group(1))
    try:
        con.wait_for(r"never-printed", timeout=1)
        raise AssertionError("wait_for did not time out")
    except ConsoleTimeout as err:
        check("first-line" in str(err), "timeout message lacks the output tail")
    check(con.proc.poll() is not None, "process still running after timeout")
    check(not process_alive(child), f"grandchild {child} survived the process-group kill")


def uboot_prompt_answers_version(paths):
    with GuestConsole(qemu_uboot_argv(paths), name="qemu-uboot") as con:
        # Stop autoboot (distro boot would otherwise scan for devices).
        con.wait_for(r"Hit any key to stop autoboot", timeout=60)
        con.send("\n")
        con.wait_for(r"^=> ", timeout=30)
        con.send_line("version")
        con.wait_for(r"U-Boot 2023\.01", timeout=30)
        con.wait_for(r"^=> ", timeout=30)
        return time.monotonic() - con.started_at


def linux_boots_to_shell_and_powers_off(paths):
    with GuestConsole(qemu_linux_argv(paths), name="qemu-linux") as con:
        con.wait_for(GUEST_READY, timeout=120)
        ready = time.monotonic() - con.started_at
        con.wait_for_prompt(timeout=60)

        check(con.run("uname -m") == "riscv64", "uname -m is not riscv64")
        cpuinfo = con.run("cat /proc/cpuinfo")
        check("isa\t\t: rv64imafdc" in cpuinfo, f"no rv64imafdc ISA line in:\n{cpuinfo}")
        check(con.run("echo $((6 * 7))") == "42", "shell arithmetic")
        rc, _ = con.run_status("false")
        check(rc == 1, f"run_status(false) gave {rc}")

        rc, out = con.run_status("rvcheck", timeout=120)
        check(rc == 0 and "RVCHECK PASS" in out, f"rvcheck failed (status {rc}):\n{out}")
        check("/bin/evtest-lite" in con.run("ls /bin/evtest-lite"), "evtest-lite missing")

        con.send_line("poweroff")
        status = con.wait_exit(timeout=60)
        check(status == 0, f"QEMU exit status after poweroff is {status}")
        return ready, time.monotonic() - con.started_at


def linux_boots_through_uboot(paths):
    with GuestConsole(qemu_uboot_linux_argv(paths), name="qemu-uboot-linux") as con:
        con.wait_for(r"Hit any key to stop autoboot", timeout=60)
        con.send("\n")
        con.wait_for(r"^=> ", timeout=30)
        con.send_line(uboot_booti_command(paths))
        con.wait_for(r"Starting kernel", timeout=30)
        con.wait_for(GUEST_READY, timeout=120)
        con.wait_for_prompt(timeout=60)
        check(con.run("cat /proc/cmdline") == "console=ttyS0 earlycon=sbi", "bootargs not passed")
        con.send_line("poweroff")
        check(con.wait_exit(timeout=60) == 0, "QEMU exit status after poweroff")


def main():
    paths = fixture_paths()
    console_helper_reports_timeouts_and_kills_the_group()
    uboot_s = uboot_prompt_answers_version(paths)
    ready_s, total_s = linux_boots_to_shell_and_powers_off(paths)
    linux_boots_through_uboot(paths)
    print(json.dumps({"reference": "qemu-system-riscv64", "uboot_prompt_s": round(uboot_s, 2),
                      "linux_ready_marker_s": round(ready_s, 2),
                      "linux_session_total_s": round(total_s, 2)}))
    print("qemu_reference_selftest: PASS")


if __name__ == "__main__":
    main()
