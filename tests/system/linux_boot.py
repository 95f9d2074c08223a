#!/usr/bin/env python3
"""System test 2: OpenSBI (fw_dynamic, QEMU's default) + Linux 6.1 Image +
BusyBox initramfs boot to a shell on the virt board; `uname -m`,
`/proc/cpuinfo` and the rvcheck program give the known answers; `poweroff`
ends the emulator with exit status 0. Argument: tessera-cli, or "qemu" for the
reference run of the same checks."""
import sys

from emulators import machine_argv
from guest_console import GuestConsole, fixtures, run_test
from linux_shell import check_linux_session

emulator = sys.argv[1]


def body():
    fx = fixtures("firmware", "linux", "initramfs")
    guest = GuestConsole(machine_argv(emulator, "512M", fx["OPENSBI_FW_DYNAMIC"], fx["LINUX_IMAGE"],
                                      fx["INITRAMFS"], "console=ttyS0 earlycon=sbi"))
    try:
        seconds = check_linux_session(guest, boot_timeout=300)
        print("\nboot to shell marker: %.1f s" % seconds)
    finally:
        guest.kill()


run_test(body)
