"""Shared helpers for the `tessera-cli img` system tests (Python 3 stdlib only).

Every test runs real `qemu-img`/`qemu-io` (Debian qemu-utils) next to our
`tessera-cli img` on the same files and compares what they report or read.
"""
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

CLI = os.environ.get("TESSERA_CLI") or shutil.which("tessera-cli")
QEMU_IMG = shutil.which("qemu-img")
QEMU_IO = shutil.which("qemu-io")

failures = []


def require_tools():
    missing = [name for name, path in (("TESSERA_CLI", CLI), ("qemu-img", QEMU_IMG), ("qemu-io", QEMU_IO)) if not path]
    if missing:
        print("missing tools: " + ", ".join(missing), file=sys.stderr)
        sys.exit(1)


def run(args, check=True, cwd=None, input=None):
    """Runs a command, returns CompletedProcess with text output."""
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, input=input)
    if check and proc.returncode != 0:
        raise AssertionError("command failed (%d): %s\nstdout: %s\nstderr: %s" %
                             (proc.returncode, " ".join(args), proc.stdout, proc.stderr))
    return proc


def tessera(*args, check=True, cwd=None):
    return run([CLI, "img"] + list(args), check=check, cwd=cwd)


def qemu_img(*args, check=True, cwd=None):
    return run([QEMU_IMG] + list(args), check=check, cwd=cwd)


def qemu_io(image, *commands, fmt=None, cwd=None):
    args = [QEMU_IO]
    if fmt:
        args += ["-f", fmt]
    for command in commands:
        args += ["-c", command]
    args.append(image)
    proc = run(args, cwd=cwd)
    if "error" in proc.stdout.lower() or "failed" in proc.stdout.lower():
        raise AssertionError("qemu-io reported an error: " + proc.stdout)
    return proc


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def expect(condition, message):
    """Records a failed expectation and keeps going, so one run shows them all."""
    if not condition:
        failures.append(message)
        print("FAIL: " + message, file=sys.stderr)
    return condition


def finish(name):
    if failures:
        print("%s: %d failure(s)" % (name, len(failures)), file=sys.stderr)
        sys.exit(1)
    print("%s: all checks passed" % name)


def workdir():
    return tempfile.mkdtemp(prefix="tessera-img-test-")


def write_mixed_raw(path, size, seed=1):
    """A raw disk with text, random bytes, zeros and holes, like a used disk."""
    rng = random.Random(seed)
    text = b"".join(b"line %d: the quick brown fox jumps over the lazy dog\n" % i for i in range(4000))
    with open(path, "wb") as f:
        f.truncate(size)
        offset = 0
        while offset < size:
            kind = rng.choice(["text", "random", "zeros", "hole"])
            length = min(rng.choice([4096, 65536, 200000, 1 << 20]), size - offset)
            f.seek(offset)
            if kind == "text":
                f.write((text * (length // len(text) + 1))[:length])
            elif kind == "random":
                f.write(rng.randbytes(length))
            elif kind == "zeros":
                f.write(bytes(length))
            offset += length


def read_back_raw(tool, image, out, fmt=None):
    """Converts image to raw with the given tool ("qemu" or "tessera")."""
    if tool == "qemu":
        args = ["convert"] + (["-f", fmt] if fmt else []) + ["-O", "raw", image, out]
        qemu_img(*args)
    else:
        args = ["convert"] + (["-f", fmt] if fmt else []) + ["-O", "raw", image, out]
        tessera(*args)
    return sha256(out)


def info_json(tool, image, *extra):
    proc = (qemu_img if tool == "qemu" else tessera)("info", "--output=json", *extra, image)
    return json.loads(proc.stdout)
