#!/usr/bin/env python3
"""System test: SIGKILL of the VM during heavy guest writes to a qcow2 disk.

The guest writes 256 KiB chunks of random data to /dev/vda with conv=fsync
(a FLUSH reaches the device) and prints each chunk's sha256 only after the
fsync returned, while a background loop keeps rewriting another region
without syncing. The test SIGKILLs tessera-cli mid-stream; afterwards the
real `qemu-img check` must report no corruption (exit 0, or 3 = leaked
clusters only) and every chunk whose SYNCED marker was printed must read back
(via `qemu-img convert -O raw`) with the sha256 the guest printed."""
import hashlib
import re
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

from guest_console import run_test
from linux_guest import boot, sh_ok

cli = sys.argv[1]
CHUNK = 256 * 1024
CHUNKS = 60  # chunks 1..60 cover 256 KiB..15.25 MiB; the background writer uses 32..40 MiB


def body():
    work = tempfile.mkdtemp(prefix="tessera-kill-")
    try:
        disk = os.path.join(work, "disk.qcow2")
        subprocess.run([cli, "img", "create", "-f", "qcow2", disk, "64M"], check=True)
        guest = boot(cli, ["--disk", disk])
        try:
            sh_ok(guest, "test -b /dev/vda")
            guest.send("while true; do dd if=/dev/urandom of=/dev/vda bs=64k count=128 seek=512"
                       " 2>/dev/null; done &\n")
            guest.send("i=0; while [ $i -lt %d ]; do i=$((i+1));"
                       " dd if=/dev/urandom of=/tmp/c bs=64k count=4 2>/dev/null;"
                       " dd if=/tmp/c of=/dev/vda bs=64k seek=$((i*4)) conv=fsync 2>/dev/null &&"
                       " echo SYNCED $i $(sha256sum < /tmp/c); done; echo ALL-WRITTEN\n" % CHUNKS)
            kill_after = random.randint(8, 25)
            guest.expect(r"SYNCED %d [0-9a-f]{64}" % kill_after, 120)
            time.sleep(random.uniform(0.0, 1.0))
            guest.proc.kill()  # SIGKILL
            guest.proc.wait()
            guest.reader.join(10)
        finally:
            guest.kill()
        synced = {int(m.group(1)): m.group(2).decode() for m in
                  re.finditer(rb"SYNCED (\d+) ([0-9a-f]{64})", bytes(guest.output))}
        print("\nkilled after %d synced chunks (waited for %d)" % (len(synced), kill_after))
        assert len(synced) >= kill_after

        check = subprocess.run(["qemu-img", "check", disk], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
        print(check.stdout)
        assert check.returncode in (0, 3), "qemu-img check exited %d: the image is corrupt" % \
            check.returncode
        raw = os.path.join(work, "disk.raw")
        subprocess.run(["qemu-img", "convert", "-O", "raw", disk, raw], check=True)
        with open(raw, "rb") as f:
            for index, expected in sorted(synced.items()):
                f.seek(index * CHUNK)
                got = hashlib.sha256(f.read(CHUNK)).hexdigest()
                assert got == expected, "chunk %d was fsync'ed by the guest but reads back " \
                    "differently after the kill" % index
        print("all %d synced chunks intact" % len(synced))
    finally:
        shutil.rmtree(work, ignore_errors=True)


run_test(body)
