"""Shell helpers for system tests of the PowerPC mac99 guest (the
initramfs-ppc32 BusyBox shell on the ESCC serial console, ttyPZ0). Commands
are typed slowly: the ESCC has a small receive FIFO."""
import linux_guest
from emulators import mac99_argv
from guest_console import GuestConsole, fixtures

PROMPT = r"/ # "  # BusyBox ash as root in /
CHAR_DELAY = 0.01


def boot_shell(emulator, extra=(), memory="256M", append="console=ttyPZ0 tessera.shell", timeout=900):
    """The linux-ppc32 kernel with the initramfs-ppc32 BusyBox shell on ttyPZ0
    and the options in `extra`, to the guest's ready marker and prompt."""
    fx = fixtures("linux-ppc32", "initramfs-ppc32")
    argv = mac99_argv(emulator, memory, fx["PPC_LINUX_VMLINUX"], fx["PPC_INITRAMFS"], append, timeout)
    guest = GuestConsole(argv + list(extra))
    try:
        guest.expect(r"TESSERA-GUEST-READY Linux 6\.1\S* ppc\r?\n", timeout)
        guest.expect(PROMPT, 120)
        print("\nshell: %.1f s" % guest.elapsed())
    except BaseException:
        guest.kill()
        raise
    return guest


def sh(guest, command, expect=None, timeout=120):
    """Types `command`, waits for regex `expect` (if given; it must not match
    the echoed command line) and the prompt; returns the match of `expect`."""
    guest.send(command + "\n", char_delay=CHAR_DELAY)
    match = guest.expect(expect, timeout) if expect else None
    guest.expect(PROMPT, timeout)
    return match


def sh_ok(guest, command, timeout=120):
    """Runs `command` and requires exit status 0 (echoed as a marker)."""
    match = sh(guest, command + "; echo RC=$?", r"RC=(\d+)\r?\n", timeout)
    assert match.group(1) == b"0", "guest command %r failed with status %s" % (command, match.group(1).decode())
    return match


def poweroff(guest, timeout=300):
    guest.send("poweroff -f\n")
    status = guest.wait(timeout)
    assert status == 0, "the emulator exited with status %s after the guest's poweroff" % status


def talk_to_guest(guest, host_port, guest_port, greeting):
    """linux_guest.talk_to_guest at the mac99 shell's typing speed."""
    linux_guest.talk_to_guest(guest, host_port, guest_port, greeting, char_delay=CHAR_DELAY)
    guest.expect(PROMPT, 30)
