#!/usr/bin/env python3
"""System test: the stock Linux virtio-scsi + sr drivers read ISO 9660 discs
made by xorriso, and the monitor changes and ejects the medium at run time:
the guest sees the new disc's files after `change cd`, and no medium after
`eject cd`."""
import os
import shutil
import sys
import tempfile

from guest_console import run_test
from linux_guest import boot, check_disc_change_and_eject, make_iso, poweroff

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
            check_disc_change_and_eject(guest, monitor_path, first_data, second)
            poweroff(guest)
        finally:
            guest.kill()
    finally:
        shutil.rmtree(work, ignore_errors=True)


run_test(body)
