#!/usr/bin/env python3
"""System test 3: the same Linux booted through U-Boot. OpenSBI fw_jump starts
U-Boot (S-mode); the kernel Image and initramfs are placed in RAM with
tessera-cli's --load FILE@ADDRESS (QEMU's -device loader equivalent, since
there is no disk device yet); U-Boot's `booti` starts Linux with the device
tree OpenSBI handed it. Proves the firmware handoff works both ways.
Argument: tessera-cli, or "qemu" for the reference run of the same checks."""
import os
import sys

from emulators import machine_argv
from guest_console import GuestConsole, fixtures, run_test
from linux_shell import check_linux_session

emulator = sys.argv[1]
KERNEL_ADDR = 0x84000000
INITRD_ADDR = 0x8C000000


def body():
    fx = fixtures("firmware", "linux", "initramfs")
    initrd_size = os.path.getsize(fx["INITRAMFS"])
    guest = GuestConsole(machine_argv(emulator, "512M", fx["OPENSBI_FW_JUMP"], fx["UBOOT_SMODE_ELF"],
                                      loads=[(fx["LINUX_IMAGE"], KERNEL_ADDR), (fx["INITRAMFS"], INITRD_ADDR)]))
    try:
        guest.expect(r"Hit any key to stop autoboot", 120)
        guest.send(" ")
        guest.expect(r"=> ", 30)
        guest.send("setenv bootargs console=ttyS0 earlycon=sbi\r")
        guest.expect(r"=> ", 30)
        guest.send("booti 0x%x 0x%x:0x%x ${fdtcontroladdr}\r" % (KERNEL_ADDR, INITRD_ADDR, initrd_size))
        guest.expect(r"Starting kernel", 60)
        check_linux_session(guest, boot_timeout=300)
    finally:
        guest.kill()


run_test(body)
