#!/usr/bin/env python3
"""System test (label `install`): the classic QEMU install workflow, unattended,
with the Tessera install disc (fixture `install-disc`: Debian 13 riscv64
packages, an offline installer) and a real `ssh` into the installed system.

  tessera-cli img create -f qcow2 debian.qcow2 15G
  tessera-cli run -m 1G --cdrom install.iso --boot d --disk debian.qcow2 \
      --disk answers.img,format=raw,readonly=on --nic user,hostfwd=tcp::PORT-:22
      -> GRUB -> Linux 6.12 -> the installer partitions the disk, debootstraps
         Debian from the disc (the target's dpkg runs every maintainer script in
         the guest, the kernel's initramfs is generated there), powers off
  tessera-cli run -m 1G --boot c --disk debian.qcow2 --nic user,hostfwd=tcp::PORT-:22
      -> firmware -> GRUB from the disk's EFI system partition -> Debian with
         systemd -> login prompt; DHCP; sshd
  ssh -p PORT -i key user@127.0.0.1 uname -m          -> riscv64
  ssh ... dpkg -l openssh-server                      -> ii  openssh-server

The answer disk (host name, user, SSH public key) is what the installer reads
instead of asking: `tessera-cli img answers` writes it (TESSERA_CLI).
Under the reference ("qemu": Debian's QEMU 7.2, whose virt board cannot start
EDK2 from flash) the disc is a virtio-blk disk read by Debian 13's U-Boot,
which also starts the installed disk's GRUB (EFI removable path).
Prints the install and first-boot times. Argument: tessera-cli, or "qemu"."""
import os
import subprocess
import sys
import tempfile
import time

from emulators import QEMU, engine_argv
from guest_console import GuestConsole, GuestTimeout, fixtures, run_test
import linux_guest
from linux_guest import free_port

emulator = sys.argv[1]
USER = "tess"
HOSTNAME = "tessera-debian"
INSTALL_TIMEOUT = 5400  # seconds: the JIT took ~51 min on 2 cores shared with 3 other builds; the interpreter is ~5x slower


def make_answers(scratch):
    """The answer disk as a script makes it: `tessera-cli img answers` (both runs)."""
    key = os.path.join(scratch, "id_ed25519")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key], check=True)
    answers = os.path.join(scratch, "answers.img")
    subprocess.run([os.environ["TESSERA_CLI"], "img", "answers", "--hostname", HOSTNAME, "--user", USER,
                    "--ssh-key", key + ".pub", answers], check=True, stdout=subprocess.DEVNULL)
    return key, answers


def tessera(args):
    return [emulator, "run", "-m", "1G"] + engine_argv() + args


def qemu(fx, drives):
    argv = [QEMU, "-machine", "virt", "-smp", "1", "-m", "1G", "-display", "none", "-serial", "stdio",
            "-monitor", "none", "-bios", fx["TRIXIE_OPENSBI_FW_JUMP"], "-kernel", fx["TRIXIE_UBOOT_SMODE"]]
    for index, (path, fmt, readonly) in enumerate(drives):
        argv += ["-drive", "if=none,id=d%d,format=%s,file=%s%s" % (index, fmt, path, ",readonly=on" if readonly else ""),
                 "-device", "virtio-blk-device,drive=d%d" % index]
    return argv


def ssh(key, port, command):
    return linux_guest.ssh(key, port, USER, command)


def install(fx, scratch, disk, answers, port):
    if emulator == "qemu":
        argv = qemu(fx, [(fx["INSTALL_ISO"], "raw", True), (disk, "qcow2", False), (answers, "raw", True)])
    else:
        argv = tessera(["--cdrom", fx["INSTALL_ISO"], "--boot", "d", "--disk", disk,
                        "--disk", answers + ",format=raw,readonly=on",
                        "--nic", "user,hostfwd=tcp::%d-:22" % port, "--timeout", str(INSTALL_TIMEOUT)])
    guest = GuestConsole(argv, "install")
    try:
        guest.expect(r"tessera-install: \[1/8\]", 600)
        guest.expect(r"tessera-install: \[4/8\] installing Debian packages", 600)
        guest.expect(r"Installation complete", INSTALL_TIMEOUT)
        status = guest.wait(120)
        assert status == 0, "the installer's VM exited with %s, not 0 (power-off)" % status
        assert "tessera-install: ERROR" not in guest.text(), "the installer reported an error"
        return guest.elapsed()
    finally:
        guest.kill()


def first_boot(fx, disk, key, port):
    if emulator == "qemu":
        argv = qemu(fx, [(disk, "qcow2", False)])
        argv += ["-netdev", "user,id=n,hostfwd=tcp:127.0.0.1:%d-:22" % port, "-device", "virtio-net-device,netdev=n"]
    else:
        argv = tessera(["--boot", "c", "--disk", disk, "--nic", "user,hostfwd=tcp::%d-:22" % port,
                        "--timeout", "1800"])
    guest = GuestConsole(argv, "first-boot")
    try:
        guest.expect(r"Debian GNU/Linux 13 \(trixie\) riscv64", 600)  # GRUB's menu entry on the disk
        guest.expect(r"%s login:" % HOSTNAME, 1500)
        login = guest.elapsed()
        deadline = time.monotonic() + 300
        while True:
            result = ssh(key, port, "uname -m")
            if result.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(5)
        assert result.returncode == 0 and result.stdout.strip() == "riscv64", \
            "ssh uname -m: exit %d, out %r, err %r" % (result.returncode, result.stdout, result.stderr)
        ssh_ready = guest.elapsed()
        packages = ssh(key, port, "dpkg -l openssh-server")
        assert packages.returncode == 0 and any(
            line.startswith("ii  openssh-server") for line in packages.stdout.splitlines()), \
            "dpkg -l openssh-server: %r %r" % (packages.stdout, packages.stderr)
        hostname = ssh(key, port, "hostname").stdout.strip()
        assert hostname == HOSTNAME, "hostname is %r" % hostname
        return login, ssh_ready
    finally:
        guest.kill()


def body():
    fx = fixtures("firmware-trixie", "install-disc")
    os.environ["TESSERA_RISCV_UEFI_DIR"] = os.path.dirname(fx["EDK2_RISCV_CODE"])
    with tempfile.TemporaryDirectory(prefix="tessera-install-") as scratch:
        key, answers = make_answers(scratch)
        disk = os.path.join(scratch, "debian.qcow2")
        creator = ["qemu-img", "create", "-q"] if emulator == "qemu" else [emulator, "img", "create"]
        subprocess.run(creator + ["-f", "qcow2", disk, "15G"], check=True, stdout=subprocess.DEVNULL)
        port = free_port()
        installed = install(fx, scratch, disk, answers, port)
        login, ssh_ready = first_boot(fx, disk, key, port)
        print("\nINSTALL %s: install %.0f s, first boot to login prompt %.0f s, to ssh %.0f s" % (
            "qemu" if emulator == "qemu" else "tessera", installed, login, ssh_ready), flush=True)


run_test(body)
