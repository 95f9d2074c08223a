"""Drive a guest's serial console from a Python system test (stdlib only).

A GuestConsole starts a process whose stdin/stdout are the guest's serial line
(`tessera-cli run …` or `qemu-system-riscv64 … -serial stdio`), collects its
output on a reader thread, and offers the few verbs a test needs:

    with GuestConsole(argv, name="linux") as con:
        con.wait_for(r"TESSERA-GUEST-READY")        # regex, with timeout
        con.wait_for_prompt()                       # "tessera:/# "
        out = con.run("uname -m")                   # output of one shell command
        rc, out = con.run_status("rvcheck -q")      # … and its exit status
        con.send_line("poweroff")
        assert con.wait_exit(timeout=60) == 0       # process exit status

Every wait has a timeout. When it expires the helper kills the whole process
group and raises ConsoleTimeout whose message holds what was awaited and the
last 2 KB of console output, so a failing test says where the guest stopped.
Output is searched from a cursor that each successful wait moves past its
match; `output` holds the full transcript (CR removed). Set
TESSERA_CONSOLE_ECHO=1 to mirror the console to stderr while a test runs.
"""
import os
import re
import signal
import subprocess
import sys
import threading
import time

TAIL_BYTES = 2048
# The prompt the fixture initramfs sets in /etc/profile.
GUEST_PROMPT = r"^tessera:[^\n#]*# "


class ConsoleTimeout(AssertionError):
    """A wait expired; the process group has been killed."""


class ConsoleExited(AssertionError):
    """The process ended while output was still awaited."""


class GuestConsole:
    def __init__(self, argv, *, name="guest", env=None, cwd=None, echo=None, log_path=None):
        self.argv = [str(a) for a in argv]
        self.name = name
        self._echo = echo if echo is not None else os.environ.get("TESSERA_CONSOLE_ECHO") == "1"
        self._log = open(log_path, "wb") if log_path else None
        self._buf = bytearray()
        self._cursor = 0
        self._cond = threading.Condition()
        self._eof = False
        self._marker_seq = 0
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen(
            self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env=env, cwd=cwd, start_new_session=True)
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # ---- lifecycle -------------------------------------------------------
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
        return False

    def kill(self):
        """Kill the process group (guest, emulator and anything they spawned)."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self._reader.join(timeout=5)
        if self._log:
            self._log.close()
            self._log = None

    def wait_exit(self, timeout):
        """Wait for the process to end; returns its exit status."""
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._fail(ConsoleTimeout, f"process exit within {timeout} s")
        self._reader.join(timeout=5)
        return rc

    # ---- output ----------------------------------------------------------
    def _read_loop(self):
        fd = self.proc.stdout.fileno()
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                chunk = b""
            with self._cond:
                if not chunk:
                    self._eof = True
                    self._cond.notify_all()
                    return
                self._buf += chunk.replace(b"\r", b"")
                self._cond.notify_all()
            if self._log:
                self._log.write(chunk)
                self._log.flush()
            if self._echo:
                sys.stderr.buffer.write(chunk)
                sys.stderr.flush()

    @property
    def output(self):
        """The whole transcript so far, decoded leniently."""
        with self._cond:
            return self._buf.decode("utf-8", "replace")

    def tail(self, nbytes=TAIL_BYTES):
        with self._cond:
            return bytes(self._buf[-nbytes:]).decode("utf-8", "replace")

    def wait_for(self, pattern, timeout=60, flags=re.MULTILINE):
        """Wait until `pattern` (regex) appears after the cursor; returns the match
        (on the decoded text) and moves the cursor past it."""
        regex = re.compile(pattern if isinstance(pattern, str) else pattern.pattern, flags)
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                text = self._buf[self._cursor:].decode("utf-8", "replace")
                match = regex.search(text)
                if match:
                    self._cursor += len(text[:match.end()].encode("utf-8", "replace"))
                    return match
                if self._eof:
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(min(remaining, 0.5))
        if self._eof:
            rc = self.proc.wait()
            self._fail(ConsoleExited, f"/{regex.pattern}/ (process exited with status {rc})")
        self._fail(ConsoleTimeout, f"/{regex.pattern}/ within {timeout} s")

    def wait_for_prompt(self, timeout=60):
        return self.wait_for(GUEST_PROMPT, timeout)

    def _fail(self, kind, what):
        self.kill()
        elapsed = time.monotonic() - self.started_at
        message = (f"[{self.name}] waited for {what}; {elapsed:.1f} s after start.\n"
                   f"command: {' '.join(self.argv)}\n"
                   f"--- last {TAIL_BYTES} bytes of console output ---\n{self.tail()}\n"
                   f"--- end of console output ---")
        print(message, file=sys.stderr)
        raise kind(message)

    # ---- input -----------------------------------------------------------
    def send(self, data):
        """Write raw bytes/str to the guest's serial input."""
        if isinstance(data, str):
            data = data.encode()
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            self._fail(ConsoleExited, "the process to accept input (stdin closed)")

    def send_line(self, line):
        self.send(line + "\n")

    # ---- shell commands --------------------------------------------------
    def run_status(self, command, timeout=60):
        """Run one shell command in the guest shell; returns (exit status, output).

        The command is bracketed by two echo markers. Their text is split by an
        empty quote pair ("@@TS""B_1@@") so the shell's echo of the typed line
        never matches; only the echo command's output does."""
        self._marker_seq += 1
        tag = f"{self._marker_seq}_{os.getpid()}"
        self.send_line(f'echo "@@TS""B_{tag}@@"; {command}; echo "@@TS""E_{tag}@@ $?"')
        self.wait_for(rf"^@@TSB_{tag}@@\n", timeout)
        start = self._cursor
        end = self.wait_for(rf"^@@TSE_{tag}@@ (\d+)\n", timeout)
        with self._cond:
            body = self._buf[start:self._cursor].decode("utf-8", "replace")
        body = body[:body.rfind(f"@@TSE_{tag}@@")]
        self.wait_for_prompt(timeout)
        return int(end.group(1)), body

    def run(self, command, timeout=60):
        """Run a command that must succeed; returns its output (stripped)."""
        rc, body = self.run_status(command, timeout)
        if rc != 0:
            self._fail(AssertionError, f"`{command}` to succeed, but it exited with {rc}:\n{body}")
        return body.strip()
