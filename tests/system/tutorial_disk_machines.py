#!/usr/bin/env python3
"""System test: steps 1 and 6 of the README's classic QEMU tutorial, with the
README's own commands (tutorial_readme.py). Argument: TESSERA_CLI.
  1  `tessera-cli img create -f qcow2 debian-ppc.qcow2 15G` makes a sparse
     image: a few hundred KiB on disk like qemu-img's own, 15 GiB virtual
     and qcow2 to qemu-img info, clean to qemu-img check
  6  `tessera-cli run --list-machines` and `tessera-cli qemu qemu-system-…
     -machine help` name the machines this build runs with their CPUs:
     mac99 (PowerPC 750) for qemu-system-ppc, virt (rv64) for
     qemu-system-riscv64, both in the list"""
import json
import os
import subprocess
import sys
import tempfile

import tutorial_readme as readme
from guest_console import run_test

cli = sys.argv[1]
GIB = 1 << 30


def run_readme_command(words, cwd):
    argv = readme.substitute(words, program=cli)
    print("$ " + readme.shell_line(argv), flush=True)
    done = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    print(done.stdout + done.stderr, flush=True)
    assert done.returncode == 0, "%s exited with status %d" % (readme.shell_line(words), done.returncode)
    return done.stdout


def allocated(path):
    return os.stat(path).st_blocks * 512


def disk(work):
    words = readme.tessera_command("tutorial-1-disk")
    run_readme_command(words, work)
    image = os.path.join(work, words[-2])
    info = json.loads(subprocess.run(["qemu-img", "info", "--output=json", image], stdout=subprocess.PIPE,
                                     check=True, text=True).stdout)
    assert info["format"] == "qcow2", "qemu-img info says format %s" % info["format"]
    assert info["virtual-size"] == 15 * GIB, "qemu-img info says %d bytes, not 15 GiB" % info["virtual-size"]
    check = subprocess.run(["qemu-img", "check", image], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert check.returncode == 0 and "No errors were found" in check.stdout, "qemu-img check:\n" + check.stdout
    reference = os.path.join(work, "qemu-img.qcow2")
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", reference, "15G"], check=True)
    print("on disk: %d KiB (qemu-img's own: %d KiB) for 15 GiB" % (allocated(image) >> 10, allocated(reference) >> 10))
    assert allocated(image) <= 1 << 20, "the 15 GiB image takes %d KiB on disk: it is not sparse" % (
        allocated(image) >> 10)


def machines(work):
    outputs = {}
    for command in readme.commands("tutorial-6-machines"):
        words = readme.words(command)
        outputs[" ".join(words[1:])] = run_readme_command(words, work)
    listed = outputs.pop("run --list-machines")
    for name in ("mac99", "virt"):
        assert name in listed.split(), "--list-machines does not name %s" % name
    for program, machine, cpu in (("qemu-system-ppc", "mac99", "PowerPC 750"),
                                  ("qemu-system-riscv64", "virt", "rv64")):
        text = outputs.pop("qemu %s -machine help" % program)
        assert machine in text.split(), "%s -machine help does not name %s" % (program, machine)
        assert cpu in text, "%s -machine help does not name the CPU (%s)" % (program, cpu)
        assert cpu in listed, "--list-machines does not name the CPU %s" % cpu
    assert not outputs, "the README lists commands this test does not check: %s" % sorted(outputs)


def main():
    with tempfile.TemporaryDirectory(prefix="tessera-tutorial-") as work:
        disk(work)
        machines(work)


run_test(main)
