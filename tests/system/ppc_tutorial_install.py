#!/usr/bin/env python3
"""System test: the classic QEMU tutorial's PowerPC install, steps 1, 2, 3 and 5
of issue 15, with the tutorial's own command lines (only the fixed port 2222 is
swapped for a free one, and the downloaded Debian disc for the Tessera
PowerPC installer disc, fixture `ppc-installer-disc`, carrying the test's ssh
key as /ssh/authorized_keys):

  1. tessera-cli img create -f qcow2 debian-ppc.qcow2 15G
  2. qemu-system-ppc -m 512 -redir tcp:2222::22 -boot d -cdrom installer.iso debian-ppc.qcow2
     -> OpenBIOS boots the CD; the installer shows "[1/6] ..." to "[6/6] ...",
        partitions the disk (Apple partition map), installs and powers off (exit 0)
  3. qemu-system-ppc -m 1G -device e1000,netdev=net0 -netdev user,hostfwd=tcp::2222-:22,id=net0 debian-ppc.qcow2
     -> OpenBIOS boots the disk's HFS+ partition, Linux mounts /dev/sda3;
     ssh -p 2222 root@127.0.0.1 uname -m   -> ppc;  ssh ... poweroff -> exit 0
  5. tessera-cli img convert -p -c -O qcow2 debian-ppc.qcow2 shrinked.qcow2
     -> progress shown, the copy is smaller, `qemu-img check` finds it clean,
        and the start line with shrinked.qcow2 boots it to ssh again.
The qemu-system-ppc lines run as `tessera-cli qemu qemu-system-ppc ...`.
The reference run ("qemu") proves the disc and the checks on Debian's QEMU 7.2
and qemu-img with the lines as QEMU 7.2 needs them: -M mac99 (its default is
g3beige), -nographic -vga none (the VGA BIOS is not installed), -net none
for the install (-redir is gone from QEMU 7.2), e1000 without its PC option
ROM (not installed either).
Argument: tessera-cli, or "qemu". Prints how long each step took."""
import os
import shlex
import subprocess
import sys
import tempfile
import time

from guest_console import SOURCE_DIR, GuestConsole, fixtures, run_test
import linux_guest
from linux_guest import free_port

emulator = sys.argv[1]
cli = os.path.abspath(emulator)  # the test works in its own folder
# `tessera-cli qemu` runs the default engine, the JIT, as QEMU runs TCG.
assert os.environ.get("TESSERA_ENGINE", "jit") == "jit", "the tutorial's lines run on the JIT only"
CREATE = "tessera-cli img create -f qcow2 debian-ppc.qcow2 15G"
INSTALL = "qemu-system-ppc -m 512 -redir tcp:2222::22 -boot d -cdrom installer.iso debian-ppc.qcow2"
START = "qemu-system-ppc -m 1G -device e1000,netdev=net0 -netdev user,hostfwd=tcp::2222-:22,id=net0 debian-ppc.qcow2"
SHRINK = "tessera-cli img convert -p -c -O qcow2 debian-ppc.qcow2 shrinked.qcow2"
STEPS = ["Partitioning /dev/sda \\(Apple partition map\\)", "Writing the boot partition /dev/sda2",
         "Making an ext2 file system on /dev/sda3", "Installing the system", "Configuring",
         "Syncing the disk and powering off"]
TIMEOUT = 600  # seconds per VM run; on the JIT the install takes ~20 s, a boot to ssh ~15 s


def tutorial_line(line, port):
    """A tutorial line as the test runs it: the free port for 2222; under
    Tessera, tessera-cli for the program and everything else verbatim."""
    words = shlex.split(line.replace("2222", str(port)))
    if emulator == "qemu":
        return reference_line(words)
    if words[0] == "tessera-cli":
        return [cli] + words[1:]
    assert words[0] == "qemu-system-ppc", line
    return [cli, "qemu"] + words


def reference_line(words):
    if words[0] == "tessera-cli":
        return ["qemu-img"] + words[2:]
    argv = [words[0], "-M", "mac99", "-nographic", "-vga", "none"]
    rest = iter(words[1:])
    for word in rest:
        if word == "-redir":
            argv += ["-net", "none"]
            next(rest)
        elif word.startswith("e1000,"):
            argv.append(word + ",romfile=")
        else:
            argv.append(word)
    return argv


