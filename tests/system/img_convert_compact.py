#!/usr/bin/env python3
"""Specification: `convert -c` makes a smaller qcow2 that qemu-img reads back
identically (zlib and zstd); zeroed guest blocks do not survive convert or
compact; compact keeps format, compat, backing file and compression type,
reads back identically, is undone completely by a cancel, and refuses an
image that a running QEMU process holds; bad command lines fail with one
clear line and exit 1."""
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from imgtest import *  # noqa: E402,F401,F403

require_tools()
work = workdir()
os.chdir(work)

write_mixed_raw("mixed.raw", 16 << 20, seed=11)
qemu_img("convert", "-O", "qcow2", "mixed.raw", "plain.qcow2")

# ---- convert -c -----------------------------------------------------------------
for ctype in ("zlib", "zstd"):
    out = "c-%s.qcow2" % ctype
    tessera("convert", "-c", "-O", "qcow2", "-o", "compression_type=" + ctype, "plain.qcow2", out)
    expect(os.path.getsize(out) < os.path.getsize("plain.qcow2"),
           "convert -c %s: %d bytes is not smaller than %d" % (ctype, os.path.getsize(out),
                                                                os.path.getsize("plain.qcow2")))
    expect(qemu_img("compare", "plain.qcow2", out, check=False).returncode == 0,
           "convert -c %s: qemu-img compare finds a difference" % ctype)
    expect(qemu_img("check", out, check=False).returncode == 0, "convert -c %s: qemu-img check" % ctype)
    info = info_json("qemu", out)
    expect(info["format-specific"]["data"]["compression-type"] == ctype, "convert -c %s: header" % ctype)
    mapped = json.loads(qemu_img("map", "--output=json", out).stdout)
    # qemu-img 7.2 reports compressed clusters as data without an offset.
    expect(any(e["data"] and "offset" not in e for e in mapped), "convert -c %s: no compressed clusters" % ctype)

proc = tessera("convert", "-p", "-c", "-m", "2", "-O", "qcow2", "plain.qcow2", "progress.qcow2")
expect("100.00/100%" in proc.stderr and proc.stdout == "", "convert -p: progress goes to stderr only")

# ---- zeroed blocks do not survive -------------------------------------------------
qemu_img("create", "-q", "-f", "qcow2", "used.qcow2", "32M")
qemu_io("used.qcow2", "write -P 0x42 0 16M")
qemu_io("used.qcow2", "write -P 0 4M 8M")  # the guest zeroed 8M with plain writes (no zero clusters)
for label, args in [("convert", ["convert", "-O", "qcow2", "used.qcow2", "used-converted.qcow2"]),
                    ("convert -c", ["convert", "-c", "-O", "qcow2", "used.qcow2", "used-compressed.qcow2"])]:
    tessera(*args)
    target = args[-1]
    mapped = json.loads(qemu_img("map", "--output=json", target).stdout)
    data_in_zeroed = [e for e in mapped if e["data"] and e["start"] < (12 << 20) and e["start"] + e["length"] > (4 << 20)]
    expect(not data_in_zeroed, "%s: zeroed range still stored: %r" % (label, data_in_zeroed))
    expect(qemu_img("compare", "used.qcow2", target, check=False).returncode == 0, "%s: content differs" % label)

# ---- compact ----------------------------------------------------------------------
shutil.copy("used.qcow2", "compact-me.qcow2")
before = os.stat("compact-me.qcow2").st_blocks
proc = tessera("compact", "compact-me.qcow2")
after = os.stat("compact-me.qcow2").st_blocks
expect(after < before * 0.75, "compact: %d blocks -> %d blocks is not a shrink" % (before, after))
expect(qemu_img("compare", "used.qcow2", "compact-me.qcow2", check=False).returncode == 0,
       "compact: content differs")
expect(qemu_img("check", "compact-me.qcow2", check=False).returncode == 0, "compact: qemu-img check")
mapped = json.loads(qemu_img("map", "--output=json", "compact-me.qcow2").stdout)
expect(not [e for e in mapped if e["data"] and e["start"] < (12 << 20) and e["start"] + e["length"] > (4 << 20)],
       "compact: zeroed range survived")
expect(not [n for n in os.listdir(".") if ".compact-" in n], "compact: temporary file left behind")

# compact keeps the shape: compat 0.10, zstd, 4k clusters, refcount bits, backing file (relative).
qemu_img("create", "-q", "-f", "qcow2", "-o", "compat=0.10", "v2.qcow2", "8M")
qemu_io("v2.qcow2", "write -P 5 0 2M", "write -P 0 0 1M")
qemu_img("create", "-q", "-f", "qcow2", "base.qcow2", "8M")
qemu_io("base.qcow2", "write -P 6 0 4M")
qemu_img("create", "-q", "-f", "qcow2", "-o", "compression_type=zstd,cluster_size=4k,refcount_bits=8",
         "-b", "base.qcow2", "-F", "qcow2", "top.qcow2")
