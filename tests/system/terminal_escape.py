#!/usr/bin/env python3
"""System test: on a real terminal (a pty here) `tessera-cli run` puts stdin in
raw mode, forwards keys to the guest (U-Boot's prompt answers), quits on
Ctrl-A X like QEMU, and restores the terminal settings afterwards."""
import os
import pty
import re
import select
import sys
import termios
import time

from guest_console import fixtures, run_test

cli = sys.argv[1]


def body():
    fw = fixtures("firmware")
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(cli, [cli, "run", "-m", "256M", "--bios", fw["OPENSBI_FW_JUMP"],
                       "--kernel", fw["UBOOT_SMODE_ELF"], "--timeout", "120"])
    before = termios.tcgetattr(fd)
    output = b""

    def wait_for(pattern, timeout):
        nonlocal output
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, output):
                return
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    break
                sys.stdout.buffer.write(chunk)
                sys.stdout.flush()
                output += chunk
        raise AssertionError("did not see %r on the terminal" % pattern)

    try:
        wait_for(rb"Hit any key to stop autoboot", 60)
        os.write(fd, b" ")
        wait_for(rb"=> ", 30)
        raw = termios.tcgetattr(fd)
        assert not (raw[3] & termios.ICANON) and not (raw[3] & termios.ECHO), "terminal is not in raw mode"
        os.write(fd, b"echo tty-ok\r")
        wait_for(rb"tty-ok", 30)
        os.write(fd, b"\x01x")
        wait_for(rb"terminated by Ctrl-A X", 30)
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, "exit status %r" % status
        after = termios.tcgetattr(fd)
        assert after[3] & termios.ICANON, "terminal settings were not restored"
    finally:
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)
    del before


run_test(body)
