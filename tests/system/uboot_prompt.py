#!/usr/bin/env python3
"""System test 1: OpenSBI fw_jump + U-Boot (qemu-riscv64_smode) on the virt
board: U-Boot's prompt appears on the serial console and answers `version`
typed on stdin; `poweroff` then ends tessera-cli with status 0."""
import sys

from guest_console import GuestConsole, fixtures, run_test

cli = sys.argv[1]


def body():
    fw = fixtures("firmware")
    guest = GuestConsole([cli, "run", "-m", "256M", "--bios", fw["OPENSBI_FW_JUMP"],
                          "--kernel", fw["UBOOT_SMODE_ELF"], "--timeout", "240"])
    try:
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
        assert status == 0, "tessera-cli exited %s after U-Boot's poweroff, expected 0" % status
    finally:
        guest.kill()


run_test(body)
