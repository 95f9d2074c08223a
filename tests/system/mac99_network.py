#!/usr/bin/env python3
"""System test: the mac99 board's e1000 under Linux's stock e1000 driver, on
user-mode networking, spelt as the classic tutorial has it:
    -device e1000,netdev=net0 -netdev user,id=net0,hostfwd=tcp::PORT-:22
Argument: EMULATOR, tessera-cli or "qemu" (the same checks under
qemu-system-ppc -M mac99 -cpu 750 -device e1000, the reference).
The guest (linux-ppc32 and the initramfs-ppc32 BusyBox shell) sees an Intel
82540EM at PCI 00:0e.0 on OpenPIC input 29 (as QEMU places it), gets
10.0.2.15 by DHCP (BusyBox udhcpc), downloads a file from an HTTP server this
test runs on the host loopback (the guest reaches it as 10.0.2.2) with a
matching sha256, and a host client reaches a guest TCP server (BusyBox nc)
through the forward on 127.0.0.1, the only address Tessera listens on for a
rule without one, first for a greeting each way, then to read the file back
from the guest (TCP segmentation offload). Prints both throughputs."""
import hashlib
import http.server
import os
import shutil
import socket
import sys
import tempfile
import threading
import time

from emulators import mac99_argv
from guest_console import fixtures, GuestConsole, run_test
from linux_guest import free_port, listening_addresses
from mac99_guest import PROMPT, sh, sh_ok, talk_to_guest

emulator = sys.argv[1]
PAYLOAD_BYTES = 2 * 1024 * 1024 + 3


class TimedHandler(http.server.SimpleHTTPRequestHandler):
    requested = []  # when each GET arrived: the download's start, without the typing

    def do_GET(self):
        TimedHandler.requested.append(time.monotonic())
        super().do_GET()


def start_http_server(directory):
    handler = lambda *a, **kw: TimedHandler(*a, directory=directory, **kw)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server






def boot(forward_port):
    fx = fixtures("linux-ppc32", "initramfs-ppc32")
    argv = mac99_argv(emulator, "256M", fx["PPC_LINUX_VMLINUX"], fx["PPC_INITRAMFS"], "console=ttyPZ0 tessera.shell",
                      timeout=900)
    if emulator == "qemu":  # QEMU listens on every interface without an address; no option ROM on PowerPC
        at = argv.index("-net")  # mac99_argv's "-net none": no default NIC
        del argv[at:at + 2]
        argv += ["-device", "e1000,netdev=net0,romfile=", "-netdev",
                 "user,id=net0,hostfwd=tcp:127.0.0.1:%d-:22" % forward_port]
    else:
        argv += ["-device", "e1000,netdev=net0", "-netdev", "user,id=net0,hostfwd=tcp::%d-:22" % forward_port]
    guest = GuestConsole(argv)
    try:
        guest.expect(r"e1000 0000:00:0e\.0 eth0: \(PCI:33MHz:32-bit\) 52:54:00:12:34:56", 600)
        guest.expect(r"TESSERA-GUEST-READY Linux", 600)
        guest.expect(PROMPT, 60)
        print("\nshell: %.1f s" % guest.elapsed())
    except BaseException:
        guest.kill()
        raise
    return guest




def upload(guest, host_port, payload):
    """The guest serves the downloaded file on port 22: the host reads it
    through the forward. Guest-to-host bulk TCP is where Linux's e1000 driver
    hands the NIC 64 KiB TCP segmentation (TSO) jobs with checksum offload,
    which slirp's TCP checks."""
    guest.send("nc -l -p 22 </tmp/payload.bin; echo NC-EXIT=$?\n", char_delay=0.01)
    time.sleep(1.0)
    received = b""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not received:
        try:
            with socket.create_connection(("127.0.0.1", host_port), timeout=60) as conn:
                start = time.monotonic()
                while True:
                    chunk = conn.recv(1 << 16)
                    if not chunk:
                        break
                    received += chunk
                seconds = time.monotonic() - start
        except OSError:
            time.sleep(0.5)  # nothing listens in the guest yet
    guest.expect(r"NC-EXIT=\d+", 60)
    guest.expect(PROMPT, 30)
    assert received == payload, "the host read %d bytes, not the guest's %d-byte file (sha256 %s)" % (
        len(received), len(payload), hashlib.sha256(received).hexdigest())
    print("\nupload through the forward: %.2f s, %.2f MiB/s" % (seconds, len(payload) / seconds / 2**20))


def body():
    work = tempfile.mkdtemp(prefix="tessera-mac99-net-")
    server = None
    try:
        payload = os.urandom(PAYLOAD_BYTES)
        open(os.path.join(work, "payload.bin"), "wb").write(payload)
        server = start_http_server(work)
        http_port = server.server_address[1]
        forward_port = free_port()
        guest = boot(forward_port)
        try:
            sh(guest, "cat /sys/bus/pci/devices/0000:00:0e.0/vendor /sys/bus/pci/devices/0000:00:0e.0/device",
               r"0x8086\r?\n0x100e\r?\n")
            # The initramfs has no udhcpc event script: this one configures eth0.
            sh_ok(guest, "printf '#!/bin/sh\\n[ \"$1\" = bound ] || exit 0\\nifconfig $interface $ip netmask "
                  "$subnet\\nroute add default gw $router\\necho \"lease $interface ip=$ip\"\\n' >/tmp/dhcp.sh"
                  " && chmod +x /tmp/dhcp.sh")
            sh_ok(guest, "ifconfig eth0 up")  # the initramfs brings up no interface
            match = sh(guest, "udhcpc -i eth0 -n -q -t 10 -T 3 -s /tmp/dhcp.sh", r"lease eth0 ip=(\S+)\r?\n")
            assert match.group(1) == b"10.0.2.15", "DHCP gave %r" % match.group(1)
            sh(guest, "grep eth0 /proc/interrupts", r"\n\s*29:\s+\d+\s+MPIC\s+1\s+29\s+Level\s+eth0")

            sh_ok(guest, "wget -q -T 60 -O /tmp/payload.bin http://10.0.2.2:%d/payload.bin" % http_port, timeout=300)
            seconds = time.monotonic() - TimedHandler.requested[-1]
            print("\nHTTP download of %d bytes: %.2f s, %.2f MiB/s" %
                  (PAYLOAD_BYTES, seconds, PAYLOAD_BYTES / seconds / 2**20))
            match = sh(guest, "sha256sum /tmp/payload.bin", r"([0-9a-f]{64})  /tmp/payload.bin", timeout=300)
            assert match.group(1).decode() == hashlib.sha256(payload).hexdigest(), \
                "the downloaded file's sha256 differs from the host's"

            talk_to_guest(guest, forward_port, 22, b"hello-through-hostfwd")
            upload(guest, forward_port, payload)
            if emulator != "qemu":
                assert listening_addresses(forward_port) == ["127.0.0.1"], \
                    "hostfwd=tcp::%d-:22 listens on %s" % (forward_port, listening_addresses(forward_port))
            guest.send("poweroff -f\n", char_delay=0.01)
            status = guest.wait(120)
            assert status == 0, "the emulator exited with status %s after the guest's poweroff" % status
        finally:
            guest.kill()
    finally:
        if server:
            server.shutdown()
        shutil.rmtree(work, ignore_errors=True)


run_test(body)
