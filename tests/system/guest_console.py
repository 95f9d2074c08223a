"""Drive a guest's serial console through `tessera-cli run` (or QEMU) on a pipe.

A reader thread collects everything the guest prints; tests wait for patterns
with a deadline and type commands, like a person at the console would.
"""
import os
import re
import subprocess
import sys
import threading
import time

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEBIAN_FIRMWARE = {
    "OPENSBI_FW_JUMP": "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin",
    "OPENSBI_FW_DYNAMIC": "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin",
    "UBOOT_SMODE": "/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin",
    "UBOOT_SMODE_ELF": "/usr/lib/u-boot/qemu-riscv64_smode/uboot.elf",
}


class GuestTimeout(Exception):
    pass


def fixtures(*names):
    """Paths of guest fixtures (scripts/fixtures/build.sh builds and caches them)."""
    script = os.path.join(SOURCE_DIR, "scripts", "fixtures", "build.sh")
    if not os.path.exists(script):
        if all(n == "firmware" for n in names):
            return dict(DEBIAN_FIRMWARE)
        sys.exit("guest fixtures are not available: scripts/fixtures/build.sh is missing")
    out = subprocess.run([script, "--quiet", *names], check=True, stdout=subprocess.PIPE, text=True).stdout
    paths = {}
    for line in out.splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            paths[key.strip()] = value.strip()
    return paths


class GuestConsole:
    def __init__(self, argv, log_prefix="guest"):
        self.argv = argv
        self.started = time.monotonic()
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, bufsize=0)
        self.output = bytearray()
        self.searched = 0  # expect() only looks past what earlier calls consumed
        self.lock = threading.Condition()
        self.log_prefix = log_prefix
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            chunk = self.proc.stdout.read1(65536) if hasattr(self.proc.stdout, "read1") else os.read(
                self.proc.stdout.fileno(), 65536)
            if not chunk:
                break
            sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
            with self.lock:
                self.output += chunk
                self.lock.notify_all()
        with self.lock:
            self.lock.notify_all()

    def text(self):
        with self.lock:
            return self.output.decode("utf-8", "replace")

    def expect(self, pattern, timeout):
        """Waits for regex `pattern` in output not yet consumed; returns the match."""
        regex = re.compile(pattern.encode() if isinstance(pattern, str) else pattern)
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                match = regex.search(self.output, self.searched)
                if match:
                    self.searched = match.end()
                    return match
                left = deadline - time.monotonic()
                if left <= 0 or (self.proc.poll() is not None and not self.reader.is_alive()):
                    raise GuestTimeout("did not see %r within %.0f s (process %s)" %
                                       (pattern, timeout, "exited %s" % self.proc.returncode
                                        if self.proc.poll() is not None else "running"))
                self.lock.wait(min(left, 0.5))

    def send(self, text, char_delay=0.0):
        data = text.encode()
        if char_delay <= 0:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
            return
        for byte in data:  # slow typing for consoles without input buffering
            self.proc.stdin.write(bytes([byte]))
            self.proc.stdin.flush()
            time.sleep(char_delay)

    def wait(self, timeout):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            raise GuestTimeout("guest did not exit within %.0f s" % timeout)

    def elapsed(self):
        return time.monotonic() - self.started

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def run_test(body):
    """Runs body(); prints a clear verdict; exit status 0 on success."""
    try:
        body()
    except (GuestTimeout, AssertionError) as error:
        print("\nSYSTEM TEST FAILED: %s" % error, flush=True)
        sys.exit(1)
    print("\nSYSTEM TEST PASSED", flush=True)
