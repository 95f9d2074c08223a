#!/usr/bin/env python3
"""Specification: every image real qemu-img/qemu-io produce (each create
option, compressed zlib and zstd clusters, zero clusters, discards, internal
snapshots, backing chains of depth 3 with relative names, raw bases) reads
back through `tessera-cli img convert -O raw` byte for byte like qemu-img
reads it, and `tessera-cli img check` finds it clean."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from imgtest import *  # noqa: E402,F401,F403

require_tools()
work = workdir()
source = os.path.join(work, "source.raw")
write_mixed_raw(source, 6 << 20, seed=3)


def same_reading(label, image, fmt=None):
    q = read_back_raw("qemu", image, os.path.join(work, "q.raw"), fmt)
    t = read_back_raw("tessera", image, os.path.join(work, "t.raw"), fmt)
    expect(q == t, "%s: tessera reads different data than qemu-img" % label)
    if fmt != "raw" and not image.endswith(".raw"):
        check = tessera("check", image, check=False)
        expect(check.returncode == 0, "%s: tessera check exits %d: %s%s" % (label, check.returncode,
                                                                            check.stdout, check.stderr))


# Patterns written with qemu-io into an image of each creation option set.
PATTERN = [
    "write -P 0x11 0 100k",        # partial clusters
    "write -P 0x22 512k 64k",
    "write -z 512k 4k",            # zero inside data (zero cluster or zeroed data)
    "write -z 1M 256k",            # zero clusters over nothing
    "write -P 0x33 2M 64k",
    "discard 2M 64k",              # discarded: reads zero
    "write -P 0x44 3M 1k",
    "write -c -P 0x55 4M 2M",      # compressed clusters (whole clusters)
    "write -P 0x66 6143k 1k",      # the last kilobytes of the disk
]

CREATE_OPTIONS = [
    "",
    "cluster_size=512",
    "cluster_size=4k",
    "cluster_size=2M",
    "compat=0.10",
    "refcount_bits=1",
    "refcount_bits=8",
    "refcount_bits=64",
    "lazy_refcounts=on",
    "extended_l2=on",
    "extended_l2=on,cluster_size=16k",
    "compression_type=zstd",
    "preallocation=metadata",
    "preallocation=full",
]

for options in CREATE_OPTIONS:
    image = os.path.join(work, "qemu.qcow2")
    qemu_img("create", "-q", "-f", "qcow2", *(["-o", options] if options else []), image, str(6 << 20))
    # qemu cannot write compressed clusters over preallocated ones.
    qemu_io(image, *[c for c in PATTERN if "preallocation" not in options or not c.startswith("write -c")])
    same_reading("qemu-io patterns, -o '%s'" % options, image)

# qemu-img's own compressed output, zlib and zstd, several cluster sizes.
for ctype in ("zlib", "zstd"):
    for cluster in ("4k", "64k", "1M"):
        image = os.path.join(work, "compressed.qcow2")
        qemu_img("convert", "-c", "-O", "qcow2", "-o", "compression_type=%s,cluster_size=%s" % (ctype, cluster),
                 source, image)
        same_reading("qemu-img convert -c %s %s" % (ctype, cluster), image)

# Internal snapshots: the active layer is read, snapshots survive our check.
snap = os.path.join(work, "snap.qcow2")
qemu_img("create", "-q", "-f", "qcow2", snap, "4M")
qemu_io(snap, "write -P 0x77 0 1M")
qemu_img("snapshot", "-c", "before", snap)
qemu_io(snap, "write -P 0x88 512k 1M", "write -z 0 64k")
qemu_img("snapshot", "-c", "after", snap)
qemu_io(snap, "discard 1M 64k")
same_reading("internal snapshots", snap)
names = [s["name"] for s in info_json("tessera", snap).get("snapshots", [])]
expect(names == ["before", "after"], "snapshots listed by tessera info: %r" % names)

# Backing chains of depth 3 (and 4 with a raw base), relative names, written at every level.
chain = os.path.join(work, "chain")
os.makedirs(chain)
with open(os.path.join(chain, "base.raw"), "wb") as f, open(source, "rb") as s:
    f.write(s.read())
qemu_img("create", "-q", "-f", "qcow2", "-b", "base.raw", "-F", "raw", os.path.join(chain, "l1.qcow2"))
qemu_img("create", "-q", "-f", "qcow2", "-b", "l1.qcow2", "-F", "qcow2", os.path.join(chain, "l2.qcow2"))
qemu_img("create", "-q", "-f", "qcow2", "-o", "compression_type=zstd", "-b", "l2.qcow2", "-F", "qcow2",
         os.path.join(chain, "l3.qcow2"))
qemu_io(os.path.join(chain, "l1.qcow2"), "write -P 0x10 0 128k", "write -z 1M 64k")
qemu_io(os.path.join(chain, "l2.qcow2"), "write -P 0x20 64k 128k", "write -c -P 0x21 2M 64k", "write -z 3M 64k")
qemu_io(os.path.join(chain, "l3.qcow2"), "write -P 0x30 100k 8k", "write -z 0 4k", "write -c -P 0x31 4M 64k")
same_reading("depth-4 chain from the top", os.path.join(chain, "l3.qcow2"))
same_reading("depth-3 chain from the middle", os.path.join(chain, "l2.qcow2"))
# Opening from another directory: relative names resolve against the image, not the cwd.
proc = tessera("convert", "-O", "raw", "chain/l3.qcow2", "t2.raw", cwd=work, check=False)
expect(proc.returncode == 0, "relative chain opened from another cwd: " + proc.stderr)

# A top image larger than its backing file: past the backing file's end it reads zeros.
short = os.path.join(chain, "short.qcow2")
qemu_img("create", "-q", "-f", "qcow2", "-b", "l1.qcow2", "-F", "qcow2", short, "8M")
same_reading("top larger than its backing file", short)

finish("img_interop_qemu_to_ours")
