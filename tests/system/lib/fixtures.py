"""Find (and if needed build) Tessera's guest fixtures from a Python test.

    from fixtures import fixture_paths, qemu_linux_argv
    paths = fixture_paths()            # {"LINUX_IMAGE": "/…/Image", …}

fixture_paths() runs scripts/fixtures/build.sh (a no-op costing well under a
second once the cache in ~/.cache/tessera/fixtures is filled) and returns the
KEY=PATH lines it prints. Keys: OPENSBI_FW_JUMP, OPENSBI_FW_DYNAMIC,
UBOOT_SMODE, LINUX_IMAGE, LINUX_VMLINUX, LINUX_SYSTEM_MAP, LINUX_CONFIG,
BUSYBOX, RVCHECK, EVTEST_LITE, INITRAMFS (plus *_ELF, *_CONFIG, *_LINKS).
"""
import os
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
BUILD_SCRIPT = REPO_ROOT / "scripts" / "fixtures" / "build.sh"
QEMU = os.environ.get("TESSERA_QEMU", "qemu-system-riscv64")

# What every fixture boot shares: the marker rcS prints and the kernel command line.
GUEST_READY = r"TESSERA-GUEST-READY Linux \S+ riscv64"
DEFAULT_APPEND = "console=ttyS0 earlycon=sbi"


def fixture_paths(*names):
    names = names or ("all",)
    result = subprocess.run([str(BUILD_SCRIPT), "--quiet", *names], check=True,
                            stdout=subprocess.PIPE, text=True)
    paths = {}
    for line in result.stdout.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            paths[key] = value
    return paths


def tessera_linux_argv(paths, cli=None, memory="128M", append=DEFAULT_APPEND, extra=()):
    """`tessera-cli run` booting the same firmware + kernel + initramfs as
    qemu_linux_argv (flags as issue 4 specifies them; cli defaults to $TESSERA_CLI)."""
    cli = cli or os.environ["TESSERA_CLI"]
    return [cli, "run", "-m", memory, "--serial", "stdio", "--no-reboot",
            "--bios", paths["OPENSBI_FW_JUMP"], "--kernel", paths["LINUX_IMAGE"],
            "--initrd", paths["INITRAMFS"], "--append", append, *extra]


def qemu_linux_argv(paths, memory="128M", append=DEFAULT_APPEND, extra=()):
    """qemu-system-riscv64 booting OpenSBI fw_jump + Linux + initramfs, serial on stdio."""
    return [QEMU, "-machine", "virt", "-smp", "1", "-m", memory,
            "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot",
            "-bios", paths["OPENSBI_FW_JUMP"], "-kernel", paths["LINUX_IMAGE"],
            "-initrd", paths["INITRAMFS"], "-append", append, *extra]


def qemu_uboot_argv(paths, memory="128M", extra=()):
    """qemu-system-riscv64 booting OpenSBI fw_jump + U-Boot (S-mode), serial on stdio."""
    return [QEMU, "-machine", "virt", "-smp", "1", "-m", memory,
            "-display", "none", "-serial", "stdio", "-monitor", "none", "-no-reboot",
            "-bios", paths["OPENSBI_FW_JUMP"], "-kernel", paths["UBOOT_SMODE"], *extra]


# Linux through U-Boot: QEMU's generic loader puts Image and the initramfs in
# RAM, U-Boot's `booti` starts them with the DTB U-Boot itself got from OpenSBI.
# Addresses fit a 128 MiB guest: U-Boot relocates itself to the top of RAM,
# booti moves Image down to 0x80200000.
UBOOT_KERNEL_ADDR = 0x84000000
UBOOT_INITRD_ADDR = 0x86000000


def qemu_uboot_linux_argv(paths, memory="128M"):
    return qemu_uboot_argv(paths, memory, extra=[
        "-device", f"loader,file={paths['LINUX_IMAGE']},addr={UBOOT_KERNEL_ADDR:#x}",
        "-device", f"loader,file={paths['INITRAMFS']},addr={UBOOT_INITRD_ADDR:#x}"])


def uboot_booti_command(paths, append=DEFAULT_APPEND):
    """The U-Boot command line that boots the RAM-loaded kernel + initramfs."""
    size = os.path.getsize(paths["INITRAMFS"])
    return (f"setenv bootargs {append}; "
            f"booti {UBOOT_KERNEL_ADDR:#x} {UBOOT_INITRD_ADDR:#x}:{size:#x} ${{fdtcontroladdr}}")
