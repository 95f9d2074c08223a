#!/usr/bin/env python3
"""Specification: `tessera-cli img info --output=json` reports the same fields
and values as `qemu-img info --output=json` for the same image, and
`tessera-cli img check` gives qemu-img's exit codes and counts on clean,
leaky and corrupt images, before and after repair."""
import os
import shutil
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from imgtest import *  # noqa: E402,F401,F403

require_tools()
work = workdir()

# ---- info --------------------------------------------------------------------
COMPARED = ["filename", "format", "virtual-size", "actual-size", "dirty-flag", "cluster-size", "backing-filename",
            "full-backing-filename", "backing-filename-format", "format-specific"]
SNAPSHOT_FIELDS = ["id", "name", "vm-state-size", "date-sec", "date-nsec", "vm-clock-sec", "vm-clock-nsec", "icount"]


def compare_info(label, ours, theirs):
    for key in COMPARED:
        expect(ours.get(key) == theirs.get(key), "%s: info field %s: tessera %r, qemu-img %r" %
               (label, key, ours.get(key), theirs.get(key)))
    ours_snaps, theirs_snaps = ours.get("snapshots", []), theirs.get("snapshots", [])
    expect(len(ours_snaps) == len(theirs_snaps), "%s: snapshot count" % label)
    for a, b in zip(ours_snaps, theirs_snaps):
        for key in SNAPSHOT_FIELDS:
            expect(a.get(key) == b.get(key), "%s: snapshot field %s: %r vs %r" % (label, key, a.get(key), b.get(key)))


images = []
for name, options in [("v3.qcow2", ""), ("v2.qcow2", "compat=0.10"), ("zstd.qcow2", "compression_type=zstd"),
                      ("ext.qcow2", "extended_l2=on"), ("lazy.qcow2", "lazy_refcounts=on,refcount_bits=8"),
                      ("c4k.qcow2", "cluster_size=4k")]:
    path = os.path.join(work, name)
    qemu_img("create", "-q", "-f", "qcow2", *(["-o", options] if options else []), path, "16M")
    qemu_io(path, "write -P 1 0 1M")
    images.append(name)
qemu_img("create", "-q", "-f", "raw", os.path.join(work, "disk.raw"), "3M")
images.append("disk.raw")
qemu_img("create", "-q", "-f", "qcow2", "-b", "v3.qcow2", "-F", "qcow2", os.path.join(work, "top.qcow2"))
qemu_img("snapshot", "-c", "first", os.path.join(work, "top.qcow2"))
qemu_io(os.path.join(work, "top.qcow2"), "write -P 2 0 64k")
qemu_img("snapshot", "-c", "second", os.path.join(work, "top.qcow2"))
images.append("top.qcow2")
tessera("create", "-q", "-f", "qcow2", "-o", "compression_type=zstd", os.path.join(work, "ours.qcow2"), "1G")
images.append("ours.qcow2")

for name in images:
    # Same relative file name for both tools, so filename fields can match.
    ours = json.loads(tessera("info", "--output=json", name, cwd=work).stdout)
    theirs = json.loads(qemu_img("info", "--output=json", name, cwd=work).stdout)
    compare_info(name, ours, theirs)
    human = tessera("info", name, cwd=work).stdout
    expect(human.startswith("image: %s\nfile format: " % name), "%s: human info header" % name)

ours = json.loads(tessera("info", "--output=json", "--backing-chain", "top.qcow2", cwd=work).stdout)
theirs = json.loads(qemu_img("info", "--output=json", "--backing-chain", "top.qcow2", cwd=work).stdout)
expect(isinstance(ours, list) and len(ours) == len(theirs) == 2, "--backing-chain: two images in an array")
for a, b in zip(ours, theirs):
    compare_info("backing chain " + b["filename"], a, b)
human = tessera("info", "top.qcow2", cwd=work).stdout
expect("Snapshot list:" in human and "first" in human and "second" in human, "human info lists snapshots")

# ---- check ---------------------------------------------------------------------


