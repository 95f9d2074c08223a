#!/usr/bin/env python3
"""System test: the README's classic QEMU tutorial says what the tutorial
says and what Tessera does. Argument: TESSERA_CLI.
  - README.md and README.zh_CN.md carry the same runnable blocks with the same
    commands (comments may be translated) and the same helloworld.c;
  - each `tessera-cli qemu` line is the tutorial's own QEMU line (below, as
    the tutorial has it) with only the documented changes: the x86_64
    kernel-developer lines take the guest's program and kernel, RISC-V's
    ext2 root is /dev/vda, the debugging line is the hello line with -s -S,
    the shrink works on the disk the walk-through made, the install boots
    Tessera's installer disc (Debian's powerpc discs are gone); the riscv64
    install blocks are the same lines for qemu-system-riscv64 and its files;
  - each native `-run` block is exactly the `tessera-cli run` line that
    `tessera-cli qemu --dry-run` prints for its QEMU line."""
import os
import subprocess
import sys
import tempfile

import tutorial_readme as readme
from guest_console import run_test

cli = sys.argv[1]

# The tutorial's command lines, as it has them (the seed article, 2017).
TUTORIAL = {
    "tutorial-1-disk": "qemu-img create -f qcow2 debian-ppc.qcow2 15G",
    "tutorial-2-install": "qemu-system-ppc -m 512 -redir tcp:2222::22 -boot d "
                          "-cdrom ~/Downloads/debian-server-powerpc.iso debian-ppc.qcow2",
    "tutorial-3-start": "qemu-system-ppc -m 1G -device e1000,netdev=net0 "
                        "-netdev user,hostfwd=tcp::2222-:22,id=net0 ~/qemuPowerPC/debian-ppc.qcow2",
    "tutorial-4-ext2": "qemu-system-x86_64 -kernel bzImage -hda rootfs.ext2 -boot c -m 512 "
                       "-append \"root=/dev/sda rw\" -localtime -no-reboot -name rtlinux "
                       "-net nic -net user -redir tcp:2222::22 -redir tcp:3333::3333",
    "tutorial-4-hello": "qemu-system-x86_64 -kernel ./bzImage -initrd ./rootfs "
                        "-append \"root=/dev/ram rdinit=/helloworld\"",
    "tutorial-5-shrink": "qemu-img convert -p -c -O qcow2 debian-wheezy-powerpc.qcow2 shrinked.qcow2",
}
# The install's lines on RISC-V: the program, the disc, the disk's and the copy's names.
RISCV_INSTALL = {"qemu-system-ppc": "qemu-system-riscv64", "debian-ppc.qcow2": "debian-riscv64.qcow2",
                 "debian-wheezy-powerpc.qcow2": "debian-riscv64.qcow2",
                 "~/qemuPowerPC/debian-ppc.qcow2": "debian-riscv64.qcow2",
                 "~/Downloads/debian-server-powerpc.iso": "installer-riscv64.iso",
                 "shrinked.qcow2": "shrinked-riscv64.qcow2"}
HELLO_BUILD = ["gcc -static -o helloworld helloworld.c", "echo helloworld | cpio -o --format=newc > rootfs"]
GUEST = {"ppc": {"qemu-system-x86_64": "qemu-system-ppc", "bzImage": "vmlinux", "./bzImage": "./vmlinux",
                 "gcc": "powerpc-linux-gnu-gcc"},
         "riscv64": {"qemu-system-x86_64": "qemu-system-riscv64", "bzImage": "Image", "./bzImage": "./Image",
                     "gcc": "riscv64-linux-gnu-gcc", "root=/dev/sda rw": "root=/dev/vda rw"}}


def as_tessera(tutorial_line, swaps=None):
    """The tutorial's line as README's Tessera command: qemu-img → tessera-cli img,
    qemu-system-* → tessera-cli qemu qemu-system-*."""
    words = readme.substitute(readme.words(tutorial_line), files=swaps or {})
    if words[0] == "qemu-img":
        return ["tessera-cli", "img"] + words[1:]
    return ["tessera-cli", "qemu"] + words


