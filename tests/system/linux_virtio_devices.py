#!/usr/bin/env python3
"""System test: the stock Linux 6.1 drivers find every virtio device of the
virt board (virtio-blk on a qcow2 made by tessera-cli img, virtio-scsi CD-ROM
with a xorriso ISO, virtio-net on slirp, virtio-rng, virtio-gpu with fbcon,
virtio keyboard and tablet), and the monitor socket drives the running VM:
a screenshot shows console text, keys and port forwards are accepted, the
disc is ejected and changed, `quit` stops the VM with status 0.
No root filesystem is needed: everything checked happens during kernel boot."""
import os
import shutil
import re
import socket
import subprocess
import sys
import tempfile
import time

from guest_console import GuestConsole, fixtures, run_test
from screenshots import png_rgb

cli = sys.argv[1]


class Monitor:
    def __init__(self, path, timeout=30):
        deadline = time.monotonic() + timeout
        while not os.path.exists(path):
            assert time.monotonic() < deadline, "monitor socket never appeared"
            time.sleep(0.1)
        assert (os.stat(path).st_mode & 0o777) == 0o600, "monitor socket is not private (0600)"
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(path)
        self.file = self.sock.makefile("rwb", buffering=0)

    def ask(self, line):
        self.file.write(line.encode() + b"\n")
        answer = self.file.readline().decode().strip()
        print("monitor> %s\nmonitor< %s" % (line, answer), flush=True)
        return answer


def body():
    fx = fixtures("firmware", "linux")
    work = tempfile.mkdtemp(prefix="tessera-virtio-")
    disk = os.path.join(work, "disk.qcow2")
    subprocess.run([cli, "img", "create", "-f", "qcow2", disk, "64M"], check=True)
    tree = os.path.join(work, "cd")
    os.makedirs(tree)
    open(os.path.join(tree, "hello.txt"), "w").write("hello from the disc\n")
    iso = os.path.join(work, "cd.iso")
    subprocess.run(["xorriso", "-as", "mkisofs", "-quiet", "-o", iso, tree], check=True)
    monitor_path = os.path.join(work, "monitor.sock")
    shot = os.path.join(work, "screen.png")
    guest = GuestConsole([cli, "run", "-m", "256M", "--bios", fx["OPENSBI_FW_DYNAMIC"],
                          "--kernel", fx["LINUX_IMAGE"], "--append", "console=ttyS0 console=tty0",
                          "--disk", disk, "--cdrom", iso, "--nic", "user,hostfwd=tcp::2399-:22",
                          "--display", "headless", "--monitor", monitor_path, "--timeout", "300"])
    try:
        # Without a root filesystem the kernel stops at mounting root: by then every driver probed.
        guest.expect(rb"VFS: Unable to mount root fs", 280)
        text = guest.text()
        for pattern in [r"input: Tessera Virtio Keyboard", r"input: Tessera Virtio Tablet",
                        r"\[drm\] Initialized virtio_gpu", r"fb0: virtio_gpudrmfb frame buffer device",
                        r"virtio_blk virtio\d+: \[vda\] 131072 512-byte logical blocks",
                        r"scsi 0:0:0:0: CD-ROM +TESSERA +CD-ROM", r"sr 0:0:0:0: \[sr0\] scsi3-mmc drive",
                        r"random: crng init done"]:
            assert re.search(pattern, text), "kernel log lacks %r" % pattern
        monitor = Monitor(monitor_path)
        assert monitor.ask("screenshot " + shot) == "OK"
        width, height, rows = png_rgb(shot)
        assert (width, height) == (1024, 768), "mode is %dx%d, expected 1024x768" % (width, height)
        lit = sum(1 for row in rows for i in range(0, len(row), 3) if row[i] or row[i + 1] or row[i + 2])
        assert lit > 2000, "the screenshot is blank (%d lit pixels)" % lit
        assert monitor.ask("sendkey ctrl-alt-delete") == "OK"
        assert monitor.ask("mouse_move 100 200") == "OK"
        assert monitor.ask("hostfwd_add tcp::2398-:80").startswith("OK")
        assert monitor.ask("hostfwd_remove tcp::2398").startswith("OK")
        assert monitor.ask("eject cd") == "OK"
        assert monitor.ask("change cd " + iso) == "OK"
        assert monitor.ask("frobnicate").startswith("error:")
        assert monitor.ask("quit") == "OK"
        status = guest.wait(60)
        assert status == 0, "tessera-cli exit status %s after quit" % status
        print("lit pixels in screenshot: %d" % lit)
    finally:
        guest.kill()
        shutil.rmtree(work, ignore_errors=True)


run_test(body)
