"""Shared steps for the Linux system tests: wait for the BusyBox shell of the
guest initramfs, run the scripted command list, power off."""
import re

PROMPT = r"tessera:[^\r\n#]*# "


def run_command(guest, command, expect, timeout=60):
    guest.send(command + "\n")
    match = guest.expect(expect, timeout)
    guest.expect(PROMPT, timeout)
    return match


def check_linux_session(guest, boot_timeout):
    """Boot marker, then uname/cpuinfo/rvcheck, then poweroff -> exit status 0."""
    ready = guest.expect(r"TESSERA-GUEST-READY Linux (\S+) (\S+)\r?\n", boot_timeout)  # whole line: output arrives in pieces
    boot_seconds = guest.elapsed()
    assert ready.group(2) == b"riscv64", "uname -m in the boot marker is %r" % ready.group(2)
    guest.expect(PROMPT, 60)
    run_command(guest, "uname -m", r"\nriscv64\r?\n")
    run_command(guest, "cat /proc/cpuinfo", r"isa\s*:\s*rv64imafdc")
    run_command(guest, "rvcheck -q", r"RVCHECK PASS \(\d+ checks\)", timeout=120)
    guest.send("poweroff\n")
    status = guest.wait(120)
    assert status == 0, "the emulator exited %s after the guest's poweroff, expected 0" % status
    return boot_seconds
