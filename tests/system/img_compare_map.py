#!/usr/bin/env python3
"""Specification: `tessera-cli img compare` exits like `qemu-img compare`
(0 identical, 1 different, 2 cannot open; -s strict), and
`tessera-cli img map --output=json` lists the same extents as qemu-img map."""
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from imgtest import *  # noqa: E402,F401,F403

require_tools()
work = workdir()
os.chdir(work)

qemu_img("create", "-q", "-f", "qcow2", "a.qcow2", "8M")
qemu_io("a.qcow2", "write -P 0x61 0 1M", "write -z 2M 64k", "write -c -P 0x62 4M 128k")
qemu_img("convert", "-O", "raw", "a.qcow2", "a.raw")
shutil.copy("a.qcow2", "b.qcow2")
qemu_io("b.qcow2", "write -P 0x63 3M 512")
qemu_img("create", "-q", "-f", "qcow2", "bigger.qcow2", "12M")
qemu_io("bigger.qcow2", "write -P 0x61 0 1M", "write -c -P 0x62 4M 128k")
shutil.copy("bigger.qcow2", "bigger-dirty-tail.qcow2")
qemu_io("bigger-dirty-tail.qcow2", "write -P 1 10M 4k")
qemu_img("create", "-q", "-f", "qcow2", "sparse.qcow2", "8M")
qemu_io("sparse.qcow2", "write -P 0x61 0 1M", "write -P 0 2M 64k", "write -c -P 0x62 4M 128k")

CASES = [
    ([], "a.qcow2", "a.raw"),
    ([], "a.qcow2", "b.qcow2"),
    ([], "a.qcow2", "bigger.qcow2"),
    ([], "a.qcow2", "bigger-dirty-tail.qcow2"),
    (["-s"], "a.qcow2", "bigger.qcow2"),
    (["-s"], "a.qcow2", "a.qcow2"),
    (["-s"], "a.qcow2", "sparse.qcow2"),
    ([], "a.qcow2", "sparse.qcow2"),
    ([], "a.qcow2", "missing.qcow2"),
    (["-f", "raw", "-F", "raw"], "a.raw", "a.raw"),
]
for extra, first, second in CASES:
    ours = tessera("compare", *extra, first, second, check=False)
    theirs = qemu_img("compare", *extra, first, second, check=False)
    label = "compare %s %s %s" % (" ".join(extra), first, second)
    expect(ours.returncode == theirs.returncode, "%s: exit tessera %d, qemu-img %d (%s%s)" %
           (label, ours.returncode, theirs.returncode, ours.stdout.strip(), ours.stderr.strip()))
    if theirs.returncode in (0, 1):
        expect(ours.stdout == theirs.stdout, "%s: message %r vs %r" % (label, ours.stdout, theirs.stdout))

# map: same extents on simple images (qemu-img 7.2 has no "compressed" field yet).
qemu_img("create", "-q", "-f", "qcow2", "m.qcow2", "4M")
qemu_io("m.qcow2", "write -P 1 0 192k", "write -z 256k 64k", "write -P 2 1M 64k", "discard 64k 64k")
qemu_img("create", "-q", "-f", "qcow2", "-b", "m.qcow2", "-F", "qcow2", "mtop.qcow2")
qemu_io("mtop.qcow2", "write -P 3 0 64k", "write -z 1M 64k", "write -P 4 3M 64k")
FIELDS = ["start", "length", "depth", "present", "zero", "data", "offset"]
for image in ("m.qcow2", "mtop.qcow2", "a.raw"):
    ours = json.loads(tessera("map", "--output=json", image).stdout)
    theirs = json.loads(qemu_img("map", "--output=json", image).stdout)
    trimmed_ours = [{k: e.get(k) for k in FIELDS} for e in ours]
    trimmed_theirs = [{k: e.get(k) for k in FIELDS} for e in theirs]
    expect(trimmed_ours == trimmed_theirs, "map %s:\n tessera %r\n qemu-img %r" % (image, trimmed_ours,
                                                                                 trimmed_theirs))
ours = tessera("map", "m.qcow2").stdout
theirs = qemu_img("map", "m.qcow2").stdout
expect(ours == theirs, "human map of m.qcow2:\n%s\nvs qemu-img:\n%s" % (ours, theirs))
compressed = json.loads(tessera("map", "--output=json", "a.qcow2").stdout)
expect(any(e.get("compressed") for e in compressed), "map marks compressed clusters")

finish("img_compare_map")
