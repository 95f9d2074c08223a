#!/usr/bin/env python3
"""System test: Debian's gdb-multiarch debugs a guest through Tessera's GDB
stub, started as QEMU's -gdb tcp::PORT -S are: `tessera-cli run --gdb
tcp::PORT --paused`. Arguments: EMULATOR (tessera-cli) and ARCH:
  riscv64  the virt board: OpenSBI (fw_dynamic) and the riscv64 Linux Image,
           GDB reading the symbols from the fixture's vmlinux
  ppc      the mac99 board: OpenBIOS and the linux-ppc32 vmlinux
  riscv64-smp  the virt board with two harts: GDB lists one thread per
           hart, both at the reset vector; the harts stop at breakpoints the
           boot hart (start_kernel) and the other one (smp_callin) reach, and
           the stop names the hart that did; stepi steps that hart; kill
The engine comes from TESSERA_ENGINE (system_gdb_<arch>_jit / _interp).
One GDB session checks: the pc stands at the reset vector; x/4xw of the
kernel as loaded in RAM equals the file's bytes; `break *start_kernel` and
continue stop there (pc == the symbol's address, on the JIT too); stepi
advances by exactly one instruction (its length read from the vmlinux); a
register written with `set $reg =` reads back; detach lets the guest run on.
Then a raw protocol client checks what GDB does not exercise: the target
description, hostile packets (bad checksum, a packet far beyond PacketSize,
bad hex, unmapped memory, unknown registers) answered with errors, continue
interrupted by Ctrl-C (0x03), and `k`, after which the emulator exits with
status 0. Prints the time each step took."""
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time

from emulators import engine_argv
from guest_console import fixtures, run_test
from linux_guest import free_port

emulator, arch = sys.argv[1], sys.argv[2]
START = time.monotonic()


def elapsed():
    return time.monotonic() - START


def elf_bytes(path, vaddr, length):
    """`length` bytes of the ELF file `path` at virtual address `vaddr` (from its PT_LOAD segments)."""
    with open(path, "rb") as f:
        data = f.read()
    is64, big = data[4] == 2, data[5] == 2
    e = ">" if big else "<"
    if is64:
        phoff, = struct.unpack(e + "Q", data[32:40])
        phentsize, phnum = struct.unpack(e + "HH", data[54:58])
    else:
        phoff, = struct.unpack(e + "I", data[28:32])
        phentsize, phnum = struct.unpack(e + "HH", data[42:46])
    for i in range(phnum):
        ph = data[phoff + i * phentsize:phoff + (i + 1) * phentsize]
        if is64:
            kind, _, offset, pvaddr, _, filesz = struct.unpack(e + "IIQQQQ", ph[:40])
        else:
            kind, offset, pvaddr, _, filesz = struct.unpack(e + "IIIII", ph[:20])
        if kind == 1 and pvaddr <= vaddr and vaddr + length <= pvaddr + filesz:
            return data[offset + vaddr - pvaddr:offset + vaddr - pvaddr + length]
    raise AssertionError("0x%x is not in a loadable segment of %s" % (vaddr, path))


def symbol_address(system_map, name):
    with open(system_map) as f:
        for line in f:
            fields = line.split()
            if len(fields) == 3 and fields[2] == name:
                return int(fields[0], 16)
    raise AssertionError("%s is not in %s" % (name, system_map))


if arch.startswith("riscv64"):
    fx = fixtures("firmware", "linux")
    VMLINUX, SYSTEM_MAP = fx["LINUX_VMLINUX"], fx["LINUX_SYSTEM_MAP"]
    ARGV = ["--bios", fx["OPENSBI_FW_DYNAMIC"], "--kernel", fx["LINUX_IMAGE"], "-m", "256M"]
    ARGV += ["--smp", "2"] if arch == "riscv64-smp" else []
    GDB_ARCH, RESET_VECTOR, REGISTER, ENDIAN = "riscv:rv64", 0x1000, "a0", "<"
    LOADED_AT = 0x80200000  # the Image, where the board put it
    with open(fx["LINUX_IMAGE"], "rb") as f:
        LOADED_BYTES = f.read(16)
else:
    fx = fixtures("linux-ppc32")
    VMLINUX = fx["PPC_LINUX_VMLINUX"]
    SYSTEM_MAP = os.path.join(os.path.dirname(VMLINUX), "System.map")
    ARGV = ["--machine", "mac99", "--kernel", VMLINUX, "-m", "256M"]
    GDB_ARCH, RESET_VECTOR, REGISTER, ENDIAN = "powerpc:common", 0xfff00100, "r3", ">"
    LOADED_AT = 0x01000000  # the kernel's first segment (linked at 0xc0000000), as QEMU's mac99 loads it
    LOADED_BYTES = elf_bytes(VMLINUX, 0xc0000000, 16)