def ssh(key, port, command):
    return linux_guest.ssh(key, port, "root", command)


def install(work):
    guest = GuestConsole(tutorial_line(INSTALL, free_port()), "install")
    try:
        for number, step in enumerate(STEPS, 1):
            guest.expect(r"\[%d/6\] %s" % (number, step), TIMEOUT)
        guest.expect(r"TESSERA-INSTALL-COMPLETE", TIMEOUT)
        status = guest.wait(120)
        assert status == 0, "the installer's VM exited with %s, not 0 (power-off)" % status
        assert "INSTALL FAILED" not in guest.text(), "the installer reported a failure"
        return guest.elapsed()
    finally:
        guest.kill()


def boot_to_ssh(key, disk):
    """The start line with `disk`: to the installed system's ready marker, then
    `ssh uname -m` until sshd answers; then `ssh poweroff`. Returns the seconds
    to the marker and to ssh."""
    port = free_port()
    line = START.replace("debian-ppc.qcow2", disk)
    guest = GuestConsole(tutorial_line(line, port), "boot " + disk)
    try:
        guest.expect(r"TESSERA-INSTALLED-READY Linux 6\.1\S* ppc", TIMEOUT)
        ready = guest.elapsed()
        deadline = time.monotonic() + 120
        while True:
            result = ssh(key, port, "uname -m")
            if result.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(2)
        assert result.returncode == 0 and result.stdout.strip() == "ppc", \
            "ssh -p %d root@127.0.0.1 uname -m: exit %d, out %r, err %r" % (
                port, result.returncode, result.stdout, result.stderr)
        reached = guest.elapsed()
        ssh(key, port, "poweroff")  # the connection may drop as the guest goes down
        guest.expect(r"TESSERA-INSTALLED-POWEROFF", 120)
        status = guest.wait(120)
        assert status == 0, "the VM exited with %s after poweroff, not 0" % status
        return ready, reached
    finally:
        guest.kill()


def shrink(work):
    """Step 5: the tutorial's convert line; returns the two sizes."""
    start = time.monotonic()
    result = subprocess.run(tutorial_line(SHRINK, 0), cwd=work, capture_output=True, text=True, timeout=600)
    print(result.stdout + result.stderr, flush=True)
    assert result.returncode == 0, "img convert failed (%d): %s" % (result.returncode, result.stderr)
    assert "(100.00/100%)" in result.stdout + result.stderr, "img convert -p showed no progress up to 100%"
    before, after = (os.path.getsize(os.path.join(work, name)) for name in ("debian-ppc.qcow2", "shrinked.qcow2"))
    assert after < before, "shrinked.qcow2 (%d bytes) is not smaller than debian-ppc.qcow2 (%d)" % (after, before)
    check = subprocess.run(["qemu-img", "check", "shrinked.qcow2"], cwd=work, capture_output=True, text=True)
    assert check.returncode == 0 and "No errors were found" in check.stdout, \
        "qemu-img check shrinked.qcow2: %d %s %s" % (check.returncode, check.stdout, check.stderr)
    return before, after, time.monotonic() - start


def body():
    fx = fixtures("ppc-installer-disc")
    with tempfile.TemporaryDirectory(prefix="tessera-ppc-tutorial-") as work:
        os.chdir(work)  # the tutorial's lines name their files relative to the current folder
        key = os.path.join(work, "id_ed25519")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key], check=True)
        subprocess.run([os.path.join(SOURCE_DIR, "scripts", "fixtures", "ppc-installer-disc.sh"), "--with-keys",
                        fx["PPC_INSTALLER_TREE"], key + ".pub", "installer.iso"], check=True)
        subprocess.run(tutorial_line(CREATE, 0), check=True)
        installed = install(work)
        ready, reached = boot_to_ssh(key, "debian-ppc.qcow2")
        before, after, converted = shrink(work)
        shrunk_ready, shrunk_reached = boot_to_ssh(key, "shrinked.qcow2")
        print("\nPPC TUTORIAL: install %.0f s; boot to the system %.0f s, to ssh %.0f s; "
              "convert -c %.1f s, %d -> %d bytes; shrinked.qcow2 to ssh %.0f s" % (
                  installed, ready, reached, converted, before, after, shrunk_reached), flush=True)


run_test(body)
