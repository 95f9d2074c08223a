#!/usr/bin/env python3
"""System test: SIGKILL of the VM during heavy guest writes to a qcow2 disk.

The guest writes 256 KiB chunks of random data to /dev/vda with conv=fsync
(a FLUSH reaches the device) and prints each chunk's sha256 only after the
fsync returned, while a background loop keeps rewriting another region
without syncing. The test SIGKILLs tessera-cli mid-stream; afterwards the
real `qemu-img check` must report no corruption (exit 0, or 3 = leaked
clusters only) and every chunk whose SYNCED marker was printed must read back
(via `qemu-img convert -O raw`) with the sha256 the guest printed."""
import os
import random
import shutil
import subprocess
import sys
import tempfile

from guest_console import run_test
from linux_guest import boot, check_synced_chunks, kill_during_synced_writes, sh_ok

cli = sys.argv[1]
CHUNKS = 60  # chunks 1..60 cover 256 KiB..15.25 MiB; the background writer uses 32..40 MiB


def body():
    work = tempfile.mkdtemp(prefix="tessera-kill-")
    try:
        disk = os.path.join(work, "disk.qcow2")
        subprocess.run([cli, "img", "create", "-f", "qcow2", disk, "64M"], check=True)
        guest = boot(cli, ["--disk", disk])
        try:
            sh_ok(guest, "test -b /dev/vda")
            synced = kill_during_synced_writes(guest, "/dev/vda", CHUNKS, random.randint(8, 25), 120)
        finally:
            guest.kill()
        check_synced_chunks(disk, work, synced)
    finally:
        shutil.rmtree(work, ignore_errors=True)


run_test(body)
