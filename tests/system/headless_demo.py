#!/usr/bin/env python3
"""System test (issue 16, item 6): the README's headless demo, as
`bash scripts/run.sh` runs it on a machine without a display and without a
terminal on stdin. Every command it types into the guest must arrive, each
answered in order after a shell prompt (it used to send them all while the
guest booted, and the guest's shell saw only "cpuinfo"), and the guest must
power off with exit status 0.

usage: headless_demo.py BUILD_DIR"""
import os
import re
import subprocess
import sys

from guest_console import SANITIZER_REPORT, SOURCE_DIR

build = sys.argv[1]


def main():
    demo = subprocess.run(["bash", os.path.join(SOURCE_DIR, "scripts", "headless-demo.sh"), build],
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=900)
    output = demo.stdout.decode("utf-8", "replace").replace("\r", "")
    failures = []
    # Prompt, the command as the shell echoes it, then its own answer.
    for name, answer in [("uname -a", r"Linux tessera \S+ .* riscv64 GNU/Linux\n"),
                         ("cat /proc/cpuinfo", r"processor\s*: 0\n(?:.*\n)*?isa\s*: rv64imafdc_zihintpause\n"),
                         ("rvcheck | tail -1", r"RVCHECK PASS \(\d+ checks\)\n"),
                         ("poweroff", r"(?:.*\n)*?.*reboot: Power down")]:
        if not re.search(r"tessera:/# " + re.escape(name) + r"\n" + answer, output):
            failures.append("no answer to %r after a prompt" % name)
    if "not found" in output:
        failures.append("the guest's shell got a garbled command")
    if demo.returncode != 0:
        failures.append("the demo exited %d" % demo.returncode)
    if SANITIZER_REPORT.search(demo.stdout):
        failures.append("a sanitizer report in the output")
    if failures:
        print(output[-6000:])
        print("\nSYSTEM TEST FAILED: " + "; ".join(failures), flush=True)
        sys.exit(1)
    print(output[output.find("== boot the RISC-V Linux guest"):])
    print("\nSYSTEM TEST PASSED", flush=True)


main()
