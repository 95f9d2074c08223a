#!/usr/bin/env python3
"""System test: a VM made from an installer disc, as the New VM wizard makes
it (the ISO in the CD-ROM drive, boot order CD-ROM first, no kernel, no
firmware named), starts with UEFI firmware by default and shows the disc's
GRUB menu: `tessera-cli run --vm` with Debian 13's EDK2 found through
TESSERA_RISCV_UEFI_DIR (the fixture; a Debian 13 host has it in
/usr/share/qemu-efi-riscv64). The bundle gets its own efi-vars.fd, a copy of
Debian's variable store template. The VM has no screen, so GRUB's menu is on
the serial console. Argument: tessera-cli."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from guest_console import GuestConsole, fixtures, run_test

cli = sys.argv[1]


def body():
    fx = fixtures("firmware-trixie", "installer-disc")
    library = tempfile.mkdtemp(prefix="tessera-installer-vm-")
    try:
        bundle = os.path.join(library, "Debian Installer.tessera")
        os.makedirs(bundle)
        subprocess.run([cli, "img", "create", "-f", "qcow2", os.path.join(bundle, "disk.qcow2"), "8G"], check=True)
        config = {
            "version": 1, "name": "Debian Installer", "arch": "riscv64", "board": "virt", "memory": "1G", "cpus": 1,
            "boot": {"order": ["cdrom", "disk"]},
            "disks": [{"file": "disk.qcow2", "format": "qcow2", "readonly": False}],
            "cdrom": fx["INSTALLER_ISO"],
            "display": {"type": "none", "width": 1024, "height": 768},
        }
        with open(os.path.join(bundle, "config.json"), "w") as f:
            json.dump(config, f, indent=2)
        os.environ["TESSERA_VM_DIR"] = library
        os.environ["TESSERA_RISCV_UEFI_DIR"] = os.path.dirname(fx["EDK2_RISCV_CODE"])
        guest = GuestConsole([cli, "run", "--vm", "Debian Installer", "--timeout", "300"])
        try:
            guest.expect(r"RISC-V EDK2 firmware version", 120)
            guest.expect(r"GNU GRUB +version 2\.12", 120)
            guest.expect(r"Press enter to boot the selected OS", 30)
            guest.expect(r"\*Install", 30)
        finally:
            guest.kill()
        vars_store = os.path.join(bundle, "efi-vars.fd")
        assert os.path.getsize(vars_store) == os.path.getsize(fx["EDK2_RISCV_VARS"]), "efi-vars.fd is not a full copy"
        assert os.stat(vars_store).st_mode & 0o200, "efi-vars.fd is not writable"
    finally:
        shutil.rmtree(library, ignore_errors=True)


run_test(body)
