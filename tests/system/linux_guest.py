"""Shared steps for the Linux-guest capability tests: boot the BusyBox
initramfs under `tessera-cli run` with extra devices, run shell commands at the
prompt, power off; plus the monitor socket client."""
import os
import socket
import time

from guest_console import GuestConsole, fixtures
from linux_shell import PROMPT


def boot(cli, extra_args, memory="256M", append="console=ttyS0", timeout=300):
    """Starts the guest and waits for its shell prompt; returns the console."""
    fx = fixtures("firmware", "linux", "initramfs")
    guest = GuestConsole([cli, "run", "-m", memory, "--bios", fx["OPENSBI_FW_DYNAMIC"],
                          "--kernel", fx["LINUX_IMAGE"], "--initrd", fx["INITRAMFS"],
                          "--append", append, "--timeout", str(timeout), *extra_args])
    try:
        guest.expect(r"TESSERA-GUEST-READY Linux", 240)
        guest.expect(PROMPT, 60)
    except BaseException:
        guest.kill()
        raise
    return guest


def sh(guest, command, expect=None, timeout=60):
    """Types `command`, waits for regex `expect` (if given) and the next prompt;
    returns the match of `expect`. The guest echoes the command line, so
    `expect` must not match the command itself (match `RC=(\d+)`, not `RC=$?`)."""
    guest.send(command + "\n")
    match = guest.expect(expect, timeout) if expect else None
    guest.expect(PROMPT, timeout)
    return match


def sh_ok(guest, command, timeout=60):
    """Runs `command` and requires exit status 0 (echoed as a marker)."""
    match = sh(guest, command + "; echo RC=$?", r"RC=(\d+)", timeout)
    assert match.group(1) == b"0", "guest command %r failed with status %s" % (
        command, match.group(1).decode())
    return match


def poweroff(guest, timeout=120):
    guest.send("poweroff\n")
    status = guest.wait(timeout)
    assert status == 0, "tessera-cli exited %s after the guest's poweroff, expected 0" % status


class Monitor:
    def __init__(self, path, timeout=30):
        deadline = time.monotonic() + timeout
        while not os.path.exists(path):
            assert time.monotonic() < deadline, "monitor socket never appeared"
            time.sleep(0.1)
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(path)
        self.file = self.sock.makefile("rwb", buffering=0)

    def ask(self, line):
        self.file.write(line.encode() + b"\n")
        answer = self.file.readline().decode().strip()
        print("\nmonitor> %s\nmonitor< %s" % (line, answer), flush=True)
        return answer

    def close(self):
        self.sock.close()
