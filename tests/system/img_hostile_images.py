#!/usr/bin/env python3
"""Specification (issue 10, items 5, 7 and 8): a damaged or hostile qcow2 image
never crashes or hangs `tessera-cli img`, and nothing passes `img check`
silently. For a matrix of crafted images (truncated compressed data, misaligned
L2 entries, tables past the end of the file, broken snapshot tables, 65536
snapshots, overlapping metadata, ...) our `img check` gives the exit code and
the corruption, leak and error counts of the real `qemu-img check` (QEMU 7.2),
and `img info` the exit code of `qemu-img info`. After `img check -r all`,
qemu-img finds the image at least as consistent as after its own repair.

The subprocess timeout is only a safety net against hangs, never a measure.
"""
import os
import random
import shutil
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from imgtest import *  # noqa: E402,F401,F403

TIMEOUT = 120  # seconds; every case takes well under one

require_tools()
work = workdir()


def outcome(args):
    """(exit code, parsed JSON or None, stderr); a crash or a hang is a failure."""
    try:
        proc = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return "hang", None, ""
    if proc.returncode < 0:
        return "signal %d" % -proc.returncode, None, proc.stderr
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        data = None
    return proc.returncode, data, proc.stderr


def counts(data):
    if data is None:
        return None
    return {key: data.get(key, 0) for key in ("corruptions", "leaks", "check-errors")}


# ---- the undamaged image every case starts from ----------------------------------
# 64 KiB clusters: data, compressed data, a preallocated zero cluster, a snapshot
# and data written after it (so the snapshot's L1 and L2 tables differ).
base = os.path.join(work, "base.qcow2")
qemu_img("create", "-q", "-f", "qcow2", base, "8M")
qemu_io(base, "write -P 1 0 1M", "write -c -P 2 2M 256k", "write -P 4 4M 64k", "write -z 4M 64k")
qemu_img("snapshot", "-c", "s1", base)
qemu_io(base, "write -P 3 0 128k")


def be64(path, offset):
    with open(path, "rb") as f:
        f.seek(offset)
        return struct.unpack(">Q", f.read(8))[0]


def be32(path, offset):
    with open(path, "rb") as f:
        f.seek(offset)
        return struct.unpack(">I", f.read(4))[0]


def poke(path, offset, data):
    with open(path, "r+b") as f:
        f.seek(offset)
        f.write(data)


def poke64(path, offset, value):
    poke(path, offset, struct.pack(">Q", value))


def poke32(path, offset, value):
    poke(path, offset, struct.pack(">I", value))


OFFSET_MASK = 0x00FFFFFFFFFFFE00
COPIED = 1 << 63
CLUSTER = 1 << be32(base, 20)
L1 = be64(base, 40)
REFTABLE = be64(base, 48)
SNAPSHOTS = be64(base, 64)
L2 = be64(base, L1) & OFFSET_MASK
REFBLOCK = be64(base, REFTABLE)
SNAPSHOT_L1 = be64(base, SNAPSHOTS)
SNAPSHOT_L2 = be64(base, SNAPSHOT_L1) & OFFSET_MASK
FAR = 0x10000000  # 256 MiB: far past the end of the 2 MiB file


