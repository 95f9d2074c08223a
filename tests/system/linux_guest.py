"""Shared steps for the Linux-guest capability tests: boot the BusyBox
initramfs under `tessera-cli run` with extra devices, run shell commands at the
prompt, power off; plus the monitor socket client."""
import hashlib
import os
import random
import re
import socket
import subprocess
import sys
import time

from guest_console import GuestConsole, fixtures
from emulators import engine_argv
from linux_shell import PROMPT


def boot(cli, extra_args, memory="256M", append="console=ttyS0", timeout=300):
    """Starts the guest and waits for its shell prompt; returns the console."""
    fx = fixtures("firmware", "linux", "initramfs")
    guest = GuestConsole([cli, "run", "-m", memory, "--bios", fx["OPENSBI_FW_DYNAMIC"],
                          "--kernel", fx["LINUX_IMAGE"], "--initrd", fx["INITRAMFS"],
                          "--append", append, "--timeout", str(timeout), *engine_argv(), *extra_args])
    try:
        guest.expect(r"TESSERA-GUEST-READY Linux", 240)
        guest.expect(PROMPT, 60)
    except BaseException:
        guest.kill()
        raise
    return guest


def sh(guest, command, expect=None, timeout=60):
    """Types `command`, waits for regex `expect` (if given) and the next prompt;
    returns the match of `expect`. The guest echoes the command line, so
    `expect` must not match the command itself (match `RC=(\d+)`, not `RC=$?`)."""
    guest.send(command + "\n")
    match = guest.expect(expect, timeout) if expect else None
    guest.expect(PROMPT, timeout)
    return match


def sh_ok(guest, command, timeout=60):
    """Runs `command` and requires exit status 0 (echoed as a marker)."""
    match = sh(guest, command + "; echo RC=$?", r"RC=(\d+)\r?\n", timeout)
    assert match.group(1) == b"0", "guest command %r failed with status %s" % (
        command, match.group(1).decode())
    return match


def poweroff(guest, timeout=120):
    guest.send("poweroff\n")
    status = guest.wait(timeout)
    assert status == 0, "tessera-cli exited %s after the guest's poweroff, expected 0" % status


