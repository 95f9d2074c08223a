#!/usr/bin/env python3
"""Benchmark (ctest label `bench`): parallel speed-up with 1, 2 and 4 harts
(issue 12). The guest runs 4 copies of a CPU-bound BusyBox shell loop at once
(4 processes, no I/O), timed inside the guest with `time`; the same firmware,
kernel and initramfs run on Tessera's JIT and interpreter with --smp N and on
qemu-system-riscv64 -smp N (multi-threaded TCG) in the same run. Prints one
JSON object: seconds per configuration and speedup_N = seconds(1) /
seconds(N) per emulator.

The speed-up is bounded by the host's cores (reported as host_cores): with 2
host cores, 4 harts cannot beat 2 (the 4 hart threads share 2 cores). It is
also bounded by what else the host runs: each run reports the host CPU time
the emulator spent on the loop (cpu_s, all its threads), the time its threads
were ready to run but waited for a host core (waited_s), how many cores it
actually had (cores_used = cpu_s / loop_s) and the host's load average when
the loop started (host_load). A speed-up below the harts' count with
cores_used well below it and a large waited_s means the host was busy (other
processes, or the scheduler's share for this session), not that the harts
waited for each other; cpu_s growing with the harts would mean the latter."""
import os
import sys

from bench_guest import PROMPT, boot, poweroff, qemu_argv, report, tessera_argv, tessera_stats

ITERATIONS = 20000
COPIES = 4
LOOP = ("time sh -c 'for c in %s; do (i=0; while [ $i -lt %d ]; do i=$((i+1)); done) & done; wait';"
        " echo PARALLEL-DONE\n" % (" ".join(str(c) for c in range(COPIES)), ITERATIONS))


def host_time(pid):
    """(seconds on a host core, seconds ready but waiting for one) so far,
    summed over the threads of process `pid` (/proc/PID/task/TID/schedstat)."""
    ran = waited = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as stat:
                fields = stat.read().split()
        except OSError:  # the thread just ended
            continue
        ran += int(fields[0]) / 1e9
        waited += int(fields[1]) / 1e9
    return ran, waited


def measure(argv):
    guest = boot(argv)
    try:
        load = os.getloadavg()[0]
        ran_before, waited_before = host_time(guest.proc.pid)
        guest.send(LOOP)
        real = guest.expect(r"real\s+(\d+)m\s*([\d.]+)s", 1800)
        guest.expect(r"PARALLEL-DONE", 60)
        guest.expect(PROMPT, 60)
        ran, waited = host_time(guest.proc.pid)
        cpu, waited = ran - ran_before, waited - waited_before
        seconds = int(real.group(1)) * 60 + float(real.group(2))
        poweroff(guest)
        result = {"loop_s": round(seconds, 2), "cpu_s": round(cpu, 2), "waited_s": round(waited, 2),
                  "cores_used": round(cpu / seconds, 2) if seconds else None, "host_load": round(load, 1)}
        stats = tessera_stats(guest)
        if stats:
            result["mips"] = stats.get("mips")
        return result
    finally:
        guest.kill()


def main():
    cli = sys.argv[1]
    harts = (1, 2, 4)
    emulators = {
        "tessera_jit": lambda n: tessera_argv(cli, "256M", ("--engine", "jit", "--smp", str(n))),
        "tessera_interp": lambda n: tessera_argv(cli, "256M", ("--engine", "interp", "--smp", str(n))),
        "qemu_tcg": lambda n: qemu_argv("256M", ("-smp", str(n))),
    }
    result = {"benchmark": "smp_parallel_loop", "copies": COPIES, "iterations": ITERATIONS,
              "host_cores": os.cpu_count()}
    for name, argv in emulators.items():
        runs = {n: measure(argv(n)) for n in harts}
        result[name] = {"harts_%d" % n: runs[n] for n in harts}
        for n in harts[1:]:
            result[name]["speedup_%d" % n] = round(runs[1]["loop_s"] / runs[n]["loop_s"], 2)
    report(result)


main()
