#!/usr/bin/env python3
"""Benchmark (ctest label `bench`, issue 17 "Benchmarks" 2): CPU-bound programs
inside the booted Linux guest under Tessera's JIT, Tessera's interpreter and
qemu-system-riscv64 (TCG), measured in the same run, plus the same C built for
the x86-64 host ("% of native"). Prints one JSON object.

The programs are cpubench (scripts/fixtures/bench-programs/): integer (sieve,
hash, coremark_like), call/branch-heavy (recursion, switch_interp,
string_hash_table), memory (qsort, pointer_chase over 32 MiB, memcpy),
floating point (fp_div_mul, matmul, fma), and text processing with the
guest's BusyBox (text_sort, text_grep, text_awk over a generated 2 MiB file;
no native figure: the host has no BusyBox). Each program is timed inside the
guest (CLOCK_MONOTONIC around the program only, so boot and console traffic do
not count) and prints a checksum; every emulator and the native build must
print the same checksums, or the benchmark fails.

Two times per program: guest_s, the guest's own clock, and cpu_s, the host
CPU time the emulator process (all its threads) used meanwhile
(/proc/PID/task/*/schedstat), which a loaded, shared host does not inflate
the way it inflates wall time; ratios use cpu_s (native: the process's
CPU time). All guests are booted at once and each program runs in one guest
after the other, --rounds times, keeping the best time, so load drifts over
every emulator alike.

Ratios: speedup_vs_qemu = QEMU's time / the engine's time (above 1: faster
than QEMU); pct_of_native = native time / the engine's time * 100.
usage: guest_cpu_benchmark.py <tessera-cli> [--scale N] [--rounds N] [--engines jit,interp,qemu]
                              [--programs sieve,coremark_like,...]
(--programs runs only those, e.g. while tuning the JIT; the default is all.)
"""
import argparse
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile

from bench_guest import PROMPT, boot, cpu_seconds, fixtures, poweroff, qemu_argv, report, tessera_argv, tessera_stats

MEMORY = "512M"
TEXT_LINES = 100000
TEXT_COMMANDS = {
    "text_sort": "sort words.txt | md5sum",
    "text_grep": "grep -c 'a-1[0-9]*5 ' words.txt",
    "text_awk": "awk '{ s += $2; if ($3 == \"kilo\") k++ } END { print s, k }' words.txt",
}
PROGRAMS = ["sieve", "hash", "coremark_like", "recursion", "switch_interp", "string_hash_table", "qsort",
            "pointer_chase", "memcpy", "fp_div_mul", "matmul", "fma"]
RESULT = re.compile(r"CPUBENCH (\w+) ([0-9.]+) ([0-9a-f]{16})")


def parse(output):
    return {m.group(1): (float(m.group(2)), m.group(3)) for m in RESULT.finditer(output)}


def shell_quote(text):
    return "'" + text.replace("'", "'\\''") + "'"


def guest_commands(scale, wanted):
    """(name, shell command) per program in `wanted`: cpubench's programs, then
    the text commands over the generated file."""
    commands = [(name, "./cpubench %s %d" % (name, scale)) for name in PROGRAMS if name in wanted]
    commands += [(name, "./cpubench sh %s %s" % (name, shell_quote(cmd)))
                 for name, cmd in TEXT_COMMANDS.items() if name in wanted]
    return commands


def run_command(guest, command, name):
    """Runs one command at the guest's prompt: (host CPU seconds, checksum, guest seconds)."""
    before = cpu_seconds(guest.proc.pid)
    guest.send(command + "; echo CPUBENCH-DONE-$?\n")
    done = guest.expect(r"CPUBENCH-DONE-(\d+)", 1800)
    cpu = cpu_seconds(guest.proc.pid) - before
    if done.group(1) != b"0":
        sys.exit("cpubench failed in the guest (%s):\n%s" % (command, guest.text()[-3000:]))
    guest.expect(PROMPT, 60)
    seconds, checksum = parse(guest.text())[name]
    return (round(cpu, 4), checksum, seconds)


def best(results, name, result):
    if name not in results or result[0] < results[name][0]:
        results[name] = result


def run_native(binary, scale, wanted, runs=3):
    """Best CPU time of `runs` per program (user + system of the process)."""
    results = {}
    for _ in range(runs):
        for program in (p for p in PROGRAMS if p in wanted):
            proc = subprocess.Popen([binary, program, str(scale)], stdout=subprocess.PIPE, text=True)
            out = proc.stdout.read()
            proc.stdout.close()
            _, status, usage = os.wait4(proc.pid, 0)
            if status != 0:
                sys.exit("native cpubench %s failed (status %d)" % (program, status))
            seconds, checksum = parse(out)[program]
            best(results, program, (round(usage.ru_utime + usage.ru_stime, 4), checksum, seconds))
    return results