class Monitor:
    def __init__(self, path, timeout=30):
        deadline = time.monotonic() + timeout
        while not os.path.exists(path):
            assert time.monotonic() < deadline, "monitor socket never appeared"
            time.sleep(0.1)
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(path)
        self.file = self.sock.makefile("rwb", buffering=0)

    def ask(self, line):
        self.file.write(line.encode() + b"\n")
        answer = self.file.readline().decode().strip()
        print("\nmonitor> %s\nmonitor< %s" % (line, answer), flush=True)
        return answer

    def close(self):
        self.sock.close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ssh_options(key):
    """ssh's options for a test's login with KEY: no questions (the guest's
    host key is new at every install), no password prompt, quiet."""
    return ["-i", key, "-o", "BatchMode=yes", "-o", "ConnectTimeout=20", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"]


def ssh(key, port, user, command):
    """`ssh -p PORT -i KEY USER@127.0.0.1 COMMAND` into a guest with a host port
    forward, as a user would."""
    return subprocess.run(["ssh", "-p", str(port)] + ssh_options(key) + ["%s@127.0.0.1" % user, command],
                          capture_output=True, text=True, timeout=120)


def listening_addresses(port):
    """The addresses TCP sockets listen on for `port`, read back from the kernel
    (/proc/net/tcp and tcp6, as `ss -ltn` does): what is exposed, whatever any
    configuration says. local_address is HEX:PORT, the address as 32-bit words in
    host byte order; state 0A is LISTEN."""
    found = []
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        with open(table) as rows:
            next(rows)
            for row in rows:
                fields = row.split()
                address, hex_port = fields[1].split(":")
                if int(hex_port, 16) != port or fields[3] != "0A":
                    continue
                raw = b"".join(int(address[i:i + 8], 16).to_bytes(4, sys.byteorder)
                               for i in range(0, len(address), 8))
                found.append(socket.inet_ntop(family, raw))
    return sorted(found)


def non_loopback_address():
    """An IPv4 address of this machine outside 127/8 (eth0's), where another
    machine would connect; None on a host with loopback only."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing address
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def talk_to_guest(guest, host_port, guest_port, greeting, host_address="127.0.0.1", char_delay=0.0):
    """Guest listens with nc and prints what it gets; the host connects through
    the forward (to `host_address`), sends `greeting` and reads the guest's reply."""
    guest.send("echo from-guest-%d | nc -l -p %d; echo NC-EXIT=$?\n" % (guest_port, guest_port),
               char_delay=char_delay)
    time.sleep(1.0)  # nc has no readiness message; retries below cover a slow start
    reply = b""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            # Close only after the guest's line arrived: nc exits when the host
            # side closes, possibly before it has sent what it read from stdin.
            with socket.create_connection((host_address, host_port), timeout=10) as conn:
                conn.sendall(greeting + b"\n")
                reply = b""
                while not reply.endswith(b"\n"):
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    reply += chunk
            if reply:
                break
        except OSError:
            pass  # slirp refuses or resets while nothing listens in the guest yet
        time.sleep(0.5)
    guest.expect(greeting.decode(), 30)
    guest.expect(r"NC-EXIT=\d+", 30)
    assert reply.strip() == b"from-guest-%d" % guest_port, \
        "host got %r through the forward to guest port %d" % (reply, guest_port)


def make_iso(work, name, files):
    """An ISO 9660 disc (xorriso) in `work` holding `files` (name -> bytes)."""
    tree = os.path.join(work, name + "-tree")
    os.makedirs(tree)
    for path, data in files.items():
        open(os.path.join(tree, path), "wb").write(data)
    iso = os.path.join(work, name + ".iso")
    subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-V", name.upper(), "-o", iso, tree], check=True)
    return iso


SYNC_CHUNK = 256 * 1024  # what kill_during_synced_writes writes per chunk


def kill_during_synced_writes(guest, device, chunks, kill_after, timeout):
    """SIGKILLs the emulator while the guest writes 256 KiB chunks of random data
    to `device` (chunk i at i * 256 KiB) with conv=fsync, printing each chunk's
    sha256 only after its fsync returned, and a background loop rewrites
    32..40 MiB without syncing. The kill comes after chunk `kill_after`
    synced. Returns {chunk index: sha256} of every chunk the guest saw synced."""
    guest.send("while true; do dd if=/dev/urandom of=%s bs=64k count=128 seek=512"
               " 2>/dev/null; done &\n" % device)
    guest.send("i=0; while [ $i -lt %d ]; do i=$((i+1));"
               " dd if=/dev/urandom of=/tmp/c bs=64k count=4 2>/dev/null;"
               " dd if=/tmp/c of=%s bs=64k seek=$((i*4)) conv=fsync 2>/dev/null &&"
               " echo SYNCED $i $(sha256sum < /tmp/c); done; echo ALL-WRITTEN\n" % (chunks, device))
    guest.expect(r"SYNCED %d [0-9a-f]{64}" % kill_after, timeout)
    time.sleep(random.uniform(0.0, 1.0))
    guest.proc.kill()  # SIGKILL
    guest.proc.wait()
    guest.reader.join(10)
    synced = {int(m.group(1)): m.group(2).decode() for m in
              re.finditer(rb"SYNCED (\d+) ([0-9a-f]{64})", bytes(guest.output))}
    print("\nkilled after %d synced chunks (waited for %d)" % (len(synced), kill_after))
    assert len(synced) >= kill_after
    return synced


def check_synced_chunks(image, work, synced):
    """The real qemu-img check finds no corruption in `image` (exit 0, or 3 =
    leaked clusters only) and every synced chunk reads back with its sha256."""
    check = subprocess.run(["qemu-img", "check", image], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    print(check.stdout)
    assert check.returncode in (0, 3), "qemu-img check exited %d: the image is corrupt" % check.returncode
    raw = os.path.join(work, "disk.raw")
    subprocess.run(["qemu-img", "convert", "-O", "raw", image, raw], check=True)
    with open(raw, "rb") as f:
        for index, expected in sorted(synced.items()):
            f.seek(index * SYNC_CHUNK)
            got = hashlib.sha256(f.read(SYNC_CHUNK)).hexdigest()
            assert got == expected, "chunk %d was fsync'ed by the guest but reads back differently " \
                "after the kill" % index
    print("all %d synced chunks intact" % len(synced))


def check_disc_change_and_eject(guest, monitor_path, first_data, second_iso, shell=None):
    """The guest's /dev/sr0 holds a disc whose data.bin is `first_data`: the
    guest reads it; the monitor's `change cd` gives it `second_iso` (other.txt,
    "the second disc"); `eject cd` leaves no medium. `shell` is the guest's
    (sh, sh_ok) pair, this module's by default."""
    sh_, sh_ok_ = shell or (sh, sh_ok)
    sh_ok_(guest, "mkdir -p /cd && mount -t iso9660 -o ro /dev/sr0 /cd")
    match = sh_(guest, "echo SUM=$(sha256sum < /cd/data.bin | cut -c1-64)=", r"SUM=([0-9a-f]{64})=")
    assert match.group(1).decode() == hashlib.sha256(first_data).hexdigest(), \
        "guest sha256 of the disc's file differs from the host's"
    sh_ok_(guest, "umount /cd")

    monitor = Monitor(monitor_path)
    assert monitor.ask("change cd " + second_iso) == "OK"
    # The first access after a media change reports UNIT ATTENTION; mount retries.
    sh_ok_(guest, "mount -t iso9660 -o ro /dev/sr0 /cd 2>/dev/null || mount -t iso9660 -o ro /dev/sr0 /cd")
    sh_(guest, "cat /cd/other.txt", r"the second disc")
    match = sh_(guest, "test -e /cd/data.bin; echo OLD=$?", r"OLD=(\d+)\r?\n")
    assert match.group(1) == b"1", "the old disc's file is still visible"
    sh_ok_(guest, "umount /cd")

    assert monitor.ask("eject cd") == "OK"
    match = sh_(guest, "mount -t iso9660 -o ro /dev/sr0 /cd; echo RC=$?", r"RC=(\d+)\r?\n")
    assert match.group(1) != b"0", "mount succeeded with no medium in the drive"
    match = sh_(guest, "dd if=/dev/sr0 of=/dev/null bs=2048 count=1; echo RC=$?", r"RC=(\d+)\r?\n")
    assert match.group(1) != b"0", "reading an empty drive succeeded"
    monitor.close()
