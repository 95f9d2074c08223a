#!/usr/bin/env python3
"""System test: the classic QEMU tutorial's install, steps 1, 2, 3 and 5 of
issue 15, with the commands of the README's walk-through (tutorial_readme.py
reads them; only tessera-cli's path, the ssh key, the installed disk's folder
and free host ports are the test's). For ARCH ppc the README's blocks
tutorial-1-disk, -2-disc, -2-install, -3-start, -3-ssh and -5-shrink; for
riscv64 the same names ending in -riscv64:

  1. tessera-cli img create -f qcow2 debian-ppc.qcow2 15G
  2. the installer disc (fixture ppc-installer-disc / riscv64-installer-disc)
     with the test's ssh key put on it by the script's --with-keys, then
     tessera-cli qemu qemu-system-ppc -m 512 -redir tcp:2222::22 -boot d -cdrom installer.iso debian-ppc.qcow2
     -> the firmware boots the CD (OpenBIOS; on riscv64 EDK2 and GRUB); the
        installer shows "[1/6] ..." to "[6/6] ...", partitions the disk (Apple
        partition map; MBR on riscv64), installs and powers off (exit 0)
  3. tessera-cli qemu qemu-system-ppc -m 1G -device e1000,netdev=net0 -netdev user,hostfwd=tcp::2222-:22,id=net0 debian-ppc.qcow2
     -> the firmware boots the disk, Linux mounts the installed root;
     ssh -p 2222 root@127.0.0.1 uname -m   -> ppc (the README's comment);  ssh ... poweroff -> exit 0
  5. tessera-cli img convert -p -c -O qcow2 debian-ppc.qcow2 shrinked.qcow2
     -> progress shown, the copy is smaller, `qemu-img check` finds it clean,
        and the start line with shrinked.qcow2 boots it to ssh again.
The reference run ("qemu", PowerPC) proves the disc and the checks on Debian's
QEMU 7.2 and qemu-img with the lines as QEMU 7.2 needs them (QEMU_REFERENCE).
Arguments: tessera-cli (or "qemu") [ARCH, default ppc]. Prints how long each
step took."""
import os
import subprocess
import sys
import tempfile
import time

import tutorial_readme as readme
from guest_console import SOURCE_DIR, GuestConsole, fixtures, run_test
import linux_guest

emulator = sys.argv[1]
arch = sys.argv[2] if len(sys.argv) > 2 else "ppc"
assert emulator != "qemu" or arch == "ppc", "the reference runs the PowerPC lines only (QEMU_REFERENCE)"
cli = os.path.abspath(emulator)  # the test works in its own folder
# `tessera-cli qemu` runs the default engine, the JIT, as QEMU runs TCG.
assert os.environ.get("TESSERA_ENGINE", "jit") == "jit", "the tutorial's lines run on the JIT only"
SUFFIX = {"ppc": "", "riscv64": "-riscv64"}[arch]
FIXTURE = {"ppc": "ppc-installer-disc", "riscv64": "riscv64-installer-disc"}[arch]
TREE = {"ppc": "PPC_INSTALLER_TREE", "riscv64": "RISCV64_INSTALLER_TREE"}[arch]
# The installer's progress lines (ppc-installer/init and its per-arch piece).
STEPS = {"ppc": ["Partitioning /dev/sda \\(Apple partition map\\)", "Writing the boot partition /dev/sda2",
                 "Making an ext2 file system on /dev/sda3", "Installing the system", "Configuring",
                 "Syncing the disk and powering off"],
         "riscv64": ["Partitioning /dev/vda \\(MBR\\)", "Writing the boot partition /dev/vda1",
                     "Making an ext2 file system on /dev/vda2", "Installing the system", "Configuring",
                     "Syncing the disk and powering off"]}[arch]
# What QEMU 7.2 needs to run the README's PowerPC lines: -M mac99 (its default
# is g3beige), no screen (the VGA BIOS is not installed), -net none for the
# install (-redir is gone from QEMU 7.2), e1000 without its PC option ROM (not
# installed either). There is no riscv64 reference: QEMU 7.2's virt board
# cannot start Debian 13's S-mode EDK2 from flash, which `-boot d` needs.
QEMU_REFERENCE = ["-M", "mac99", "-nographic", "-vga", "none"]
TIMEOUT = 600  # seconds per VM run; on the JIT an install takes ~20 s, a boot to ssh ~15 s


def step(name):
    return "tutorial-%s%s" % (name, SUFFIX)


def as_run(words, port=None, files=None):
    """A README command as the test runs it: tessera-cli is the built one (or
    QEMU's own programs for the reference), the README's host port 2222 a free
    one, `files` swapped."""
    argv = readme.substitute(words, program=cli, files=files, ports={2222: port} if port else None)
    if emulator == "qemu":
        return reference_line(argv)
    return argv


def reference_line(words):
    if words[1] == "img":
        return ["qemu-img"] + words[2:]
    assert words[1] == "qemu", words
    argv = [words[2]] + QEMU_REFERENCE
    rest = iter(words[3:])
    for word in rest:
        if word == "-redir":
            argv += ["-net", "none"]
            next(rest)
        elif word.startswith("e1000,"):
            argv.append(word + ",romfile=")
        else:
            argv.append(word)
    return argv


def riscv64_uefi_dir():
    """Debian 13's EDK2 (qemu-efi-riscv64), which `-boot d` starts the disc
    with: the host's, else the firmware-trixie fixture's, for tessera-cli
    through TESSERA_RISCV_UEFI_DIR."""
    installed = "/usr/share/qemu-efi-riscv64"
    if os.path.exists(os.path.join(installed, "RISCV_VIRT_CODE.fd")):
        return installed
    return os.path.dirname(fixtures("firmware-trixie")["EDK2_RISCV_CODE"])


