#!/usr/bin/env python3
"""System test: a VM bundle whose disk image names a backing file outside the
bundle (as a downloaded image can, here through "../../") does not start
until the user allows that file, and then the guest reads it.

`tessera-cli run --vm` must refuse with exit status 2 before anything runs,
naming the file and the --accept-backing option. With --accept-backing the
VM boots (Debian's OpenSBI + U-Boot, the bundle's default boot loader) and
U-Boot reads the backing file's bytes from virtio block 0. config.json then
remembers the file, so the next start needs no option."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from guest_console import GuestConsole, run_test

cli = sys.argv[1]
MARKER = b"TESSERA-BACKING-MARKER-"  # what the host file holds at offset 0
VM = "Backing Test"


def make_library(root):
    outside = os.path.join(root, "outside")
    os.makedirs(outside)
    secret = os.path.join(outside, "base.img")
    with open(secret, "wb") as f:
        f.write(MARKER + b"\0" * (1024 * 1024 - len(MARKER)))
    bundle = os.path.join(root, "library", VM + ".tessera")
    os.makedirs(os.path.join(bundle, "logs"))
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", "../../outside/base.img", "-F", "raw",
                    os.path.join(bundle, "disk.qcow2")], check=True)
    config = {
        "version": 1, "name": VM, "arch": "riscv64", "board": "virt", "memory": "256M", "cpus": 1,
        "disks": [{"file": "disk.qcow2", "format": "qcow2", "readonly": False}],
        "display": {"type": "none"},
    }
    with open(os.path.join(bundle, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    return bundle, os.path.realpath(secret)


def body():
    root = tempfile.mkdtemp(prefix="tessera-backing-")
    try:
        bundle, secret = make_library(root)
        os.environ["TESSERA_VM_DIR"] = os.path.join(root, "library")

        refused = subprocess.run([cli, "run", "--vm", VM, "--timeout", "60"], stdin=subprocess.DEVNULL,
                                 capture_output=True, timeout=60)
        stderr = refused.stderr.decode()
        assert refused.returncode == 2, "exit %d, expected 2 (refused); stderr: %s" % (refused.returncode, stderr)
        assert refused.stdout == b"", "the VM ran before being refused: %r" % refused.stdout[:200]
        assert "../../outside/base.img" in stderr and secret in stderr, stderr
        assert "--accept-backing " + secret in stderr, stderr

        guest = GuestConsole([cli, "run", "--vm", VM, "--accept-backing", secret, "--timeout", "240"])
        try:
            guest.expect(r"Hit any key to stop autoboot", 120)
            guest.send(" ")
            guest.expect(r"=> ", 30)
            guest.send("virtio scan\r")
            guest.expect(r"=> ", 30)
            guest.send("virtio read 0x84000000 0 1\r")
            guest.expect(r"1 blocks read: OK", 30)
            guest.expect(r"=> ", 30)
            guest.send("md.b 0x84000000 0x20\r")
            guest.expect(r"TESSERA-BACKING-", 30)  # md.b's ASCII column: the host file's bytes
            guest.expect(r"=> ", 30)
            guest.send("poweroff\r")
            status = guest.wait(60)
            assert status == 0, "exit %s after poweroff" % status
        finally:
            guest.kill()

        with open(os.path.join(bundle, "config.json")) as f:
            disk = json.load(f)["disks"][0]
        assert disk.get("acceptedBacking") == [secret], "config.json did not remember the file: %r" % disk

        again = subprocess.run([cli, "run", "--vm", VM, "--timeout", "5"], stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=60)
        assert again.returncode == 124, "exit %d on the next start; stderr: %s" % (again.returncode,
                                                                                  again.stderr.decode())
        assert b"U-Boot" in again.stdout, "the next start did not boot: %r" % again.stdout[-500:]
    finally:
        shutil.rmtree(root, ignore_errors=True)


run_test(body)
