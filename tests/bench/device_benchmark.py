#!/usr/bin/env python3
"""Benchmark (ctest label `bench`): virtio-blk and virtio-net throughput seen
by a Linux guest, Tessera vs qemu-system-riscv64 (TCG), same OpenSBI, kernel,
initramfs and the same kind of freshly created qcow2 image, measured in the
same run. Prints one JSON object (MB = 10^6 bytes).

What is timed:
- blk_write: `dd if=/dev/zero of=/dev/vda bs=1M count=N oflag=direct` (the whole
  image, every cluster newly allocated in the qcow2 file), then a FLUSH (`sync`).
- blk_read: `dd if=/dev/vda of=/dev/null bs=1M iflag=direct` of the same data.
  Both are timed inside the guest with /proc/uptime (10 ms resolution) around the
  command; both emulators derive the guest clock from the host's, so this is
  wall time. O_DIRECT keeps the guest page cache (a guest CPU cost) out of it.
- net_tx: the guest pipes `dd if=/dev/zero bs=64k count=N` into BusyBox `nc
  10.0.2.2 PORT` over user-mode networking (slirp); a sink on the host's
  127.0.0.1 counts the bytes and times first byte to end of stream.

Target (issue 5): not slower than QEMU, i.e. every *_ratio_tessera_over_qemu >= 1.
usage: device_benchmark.py <tessera-cli> [--disk-mib N] [--net-mib N]
"""
import argparse
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time

from bench_guest import boot, poweroff, qemu_argv, report, tessera_argv, tessera_stats
from linux_guest import sh, sh_ok

MEMORY = "512M"


class TcpSink:
    """Accepts one connection on 127.0.0.1 and counts what arrives until EOF."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(1)
        self.port = self.server.getsockname()[1]
        self.bytes = 0
        self.first = self.last = None
        self.done = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        conn, _ = self.server.accept()
        with conn:
            while True:
                chunk = conn.recv(1 << 20)
                if not chunk:
                    break
                now = time.monotonic()
                if self.first is None:
                    self.first = now
                self.last = now
                self.bytes += len(chunk)
        self.done.set()

    def close(self):
        self.server.close()


def uptime_pair(guest, command, timeout):
    """Runs `command` between two /proc/uptime reads; returns (seconds, exit status)."""
    match = sh(guest, "t0=$(cut -d' ' -f1 /proc/uptime); %s; rc=$?; t1=$(cut -d' ' -f1 /proc/uptime); "
                      "echo TIMED rc=$rc t0=$t0 t1=$t1" % command,
               r"TIMED rc=(\d+) t0=([\d.]+) t1=([\d.]+)\r?\n", timeout)  # \n: t1 arrived whole
    assert match.group(1) == b"0", "guest command %r failed (status %s)" % (command, match.group(1).decode())
    return float(match.group(3)) - float(match.group(2))


def measure_disk(argv, mib):
    guest = boot(argv)
    try:
        size = mib << 20
        write_s = uptime_pair(guest, "dd if=/dev/zero of=/dev/vda bs=1M count=%d oflag=direct 2>/dev/null && sync"
                              % mib, 1800)
        sh_ok(guest, "echo 3 > /proc/sys/vm/drop_caches")
        read_s = uptime_pair(guest, "dd if=/dev/vda of=/dev/null bs=1M iflag=direct 2>/dev/null", 1800)
        poweroff(guest)
        result = {"write_MBps": round(size / write_s / 1e6, 2), "write_s": round(write_s, 2),
                  "read_MBps": round(size / read_s / 1e6, 2), "read_s": round(read_s, 2)}
        stats = tessera_stats(guest)
        if stats:
            result["tessera_stats"] = stats
        return result
    finally:
        guest.kill()


def measure_net(argv, mib):
    sink = TcpSink()
    guest = boot(argv)
    try:
        sh(guest, "udhcpc -i eth0 -n -q -t 5 -T 2", r"bound eth0 ip=10\.0\.2\.15/", timeout=60)
        guest_s = uptime_pair(guest, "dd if=/dev/zero bs=64k count=%d 2>/dev/null | nc 10.0.2.2 %d"
                              % (mib * 16, sink.port), 1800)
        assert sink.done.wait(60), "the host sink never saw the end of the stream"
        assert sink.bytes == mib << 20, "host received %d bytes, expected %d" % (sink.bytes, mib << 20)
        poweroff(guest)
        host_s = sink.last - sink.first
        return {"tx_MBps": round(sink.bytes / host_s / 1e6, 2), "tx_s": round(host_s, 2),
                "guest_s": round(guest_s, 2)}
    finally:
        guest.kill()
        sink.close()


def fresh_qcow2(cli, directory, name, mib):
    path = os.path.join(directory, name)
    subprocess.run([cli, "img", "create", "-f", "qcow2", path, "%dM" % mib], check=True,
                   stdout=subprocess.DEVNULL)
    return path


def ratio(tessera, qemu):
    return round(tessera / qemu, 3) if qemu else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cli")
    parser.add_argument("--disk-mib", type=int, default=256)
    parser.add_argument("--net-mib", type=int, default=64)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="tessera-devbench-")
    try:
        disk = fresh_qcow2(args.cli, work, "tessera.qcow2", args.disk_mib)
        tessera_blk = measure_disk(tessera_argv(args.cli, MEMORY, ["--disk", disk + ",format=qcow2"]),
                                   args.disk_mib)
        disk = fresh_qcow2(args.cli, work, "qemu.qcow2", args.disk_mib)
        qemu_blk = measure_disk(qemu_argv(MEMORY, ["-drive", "file=%s,if=none,format=qcow2,id=d0" % disk,
                                                   "-device", "virtio-blk-device,drive=d0"]), args.disk_mib)
        tessera_net = measure_net(tessera_argv(args.cli, MEMORY, ["--nic", "user"]), args.net_mib)
        qemu_net = measure_net(qemu_argv(MEMORY, ["-netdev", "user,id=n0", "-device", "virtio-net-device,netdev=n0"]),
                               args.net_mib)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report({
        "benchmark": "devices",
        "disk_MiB": args.disk_mib,
        "net_MiB": args.net_mib,
        "tessera": {"blk": tessera_blk, "net": tessera_net},
        "qemu_tcg": {"blk": qemu_blk, "net": qemu_net},
        "blk_write_ratio_tessera_over_qemu": ratio(tessera_blk["write_MBps"], qemu_blk["write_MBps"]),
        "blk_read_ratio_tessera_over_qemu": ratio(tessera_blk["read_MBps"], qemu_blk["read_MBps"]),
        "net_tx_ratio_tessera_over_qemu": ratio(tessera_net["tx_MBps"], qemu_net["tx_MBps"]),
        "target": "throughput ratios >= 1 (not slower than QEMU)",
    })


main()