def make_disc(key):
    """The README's disc block: the fixture's tree (build.sh's line gives it) and
    the --with-keys line with the test's key."""
    tree = fixtures(FIXTURE)[TREE]
    for command in readme.commands(step("2-disc")):
        words = readme.words(command)
        if words[0] == "eval":
            continue  # build.sh's artifact lines: fixtures() above ran it
        script = os.path.join(SOURCE_DIR, words[0])
        argv = readme.substitute(words, files={words[0]: script, "$" + TREE: tree,
                                               "~/.ssh/id_ed25519.pub": key + ".pub"})
        print("$ " + readme.shell_line(argv), flush=True)
        subprocess.run(argv, check=True)


def disk_name():
    """The disk the README's create line makes."""
    return readme.tessera_command(step("1-disk"))[-2]


def install():
    guest = GuestConsole(as_run(readme.tessera_command(step("2-install")), linux_guest.free_port()), "install")
    try:
        for number, text in enumerate(STEPS, 1):
            guest.expect(r"\[%d/6\] %s" % (number, text), TIMEOUT)
        guest.expect(r"TESSERA-INSTALL-COMPLETE", TIMEOUT)
        status = guest.wait(120)
        assert status == 0, "the installer's VM exited with %s, not 0 (power-off)" % status
        assert "INSTALL FAILED" not in guest.text(), "the installer reported a failure"
        return guest.elapsed()
    finally:
        guest.kill()


def ssh(key, port, words):
    """The README's ssh line with the test's key and port (and no questions
    about the guest's host key, new at every install)."""
    argv = readme.substitute(words, ports={2222: port})
    argv[1:1] = linux_guest.ssh_options(key)
    return subprocess.run(argv, capture_output=True, text=True, timeout=120)


def boot_to_ssh(key, disk):
    """The start line with `disk` (the README's may live in another folder):
    to the installed system's ready marker, then the README's ssh line until
    sshd answers what its comment says; then `ssh poweroff`. Returns the
    seconds to the marker and to ssh."""
    port = linux_guest.free_port()
    start = readme.tessera_command(step("3-start"))
    guest = GuestConsole(as_run(start, port, files={start[-1]: disk}), "boot " + disk)
    [ssh_line] = readme.commands(step("3-ssh"))
    wanted = ssh_line.split("#", 1)[1].strip()  # `ssh ... uname -m   # ppc`
    try:
        guest.expect(r"TESSERA-INSTALLED-READY Linux \S+ %s" % wanted, TIMEOUT)
        ready = guest.elapsed()
        deadline = time.monotonic() + 120
        while True:
            result = ssh(key, port, readme.words(ssh_line))
            if result.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(2)
        assert result.returncode == 0 and result.stdout.strip() == wanted, \
            "%s: exit %d, out %r, err %r" % (ssh_line, result.returncode, result.stdout, result.stderr)
        reached = guest.elapsed()
        linux_guest.ssh(key, port, "root", "poweroff")  # the connection may drop as the guest goes down
        guest.expect(r"TESSERA-INSTALLED-POWEROFF", 120)
        status = guest.wait(120)
        assert status == 0, "the VM exited with %s after poweroff, not 0" % status
        return ready, reached
    finally:
        guest.kill()


def shrink(work):
    """Step 5: the README's convert line; returns the two sizes and the time."""
    line = readme.tessera_command(step("5-shrink"))
    source, copy = line[-2], line[-1]
    start = time.monotonic()
    result = subprocess.run(as_run(line), cwd=work, capture_output=True, text=True, timeout=600)
    print(result.stdout + result.stderr, flush=True)
    assert result.returncode == 0, "img convert failed (%d): %s" % (result.returncode, result.stderr)
    assert "(100.00/100%)" in result.stdout + result.stderr, "img convert -p showed no progress up to 100%"
    before, after = (os.path.getsize(os.path.join(work, name)) for name in (source, copy))
    assert after < before, "%s (%d bytes) is not smaller than %s (%d)" % (copy, after, source, before)
    check = subprocess.run(["qemu-img", "check", copy], cwd=work, capture_output=True, text=True)
    assert check.returncode == 0 and "No errors were found" in check.stdout, \
        "qemu-img check %s: %d %s %s" % (copy, check.returncode, check.stdout, check.stderr)
    return before, after, time.monotonic() - start, copy


def body():
    if arch == "riscv64":
        os.environ["TESSERA_RISCV_UEFI_DIR"] = riscv64_uefi_dir()
    with tempfile.TemporaryDirectory(prefix="tessera-%s-tutorial-" % arch) as work:
        os.chdir(work)  # the README's lines name their files relative to the current folder
        key = os.path.join(work, "id_ed25519")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key], check=True)
        make_disc(key)
        subprocess.run(as_run(readme.tessera_command(step("1-disk"))), check=True)
        installed = install()
        ready, reached = boot_to_ssh(key, disk_name())
        before, after, converted, copy = shrink(work)
        shrunk_ready, shrunk_reached = boot_to_ssh(key, copy)
        print("\n%s TUTORIAL: install %.0f s; boot to the system %.0f s, to ssh %.0f s; "
              "convert -c %.1f s, %d -> %d bytes; %s to ssh %.0f s" % (
                  arch.upper(), installed, ready, reached, converted, before, after, copy, shrunk_reached),
              flush=True)


run_test(body)
