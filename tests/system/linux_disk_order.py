#!/usr/bin/env python3
"""System test: the guest names the disks in the order they were given.

`--disk first --disk second` with a CD-ROM and a NIC attached (an install VM:
system disk, answer disk, installer disc): the stock Linux kernel must see the
first --disk as /dev/vda and the second as /dev/vdb, as under
qemu-system-riscv64 with -device options in the same order. The disks have
different sizes so the guest can tell them apart (/sys/block/vdX/size)."""
import os
import subprocess
import sys
import tempfile

from guest_console import run_test
from linux_guest import boot, poweroff, sh

cli = sys.argv[1]


def body():
    with tempfile.TemporaryDirectory(prefix="tessera-order-") as work:
        first = os.path.join(work, "system.qcow2")
        second = os.path.join(work, "answers.img")
        subprocess.run([cli, "img", "create", "-f", "qcow2", first, "64M"], check=True, stdout=subprocess.DEVNULL)
        with open(second, "wb") as f:
            f.truncate(1 << 20)
        guest = boot(cli, ["--disk", first, "--disk", second + ",format=raw,readonly=on",
                           "--cdrom", "none", "--nic", "user"])
        try:
            # 64 MiB and 1 MiB in 512-byte sectors.
            sh(guest, "echo VDA=$(cat /sys/block/vda/size) VDB=$(cat /sys/block/vdb/size)",
               r"VDA=131072 VDB=2048\r?\n")
            poweroff(guest)
        finally:
            guest.kill()


run_test(body)
