#!/usr/bin/env python3
"""System test: QEMU command lines as users write them, run by
`tessera-cli qemu` (issue 15). Argument: tessera-cli, or "qemu" for the
reference run of the RISC-V line under qemu-system-riscv64 itself.

1. qemu-system-riscv64 -M virt -m 256 -kernel u-boot.bin -nographic: U-Boot's S-mode
   build as a raw binary, with the firmware QEMU's -bios default gives
   (OpenSBI), to U-Boot's prompt, `version`, and `poweroff` (exit status 0).
2. (Tessera only: QEMU's default PowerPC machine is g3beige, which Tessera
   does not emulate) the tutorial's kernel-developer line with the guest's
   kernel: qemu-system-ppc -kernel vmlinux -initrd rootfs -append ... -m 512
   -localtime -no-reboot -name rtlinux -net nic -net user -redir tcp:PORT::22
   runs on the Power Mac mac99 with a one-line notice, the e1000 the legacy
   -net pair gives, the -redir forward listening on 127.0.0.1, to the BusyBox
   shell, `uname -m` = ppc, and the guest's power-off ends it with status 0."""
import os
import sys
import tempfile

from guest_console import GuestConsole, fixtures, run_test
from linux_guest import free_port, listening_addresses
from mac99_guest import PROMPT, poweroff, sh
from uboot_prompt import talk_to_uboot

emulator = sys.argv[1]


def program(name):
    """The QEMU program itself, or `tessera-cli qemu` running its line."""
    return [name] if emulator == "qemu" else [emulator, "qemu", name]


def uboot_raw_kernel():
    fw = fixtures("firmware")
    os.symlink(fw["UBOOT_SMODE"], "u-boot.bin")
    guest = GuestConsole(program("qemu-system-riscv64") + ["-M", "virt", "-m", "256", "-kernel", "u-boot.bin",
                                                           "-nographic"])
    try:
        talk_to_uboot(guest)  # OpenSBI first: QEMU's -bios default
    finally:
        guest.kill()


def tutorial_kernel_line_on_powerpc():
    fx = fixtures("linux-ppc32", "initramfs-ppc32")
    os.symlink(fx["PPC_LINUX_VMLINUX"], "vmlinux")
    os.symlink(fx["PPC_INITRAMFS"], "rootfs")
    port = free_port()
    guest = GuestConsole(program("qemu-system-ppc") + [
        "-kernel", "vmlinux", "-initrd", "rootfs", "-append", "console=ttyPZ0 tessera.shell", "-m", "512",
        "-localtime", "-no-reboot", "-name", "rtlinux", "-net", "nic", "-net", "user",
        "-redir", "tcp:%d::22" % port])
    try:
        guest.expect(r"without -M starts QEMU's g3beige; Tessera's PowerPC machine is the Power Mac \"mac99\"", 30)
        guest.expect(r"e1000 0000:00:0e\.0 eth0", 600)
        guest.expect(r"TESSERA-GUEST-READY Linux 6\.1\S* ppc\r?\n", 600)
        guest.expect(PROMPT, 120)
        assert listening_addresses(port) == ["127.0.0.1"], \
            "-redir tcp:%d::22 listens on %s" % (port, listening_addresses(port))
        sh(guest, "uname -m", r"\nppc\r?\n")
        poweroff(guest)
    finally:
        guest.kill()


def body():
    work = tempfile.mkdtemp(prefix="tessera-qemu-lines-")
    os.chdir(work)  # the lines name their files relative to here, as typed in a tutorial
    uboot_raw_kernel()
    if emulator != "qemu":
        tutorial_kernel_line_on_powerpc()


run_test(body)
