#!/usr/bin/env python3
"""System test: a VM bundle's config.json is the machine `tessera-cli run --vm`
boots, device by device, as the app's VM window does.

The bundle holds its kernel and initramfs (relative paths), a qcow2 disk, an
ISO in the CD-ROM drive, a NIC with a fixed MAC and a port forward, and an
800x600 display. The stock Linux guest must see each one as configured, the
forward must reach a guest server, and after poweroff the bundle holds the last
frame as screenshot.png (the library thumbnail)."""
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

from guest_console import GuestConsole, fixtures, run_test
from linux_guest import free_port, poweroff, sh, sh_ok, talk_to_guest
from linux_shell import PROMPT

cli = sys.argv[1]
MAC = "52:54:00:c0:ff:ee"


def make_bundle(library, fx, host_port):
    bundle = os.path.join(library, "Bundle Test.tessera")
    os.makedirs(os.path.join(bundle, "logs"))
    shutil.copy(fx["LINUX_IMAGE"], os.path.join(bundle, "Image"))
    shutil.copy(fx["INITRAMFS"], os.path.join(bundle, "initramfs.cpio.gz"))
    subprocess.run([cli, "img", "create", "-f", "qcow2", os.path.join(bundle, "disk.qcow2"), "64M"], check=True)
    disc = os.path.join(library, "disc")
    os.makedirs(disc)
    with open(os.path.join(disc, "hello.txt"), "w") as f:
        f.write("hello from the bundle's disc\n")
    subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-R", "-V", "BUNDLE", "-o",
                    os.path.join(bundle, "disc.iso"), disc], check=True)
    config = {
        "version": 1, "name": "Bundle Test", "arch": "riscv64", "board": "virt", "memory": "256M", "cpus": 1,
        "boot": {"kernel": "Image", "initrd": "initramfs.cpio.gz", "append": "console=tty0 console=ttyS0"},
        "disks": [{"file": "disk.qcow2", "format": "qcow2", "readonly": False}],
        "cdrom": "disc.iso",
        "nics": [{"model": "virtio-net", "mac": MAC, "nat": True,
                  "forwards": [{"protocol": "tcp", "hostAddress": "127.0.0.1", "hostPort": host_port, "guestPort": 7777}]}],
        "display": {"type": "framebuffer", "width": 800, "height": 600},
    }
    with open(os.path.join(bundle, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    return bundle


def png_size(path):
    with open(path, "rb") as f:
        header = f.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n", "%s is not a PNG" % path
    return struct.unpack(">II", header[16:24])


def body():
    library = tempfile.mkdtemp(prefix="tessera-bundle-")
    try:
        fx = fixtures("firmware", "linux", "initramfs")
        host_port = free_port()
        bundle = make_bundle(library, fx, host_port)
        os.environ["TESSERA_VM_DIR"] = library
        guest = GuestConsole([cli, "run", "--vm", "Bundle Test", "--timeout", "300"])
        try:
            guest.expect(r"TESSERA-GUEST-READY Linux", 240)
            guest.expect(PROMPT, 60)
            sh(guest, "cat /sys/block/vda/size", r"\n131072\r?\n")  # 64 MiB in 512-byte sectors
            sh_ok(guest, "mkdir -p /cd && mount -t iso9660 /dev/sr0 /cd")
            sh(guest, "cat /cd/hello.txt", r"\nhello from the bundle's disc")
            sh(guest, "cat /sys/class/net/eth0/address", r"\n" + MAC)
            sh(guest, "cat /sys/class/graphics/fb0/virtual_size", r"\n800,600")
            sh_ok(guest, "udhcpc -i eth0 -q")
            talk_to_guest(guest, host_port, 7777, b"through-the-bundle-forward")
            guest.expect(PROMPT, 30)
            poweroff(guest)
        finally:
            guest.kill()
        thumbnail = os.path.join(bundle, "screenshot.png")
        assert os.path.exists(thumbnail), "the last frame was not saved as the bundle's screenshot.png"
        assert png_size(thumbnail) == (800, 600), "thumbnail is %dx%d" % png_size(thumbnail)
        check = subprocess.run(["qemu-img", "check", os.path.join(bundle, "disk.qcow2")])
        assert check.returncode == 0
    finally:
        shutil.rmtree(library, ignore_errors=True)


run_test(body)
