#!/usr/bin/env python3
"""System test: the stock Linux virtio-scsi + sr drivers read ISO 9660 discs
made by xorriso, and the monitor changes and ejects the medium at run time:
the guest sees the new disc's files after `change cd`, and no medium after
`eject cd`."""
import hashlib
import os
import shutil
import sys
import tempfile

from guest_console import run_test
from linux_guest import Monitor, boot, make_iso, poweroff, sh, sh_ok

cli = sys.argv[1]




def body():
    work = tempfile.mkdtemp(prefix="tessera-cdrom-")
    try:
        first_data = os.urandom(300 * 1024 + 17)
        first = make_iso(work, "first", {"data.bin": first_data})
        second = make_iso(work, "second", {"other.txt": b"the second disc\n"})
        monitor_path = os.path.join(work, "monitor.sock")
        guest = boot(cli, ["--cdrom", first, "--monitor", monitor_path])
        try:
            sh_ok(guest, "mkdir -p /cd && mount -t iso9660 -o ro /dev/sr0 /cd")
            match = sh(guest, "sha256sum /cd/data.bin", r"([0-9a-f]{64})  /cd/data.bin")
            assert match.group(1).decode() == hashlib.sha256(first_data).hexdigest(), \
                "guest sha256 of the disc's file differs from the host's"
            sh_ok(guest, "umount /cd")

            monitor = Monitor(monitor_path)
            assert monitor.ask("change cd " + second) == "OK"
            # The first access after a media change reports UNIT ATTENTION; mount retries.
            sh(guest, "mount -t iso9660 -o ro /dev/sr0 /cd || mount -t iso9660 -o ro /dev/sr0 /cd;"
                      " echo RC=$?", r"RC=0")
            sh(guest, "cat /cd/other.txt", r"the second disc")
            match = sh(guest, "test -e /cd/data.bin; echo OLD=$?", r"OLD=(\d+)\r?\n")
            assert match.group(1) == b"1", "the old disc's file is still visible"
            sh_ok(guest, "umount /cd")

            assert monitor.ask("eject cd") == "OK"
            match = sh(guest, "mount -t iso9660 -o ro /dev/sr0 /cd; echo RC=$?", r"RC=(\d+)\r?\n")
            assert match.group(1) != b"0", "mount succeeded with no medium in the drive"
            match = sh(guest, "dd if=/dev/sr0 of=/dev/null bs=2048 count=1; echo RC=$?", r"RC=(\d+)\r?\n")
            assert match.group(1) != b"0", "reading an empty drive succeeded"
            monitor.close()
            poweroff(guest)
        finally:
            guest.kill()
    finally:
        shutil.rmtree(work, ignore_errors=True)


run_test(body)
