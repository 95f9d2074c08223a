#!/usr/bin/env python3
"""System test: a Debian 13 riscv64 installer disc (fixture `installer-disc`,
laid out like Debian's netinst) boots to the installer's first dialog, as a
user would drive it: firmware -> GRUB 2.12 menu -> Enter -> Linux 6.12 ->
"Select a language" on the serial console.

Under Tessera the disc is in the CD-ROM drive (virtio-scsi), the VM has a
screen (virtio-gpu, keyboard, tablet) and the firmware is Debian's EDK2
(qemu-efi-riscv64) in flash on top of OpenSBI, unmodified. GRUB draws its menu
on the screen (its gfxterm), so the test watches screenshots until the menu is
there, then presses Enter on the serial console (EDK2 merges both inputs).
EDK2's variable store is a fresh copy of Debian's template and must have been
written by the time the installer runs.

Under the reference ("qemu": Debian's QEMU 7.2, whose virt board cannot start
an S-mode EDK2 from flash) the same disc is a virtio-blk disk read by Debian
13's U-Boot, without a screen: GRUB's menu is on the serial console.
Prints the time to the GRUB menu and to the dialog. Argument: tessera-cli, or "qemu"."""
import os
import shutil
import sys
import tempfile
import time

from emulators import QEMU
from guest_console import GuestConsole, GuestTimeout, fixtures, run_test
from linux_guest import Monitor
from screenshots import count_colour, png_rgb

emulator = sys.argv[1]
GRUB_MENU_BLUE = (0x00, 0x00, 0xA8)  # menu_color_normal=cyan/blue in the disc's grub.cfg
GRUB_ENTRY_CYAN = (0x00, 0xA8, 0xA8)


def wait_for_grub_menu_on_screen(guest, monitor, shot, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if monitor.ask("screenshot " + shot) == "OK":
            _, _, rows = png_rgb(shot)
            if count_colour(rows, GRUB_MENU_BLUE) > 100000 and count_colour(rows, GRUB_ENTRY_CYAN) > 1000:
                return
        time.sleep(2)
    raise GuestTimeout("GRUB's menu did not appear on the screen within %.0f s (last screenshot: %s)" % (timeout, shot))


def boot_tessera(fx, scratch):
    vars_copy = os.path.join(scratch, "vars.fd")
    shutil.copyfile(fx["EDK2_RISCV_VARS"], vars_copy)
    monitor_path = os.path.join(scratch, "monitor.sock")
    guest = GuestConsole([emulator, "run", "-m", "1G", "--bios", fx["TRIXIE_OPENSBI_FW_DYNAMIC"],
                          "--pflash", fx["EDK2_RISCV_CODE"], "--pflash", vars_copy, "--cdrom", fx["INSTALLER_ISO"],
                          "--display", "headless", "--monitor", monitor_path, "--timeout", "600"])
    try:
        guest.expect(r"RISC-V EDK2 firmware version", 120)
        monitor = Monitor(monitor_path)
        shot = os.path.join(scratch, "grub-menu.png")
        wait_for_grub_menu_on_screen(guest, monitor, shot, 120)
        menu = guest.elapsed()
        guest.send("\r")
        guest.expect(r"Select a language", 600)
        report(menu, guest.elapsed())
        monitor.close()
    finally:
        guest.kill()
    with open(fx["EDK2_RISCV_VARS"], "rb") as template, open(vars_copy, "rb") as used:
        assert template.read() != used.read(), "EDK2 wrote nothing to its variable store (flash bank 1)"


def boot_qemu(fx):
    guest = GuestConsole([QEMU, "-machine", "virt", "-smp", "1", "-m", "1G", "-display", "none", "-serial", "stdio",
                          "-monitor", "none", "-bios", fx["TRIXIE_OPENSBI_FW_JUMP"], "-kernel", fx["TRIXIE_UBOOT_SMODE"],
                          "-drive", "if=none,id=cd,format=raw,readonly=on,file=" + fx["INSTALLER_ISO"],
                          "-device", "virtio-blk-device,drive=cd"])
    try:
        guest.expect(r"GNU GRUB +version 2\.12", 240)
        guest.expect(r"Press enter to boot the selected OS", 30)
        guest.expect(r"\*Install", 30)  # the menu's first entry, highlighted
        menu = guest.elapsed()
        guest.send("\r")
        guest.expect(r"Select a language", 600)
        report(menu, guest.elapsed())
    finally:
        guest.kill()


def report(menu, dialog):
    print("\nINSTALLER-DISC %s: GRUB menu at %.1f s, first dialog at %.1f s" % (
        "qemu" if emulator == "qemu" else "tessera", menu, dialog), flush=True)


def body():
    fx = fixtures("firmware-trixie", "installer-disc")
    if emulator == "qemu":
        boot_qemu(fx)
        return
    with tempfile.TemporaryDirectory(prefix="tessera-installer-") as scratch:
        boot_tessera(fx, scratch)


run_test(body)
