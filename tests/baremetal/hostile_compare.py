#!/usr/bin/env python3
"""Hostile-guest system test (issue 10): runs a bare-metal program (hostile_*.c)
under Tessera and under the reference, qemu-system-riscv64 7.2, on the virt
board, and requires the same outcome from both for every case the program
prints (`CASE <name> trap <mcause> <mtval>`, `CASE <name> ok`, `CASE <name>
value <v>`), in the same order, with both runs ending in DONE and a pass.

Where the specification allows either answer (a misaligned access completed
or split in pieces, which piece's address goes to mtval, atomics on a device
register) Tessera follows QEMU. Where QEMU 7.2 contradicts the specification,
Tessera follows the specification and this test holds it to that, and checks
that QEMU still answers as noted (so that a new reference is noticed):
  - an AMO that faults is reported by QEMU with the load cause (misaligned 4,
    access fault 5, page fault 13); AMOs raise store/AMO exceptions (6, 7, 15;
    privileged spec 1.12 table 3.6), as the other reference, Spike, does;
  - an SC with no reservation never traps in QEMU (it fails before touching
    memory); "no SC instruction shall retire unless it passes memory
    permission checks" and a misaligned SC raises an exception (unprivileged
    spec, A extension, LR/SC), so Tessera raises the fault.
usage: hostile_compare.py <tessera-cli> <program.elf> [--disk]
--disk gives both machines a virtio-blk disk whose bytes are all 0xa5."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "system"))
from emulators import machine_argv  # noqa: E402

AMO_CAUSE_FOR_QEMU_CAUSE = {4: 6, 5: 7, 13: 15}
# SC cases without a reservation: the trap the specification requires.
SC_WITHOUT_RESERVATION = {"sc.w-0": ("trap", 7, 0x0), "sc.d-3": ("trap", 6, 0x3)}


def disk_argv(emulator, disk):
    if not disk:
        return []
    if emulator == "qemu":  # the modern virtio-mmio transport Tessera implements
        return ["-global", "virtio-mmio.force-legacy=false", "-drive", f"file={disk},format=raw,if=none,id=d0",
                "-device", "virtio-blk-device,drive=d0"]
    return ["--disk", f"{disk},format=raw"]


def outcomes(emulator, elf, disk):
    argv = machine_argv(emulator, "128M", "none", elf, timeout=60) + disk_argv(emulator, disk)
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=180)
    lines = proc.stdout.splitlines()
    if proc.returncode != 0 or "DONE" not in lines:
        sys.exit(f"{emulator} did not finish the program (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}")
    cases = []
    for line in lines:
        if not line.startswith("CASE "):
            continue
        name, *result = line.split()[1:]
        if result[0] == "trap":
            cases.append((name, ("trap", int(result[1], 16), int(result[2], 16))))
        elif result[0] == "value":
            cases.append((name, ("value", int(result[1], 16))))
        else:
            cases.append((name, ("ok",)))
    return cases


def expected_of_tessera(name, qemu):
    """What Tessera must answer, given QEMU's answer."""
    if name.startswith("amo") and qemu[0] == "trap" and qemu[1] in AMO_CAUSE_FOR_QEMU_CAUSE:
        return ("trap", AMO_CAUSE_FOR_QEMU_CAUSE[qemu[1]], qemu[2])
    if name in SC_WITHOUT_RESERVATION:
        if qemu != ("ok",):
            sys.exit(f"QEMU no longer lets {name} pass without a trap ({qemu}): revisit SC_WITHOUT_RESERVATION")
        return SC_WITHOUT_RESERVATION[name]
    return qemu


def show(outcome):
    if outcome[0] == "trap":
        return f"trap mcause={outcome[1]} mtval={outcome[2]:#x}"
    return f"value {outcome[1]:#x}" if outcome[0] == "value" else "ok"


def main():
    tessera, elf = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as scratch:
        disk = None
        if "--disk" in sys.argv[3:]:
            disk = os.path.join(scratch, "disk.raw")
            with open(disk, "wb") as f:
                f.write(b"\xa5" * 4096)
        reference = outcomes("qemu", elf, disk)
        ours = outcomes(tessera, elf, disk)
    if [name for name, _ in reference] != [name for name, _ in ours]:
        sys.exit(f"the two runs printed different cases:\nqemu:    {reference}\ntessera: {ours}")
    mismatches = 0
    for (name, qemu), (_, tessera_outcome) in zip(reference, ours):
        want = expected_of_tessera(name, qemu)
        verdict = "ok  " if tessera_outcome == want else "DIFF"
        mismatches += tessera_outcome != want
        note = "" if want == qemu else f"   (QEMU 7.2, against the spec: {show(qemu)})"
        print(f"{verdict} {name:28} {show(tessera_outcome)}{'' if verdict == 'ok  ' else '  want ' + show(want)}{note}")
    if mismatches:
        sys.exit(f"FAIL: {mismatches} of {len(ours)} cases differ from the reference")
    print(f"PASS: {len(ours)} cases as on the reference")


if __name__ == "__main__":
    main()