def geomean(values):
    values = [v for v in values if v]
    return round(math.exp(sum(math.log(v) for v in values) / len(values)), 3) if values else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cli")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--engines", default="jit,interp,qemu")
    parser.add_argument("--programs", default=",".join(PROGRAMS + list(TEXT_COMMANDS)))
    args = parser.parse_args()
    programs = [p for p in PROGRAMS + list(TEXT_COMMANDS) if p in args.programs.split(",")]
    unknown = set(args.programs.split(",")) - set(programs)
    if unknown:
        sys.exit("unknown programs: %s (known: %s)" % (", ".join(sorted(unknown)),
                                                      ", ".join(PROGRAMS + list(TEXT_COMMANDS))))
    fx = fixtures("bench-programs")
    engines = args.engines.split(",")
    # A copy of the disk per guest: each emulator locks the image it has open.
    work = tempfile.mkdtemp(prefix="tessera-cpubench-")

    guests = {}
    runs, extra = {engine: {} for engine in engines}, {}
    try:
        for engine in engines:
            disk = shutil.copy(fx["CPUBENCH_DISK"], os.path.join(work, engine + ".tar"))
            if engine == "qemu":
                argv = qemu_argv(MEMORY, ["-drive", "file=%s,if=none,format=raw,readonly=on,id=d0" % disk,
                                          "-device", "virtio-blk-device,drive=d0"])
            else:
                argv = tessera_argv(args.cli, MEMORY,
                                    ["--engine", engine, "--disk", disk + ",format=raw,readonly=on"])
            guests[engine] = guest = boot(argv)
            guest.send("cd /tmp && tar xf /dev/vda && ./cpubench text %d > words.txt; echo CPUBENCH-DONE-$?\n"
                       % TEXT_LINES)
            if guest.expect(r"CPUBENCH-DONE-(\d+)", 600).group(1) != b"0":
                sys.exit("cannot unpack cpubench in the guest (%s):\n%s" % (engine, guest.text()[-3000:]))
            guest.expect(PROMPT, 60)
        for _ in range(args.rounds):
            for name, command in guest_commands(args.scale, programs):
                for engine in engines:
                    best(runs[engine], name, run_command(guests[engine], command, name))
        for engine, guest in guests.items():
            poweroff(guest)
            extra[engine] = tessera_stats(guest)
    finally:
        for guest in guests.values():
            guest.kill()
        shutil.rmtree(work, ignore_errors=True)
    runs["native"] = run_native(fx["CPUBENCH_NATIVE"], args.scale, programs)

    table, mismatches = {}, []
    for program in programs:
        row = {}
        checksums = {}
        for name, results in runs.items():
            if program in results:
                row[name + "_s"] = results[program][0]
                row[name + "_guest_s"] = results[program][2]
                checksums[name] = results[program][1]
        if len(set(checksums.values())) > 1:
            mismatches.append("%s: %s" % (program, checksums))
        for engine in engines:
            if engine == "qemu" or engine + "_s" not in row:
                continue
            seconds = row[engine + "_s"]
            if "qemu_s" in row:
                row[engine + "_speedup_vs_qemu"] = round(row["qemu_s"] / seconds, 3)
            if "native_s" in row:
                row[engine + "_pct_of_native"] = round(100 * row["native_s"] / seconds, 2)
        if "qemu_s" in row and "native_s" in row:
            row["qemu_pct_of_native"] = round(100 * row["native_s"] / row["qemu_s"], 2)
        table[program] = row

    summary = {}
    for engine in engines:
        for key in ("speedup_vs_qemu", "pct_of_native"):
            column = [row.get(engine + "_" + key) for row in table.values()]
            if any(column):
                summary[engine + "_geomean_" + key] = geomean(column)
        # Over every block the JIT translated in this run, and over its first
        # 2000 blocks (the fixed sample whose host instructions it counts);
        # from tessera-cli --stats.
        for key in ("host_code_bytes_per_guest_instruction", "host_instructions_per_guest_instruction"):
            value = extra.get(engine, {}).get(key)
            if value:
                summary[engine + "_" + key] = value
        if engine != "qemu" and "qemu" in engines:
            slower = [p for p, row in table.items() if row.get(engine + "_speedup_vs_qemu", 2) < 1]
            summary[engine + "_slower_than_qemu"] = slower
    report({
        "benchmark": "guest_cpu",
        "scale": args.scale,
        "rounds": args.rounds,
        "programs": table,
        "summary": summary,
        "runs": extra,
        "targets": "every program faster than QEMU; geomean >= 3x QEMU; FP >= 5x QEMU; integer within 3x of "
                   "native (issue 17)",
    })
    if mismatches:
        sys.exit("checksums differ between emulators/native:\n" + "\n".join(mismatches))


main()
