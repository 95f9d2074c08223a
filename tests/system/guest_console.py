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


# What a sanitizer build (TESSERA_SANITIZE=address or thread) prints when it
# finds a bug. The process then exits non-zero, but a test that kills the
# emulator never sees that status, so run_test() also looks for these lines
# in the output of every emulator it started.
SANITIZER_REPORT = re.compile(rb"WARNING: ThreadSanitizer:|ERROR: AddressSanitizer:|"
                              rb"ERROR: LeakSanitizer:|\.\w+:\d+:\d+: runtime error:")


def fixtures(*names):
    """Paths of guest fixtures (scripts/fixtures/build.sh builds and caches them).

    TESSERA_FIXTURES_ENV may name a file of KEY=path lines (build.sh's
    paths.env format) to use prebuilt fixtures instead."""
    override = os.environ.get("TESSERA_FIXTURES_ENV")
    if override:
        paths = dict(DEBIAN_FIRMWARE)
        with open(override) as env:
            for line in env:
                if "=" in line:
                    key, value = line.strip().split("=", 1)
                    paths[key] = value
        return paths
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
    started_consoles = []  # every console of this test, checked for sanitizer reports by run_test()

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
        GuestConsole.started_consoles.append(self)

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


def sanitizer_reports():
    """Lines of sanitizer reports in the output of the emulators this test ran."""
    found = []
    for console in GuestConsole.started_consoles:
        console.kill()  # a report is printed when found; the process has no more to say
        console.reader.join(10)
        with console.lock:
            found += [line.decode("utf-8", "replace") for line in console.output.splitlines()
                      if SANITIZER_REPORT.search(line)]
    return found


def run_test(body):
    """Runs body(); prints a clear verdict; exit status 0 on success. A
    sanitizer report from any emulator the test started fails it too."""
    failure = None
    try:
        body()
    except (GuestTimeout, AssertionError) as error:
        failure = str(error)
    reports = sanitizer_reports()
    if reports:
        failure = "%ssanitizer reports in the emulator's output (full reports above):\n  %s" % (
            failure + "; " if failure else "", "\n  ".join(reports))
    if failure:
        print("\nSYSTEM TEST FAILED: %s" % failure, flush=True)
        sys.exit(1)
    print("\nSYSTEM TEST PASSED", flush=True)