def check_translation():
    english, chinese = readme.blocks(readme.README), readme.blocks(readme.README_ZH)
    assert sorted(english) == sorted(chinese), "the READMEs mark different blocks: only in README.md %s, " \
        "only in README.zh_CN.md %s" % (sorted(set(english) - set(chinese)), sorted(set(chinese) - set(english)))
    for step in english:
        ours = [readme.words(c) for c in readme.commands(step, readme.README)]
        theirs = [readme.words(c) for c in readme.commands(step, readme.README_ZH)]
        assert ours == theirs, "block %s differs:\n  README.md:       %s\n  README.zh_CN.md: %s" % (step, ours, theirs)
    assert english["tutorial-4-helloworld.c"] == chinese["tutorial-4-helloworld.c"], "helloworld.c differs"
    print("README.md and README.zh_CN.md: the same %d blocks" % len(english))


def check_tutorial_lines():
    # The disk this walk-through made; the disc that works instead of Debian's
    # (its powerpc discs are from a dropped port: the README says so).
    swaps = {"debian-wheezy-powerpc.qcow2": "debian-ppc.qcow2",
             "~/Downloads/debian-server-powerpc.iso": "installer.iso"}
    for step in ("tutorial-1-disk", "tutorial-2-install", "tutorial-3-start", "tutorial-5-shrink"):
        expect(readme.tessera_command(step), as_tessera(TUTORIAL[step], swaps), step)
        expect(readme.tessera_command(step + "-riscv64"), as_tessera(TUTORIAL[step], RISCV_INSTALL),
               step + "-riscv64")
    for arch, swaps in GUEST.items():
        expect(readme.tessera_command("tutorial-4-ext2-%s" % arch), as_tessera(TUTORIAL["tutorial-4-ext2"], swaps),
               "tutorial-4-ext2-%s" % arch)
        step = "tutorial-4-hello-%s" % arch
        expect(readme.tessera_command(step), as_tessera(TUTORIAL["tutorial-4-hello"], swaps), step)
        build = [readme.words(c) for c in readme.commands(step) if not c.startswith("tessera-cli")]
        expect(build, [readme.substitute(readme.words(c), files=swaps) for c in HELLO_BUILD], step + " (build)")
        # QEMU's -s -S (GDB stub on port 1234, CPU stopped) added to the hello line.
        expect(readme.tessera_command("tutorial-4-gdb-%s" % arch), readme.tessera_command(step) + ["-s", "-S"],
               "tutorial-4-gdb-%s" % arch)
    print("the README's tessera-cli lines are the tutorial's")


def check_native_lines():
    for step in readme.blocks():
        if not step.endswith("-run"):
            continue
        qemu_line = readme.tessera_command(step[:-len("-run")])
        assert qemu_line[1] == "qemu", "%s follows %s, which is not a tessera-cli qemu line" % (step, step[:-4])
        # As bash passes it (~ expanded), from an empty folder: the files need not exist.
        with tempfile.TemporaryDirectory(prefix="tessera-tutorial-") as empty:
            dry = subprocess.run([cli, "qemu", "--dry-run"] + [os.path.expanduser(w) for w in qemu_line[2:]],
                                 cwd=empty, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert dry.returncode == 0, "tessera-cli qemu --dry-run refuses %s: %s" % (step[:-4], dry.stderr)
        printed = readme.words(dry.stdout.strip().splitlines()[-1])
        documented = [os.path.expanduser(w) for w in readme.tessera_command(step)]  # as bash expands ~
        expect(documented, printed, step + " (the native line --dry-run prints)")
    print("the README's native lines are what tessera-cli qemu --dry-run prints")


def expect(actual, wanted, what):
    assert actual == wanted, "%s:\n  README: %s\n  wanted: %s" % (what, actual, wanted)


def main():
    check_translation()
    check_tutorial_lines()
    check_native_lines()


run_test(main)
