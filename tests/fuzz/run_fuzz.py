#!/usr/bin/env python3
"""Builds a libFuzzer target with clang, ASan and UBSan (tests/fuzz/libfuzzer,
cached in the build dir), seeds it and fuzzes it for a fixed time. Any crash,
sanitizer report, timeout, leak or out-of-memory fails the test; the crashing
input is kept in <work>/fuzz-<target>-artifacts/ and reproduces with
`<work>/fuzz-libfuzzer/<target>_fuzzer <that file>`.

Targets:
  qcow2   mutated qcow2 images -> open/read/check/repair/write (core/block);
          seeds are small valid images made by the real qemu-img/qemu-io,
          plus every input that once failed (tests/fuzz/qcow2/regressions).
  virtio  hostile guest drivers (descriptor chains, rings, registers, config,
          resets, SCSI CDBs, network frames) against every virtio device;
          seeds are in tests/fuzz/virtio/seeds (made by make_seeds.py there).
  cpu     hostile guest programs (random instructions under random privilege,
          paging and PMP setups) against the CPU engine with the board's
          devices; seeds are in tests/fuzz/cpu/seeds (make_seeds.py there).
          --engine interp|jit picks the engine (TESSERA_FUZZ_ENGINE for
          the target); each engine keeps its own corpus and artifacts.
  ppc_cpu hostile PowerPC 750 guests (any MSR, BATs, segments, a fuzzed hashed
          page table, any instruction words) against a PowerPC engine
          (--engine as for cpu); seeds in tests/fuzz/ppc_cpu/seeds.

usage: run_fuzz.py <source dir> <work dir> <target>|all [--seconds N] [--build-only|--no-build]
                   [--engine NAME]
(ctest builds every target once with --build-only, then fuzzes them in
parallel with --no-build.)
"""
import argparse
import os
import re
import subprocess
import sys


def run(args, **kwargs):
    r = subprocess.run(args, capture_output=True, text=True, **kwargs)
    if r.returncode != 0:
        print(f"command failed: {' '.join(args)}\n{r.stdout}{r.stderr}", flush=True)
        sys.exit(1)
    return r


def make_qcow2_seeds(source, seeds):
    os.makedirs(seeds, exist_ok=True)
    base = os.path.join(seeds, "base.raw")
    with open(base, "wb") as f:
        f.write(bytes(range(256)) * 64)
    images = [
        ("zlib.qcow2", "cluster_size=512", ["write -c -P 0x41 0 4k", "write -P 0x42 4k 1k", "write -z 6k 1k"]),
        ("zstd.qcow2", "cluster_size=512,compression_type=zstd", ["write -c -P 0x43 0 2k", "discard 3k 1k"]),
        ("v2.qcow2", "compat=0.10,cluster_size=512", ["write -P 0x44 512 3k"]),
        ("refcount1.qcow2", "cluster_size=512,refcount_bits=1", ["write -P 0x45 0 2k"]),
        ("refcount64.qcow2", "cluster_size=512,refcount_bits=64", ["write -P 0x46 1k 2k"]),
        ("extl2.qcow2", "cluster_size=16k,extended_l2=on", ["write -P 0x47 0 2k", "write -z 4k 1k"]),
        ("lazy.qcow2", "cluster_size=512,lazy_refcounts=on", ["write -P 0x48 0 1k"]),
        ("backing.qcow2", "cluster_size=512,backing_file=base.raw,backing_fmt=raw", ["write -P 0x49 1k 1k"]),
        ("snapshot.qcow2", "cluster_size=512", ["write -P 0x4a 0 2k"]),
    ]
    for name, options, commands in images:
        path = os.path.join(seeds, name)
        if os.path.exists(path):
            continue
        run(["qemu-img", "create", "-q", "-f", "qcow2", "-o", options, path, "16k"], cwd=seeds)
        io = ["qemu-io", "-f", "qcow2"]
        for c in commands:
            io += ["-c", c]
        run(io + [path], cwd=seeds)
        if name == "snapshot.qcow2":
            run(["qemu-img", "snapshot", "-c", "s1", path])
            run(["qemu-io", "-f", "qcow2", "-c", "write -P 0x4b 512 1k", path])
    os.remove(base)  # backing stays dangling: the target never follows backing files
    return seeds


