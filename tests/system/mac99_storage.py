#!/usr/bin/env python3
"""System test: the mac99 board's KeyLargo ATA disk and ATAPI CD-ROM under the
stock Linux pata_macio/sd/sr drivers and Debian's OpenBIOS.
Arguments: EMULATOR (tessera-cli, or "qemu" for the reference run of the same
checks with qemu-system-ppc -M mac99 -cpu 750 where it applies) and WHAT:
  cdrom_boot    no -kernel: OpenBIOS boots the ppc-boot-media CD (HFS+-blessed
                /ppc with a CHRP bootinfo, zImage.pmac with the initramfs)
                with --boot d; /init prints its marker and powers off
  disk_boot     the same from the Apple-partitioned ppc-boot-media disk
  disk          the guest writes random data to /dev/sda (a qcow2 image) with
                fsync and powers off; a second boot reads the same bytes;
                qemu-img check finds the image clean and the host sees them
  disk_kill     SIGKILL of the VM during fsync'ed guest writes to /dev/sda:
                qemu-img check reports no corruption (leaks at most) and every
                chunk the guest saw synced reads back
  cdrom_change  the guest mounts /dev/sr0; the monitor's `change cd` gives it
                the second disc's files, `eject cd` leaves no medium
Prints the time to each milestone."""
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile

from emulators import mac99_argv
from guest_console import GuestConsole, fixtures, run_test
from linux_guest import check_disc_change_and_eject, check_synced_chunks, kill_during_synced_writes, make_iso
from mac99_guest import boot_shell, poweroff, sh, sh_ok

emulator, what = sys.argv[1], sys.argv[2]


def boot_media(extra, timeout=600):
    """No kernel: OpenBIOS boots from the media in `extra` to /init's power-off."""
    guest = GuestConsole(mac99_argv(emulator, "512M", timeout=timeout) + extra)
    try:
        guest.expect(r"zImage starting", 300)
        print("\nzImage started: %.1f s" % guest.elapsed())
        guest.expect(r"Run /init as init process", 600)
        print("\n/init started: %.1f s" % guest.elapsed())
        guest.expect(r"TESSERA-GUEST-READY Linux 6\.1\S* ppc", 300)
        guest.expect(r"TESSERA-GUEST-POWEROFF", 300)
        status = guest.wait(300)
        assert status == 0, "the emulator exited with status %s after the guest's poweroff" % status
    finally:
        guest.kill()


def cdrom_boot():
    fx = fixtures("ppc-boot-media")
    if emulator == "qemu":
        boot_media(["-cdrom", fx["PPC_BOOT_ISO"], "-boot", "d"])
    else:
        boot_media(["--cdrom", fx["PPC_BOOT_ISO"], "--boot", "d"])


def disk_boot():
    fx = fixtures("ppc-boot-media")
    work = tempfile.mkdtemp(prefix="tessera-mac99-disk-boot-")
    try:
        disk = os.path.join(work, "boot-disk.img")
        shutil.copy(fx["PPC_BOOT_DISK"], disk)  # the guest may write to it
        if emulator == "qemu":
            boot_media(["-drive", "file=%s,format=raw" % disk, "-boot", "c"])
        else:
            boot_media(["--disk", disk + ",format=raw", "--boot", "c"])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def shell(extra):
    """Linux with the BusyBox shell on ttyPZ0 and the devices in `extra`."""
    return boot_shell(emulator, extra, memory="512M")








def disk_args(disk):
    return ["-drive", "file=%s,format=qcow2" % disk] if emulator == "qemu" else ["--disk", disk]


def disk():
    work = tempfile.mkdtemp(prefix="tessera-mac99-disk-")
    try:
        image = os.path.join(work, "disk.qcow2")
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", image, "64M"], check=True)
        guest = shell(disk_args(image))
        try:
            sh_ok(guest, "test -b /dev/sda")
            sh_ok(guest, "dd if=/dev/urandom of=/tmp/c bs=64k count=16 2>/dev/null")
            sh_ok(guest, "dd if=/tmp/c of=/dev/sda bs=64k seek=32 conv=fsync 2>/dev/null")
            written = sh(guest, "echo SUM=$(sha256sum < /tmp/c | cut -c1-64)=", r"SUM=([0-9a-f]{64})=")
            written = written.group(1).decode()
            poweroff(guest)
        finally:
            guest.kill()
        print("\nfirst boot wrote 1 MiB with sha256 %s" % written)
        guest = shell(disk_args(image))
        try:
            read = sh(guest, "echo SUM=$(dd if=/dev/sda bs=64k skip=32 count=16 2>/dev/null | sha256sum"
                             " | cut -c1-64)=", r"SUM=([0-9a-f]{64})=")
            assert read.group(1).decode() == written, "the second boot reads other data from the disk"
            poweroff(guest)
        finally:
            guest.kill()
        check = subprocess.run(["qemu-img", "check", image], capture_output=True, text=True)
        assert check.returncode == 0, "qemu-img check: %s%s" % (check.stdout, check.stderr)
        raw = os.path.join(work, "disk.raw")
        subprocess.run(["qemu-img", "convert", "-O", "raw", image, raw], check=True)
        with open(raw, "rb") as f:
            f.seek(32 * 65536)
            assert hashlib.sha256(f.read(16 * 65536)).hexdigest() == written, "the host reads other data"
        print("data survived the restart; qemu-img check clean")
    finally:
        shutil.rmtree(work, ignore_errors=True)


CHUNKS = 40  # chunks 1..40 cover 256 KiB..10.25 MiB; the background writer uses 32..40 MiB


def disk_kill():
    work = tempfile.mkdtemp(prefix="tessera-mac99-kill-")
    try:
        image = os.path.join(work, "disk.qcow2")
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", image, "64M"], check=True)
        guest = shell(disk_args(image))
        try:
            sh_ok(guest, "test -b /dev/sda")
            synced = kill_during_synced_writes(guest, "/dev/sda", CHUNKS, random.randint(5, 15), 300)
        finally:
            guest.kill()
        check_synced_chunks(image, work, synced)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def cdrom_change():
    work = tempfile.mkdtemp(prefix="tessera-mac99-cdrom-")
    try:
        first_data = os.urandom(200 * 1024 + 17)
        first = make_iso(work, "first", {"data.bin": first_data})
        second = make_iso(work, "second", {"other.txt": b"the second disc\n"})
        monitor_path = os.path.join(work, "monitor.sock")
        guest = shell(["--cdrom", first, "--monitor", monitor_path])
        try:
            check_disc_change_and_eject(guest, monitor_path, first_data, second, (sh, sh_ok))
            poweroff(guest)
        finally:
            guest.kill()
    finally:
        shutil.rmtree(work, ignore_errors=True)


run_test({"cdrom_boot": cdrom_boot, "disk_boot": disk_boot, "disk": disk, "disk_kill": disk_kill,
          "cdrom_change": cdrom_change}[what])
