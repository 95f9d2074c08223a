#!/usr/bin/env python3
"""System test 1: OpenSBI fw_jump + U-Boot (qemu-riscv64_smode) on the virt
board: U-Boot's prompt appears on the serial console and answers `version`
typed on stdin; `poweroff` then ends the emulator with status 0. Argument:
tessera-cli, or "qemu" for the reference run of the same checks."""
import sys

from emulators import machine_argv
from guest_console import GuestConsole, fixtures, run_test

emulator = sys.argv[1] if __name__ == "__main__" else None


def talk_to_uboot(guest):
    """OpenSBI's banner, U-Boot's, its prompt (autoboot stopped), `version`,
    and `poweroff`, which must end the emulator with status 0."""
    guest.expect(r"OpenSBI v\d+\.\d+", 60)
    guest.expect(r"U-Boot 20\d\d\.\d\d", 60)
    guest.expect(r"Hit any key to stop autoboot", 60)
    guest.send(" ")
    guest.expect(r"=> ", 30)
    guest.send("version\r")
    guest.expect(r"(?s)U-Boot 20\d\d\.\d\d.*?riscv64-linux-gnu-gcc", 30)
    guest.expect(r"=> ", 30)
    guest.send("poweroff\r")
    status = guest.wait(60)
    assert status == 0, "the emulator exited %s after U-Boot's poweroff, expected 0" % status


def body():
    fw = fixtures("firmware")
    guest = GuestConsole(machine_argv(emulator, "256M", fw["OPENSBI_FW_JUMP"], fw["UBOOT_SMODE_ELF"], timeout=240))
    try:
        talk_to_uboot(guest)
    finally:
        guest.kill()


if __name__ == "__main__":
    run_test(body)
