#!/usr/bin/env python3
"""System test: the PowerPC mac99 board boots Debian's OpenBIOS unchanged.
Arguments: EMULATOR (tessera-cli, or "qemu" for the reference run of the same
checks with qemu-system-ppc -M mac99 -cpu 750) and WHAT:
  openbios  without a kernel: the OpenBIOS banner with the fw_cfg facts (machine
            id 1, 512M, CPU PowerPC,750), the boot attempts from the disk, then
            the Forth prompt "0 >", which computes 6 7 * . typed on the console
  kernel    the linux-ppc32 kernel and the initramfs-ppc32 BusyBox: OpenBIOS hands
            over, Linux prints its banner on ttyPZ0, finds CUDA and the ESCC, unpacks
            the initramfs and starts /init
  linux     as kernel, then /init prints TESSERA-GUEST-READY and the machine facts
            and powers off, exit status 0
  shell_reboot  with "tessera.shell": commands typed into the BusyBox shell on
            the serial console answer; `reboot -f` resets the whole machine
            (OpenBIOS starts again from the reset vector and boots Linux anew
            to the shell); then `poweroff -f` ends the VM with exit status 0
Prints the time to each milestone."""
import sys

from emulators import mac99_argv
from guest_console import GuestConsole, fixtures, run_test

emulator, what = sys.argv[1], sys.argv[2]


def openbios():
    guest = GuestConsole(mac99_argv(emulator, "512M"))
    try:
        guest.expect(r"OpenBIOS 1\.1", 120)
        guest.expect(r"machine id 1", 30)
        guest.expect(r"Memory: 512M", 30)
        guest.expect(r"CPU type PowerPC,750", 60)
        guest.expect(r"Trying hd:", 300)
        guest.expect(r"\n0 > ", 300)
        print("\nOpenBIOS prompt: %.1f s" % guest.elapsed())
        guest.send("6 7 * .\r", char_delay=0.05)
        guest.expect(r"2a  ok", 120)  # OpenBIOS counts in hex
    finally:
        guest.kill()


def boot_linux(append="console=ttyPZ0", timeout=600):
    fx = fixtures("linux-ppc32", "initramfs-ppc32")
    guest = GuestConsole(mac99_argv(emulator, "512M", fx["PPC_LINUX_VMLINUX"], fx["PPC_INITRAMFS"],
                                    append, timeout))
    expect_linux_boot(guest, append)
    return guest


def expect_linux_boot(guest, append):
    guest.expect(r"Kernel command line: " + append, 120)
    guest.expect(r"Linux version 6\.1", 600)
    print("\nLinux banner: %.1f s" % guest.elapsed())
    guest.expect(r"ttyPZ0 at MMIO", 600)
    guest.expect(r"Macintosh Cuda and Egret driver", 600)
    guest.expect(r"Run /init as init process", 1200)
    print("\n/init started: %.1f s" % guest.elapsed())


def kernel():
    boot_linux().kill()


def linux():
    guest = boot_linux()
    try:
        guest.expect(r"TESSERA-GUEST-READY Linux 6\.1\S* ppc", 1200)
        print("\n/init marker: %.1f s" % guest.elapsed())
        guest.expect(r"sum of 1\.\.1000 is 500500", 300)
        guest.expect(r"TESSERA-GUEST-POWEROFF", 300)
        status = guest.wait(300)
        assert status == 0, "the emulator exited with status %s after the guest's poweroff" % status
        print("\npower-off: %.1f s" % guest.elapsed())
    finally:
        guest.kill()


def shell_command(guest, command, answer, timeout=120):
    """Types a command line; its output must match `answer` (a pattern the
    echo of the typed line itself cannot match)."""
    guest.send(command + "\n", char_delay=0.01)
    return guest.expect(answer, timeout)


def check_shell(guest, boot):
    guest.expect(r"TESSERA-GUEST-READY Linux 6\.1\S* ppc\r?\n", 1200)
    print("\nshell of boot %d: %.1f s" % (boot, guest.elapsed()))
    shell_command(guest, "uname -sm", r"\nLinux ppc\r?\n")
    shell_command(guest, "echo boot-$((%d * 7))-answered" % boot, r"boot-%d-answered" % (boot * 7))
    shell_command(guest, "grep -E '^cpu' /proc/cpuinfo", r"cpu\s*:\s*740/750")
    shell_command(guest, "seq 1000 | awk '{ s += $1 } END { print \"sum=\" s }'", r"sum=500500")
    # Uptime in whole seconds: a fresh kernel after the reset, not the old one.
    uptime = shell_command(guest, "echo up=$(cut -d. -f1 /proc/uptime)=", r"up=(\d+)=")
    return int(uptime.group(1))


def shell_reboot():
    append = "console=ttyPZ0 tessera.shell"
    guest = boot_linux(append, timeout=1700)
    try:
        first_uptime = check_shell(guest, 1)
        guest.send("reboot -f\n", char_delay=0.01)
        # The CUDA reset request restarts everything: the firmware prints its
        # banner again and boots the same kernel and initramfs.
        guest.expect(r"OpenBIOS 1\.1", 300)
        print("\nreset, firmware again: %.1f s" % guest.elapsed())
        expect_linux_boot(guest, append)
        second_uptime = check_shell(guest, 2)
        assert second_uptime < first_uptime + 60, "uptime %d s after the reboot: the kernel did not restart" % (
            second_uptime)
        guest.send("poweroff -f\n", char_delay=0.01)
        status = guest.wait(300)
        assert status == 0, "the emulator exited with status %s after the guest's poweroff" % status
        print("\npower-off: %.1f s" % guest.elapsed())
    finally:
        guest.kill()


run_test({"openbios": openbios, "kernel": kernel, "linux": linux, "shell_reboot": shell_reboot}[what])