START_KERNEL = symbol_address(SYSTEM_MAP, "start_kernel")
if arch.startswith("riscv64"):
    first = struct.unpack("<H", elf_bytes(VMLINUX, START_KERNEL, 2))[0]
    FIRST_LENGTH = 4 if first & 3 == 3 else 2
else:
    FIRST_LENGTH = 4


class Rsp:
    """A minimal GDB remote-protocol client (acks on), for what GDB itself never sends."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.buffer = b""

    def raw(self, data):
        self.sock.sendall(data)

    def byte(self):
        while not self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise AssertionError("the stub closed the connection")
            self.buffer += chunk
        b, self.buffer = self.buffer[:1], self.buffer[1:]
        return b

    def ack(self):
        b = self.byte()
        assert b in (b"+", b"-"), "expected an acknowledgement, got %r" % b
        return b

    def packet(self):
        while self.byte() != b"$":
            pass
        body = b""
        while True:
            b = self.byte()
            if b == b"#":
                break
            body += b
        checksum = self.byte() + self.byte()
        assert int(checksum, 16) == sum(body) % 256, "bad checksum from the stub on %r" % body
        self.raw(b"+")
        return body.decode("latin-1")

    def send(self, payload):
        frame = b"$" + payload + b"#%02x" % (sum(payload) % 256)
        self.raw(frame)
        assert self.ack() == b"+", "the stub refused %r" % payload

    def ask(self, payload):
        self.send(payload)
        reply = self.packet()
        print("rsp> %s\nrsp< %s" % (payload[:60].decode("latin-1"), reply[:100]), flush=True)
        return reply


def run_gdb(port, commands):
    argv = ["gdb-multiarch", "-batch", "-nx"]
    for command in ["set architecture " + GDB_ARCH, "set confirm off", "set pagination off", "file " + VMLINUX,
                    "target remote 127.0.0.1:%d" % port] + commands:
        argv += ["-ex", command]
    result = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=1500)
    print(result.stdout, flush=True)
    assert result.returncode == 0, "gdb-multiarch exited with status %d" % result.returncode
    return result.stdout


def smp_session(port):
    out = run_gdb(port, [
        "info threads",
        "break *start_kernel", "continue", 'printf "FIRST=%d PC=%#lx\\n", $_thread, $pc',
        "delete", "break *smp_callin", "continue", 'printf "SECOND=%d PC=%#lx\\n", $_thread, $pc',
        "stepi", 'printf "STEPPED=%d PC=%#lx\\n", $_thread, $pc',
        "info threads", "kill"])
    threads = re.findall(r"^\*?\s+(\d+)\s+Thread \d+ \(CPU#(\d)\)\s+0x0*1000 in", out, re.M)
    assert len(threads) == 2, "GDB did not list two threads at the reset vector"
    first = re.search(r"FIRST=(\d) PC=(0x\w+)", out)
    second = re.search(r"SECOND=(\d) PC=(0x\w+)", out)
    stepped = re.search(r"STEPPED=(\d) PC=(0x\w+)", out)
    assert first and second and stepped, "GDB printed no stop"
    smp_callin = symbol_address(SYSTEM_MAP, "smp_callin")
    assert int(first.group(2), 16) == START_KERNEL and int(second.group(2), 16) == smp_callin
    # start_kernel runs on the boot hart, smp_callin on the other one.
    assert first.group(1) != second.group(1), "the same thread stopped at start_kernel and smp_callin"
    assert stepped.group(1) == second.group(1) and int(stepped.group(2), 16) > smp_callin
    print("SMP session (threads, breakpoints on each hart, stepi): %.1f s" % elapsed(), flush=True)


def gdb_session(port):
    out = run_gdb(port, [
        'printf "RESET-PC=%#lx\\n", $pc',
        "x/4xw 0x%x" % LOADED_AT,
        "break *start_kernel", "continue",
        'printf "BREAK-PC=%#lx\\n", $pc',
        "stepi",
        'printf "STEP-PC=%#lx\\n", $pc',
        "set $%s = 0x1234abcd" % REGISTER,
        'printf "REGISTER=%%#lx\\n", $%s' % REGISTER,
        "info registers pc",
        "detach",
    ])

    def value(name):
        match = re.search(name + r"=(0x[0-9a-f]+)", out)
        assert match, "GDB printed no %s" % name
        return int(match.group(1), 16)

    assert value("RESET-PC") == RESET_VECTOR, "pc at attach is 0x%x, not the reset vector 0x%x" % (
        value("RESET-PC"), RESET_VECTOR)
    words = re.search(r"0x0*%x[^:\n]*:\s+(0x\w+)\s+(0x\w+)\s+(0x\w+)\s+(0x\w+)" % LOADED_AT, out)
    assert words, "x/4xw printed no words"
    expected = struct.unpack(ENDIAN + "4I", LOADED_BYTES)
    got = tuple(int(w, 16) for w in words.groups())
    assert got == expected, "memory at 0x%x is %s, the file has %s" % (
        LOADED_AT, [hex(w) for w in got], [hex(w) for w in expected])
    assert value("BREAK-PC") == START_KERNEL, "stopped at 0x%x, not start_kernel 0x%x" % (
        value("BREAK-PC"), START_KERNEL)
    assert value("STEP-PC") == START_KERNEL + FIRST_LENGTH, "stepi went from 0x%x to 0x%x, not %d bytes on" % (
        START_KERNEL, value("STEP-PC"), FIRST_LENGTH)
    assert value("REGISTER") == 0x1234abcd, "$%s reads back 0x%x" % (REGISTER, value("REGISTER"))
    print("GDB session (reset vector, memory, breakpoint, stepi, register): %.1f s" % elapsed(), flush=True)


def raw_session(port):
    rsp = Rsp(port)  # connecting stops the running guest
    reply = rsp.ask(b"?")
    assert reply.startswith("T02thread:1;"), "stop reason after attaching: %r" % reply
    supported = rsp.ask(b"qSupported:multiprocess+;swbreak+")
    assert "qXfer:features:read+" in supported and "PacketSize=4000;" in supported, supported
    xml = rsp.ask(b"qXfer:features:read:target.xml:0,ffff")
    feature = "org.gnu.gdb.riscv.cpu" if arch.startswith("riscv64") else "org.gnu.gdb.power.core"
    assert xml[0] == "l" and feature in xml, "target description: %r" % xml[:200]
    # Hostile input: every one an error reply, and the stub still answers after.
    rsp.raw(b"$g#00")
    assert rsp.ack() == b"-", "a bad checksum was acknowledged"
    rsp.raw(b"$" + b"m" * 200000 + b"#00")
    assert rsp.ack() == b"+"
    assert rsp.packet().startswith("E"), "an oversized packet was not refused"
    for hostile in (b"m0,zz", b"mffffffffdead0000,10", b"Mzz", b"Xffffffffdead0000,4:abcd", b"p9999",
                    b"Pzz=12", b"Z0,,4", b"Hgffff", b"vCont;x", b"qXfer:features:read:nothing.xml:0,10"):
        assert rsp.ask(hostile).startswith("E"), "%r was not refused" % hostile
    assert rsp.ask(b"vMustReplyEmpty") == ""
    assert len(rsp.ask(b"g")) > 0
    # Continue, then Ctrl-C stops the guest again.
    rsp.send(b"vCont;c")
    time.sleep(2)
    rsp.raw(b"\x03")
    reply = rsp.packet()
    assert reply.startswith("T02"), "stop reply to Ctrl-C: %r" % reply
    rsp.send(b"k")
    print("raw protocol checks and kill: %.1f s" % elapsed(), flush=True)


def main():
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="tessera-gdb-", suffix=".log", delete=False)
    argv = [emulator, "run"] + ARGV + engine_argv() + [
        "--serial", "file:" + log.name, "--timeout", "1800", "--gdb", "tcp::%d" % port, "--paused"]
    print(" ".join(argv), flush=True)
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stderr.readline()  # the stub listens before the board runs
        print(line, end="", flush=True)
        assert "GDB stub on 127.0.0.1:%d" % port in line, "no GDB stub announced: %r" % line
        if arch == "riscv64-smp":
            smp_session(port)
        else:
            gdb_session(port)
            raw_session(port)
        status = proc.wait(timeout=60)
        rest = proc.stderr.read()
        print(rest, flush=True)
        assert status == 0, "the emulator exited with status %d after kill" % status
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        with open(log.name, errors="replace") as serial:
            print("--- guest serial ---\n" + serial.read()[-3000:], flush=True)
        os.unlink(log.name)


run_test(main)
