"""Shared by the Linux-guest benchmarks: the same OpenSBI, kernel and
initramfs booted under `tessera-cli run` and under qemu-system-riscv64 (TCG),
each with its own device arguments, driven through the serial console; and the
one-line JSON report (`BENCHMARK-JSON {...}`) every benchmark prints."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "system"))
from guest_console import GuestConsole, fixtures  # noqa: E402,F401
from linux_shell import PROMPT  # noqa: E402,F401

APPEND = "console=ttyS0 earlycon=sbi"


def tessera_argv(cli, memory, devices=()):
    """tessera-cli run with the benchmark kernel; --stats adds instructions/MIPS at exit."""
    fx = fixtures("firmware", "linux", "initramfs")
    return [cli, "run", "-m", memory, "--bios", fx["OPENSBI_FW_DYNAMIC"], "--kernel", fx["LINUX_IMAGE"],
            "--initrd", fx["INITRAMFS"], "--append", APPEND, "--stats", "--timeout", "900", *devices]


def qemu_argv(memory, devices=()):
    """QEMU's virt board with the same firmware, kernel and initramfs. virtio-mmio
    is switched to the modern (version 2) transport Tessera implements, so both
    guests run the same driver code paths."""
    fx = fixtures("firmware", "linux", "initramfs")
    return ["qemu-system-riscv64", "-machine", "virt", "-m", memory, "-nographic",
            "-global", "virtio-mmio.force-legacy=false", "-bios", fx["OPENSBI_FW_DYNAMIC"],
            "-kernel", fx["LINUX_IMAGE"], "-initrd", fx["INITRAMFS"], "-append", APPEND, *devices]


def boot(argv, timeout=600):
    """Starts a guest and waits for the initramfs ready marker and the shell prompt."""
    guest = GuestConsole(argv)
    try:
        guest.expect(r"TESSERA-GUEST-READY", timeout)
        guest.expect(PROMPT, 60)
    except BaseException:
        guest.kill()
        raise
    return guest


def poweroff(guest, timeout=120):
    guest.send("poweroff\n")
    guest.wait(timeout)


def tessera_stats(guest):
    """The `tessera-stats: {...}` line tessera-cli --stats prints at exit (empty for QEMU)."""
    stats = re.search(r"tessera-stats: (\{.*\})", guest.text())
    return json.loads(stats.group(1)) if stats else {}


def cpu_seconds(pid):
    """CPU time used so far by every thread of process `pid` (nanosecond schedstat)."""
    total = 0
    for task in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, task)) as f:
                total += int(f.read().split()[0])
        except FileNotFoundError:  # the thread just ended
            pass
    return total / 1e9


def report(result):
    print("\nBENCHMARK-JSON " + json.dumps(result), flush=True)
