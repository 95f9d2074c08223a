#!/usr/bin/env python3
"""System test: the stock Linux virtio-net driver on user-mode networking.

The guest gets 10.0.2.15 by DHCP, downloads a file from an HTTP server this
test runs on the host loopback (the guest reaches it as 10.0.2.2) with a
matching sha256, and host clients reach a guest TCP server (BusyBox nc)
through a --nic hostfwd rule and through one added at run time by the monitor.
What listens is read back from the kernel: a rule without an address only on
127.0.0.1, an explicit 0.0.0.0 on every interface (a client connecting to this
machine's eth0 address reaches the guest), and a monitor rule for "::1" is
refused by name with nothing listening."""
import hashlib
import http.server
import os
import shutil
import socket
import sys
import tempfile
import threading

from guest_console import run_test
from linux_guest import (Monitor, boot, free_port, listening_addresses, non_loopback_address, poweroff, sh,
                         sh_ok, talk_to_guest)

cli = sys.argv[1]


def start_http_server(directory):
    handler = lambda *a, **kw: http.server.SimpleHTTPRequestHandler(*a, directory=directory, **kw)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def body():
    work = tempfile.mkdtemp(prefix="tessera-net-")
    server = None
    try:
        payload = os.urandom(512 * 1024 + 3)
        open(os.path.join(work, "payload.bin"), "wb").write(payload)
        server = start_http_server(work)
        http_port = server.server_address[1]
        fwd_port, runtime_port, everywhere_port, refused_port = free_port(), free_port(), free_port(), free_port()
        monitor_path = os.path.join(work, "monitor.sock")
        guest = boot(cli, ["--nic", "user,hostfwd=tcp::%d-:22" % fwd_port,
                           "--monitor", monitor_path])
        try:
            match = sh(guest, "udhcpc -i eth0 -n -q -t 5 -T 2", r"bound eth0 ip=(\S+)/", timeout=60)
            assert match.group(1) == b"10.0.2.15", "DHCP gave %r" % match.group(1)
            sh_ok(guest, "wget -T 20 -O /tmp/payload.bin http://10.0.2.2:%d/payload.bin" % http_port)
            match = sh(guest, "sha256sum /tmp/payload.bin", r"([0-9a-f]{64})  /tmp/payload.bin")
            assert match.group(1).decode() == hashlib.sha256(payload).hexdigest(), \
                "the downloaded file's sha256 differs from the host's"

            talk_to_guest(guest, fwd_port, 22, b"hello-through-cli-hostfwd")
            assert listening_addresses(fwd_port) == ["127.0.0.1"], \
                "--nic hostfwd=tcp::%d-:22 listens on %s" % (fwd_port, listening_addresses(fwd_port))

            monitor = Monitor(monitor_path)
            answer = monitor.ask("hostfwd_add tcp:::1:%d-:2424" % refused_port)
            assert answer.startswith("error: ") and 'host address "::1" is not an IPv4 address' in answer, answer
            assert listening_addresses(refused_port) == [], listening_addresses(refused_port)
            # Written explicitly, 0.0.0.0 is every interface: another machine reaches the guest.
            assert monitor.ask("hostfwd_add tcp:0.0.0.0:%d-:2525" % everywhere_port).startswith("OK")
            assert listening_addresses(everywhere_port) == ["0.0.0.0"], listening_addresses(everywhere_port)
            lan = non_loopback_address()
            if lan:
                talk_to_guest(guest, everywhere_port, 2525, b"hello-from-another-address", host_address=lan)
                with socket.socket() as probe:  # ...while the loopback-only forward refuses it
                    probe.settimeout(5)
                    assert probe.connect_ex((lan, fwd_port)) != 0, "%s:%d accepts connections" % (lan, fwd_port)
            assert monitor.ask("hostfwd_remove tcp:0.0.0.0:%d" % everywhere_port).startswith("OK")

            assert monitor.ask("hostfwd_add tcp:127.0.0.1:%d-:2323" % runtime_port).startswith("OK")
            talk_to_guest(guest, runtime_port, 2323, b"hello-through-monitor-hostfwd")
            assert monitor.ask("hostfwd_remove tcp:127.0.0.1:%d" % runtime_port).startswith("OK")
            # The removed forward no longer accepts connections (even while the VM
            # thread sleeps in poll() with the closed listener in its set).
            probe = socket.socket()
            probe.settimeout(5)
            assert probe.connect_ex(("127.0.0.1", runtime_port)) != 0, \
                "port %d still accepts connections after hostfwd_remove" % runtime_port
            probe.close()
            monitor.close()
            guest.expect(r"tessera:[^\r\n#]*# ", 10)
            poweroff(guest)
        finally:
            guest.kill()
    finally:
        if server:
            server.shutdown()
        shutil.rmtree(work, ignore_errors=True)


run_test(body)
