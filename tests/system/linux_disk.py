#!/usr/bin/env python3
"""System test: the stock Linux virtio-blk driver on a qcow2 image.

The host builds an ext4 filesystem with content (mkfs.ext4 -d) and converts it
to qcow2 with `tessera-cli img convert`. The guest mounts /dev/vda, checks a
file's sha256 against the host's, writes a file tree, syncs and powers off;
the host reads the tree back (img convert -O raw + debugfs) and the real
`qemu-img check` finds the image clean. A second boot deletes the files and
runs fstrim: the image's allocated size must drop (discard reaches qcow2)."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

from guest_console import run_test
from linux_guest import boot, poweroff, sh, sh_ok

cli = sys.argv[1]


def allocated_bytes(image):
    info = json.loads(subprocess.run(["qemu-img", "info", "--output=json", image], check=True,
                                     stdout=subprocess.PIPE, text=True).stdout)
    return info["actual-size"]


def mapped_data_bytes(image):
    layout = json.loads(subprocess.run(["qemu-img", "map", "--output=json", image], check=True,
                                       stdout=subprocess.PIPE, text=True).stdout)
    return sum(e["length"] for e in layout if e["data"])


def qemu_img_check(image):
    result = subprocess.run(["qemu-img", "check", image], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    print(result.stdout)
    assert result.returncode == 0, "qemu-img check exited %d" % result.returncode


def debugfs_cat(raw, path):
    return subprocess.run(["debugfs", "-R", "cat " + path, raw], check=True,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout


def body():
    work = tempfile.mkdtemp(prefix="tessera-disk-")
    try:
        content = os.path.join(work, "content")
        os.makedirs(content)
        payload = os.urandom(1 << 20)
        open(os.path.join(content, "payload.bin"), "wb").write(payload)
        raw = os.path.join(work, "fs.raw")
        with open(raw, "wb") as f:
            f.truncate(64 << 20)
        subprocess.run(["mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0",
                        "-d", content, raw], check=True)
        disk = os.path.join(work, "disk.qcow2")
        subprocess.run([cli, "img", "convert", "-O", "qcow2", raw, disk], check=True)

        # Boot 1: read the host's file, write a tree, sync, power off.
        guest = boot(cli, ["--disk", disk])
        try:
            sh_ok(guest, "mkdir -p /mnt && mount -t ext4 /dev/vda /mnt")
            match = sh(guest, "sha256sum /mnt/payload.bin", r"([0-9a-f]{64})  /mnt/payload.bin")
            assert match.group(1).decode() == hashlib.sha256(payload).hexdigest(), \
                "guest sha256 of payload.bin differs from the host's"
            sh_ok(guest, "mkdir -p /mnt/tree/a/b && echo guest-wrote-this > /mnt/tree/a/b/note.txt"
                         " && dd if=/dev/urandom of=/mnt/tree/big.bin bs=64k count=64 2>/dev/null"
                         " && for i in 1 2 3 4 5 6 7 8; do echo file $i > /mnt/tree/f$i.txt; done")
            big = sh(guest, "sha256sum /mnt/tree/big.bin", r"([0-9a-f]{64})  /mnt/tree/big.bin")
            big_sha = big.group(1).decode()
            sh_ok(guest, "sync && umount /mnt")
            poweroff(guest)
        finally:
            guest.kill()

        qemu_img_check(disk)
        back = os.path.join(work, "back.raw")
        subprocess.run([cli, "img", "convert", "-O", "raw", disk, back], check=True)
        assert debugfs_cat(back, "/tree/a/b/note.txt") == b"guest-wrote-this\n"
        for i in range(1, 9):
            assert debugfs_cat(back, "/tree/f%d.txt" % i) == b"file %d\n" % i
        assert hashlib.sha256(debugfs_cat(back, "/tree/big.bin")).hexdigest() == big_sha, \
            "big.bin read on the host differs from what the guest wrote"
        assert hashlib.sha256(debugfs_cat(back, "/payload.bin")).hexdigest() == \
            hashlib.sha256(payload).hexdigest()
        fsck = subprocess.run(["e2fsck", "-fn", back], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        assert fsck.returncode == 0, "e2fsck found problems:\n" + fsck.stdout
        os.unlink(back)

        # Boot 2: delete, fstrim -> fewer allocated clusters.
        before_actual, before_data = allocated_bytes(disk), mapped_data_bytes(disk)
        guest = boot(cli, ["--disk", disk])
        try:
            sh_ok(guest, "mkdir -p /mnt && mount -t ext4 /dev/vda /mnt")
            sh_ok(guest, "rm -rf /mnt/tree /mnt/payload.bin && sync")
            sh(guest, "fstrim -v /mnt", r"/mnt: \d+ .*trimmed|trimmed", timeout=60)
            sh_ok(guest, "sync && umount /mnt")
            poweroff(guest)
        finally:
            guest.kill()
        qemu_img_check(disk)
        after_actual, after_data = allocated_bytes(disk), mapped_data_bytes(disk)
        print("allocated before fstrim: actual-size %d, mapped data %d; after: %d, %d" %
              (before_actual, before_data, after_actual, after_data))
        assert after_data + (1 << 20) < before_data, "fstrim did not unmap the deleted data"
        assert after_actual < before_actual, "the image file's allocated size did not drop"
    finally:
        shutil.rmtree(work, ignore_errors=True)


run_test(body)