# target -> (seed directory maker, libFuzzer options)
TARGETS = {
    "qcow2": (lambda source, work: make_qcow2_seeds(source, os.path.join(work, "fuzz-qcow2-seeds")),
              ["-max_len=131072", "-timeout=20"]),
    "virtio": (lambda source, work: os.path.join(source, "tests/fuzz/virtio/seeds"),
               ["-max_len=4096", "-timeout=30"]),
    "cpu": (lambda source, work: os.path.join(source, "tests/fuzz/cpu/seeds"), ["-max_len=4096", "-timeout=30"]),
    "ppc_cpu": (lambda source, work: os.path.join(source, "tests/fuzz/ppc_cpu/seeds"),
                ["-max_len=8192", "-timeout=30"]),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("work")
    parser.add_argument("target", choices=sorted(TARGETS) + ["all"])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--engine", default="interp", help="the CPU engine the cpu and ppc_cpu targets fuzz")
    args = parser.parse_args()
    if args.engine != "interp" and args.target not in ("cpu", "ppc_cpu"):
        parser.error("--engine applies to the cpu and ppc_cpu targets only")
    build = os.path.join(args.work, "fuzz-libfuzzer")
    targets = sorted(TARGETS) if args.target == "all" else [args.target]
    if not args.no_build:
        if not os.path.exists(os.path.join(build, "build.ninja")):
            run(["cmake", "-S", os.path.join(args.source, "tests/fuzz/libfuzzer"), "-B", build, "-G", "Ninja",
                 "-DCMAKE_C_COMPILER=clang", "-DCMAKE_CXX_COMPILER=clang++", "-DCMAKE_BUILD_TYPE=RelWithDebInfo"])
        run(["cmake", "--build", build, "-j2", "--target", *[t + "_fuzzer" for t in targets]])
    if args.build_only:
        print("built " + ", ".join(t + "_fuzzer" for t in targets), flush=True)
        return
    if len(targets) != 1:
        parser.error("fuzz one target at a time")
    make_seeds, options = TARGETS[args.target]
    fuzzer = args.target + "_fuzzer"
    seeds = make_seeds(args.source, args.work)
    # Inputs that once failed run first, every time (libFuzzer reads all corpus directories).
    regressions = os.path.join(args.source, "tests/fuzz", args.target, "regressions")
    extra = [regressions] if os.path.isdir(regressions) else []
    # The interpreter keeps the plain names its corpus has always had.
    run_name = args.target if args.engine == "interp" else f"{args.target}-{args.engine}"
    corpus = os.path.join(args.work, f"fuzz-{run_name}-corpus")
    os.makedirs(corpus, exist_ok=True)
    artifacts = os.path.join(args.work, f"fuzz-{run_name}-artifacts") + "/"
    os.makedirs(artifacts, exist_ok=True)
    # Scratch images live on tmpfs when there is one: the targets fsync a lot.
    scratch = "/dev/shm" if os.access("/dev/shm", os.W_OK) else args.work
    env = dict(os.environ, TMPDIR=scratch, ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1",
               UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1", TESSERA_FUZZ_ENGINE=args.engine)
    command = [os.path.join(build, fuzzer), corpus, seeds, *extra, f"-max_total_time={args.seconds}", *options,
               "-rss_limit_mb=2048", "-malloc_limit_mb=1024", f"-artifact_prefix={artifacts}", "-print_final_stats=1"]
    r = subprocess.run(command, env=env, capture_output=True, text=True)
    # The summary goes first: ctest keeps only the start of a passing test's output.
    executions = re.search(r"stat::number_of_executed_units:\s*(\d+)", r.stderr)
    summary = f"{fuzzer} ({args.engine}): {executions.group(1) if executions else '?'} executions in {args.seconds} s"
    if r.returncode != 0:
        print(f"FAIL: {summary}; the fuzzer found a problem (exit {r.returncode}); reproducer in {artifacts}",
              flush=True)
        print("\n".join(r.stderr.splitlines()[-40:]), flush=True)
        sys.exit(1)
    print(f"PASS: {summary}, no crash", flush=True)
    print("\n".join(r.stderr.splitlines()[-40:]), flush=True)


if __name__ == "__main__":
    main()