qemu_io("top.qcow2", "write -P 7 1M 1M", "write -z 2M 64k", "write -P 0 3M 64k")
for image, compress in (("v2.qcow2", []), ("top.qcow2", ["-c"])):
    reference = "ref-" + image
    qemu_img("convert", "-O", "raw", image, reference)
    shape = info_json("qemu", image)
    tessera("compact", "-q", *compress, image)
    after = info_json("qemu", image)
    for key in ("virtual-size", "cluster-size", "backing-filename", "backing-filename-format"):
        expect(shape.get(key) == after.get(key), "compact %s: %s changed %r -> %r" % (image, key, shape.get(key),
                                                                                    after.get(key)))
    for key in ("compat", "compression-type", "refcount-bits"):
        expect(shape["format-specific"]["data"].get(key) == after["format-specific"]["data"].get(key),
               "compact %s: %s changed" % (image, key))
    expect(qemu_img("compare", "-f", "raw", reference, image, check=False).returncode == 0,
           "compact %s: content differs" % image)
    expect(qemu_img("check", image, check=False).returncode == 0, "compact %s: qemu-img check" % image)
# The backing file was only read.
expect(qemu_img("compare", "base.qcow2", "-f", "qcow2", "base.qcow2", check=False).returncode == 0, "base intact")

# Cancel (SIGINT, as Ctrl-C or the GUI's Cancel button) leaves the original byte-identical.
with open("random.raw", "wb") as f:
    f.write(os.urandom(96 << 20))
qemu_img("convert", "-O", "qcow2", "random.raw", "cancel-me.qcow2")
original = sha256("cancel-me.qcow2")
job = subprocess.Popen([CLI, "img", "compact", "-p", "-c", "-m", "1", "cancel-me.qcow2"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
seen = b""
while b"(2." not in seen and job.poll() is None:
    seen += job.stderr.read(1)
job.send_signal(2)
_, err = job.communicate(timeout=120)
expect(job.returncode != 0, "compact cancel: the job still reported success")
expect(sha256("cancel-me.qcow2") == original, "compact cancel: the original changed")
expect(not [n for n in os.listdir(".") if ".compact-" in n], "compact cancel: temporary file left behind")

# A running QEMU process (qemu-io holds the image like a VM) makes compact refuse.
holder = subprocess.Popen([QEMU_IO, "v2.qcow2"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)
time.sleep(1.0)
locked = sha256("v2.qcow2")
proc = tessera("compact", "v2.qcow2", check=False)
holder.communicate(input=b"quit\n", timeout=30)
expect(proc.returncode == 1, "compact of a locked image exits %d" % proc.returncode)
expect("in use" in proc.stderr, "compact of a locked image: message %r" % proc.stderr)
expect(sha256("v2.qcow2") == locked, "compact of a locked image changed it")

# ---- bad command lines: one line, exit 1, no crash --------------------------------
BAD = [
    ["create", "-f", "qcow3", "x.qcow2", "1G"],
    ["create", "-f", "qcow2", "x.qcow2", "12abc"],
    ["create", "-f", "qcow2", "-o", "cluster_size=1000", "x.qcow2", "1G"],
    ["create", "-f", "qcow2", "-o", "clustersize=64k", "x.qcow2", "1G"],
    ["create", "-f", "qcow2", "-o", "compat=0.10,compression_type=zstd", "x.qcow2", "1G"],
    ["create", "-f", "qcow2", "x.qcow2"],
    ["create", "-Z", "x.qcow2", "1G"],
    ["info", "--output=xml", "plain.qcow2"],
    ["info", "no-such-file.qcow2"],
    ["check", "-r", "everything", "plain.qcow2"],
    ["convert", "-O", "vmdk", "plain.qcow2", "x.vmdk"],
    ["convert", "-c", "-O", "raw", "plain.qcow2", "x.raw"],
    ["convert", "-m", "zero", "plain.qcow2", "x.raw"],
    ["convert", "plain.qcow2"],
    ["resize", "plain.qcow2", "1X"],
    ["resize", "plain.qcow2", "-1G"],
    ["map", "--output=yaml", "plain.qcow2"],
    ["compact", "no-such-file.qcow2"],
    ["frobnicate"],
]
for args in BAD:
    proc = tessera(*args, check=False)
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    expect(proc.returncode == 1 and len(lines) == 1,
           "img %s: exit %d, stderr %r (want exit 1 and one line)" % (" ".join(args), proc.returncode, proc.stderr))
for sub in ("create", "info", "check", "convert", "compact", "resize", "compare", "map"):
    proc = tessera(sub, "--help", check=False)
    expect(proc.returncode == 0 and proc.stdout.startswith("Usage: tessera-cli img " + sub),
           "img %s --help" % sub)
proc = tessera("--help", check=False)
expect(proc.returncode == 0 and "compact" in proc.stdout, "img --help")

# resize: grow, relative, and shrink only with --shrink.
qemu_img("create", "-q", "-f", "qcow2", "r.qcow2", "1G")
tessera("resize", "r.qcow2", "+1G")
expect(info_json("qemu", "r.qcow2")["virtual-size"] == 2 << 30, "resize +1G")
expect(tessera("resize", "r.qcow2", "1G", check=False).returncode == 1, "shrink without --shrink refused")
tessera("resize", "--shrink", "r.qcow2", "-512M")
expect(info_json("qemu", "r.qcow2")["virtual-size"] == 1536 << 20, "resize --shrink")
expect(qemu_img("check", "r.qcow2", check=False).returncode == 0, "resize: qemu-img check")

finish("img_convert_compact")
