#!/usr/bin/env python3
"""System test: a Debian 13 riscv64 installer disc (fixture `installer-disc`,
laid out like Debian's netinst) boots to the installer's first dialog, as a
user would see it on the serial console: firmware -> GRUB 2.12 menu -> Enter
-> Linux 6.12 -> "Select a language".

Under Tessera the disc is in the CD-ROM drive (virtio-scsi) and the firmware
is Debian's EDK2 (qemu-efi-riscv64) in flash on top of OpenSBI, unmodified;
its variable store is a fresh copy of Debian's template, written by EDK2
during the boot. Under the reference ("qemu": Debian's QEMU 7.2, whose virt
board cannot start an S-mode EDK2 from flash) the same disc is a virtio-blk
disk read by Debian 13's U-Boot. Prints the time to the GRUB menu and to the
dialog. Argument: tessera-cli, or "qemu"."""
import os
import shutil
import sys
import tempfile

from emulators import QEMU
from guest_console import GuestConsole, fixtures, run_test

emulator = sys.argv[1]


def argv_for(fx, vars_copy):
    if emulator == "qemu":
        return [QEMU, "-machine", "virt", "-smp", "1", "-m", "1G", "-display", "none", "-serial", "stdio",
                "-monitor", "none", "-bios", fx["TRIXIE_OPENSBI_FW_JUMP"], "-kernel", fx["TRIXIE_UBOOT_SMODE"],
                "-drive", "if=none,id=cd,format=raw,readonly=on,file=" + fx["INSTALLER_ISO"],
                "-device", "virtio-blk-device,drive=cd"]
    return [emulator, "run", "-m", "1G", "--bios", fx["TRIXIE_OPENSBI_FW_DYNAMIC"], "--pflash", fx["EDK2_RISCV_CODE"],
            "--pflash", vars_copy, "--cdrom", fx["INSTALLER_ISO"], "--timeout", "600"]


def body():
    fx = fixtures("firmware-trixie", "installer-disc")
    with tempfile.TemporaryDirectory(prefix="tessera-installer-") as scratch:
        vars_copy = os.path.join(scratch, "vars.fd")
        shutil.copyfile(fx["EDK2_RISCV_VARS"], vars_copy)
        guest = GuestConsole(argv_for(fx, vars_copy))
        try:
            guest.expect(r"GNU GRUB +version 2\.12", 240)
            guest.expect(r"Press enter to boot the selected OS", 30)
            guest.expect(r"\*Install", 30)  # the menu's first entry, highlighted
            menu = guest.elapsed()
            guest.send("\r")
            guest.expect(r"Select a language", 600)
            dialog = guest.elapsed()
            print("\nINSTALLER-DISC %s: GRUB menu at %.1f s, first dialog at %.1f s" % (
                "qemu" if emulator == "qemu" else "tessera", menu, dialog), flush=True)
        finally:
            guest.kill()
        if emulator != "qemu":
            with open(fx["EDK2_RISCV_VARS"], "rb") as template, open(vars_copy, "rb") as used:
                assert template.read() != used.read(), "EDK2 wrote nothing to its variable store (flash bank 1)"


run_test(body)