def header_fields(path):
    with open(path, "rb") as f:
        header = f.read(104)
    cluster_bits = struct.unpack(">I", header[20:24])[0]
    l1_offset = struct.unpack(">Q", header[40:48])[0]
    reftable_offset = struct.unpack(">Q", header[48:56])[0]
    return cluster_bits, l1_offset, reftable_offset


def make_leaky(path):
    """Appends one cluster and gives it refcount 1 without any reference: a leak."""
    bits, _, reftable = header_fields(path)
    cluster = 1 << bits
    size = os.path.getsize(path)
    new_cluster = (size + cluster - 1) // cluster
    with open(path, "r+b") as f:
        f.truncate((new_cluster + 1) * cluster)
        f.seek(reftable)
        refblock = struct.unpack(">Q", f.read(8))[0]
        f.seek(refblock + 2 * new_cluster)  # refcount_bits=16
        f.write(struct.pack(">H", 1))


def make_corrupt(path):
    """Sets the refcount of the L1 table's cluster to 0 while L1 is in use."""
    bits, l1, reftable = header_fields(path)
    with open(path, "r+b") as f:
        f.seek(reftable)
        refblock = struct.unpack(">Q", f.read(8))[0]
        f.seek(refblock + 2 * (l1 >> bits))
        f.write(struct.pack(">H", 0))


def check_both(label, path, *args):
    a, b = path + ".ours", path + ".theirs"
    shutil.copy(path, a)
    shutil.copy(path, b)
    ours = tessera("check", "--output=json", *args, a, check=False)
    theirs = qemu_img("check", "--output=json", *args, b, check=False)
    expect(ours.returncode == theirs.returncode, "%s: check %s exit code: tessera %d, qemu-img %d (%s)" %
           (label, " ".join(args), ours.returncode, theirs.returncode, ours.stderr.strip()))
    try:
        o, t = json.loads(ours.stdout), json.loads(theirs.stdout)
        for key in ("leaks", "corruptions", "leaks-fixed", "corruptions-fixed", "check-errors"):
            expect(o.get(key) == t.get(key), "%s: check %s field %s: tessera %r, qemu-img %r" %
                   (label, " ".join(args), key, o.get(key), t.get(key)))
    except ValueError:
        expect(False, "%s: check --output=json did not print JSON: %r" % (label, ours.stdout))
    if args:
        # After our repair, qemu-img agrees the image is in the state we claim.
        after = qemu_img("check", a, check=False)
        expect(after.returncode == ours.returncode, "%s: after tessera check %s, qemu-img check exits %d" %
               (label, " ".join(args), after.returncode))
    return ours


clean = os.path.join(work, "clean.qcow2")
qemu_img("create", "-q", "-f", "qcow2", clean, "32M")
qemu_io(clean, "write -P 3 0 2M", "write -c -P 4 4M 256k", "discard 64k 64k")
leaky = os.path.join(work, "leaky.qcow2")
shutil.copy(clean, leaky)
make_leaky(leaky)
corrupt = os.path.join(work, "corrupt.qcow2")
shutil.copy(clean, corrupt)
make_corrupt(corrupt)

check_both("clean", clean)
human = tessera("check", clean).stdout
expect("No errors were found on the image." in human, "clean: human message")
check_both("leaky", leaky)
proc = tessera("check", leaky, check=False)
expect("1 leaked clusters were found on the image." in proc.stdout, "leaky: human message: " + proc.stdout)
check_both("leaky", leaky, "-r", "leaks")
check_both("leaky", leaky, "-r", "all")
check_both("corrupt", corrupt)
proc = tessera("check", corrupt, check=False)
expect("errors were found on the image." in proc.stdout, "corrupt: human message: " + proc.stdout)
check_both("corrupt", corrupt, "-r", "all")

raw = tessera("check", os.path.join(work, "disk.raw"), check=False)
expect(raw.returncode == 63, "raw: check exits 63 like qemu-img, got %d" % raw.returncode)

finish("img_info_check")