def l2_index(kind):
    """Index of the first active L2 entry of a kind: data, compressed, zero_alloc."""
    for i in range(CLUSTER // 8):
        entry = be64(base, L2 + 8 * i)
        offset = entry & OFFSET_MASK
        if kind == "compressed" and entry >> 62 & 1:
            return i
        if kind == "zero_alloc" and not entry >> 62 & 1 and entry & 1 and offset:
            return i
        if kind == "data" and not entry >> 62 & 1 and not entry & 1 and offset:
            return i
    raise AssertionError("the base image has no %s cluster" % kind)


DATA, COMPRESSED, ZERO_ALLOC = l2_index("data"), l2_index("compressed"), l2_index("zero_alloc")


def set_l2(path, index, value):
    poke64(path, L2 + 8 * index, value)


def truncated_compressed(path):
    """The issue's case: real `qemu-img convert -c` output cut to a third."""
    raw = os.path.join(work, "compressible.raw")
    rng = random.Random(10)
    with open(raw, "wb") as f:
        for i in range(256):
            f.write((b"tessera %d " % i) * 400 if i % 2 else rng.randbytes(4000))
    os.remove(path)
    qemu_img("convert", "-c", "-O", "qcow2", raw, path)
    os.remove(raw)
    os.truncate(path, os.path.getsize(path) // 3)


def many_snapshots(path, l1_offset, l1_entries, count=65536):
    """`count` snapshots (QEMU's maximum) sharing one L1 table, in a table appended to the file."""
    entry = struct.pack(">QIHHIIQII", l1_offset, l1_entries, 1, 0, 0, 0, 0, 0, 16) + bytes(16) + b"x"
    entry += bytes(-len(entry) % 8)
    table = (os.path.getsize(path) + CLUSTER - 1) // CLUSTER * CLUSTER
    poke(path, table, entry * count)
    poke32(path, 60, count)
    poke64(path, 64, table)


def huge_shared_l1(path):
    """65536 snapshots sharing a 32 MiB L1 table (4 Mi entries): 2 TiB to read naively."""
    l1 = (os.path.getsize(path) + CLUSTER - 1) // CLUSTER * CLUSTER
    os.truncate(path, l1 + (4 << 20) * 8)
    many_snapshots(path, l1, 4 << 20)


def sparse_terabyte(path):
    """512-byte clusters in a sparse 1 TiB file: 2^31 clusters, a few thousand used."""
    os.remove(path)
    qemu_img("create", "-q", "-f", "qcow2", "-o", "cluster_size=512", path, "64M")
    qemu_io(path, "write -P 5 0 1M")
    os.truncate(path, 1 << 40)


# name -> (damage, what the comparison covers). Unless noted, both tools run and
# must agree on exit code and counts.
CASES = [
    ("truncated_compressed", truncated_compressed),
    ("truncated_to_1M", lambda p: os.truncate(p, 1 << 20)),
    ("header_cluster_only", lambda p: os.truncate(p, CLUSTER)),
    ("l2_data_misaligned", lambda p: set_l2(p, DATA, be64(p, L2 + 8 * DATA) + 0x200)),
    ("l2_zero_alloc_misaligned", lambda p: set_l2(p, ZERO_ALLOC, be64(p, L2 + 8 * ZERO_ALLOC) + 0x200)),
    ("l2_reserved_bits", lambda p: set_l2(p, DATA, be64(p, L2 + 8 * DATA) | 1 << 56)),
    ("l2_data_past_end", lambda p: set_l2(p, DATA, FAR | COPIED)),
    ("compressed_with_copied", lambda p: set_l2(p, COMPRESSED, be64(p, L2 + 8 * COMPRESSED) | COPIED)),
    ("l1_past_end", lambda p: poke64(p, 40, FAR)),
    ("l1_misaligned", lambda p: poke64(p, 40, L1 + 0x200)),
    ("l1_over_refcount_table", lambda p: poke64(p, 40, REFTABLE)),
    ("l1_entry_past_end", lambda p: poke64(p, L1, FAR | COPIED)),
    ("l1_entry_misaligned", lambda p: poke64(p, L1, (L2 + 0x200) | COPIED)),
    ("l1_entry_reserved_bits", lambda p: poke64(p, L1, L2 | COPIED | 1 << 60)),
    ("refcount_table_over_header", lambda p: poke64(p, 48, 0)),
    ("refcount_table_past_end", lambda p: poke64(p, 48, FAR)),
    ("refcount_table_misaligned", lambda p: poke64(p, 48, REFTABLE + 0x200)),
    ("refcount_block_past_end", lambda p: poke64(p, REFTABLE, FAR)),
    ("refcount_block_misaligned", lambda p: poke64(p, REFTABLE, REFBLOCK + 0x200)),
    ("refcount_block_unreadable", lambda p: poke64(p, REFTABLE, 0x8000000000020000)),
    ("snapshot_table_past_end", lambda p: poke64(p, 64, FAR)),
    ("snapshot_table_misaligned", lambda p: poke64(p, 64, SNAPSHOTS + 0x200)),
    ("snapshot_table_cut_by_end", lambda p: os.truncate(p, SNAPSHOTS + 20)),
    ("snapshot_extra_data_huge", lambda p: poke32(p, SNAPSHOTS + 36, 2000)),
    ("too_many_snapshots", lambda p: poke32(p, 60, 65537)),
    ("snapshot_l1_misaligned", lambda p: poke64(p, SNAPSHOTS, SNAPSHOT_L1 + 0x200)),
    ("snapshot_l1_past_end", lambda p: poke64(p, SNAPSHOTS, FAR)),
    ("snapshot_l1_unreadable", lambda p: poke64(p, SNAPSHOTS, 0x8000000000000000)),
    ("snapshot_l1_too_large", lambda p: poke32(p, SNAPSHOTS + 8, 0x800000)),
    ("snapshot_l2_misaligned", lambda p: poke64(p, SNAPSHOT_L1, SNAPSHOT_L2 + 0x200)),
    ("snapshot_l2_past_end", lambda p: poke64(p, SNAPSHOT_L1, FAR)),
    ("65536_snapshots", lambda p: many_snapshots(p, SNAPSHOT_L1, be32(p, SNAPSHOTS + 8))),
]
# Cases qemu-img cannot serve as a reference for, with what we expect instead.
OWN_EXPECTATIONS = [
    # qemu-img check would read the shared table 65536 times (about a quarter of
    # an hour); we read it once. QEMU's counts: each L1 cluster is referenced
    # 65536 times, one more than 16 bits hold (an overflow each), and it and the
    # new snapshot table have refcount 0.
    ("65536_snapshots_sharing_32MiB_l1", huge_shared_l1, 2),
    # qemu-img check stops at 2^31 clusters ("File too large", exit 1); the sparse
    # reference tally checks it, in a few MiB.
    ("sparse_1TiB_512_byte_clusters", sparse_terabyte, 0),
]


def check_case(name, damage):
    path = os.path.join(work, name + ".qcow2")
    shutil.copy(base, path)
    damage(path)
    ours = outcome([CLI, "img", "check", "--output=json", path])
    theirs = outcome([QEMU_IMG, "check", "--output=json", path])
    expect(ours[0] == theirs[0], "%s: check exit code: tessera %s, qemu-img %s (%s)" %
           (name, ours[0], theirs[0], ours[2].strip()[-300:]))
    if theirs[1] is not None:
        expect(counts(ours[1]) == counts(theirs[1]), "%s: check counts: tessera %s, qemu-img %s" %
               (name, counts(ours[1]), counts(theirs[1])))
    if ours[0] == 1 and ours[1] is None:
        expect("tessera-cli img check: " in ours[2], "%s: a failed check says why: %r" % (name, ours[2]))
    ours_info = outcome([CLI, "img", "info", path])
    theirs_info = outcome([QEMU_IMG, "info", path])
    expect(ours_info[0] == theirs_info[0], "%s: info exit code: tessera %s, qemu-img %s (%s)" %
           (name, ours_info[0], theirs_info[0], ours_info[2].strip()[-300:]))

    # Repair: afterwards qemu-img finds ours at least as consistent as its own.
    mine, qemus = path + ".ours", path + ".qemu"
    shutil.copy(path, mine)
    shutil.copy(path, qemus)
    repaired = outcome([CLI, "img", "check", "-r", "all", mine])
    outcome([QEMU_IMG, "check", "-r", "all", qemus])
    expect(isinstance(repaired[0], int), "%s: check -r all ended with %s" % (name, repaired[0]))
    after_ours = outcome([QEMU_IMG, "check", mine])[0]
    after_qemu = outcome([QEMU_IMG, "check", qemus])[0]
    expect(after_ours == after_qemu or after_ours == 0,
           "%s: after -r all, qemu-img check exits %s on our repair, %s on its own" %
           (name, after_ours, after_qemu))
    for p in (path, mine, qemus):
        os.remove(p)
    print("%-34s check %-3s info %-3s repaired %s" % (name, ours[0], ours_info[0], after_ours))


for name, damage in CASES:
    check_case(name, damage)

for name, damage, expected in OWN_EXPECTATIONS:
    path = os.path.join(work, name + ".qcow2")
    shutil.copy(base, path)
    damage(path)
    ours = outcome([CLI, "img", "check", "--output=json", path])
    expect(ours[0] == expected, "%s: check exit code %s, expected %s (%s)" % (name, ours[0], expected, ours[2][-300:]))
    ours_info = outcome([CLI, "img", "info", path])
    expect(ours_info[0] == 0, "%s: info exit code %s (%s)" % (name, ours_info[0], ours_info[2][-300:]))
    print("%-34s check %-3s info %-3s" % (name, ours[0], ours_info[0]))
    os.remove(path)

shutil.rmtree(work)
finish("img_hostile_images")
