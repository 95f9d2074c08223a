#!/usr/bin/env python3
"""System test 2: OpenSBI (fw_dynamic, QEMU's default) + Linux 6.1 Image +
BusyBox initramfs boot to a shell on the virt board; `uname -m`,
`/proc/cpuinfo` and the rvcheck program give the known answers; `poweroff`
ends tessera-cli with exit status 0."""
import sys

from guest_console import GuestConsole, fixtures, run_test
from linux_shell import check_linux_session

cli = sys.argv[1]


def body():
    fx = fixtures("firmware", "linux", "initramfs")
    guest = GuestConsole([cli, "run", "-m", "512M", "--bios", fx["OPENSBI_FW_DYNAMIC"],
                          "--kernel", fx["LINUX_IMAGE"], "--initrd", fx["INITRAMFS"],
                          "--append", "console=ttyS0 earlycon=sbi", "--timeout", "400"])
    try:
        seconds = check_linux_session(guest, boot_timeout=300)
        print("\nboot to shell marker: %.1f s" % seconds)
    finally:
        guest.kill()


run_test(body)
