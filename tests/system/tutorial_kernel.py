#!/usr/bin/env python3
"""System test: step 4 of the README's classic QEMU tutorial, the kernel
developer's loop, with the README's own commands (tutorial_readme.py reads
them; only tessera-cli's path, the kernel, the root folder's contents and free
host ports are the test's). Arguments: TESSERA_CLI ARCH WHAT, with ARCH ppc
or riscv64 and WHAT below; TESSERA_CLI "qemu" runs the README's QEMU line of
hello_initrd under qemu-system-ppc/-riscv64 7.2 (headless, on the mac99 with
a 750 for ppc): the same output there proves the fixtures and the README's
claims about QEMU.
  hello_initrd  the tutorial's helloworld.c (from the README) cross-compiled
                static, packed with `echo helloworld | cpio -o --format=newc >
                rootfs`, booted as rdinit by the tutorial's line through
                `tessera-cli qemu` and then by the native `tessera-cli run` line:
                "Hello World - from QEMU environment" on the console; the
                program loops forever, so the VM is still running and is killed
  ext2_root     `mke2fs -t ext2 -d rootfs-dir rootfs.ext2` with a static BusyBox
                and an /sbin/init that prints a marker with the root mount, writes
                a file, remounts / read-only and powers off; the tutorial's -hda
                line (-no-reboot, two -redir) and the native line each boot it:
                Linux mounts the clean ext2 root read-write from the disk (/dev/sda on the Power Mac's ATA,
                /dev/vda on RISC-V's virtio), runs its init, which writes to it,
                and the VM exits 0; the host reads both boots' writes back with
                debugfs, and e2fsck finds the file system clean
  gdb           the hello rootfs booted by the README's `-s -S` line: nothing
                runs until the README's gdb-multiarch line (in batch mode, with
                the kernel's symbols) attaches; it stops at a breakpoint on
                start_kernel, single-steps, detaches, and the guest runs on to
                the hello line
Prints the time of each boot."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import tutorial_readme as readme
from guest_console import GuestConsole, fixtures, run_test

cli, arch, what = sys.argv[1], sys.argv[2], sys.argv[3]
KERNEL_KEY = {"ppc": "PPC_LINUX_VMLINUX", "riscv64": "LINUX_IMAGE"}[arch]
KERNEL_FIXTURE = {"ppc": "linux-ppc32", "riscv64": "linux"}[arch]
SYMBOLS_KEY = {"ppc": "PPC_LINUX_VMLINUX", "riscv64": "LINUX_VMLINUX"}[arch]
BUSYBOX_KEY = {"ppc": "PPC_BUSYBOX", "riscv64": "BUSYBOX"}[arch]
BUSYBOX_FIXTURE = {"ppc": "initramfs-ppc32", "riscv64": "busybox"}[arch]
# mke2fs, debugfs and e2fsck live in /sbin, which a user's PATH may lack.
ENV = dict(os.environ, PATH=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
HELLO = "Hello World - from QEMU environment"
# What the reference run adds to the README's QEMU line: no window (as
# `tessera-cli qemu` has none) and Tessera's board, which is not QEMU's
# default (g3beige for qemu-system-ppc, spike for qemu-system-riscv64); on
# PowerPC Tessera's CPU, and no VGA, whose option ROM Debian lacks.
QEMU_REFERENCE = {"ppc": ["-M", "mac99", "-cpu", "750", "-nographic", "-vga", "none"],
                  "riscv64": ["-M", "virt", "-nographic"]}
# The folder mke2fs turns into rootfs.ext2: BusyBox and an init that shows
# which root it runs on, proves the root writable, and ends the VM cleanly
# (read-only first, as a shutdown leaves it, so the next boot finds it clean).
EXT2_INIT = """#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
echo "TUTORIAL-EXT2-INIT pid $$ root $(/bin/busybox grep ' / ' /proc/mounts)"
echo "booted from rootfs.ext2" >> /root/boots
/bin/busybox mount -o remount,ro /
/bin/busybox poweroff -f
"""


def shell(command, cwd):
    """A README command line that is not the VM (the compiler, cpio, mke2fs),
    run by bash as a reader would."""
    print("$ " + command, flush=True)
    subprocess.run(["bash", "-euo", "pipefail", "-c", command], cwd=cwd, env=ENV, check=True)


def run_block(step, cwd, kernel, ports=None):
    """Runs the block's commands in order; the tessera-cli one is started as a
    console (returned) instead of waiting for it."""
    guest = None
    for command in readme.commands(step):
        words = readme.words(command)
        if words[0] != "tessera-cli":
            shell(command, cwd)
            continue
        argv = readme.substitute(words, program=cli, options={"-kernel": kernel, "--kernel": kernel}, ports=ports)
        if cli == "qemu":  # the QEMU line itself under QEMU, without a window
            argv = argv[2:] + QEMU_REFERENCE[arch]
        print("$ " + readme.shell_line(argv), flush=True)
        previous = os.getcwd()
        os.chdir(cwd)  # the README's relative files (./rootfs, rootfs.ext2)
        try:
            guest = GuestConsole(argv)
        finally:
            os.chdir(previous)
    assert guest, "block %s starts no VM" % step
    return guest


def write_hello_source(work):
    with open(os.path.join(work, "helloworld.c"), "w") as source:
        source.write(readme.block("tutorial-4-helloworld.c"))


def hello_initrd(work, kernel):
    write_hello_source(work)
    steps = ["tutorial-4-hello-%s" % arch] + (["tutorial-4-hello-%s-run" % arch] if cli != "qemu" else [])
    for step in steps:
        guest = run_block(step, work, kernel)
        try:
            if step.endswith(arch):  # the block that built it
                with open(os.path.join(work, "rootfs"), "rb") as rootfs:
                    listing = subprocess.run(["cpio", "-t", "--quiet"], stdin=rootfs, stdout=subprocess.PIPE,
                                             check=True, text=True).stdout.split()
                assert listing == ["helloworld"], "the rootfs holds %s, not just helloworld" % listing
            guest.expect(r"Run /helloworld as init process", 600)
            guest.expect(HELLO, 120)
            print("\n%s: hello after %.1f s" % (step, guest.elapsed()))
            assert guest.proc.poll() is None, "the VM ended, but the tutorial's program loops forever"
        finally:
            guest.kill()


def ext2_root(work, kernel):
    root = os.path.join(work, "rootfs-dir")
    for folder in ("bin", "sbin", "proc", "sys", "dev", "tmp", "root"):
        os.makedirs(os.path.join(root, folder))
    busybox = os.path.join(root, "bin", "busybox")
    shutil.copy(fixtures(BUSYBOX_FIXTURE)[BUSYBOX_KEY], busybox)
    os.chmod(busybox, 0o755)
    init = os.path.join(root, "sbin", "init")
    with open(init, "w") as f:
        f.write(EXT2_INIT)
    os.chmod(init, 0o755)
    device = {"ppc": "sda", "riscv64": "vda"}[arch]
    ports = {2222: readme.free_port(), 3333: readme.free_port()}
    for boots, step in enumerate(("tutorial-4-ext2-%s" % arch, "tutorial-4-ext2-%s-run" % arch), 1):
        guest = run_block(step, work, kernel, ports)
        try:
            guest.expect(r"EXT4-fs \(%s\): mounting ext2 file system" % device, 600)
            guest.expect(r"VFS: Mounted root \(ext2 filesystem\)", 60)
            assert "mounting unchecked fs" not in guest.text(), "the previous boot left the file system unclean"
            guest.expect(r"TUTORIAL-EXT2-INIT pid 1 root /dev/root / ext2 rw[, ]", 120)
            status = guest.wait(120)
            assert status == 0, "the VM exited with status %s after the init's poweroff (-no-reboot)" % status
            print("\n%s: init and power-off after %.1f s" % (step, guest.elapsed()))
        finally:
            guest.kill()
        image = os.path.join(work, "rootfs.ext2")
        written = subprocess.run(["debugfs", "-R", "cat /root/boots", image], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, env=ENV, check=True, text=True).stdout
        assert written.count("booted from rootfs.ext2") == boots, \
            "after %d boot(s) /root/boots on the image holds %r" % (boots, written)
        fsck = subprocess.run(["e2fsck", "-fn", image], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=ENV,
                              text=True)
        assert fsck.returncode == 0, "e2fsck finds rootfs.ext2 damaged:\n" + fsck.stdout


def gdb(work, kernel):
    write_hello_source(work)
    for command in readme.commands("tutorial-4-hello-%s" % arch):  # the compiler and cpio lines
        if readme.words(command)[0] != "tessera-cli":
            shell(command, work)
    port = readme.free_port()
    start, debugger = readme.commands("tutorial-4-gdb-%s" % arch)
    argv = readme.substitute(readme.words(start), program=cli, options={"-kernel": kernel}, ports={1234: port})
    print("$ " + readme.shell_line(argv), flush=True)
    previous = os.getcwd()
    os.chdir(work)  # ./rootfs
    try:
        guest = GuestConsole(argv)
    finally:
        os.chdir(previous)
    try:
        symbols = fixtures(KERNEL_FIXTURE)[SYMBOLS_KEY]
        words = readme.substitute(readme.words(debugger), files={"vmlinux": symbols}, ports={1234: port})
        # The README's line is interactive; the test types its session as -ex commands.
        session = ["break start_kernel", "continue", "print $pc", "stepi", "print $pc", "delete", "detach"]
        gdb_argv = words[:1] + ["-batch", "-nx"] + words[1:] + [a for c in session for a in ("-ex", c)]
        print("$ " + readme.shell_line(gdb_argv), flush=True)
        assert "Linux version" not in guest.text(), "the guest ran before the debugger attached (-S)"
        out = subprocess.run(gdb_argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600).stdout
        print(out)
        assert "Breakpoint 1, " in out and "start_kernel" in out, "gdb did not stop at start_kernel"
        pcs = [int(v, 16) for v in re.findall(r"\$\d+ = .*?(0x[0-9a-f]+)", out)]
        assert len(pcs) == 2 and pcs[1] != pcs[0], "stepi did not move the pc: %s" % pcs
        guest.expect(HELLO, 600)  # detached: the guest runs on
        print("\ngdb session and hello after %.1f s" % guest.elapsed())
    finally:
        guest.kill()


def main():
    kernel = fixtures(KERNEL_FIXTURE)[KERNEL_KEY]
    with tempfile.TemporaryDirectory(prefix="tessera-tutorial-") as work:
        {"hello_initrd": hello_initrd, "ext2_root": ext2_root, "gdb": gdb}[what](work, kernel)


run_test(main)
