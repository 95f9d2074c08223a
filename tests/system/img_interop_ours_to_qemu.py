#!/usr/bin/env python3
"""Specification: every image `tessera-cli img` creates, with every create
option, passes real `qemu-img check` and reads back through
`qemu-img convert -O raw` exactly as the data we put in."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from imgtest import *  # noqa: E402,F401,F403

require_tools()
work = workdir()
source = os.path.join(work, "source.raw")
write_mixed_raw(source, 8 << 20, seed=7)
source_hash = sha256(source)

OPTION_SETS = [
    ("default", "", False),
    ("cluster 512", "cluster_size=512", False),
    ("cluster 4k", "cluster_size=4k", False),
    ("cluster 2M", "cluster_size=2M", False),
    ("compat 0.10", "compat=0.10", False),
    ("compat 0.10 compressed", "compat=0.10", True),
    ("zlib compressed", "compression_type=zlib", True),
    ("zstd compressed", "compression_type=zstd", True),
    ("zstd compressed 4k clusters", "compression_type=zstd,cluster_size=4k", True),
    ("refcount 1 bit", "refcount_bits=1", False),
    ("refcount 2 bits", "refcount_bits=2", False),
    ("refcount 4 bits", "refcount_bits=4", False),
    ("refcount 8 bits", "refcount_bits=8", False),
    ("refcount 32 bits", "refcount_bits=32", False),
    ("refcount 64 bits", "refcount_bits=64", True),
    ("lazy refcounts", "lazy_refcounts=on", False),
    ("extended l2", "extended_l2=on", False),
    ("extended l2 16k clusters", "extended_l2=on,cluster_size=16k", False),
    ("preallocation metadata", "preallocation=metadata", False),
    ("preallocation full", "preallocation=full", False),
]

for label, options, compress in OPTION_SETS:
    # An empty image made by `create`.
    empty = os.path.join(work, "empty.qcow2")
    args = ["create", "-q", "-f", "qcow2"] + (["-o", options] if options else []) + [empty, "8M"]
    tessera(*args)
    check = qemu_img("check", empty, check=False)
    expect(check.returncode == 0, "%s: qemu-img check of an empty image exits %d: %s%s" %
           (label, check.returncode, check.stdout, check.stderr))

    # The same options with data, written by `convert`.
    image = os.path.join(work, "ours.qcow2")
    args = ["convert", "-O", "qcow2"] + (["-c"] if compress else []) + (["-o", options] if options else [])
    proc = tessera(*(args + [source, image]), check=False)
    if not expect(proc.returncode == 0, "%s: convert failed: %s" % (label, proc.stderr)):
        continue
    check = qemu_img("check", image, check=False)
    expect(check.returncode == 0, "%s: qemu-img check exits %d: %s%s" % (label, check.returncode, check.stdout,
                                                                          check.stderr))
    back = os.path.join(work, "back.raw")
    expect(read_back_raw("qemu", image, back) == source_hash,
           "%s: qemu-img reads back different data than was written" % label)
    info = info_json("qemu", image)
    for key, value in [kv.split("=") for kv in options.split(",") if kv]:
        if key == "compression_type":
            expect(info["format-specific"]["data"]["compression-type"] == value, "%s: compression type" % label)
        if key == "compat":
            expect(info["format-specific"]["data"]["compat"] == value, "%s: compat" % label)
        if key == "refcount_bits":
            expect(info["format-specific"]["data"]["refcount-bits"] == int(value), "%s: refcount bits" % label)
        if key == "extended_l2":
            expect(info["format-specific"]["data"]["extended-l2"] is True, "%s: extended l2" % label)
        if key == "lazy_refcounts":
            expect(info["format-specific"]["data"]["lazy-refcounts"] is True, "%s: lazy refcounts" % label)
    os.remove(image)

# Raw images.
raw = os.path.join(work, "ours.raw")
tessera("convert", "-O", "raw", source, raw)
expect(sha256(raw) == source_hash, "raw convert: content differs")
tessera("create", "-q", "-f", "raw", raw, "3M")
expect(os.path.getsize(raw) == 3 << 20, "raw create: wrong size")

# Backing chain of depth 3 with relative names, created by us, written by qemu-io.
chain = os.path.join(work, "chain")
os.makedirs(chain)
tessera("convert", "-O", "qcow2", source, os.path.join(chain, "base.qcow2"))
tessera("create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", os.path.join(chain, "mid.qcow2"))
tessera("create", "-q", "-f", "qcow2", "-o", "backing_file=mid.qcow2,backing_fmt=qcow2",
        os.path.join(chain, "top.qcow2"))
qemu_io(os.path.join(chain, "mid.qcow2"), "write -P 0x5a 1M 192k", "write -z 2M 64k")
qemu_io(os.path.join(chain, "top.qcow2"), "write -P 0xa5 1088k 64k", "write -z 3M 128k")
for name in ("base.qcow2", "mid.qcow2", "top.qcow2"):
    check = qemu_img("check", os.path.join(chain, name), check=False)
    expect(check.returncode == 0, "chain %s: qemu-img check exits %d" % (name, check.returncode))
qemu_hash = read_back_raw("qemu", os.path.join(chain, "top.qcow2"), os.path.join(work, "q.raw"))
ours_hash = read_back_raw("tessera", os.path.join(chain, "top.qcow2"), os.path.join(work, "t.raw"))
expect(qemu_hash == ours_hash, "chain: tessera and qemu-img read the chain differently")
info = info_json("qemu", os.path.join(chain, "top.qcow2"))
expect(info.get("backing-filename") == "mid.qcow2", "chain: backing name not stored as given")
expect(info.get("backing-filename-format") == "qcow2", "chain: backing format not stored")

finish("img_interop_ours_to_qemu")
