#!/usr/bin/env python3
"""Crash consistency of Qcow2Image, tested for real.

A writer process (tests/tools/qcow2_crash_writer) does random writes, zero
writes, discards and flushes through Qcow2Image and journals what it flushed.
We SIGKILL it at random moments, many times, and after every kill require:
  * the real `qemu-img check` exits 0 or 3 (leaked clusters at most, never corruption);
  * our reader and `qemu-img convert -O raw` see byte-identical disks;
  * every byte defined by a flushed operation reads back as written.
Images are created by the real qemu-img with several option sets (including
lazy refcounts and small clusters) and survive many crashes in a row; now and
then our own leak repair runs and qemu-img must then find a clean image.

Some kills land before the writer has truncated its journal (one round per
option set kills at once; under load, process start plus the repair of a dirty
lazy-refcounts image outlasted the shortest random delay). The driver empties
the journal before every start, so such a round must leave every byte as it
was, and `verify` refuses a journal whose seed is not this round's instead of
replaying the last round's operations with the wrong data.

Every option set gets the same number of kills (--kills-per-config), however
slow the machine is: coverage is fixed, only the run time varies. (A shared time
budget once left the last option set, the 512-byte-cluster one, with no kill at
all under load.)

usage: qcow2_crash_consistency.py <qcow2_crash_writer> [--kills-per-config N]
                                  [--seed N] [--config SUBSTRING]
"""
import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

CONFIGS = [
    # (qemu-img -o options, cluster size)
    ("cluster_size=65536", 65536),
    ("cluster_size=4096,lazy_refcounts=on", 4096),
    ("cluster_size=16384,refcount_bits=4", 16384),
    ("compat=0.10,cluster_size=8192", 8192),
    # 64 clusters per refcount block: the refcount table grows and moves under load.
    ("cluster_size=512,refcount_bits=64", 512),
]
DISK_SIZE = "24M"


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def fail(message):
    print("FAIL: " + message, flush=True)
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("writer")
    parser.add_argument("--kills-per-config", type=int, default=8,
                        help="kills per option set (at least 3: round 1 kills at once, round 2 may repair)")
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--config", default="", help="only the option sets containing this text")
    args = parser.parse_args()
    configs = [c for c in CONFIGS if args.config in c[0]]
    if not configs:
        fail(f"no option set contains {args.config!r}")
    if args.kills_per_config < 3:
        fail("--kills-per-config must be at least 3")
    rng = random.Random(args.seed)
    print(f"seed {args.seed}", flush=True)
    kills = 0
    leaky_rounds = 0
    with tempfile.TemporaryDirectory(prefix="tessera-crash-") as tmp:
        for options, cluster_size in configs:
            image = os.path.join(tmp, "disk.qcow2")
            baseline = os.path.join(tmp, "baseline.raw")
            ours = os.path.join(tmp, "ours.raw")
            theirs = os.path.join(tmp, "theirs.raw")
            journal = os.path.join(tmp, "journal")
            for path in (image, baseline):
                if os.path.exists(path):
                    os.remove(path)
            r = run(["qemu-img", "create", "-q", "-f", "qcow2", "-o", options, image, DISK_SIZE])
            if r.returncode != 0:
                fail("qemu-img create: " + r.stderr)
            r = run(["qemu-img", "convert", "-O", "raw", image, baseline])
            if r.returncode != 0:
                fail("qemu-img convert: " + r.stderr)
            for round_ in range(args.kills_per_config):
                seed = rng.randrange(1, 1 << 40)
                # Round 1 kills at once: the writer dies before (or while) it opens
                # the journal and the image, so the journal must not be the last round's.
                delay = 0.0 if round_ == 1 else rng.uniform(0.02, 0.5)
                open(journal, "w").close()
                writer = subprocess.Popen([args.writer, "write", image, journal, str(seed)],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                time.sleep(delay)
                if writer.poll() is not None:
                    fail(f"writer exited early ({writer.returncode}): {writer.stderr.read()}")
                writer.send_signal(signal.SIGKILL)
                writer.wait()
                kills += 1

                check = run(["qemu-img", "check", image])
                if check.returncode not in (0, 3):
                    fail(f"[{options}] qemu-img check exit {check.returncode} after kill {kills} "
                         f"(seed {seed}):\n{check.stdout}{check.stderr}")
                if check.returncode == 3:
                    leaky_rounds += 1
                r = run([args.writer, "dump", image, ours])
                if r.returncode != 0:
                    fail(f"our reader failed after kill {kills}: {r.stderr}")
                r = run(["qemu-img", "convert", "-O", "raw", image, theirs])
                if r.returncode != 0:
                    fail("qemu-img convert failed: " + r.stderr)
                with open(ours, "rb") as a, open(theirs, "rb") as b:
                    if a.read() != b.read():
                        fail(f"[{options}] our reader and qemu-img disagree after kill {kills} (seed {seed})")
                r = run([args.writer, "verify", ours, baseline, journal, str(seed), str(cluster_size)])
                if r.returncode != 0:
                    fail(f"[{options}] flushed data lost after kill {kills} (seed {seed}): {r.stderr}{r.stdout}")
                print(f"kill {kills} [{options}] check={check.returncode} {r.stdout.strip()}", flush=True)
                # Every few rounds, our own leak repair must leave qemu-img nothing to complain about.
                if check.returncode == 3 and round_ % 3 == 2:
                    r = run([args.writer, "repair", image])
                    if r.returncode != 0:
                        fail("our repair failed: " + r.stdout + r.stderr)
                    after = run(["qemu-img", "check", image])
                    if after.returncode != 0:
                        fail(f"qemu-img check exit {after.returncode} after our leak repair:\n{after.stdout}")
                os.replace(ours, baseline)
    print(f"PASS: {kills} kills ({args.kills_per_config} for each of {len(configs)} option sets), {leaky_rounds} left leaks only, none corrupted or lost flushed data", flush=True)


if __name__ == "__main__":
    main()
