"""The command line that boots a guest fixture under Tessera or under the
reference emulator. System tests take the emulator as their first argument:
the path of tessera-cli, or "qemu" for Debian's qemu-system-riscv64 7.2, so
the same checks prove the fixtures sound on the reference (a Tessera failure
then points at Tessera, not at the fixtures)."""

import os

QEMU = "qemu-system-riscv64"


def engine_argv():
    """TESSERA_ENGINE=jit|interp picks Tessera's CPU engine (the *_jit / *_interp tests set it)."""
    engine = os.environ.get("TESSERA_ENGINE")
    return ["--engine", engine] if engine else []


def machine_argv(emulator, memory, bios, kernel, initrd=None, append=None, loads=(), timeout=400):
    """`loads`: (file, guest physical address) pairs placed in RAM before boot
    (tessera-cli --load, QEMU's -device loader)."""
    if emulator == "qemu":
        argv = [QEMU, "-machine", "virt", "-smp", "1", "-m", memory, "-display", "none",
                "-serial", "stdio", "-monitor", "none", "-bios", bios, "-kernel", kernel]
        argv += ["-initrd", initrd] if initrd else []
        argv += ["-append", append] if append else []
        for path, address in loads:
            argv += ["-device", "loader,file=%s,addr=0x%x" % (path, address)]
        return argv
    argv = [emulator, "run", "-m", memory, "--bios", bios, "--kernel", kernel, "--timeout", str(timeout)]
    argv += engine_argv()
    argv += ["--initrd", initrd] if initrd else []
    argv += ["--append", append] if append else []
    for path, address in loads:
        argv += ["--load", "%s@0x%x" % (path, address)]
    return argv


QEMU_PPC = "qemu-system-ppc"


def mac99_argv(emulator, memory, kernel=None, initrd=None, append=None, timeout=600):
    """PowerPC mac99 with Debian's OpenBIOS: tessera-cli --machine mac99, or
    qemu-system-ppc -M mac99 with the CPU Tessera has (-cpu 750) and no screen."""
    if emulator == "qemu":
        argv = [QEMU_PPC, "-M", "mac99", "-cpu", "750", "-m", memory, "-nographic", "-vga", "none",
                "-net", "none", "-monitor", "none", "-serial", "stdio"]
        argv += ["-kernel", kernel] if kernel else []
    else:
        argv = [emulator, "run", "--machine", "mac99", "-m", memory, "--timeout", str(timeout)] + engine_argv()
        argv += ["--kernel", kernel] if kernel else []
    argv += ["--initrd" if emulator != "qemu" else "-initrd", initrd] if initrd else []
    argv += ["--append" if emulator != "qemu" else "-append", append] if append else []
    return argv
