#!/usr/bin/env python3
"""System test: the PowerPC mac99 board's screen, keyboard and mouse as the
stock Linux drivers see them (run with TESSERA_ENGINE=jit: the interpreter is
slow). Arguments: TESSERA_CLI and WHAT:
  screen     with --display headless, OpenBIOS sets a VBE mode on the VGA and
             Linux's offb registers fb0 (800x600, 32 bits per pixel) with fbcon
             on it; a colour the guest writes to the top 100 rows of /dev/fb0
             and the console's text both show in the screenshot the monitor's
             screendump takes, and in --screenshot when the VM ends
  adb_input  the ADB keyboard and mouse behind CUDA: `sendkey` presses and
             releases arrive as EV_KEY events with the Linux key codes on the
             "ADB keyboard" device, `mouse_move` as EV_REL motion (right and
             down: positive) and `mouse_button` as BTN_LEFT on the "ADB mouse"
The guest reads its /dev/input/event* files with cat; hexdump shows them."""
import os
import re
import shutil
import struct
import sys
import tempfile
import time

from guest_console import run_test
from linux_guest import Monitor
from mac99_guest import PROMPT, boot_shell, sh
from screenshots import count_colour, png_rgb

cli, what = sys.argv[1], sys.argv[2]
EV_KEY, EV_REL = 1, 2
KEY_LEFTSHIFT, KEY_A, KEY_B, KEY_ENTER = 42, 30, 48, 28
REL_X, REL_Y, BTN_LEFT = 0, 1, 0x110
PATTERN = (0x12, 0xab, 0x34)  # the colour the guest paints, x/R/G/B bytes in fb0


def boot(work, append, extra=()):
    monitor_path = os.path.join(work, "monitor.sock")
    guest = boot_shell(cli, ["--display", "headless", "--monitor", monitor_path, *extra], append=append)
    return guest, monitor_path




def screen():
    work = tempfile.mkdtemp(prefix="tessera-mac99-screen-")
    final_shot = os.path.join(work, "final.png")
    try:
        # tty0 gets the kernel's messages too; the shell stays on the serial console (the last one).
        guest, monitor_path = boot(work, "console=tty0 console=ttyPZ0 tessera.shell",
                                   ["--screenshot", final_shot])
        try:
            sh(guest, "ls /sys/class/graphics/", r"\bfb0\b")
            sh(guest, "echo fb=$(cat /sys/class/graphics/fb0/virtual_size)x$(cat "
                      "/sys/class/graphics/fb0/bits_per_pixel)=", r"fb=800,600x32=")
            sh(guest, "dmesg | grep fb0:", r"Open Firmware frame buffer device on \S*QEMU,VGA")
            # One row of the pattern (800 pixels), written 100 times from the top left.
            sh(guest, "printf '\\377\\%03o\\%03o\\%03o%%.0s' $(seq 800) > /tmp/row && "
                      "for i in $(seq 100); do cat /tmp/row; done > /dev/fb0; echo painted=$?="
               % PATTERN, r"painted=0=", 300)
            monitor = Monitor(monitor_path)
            shot = os.path.join(work, "screen.png")
            assert monitor.ask("screendump " + shot) == "OK"
            monitor.close()
            width, height, rows = png_rgb(shot)
            assert (width, height) == (800, 600), "screenshot is %dx%d" % (width, height)
            painted = count_colour(rows[:100], PATTERN)
            print("\npattern pixels in the top 100 rows: %d of 80000" % painted)
            assert painted >= 79000, "the guest's fb0 pattern shows in %d of 80000 pixels" % painted
            # fbcon draws the kernel's messages in light grey on black below it.
            text = count_colour(rows[100:], (0xaa, 0xaa, 0xaa))
            print("console text pixels below: %d" % text)
            assert text > 5000, "only %d light grey (console text) pixels on the screen" % text
            guest.send("poweroff -f\n", char_delay=0.01)
            status = guest.wait(300)
            assert status == 0, "the emulator exited with status %s" % status
        finally:
            guest.kill()
        # The VM's last frame, written when it stopped.
        width, height, rows = png_rgb(final_shot)
        assert (width, height) == (800, 600) and count_colour(rows[:100], PATTERN) >= 79000
    finally:
        shutil.rmtree(work, ignore_errors=True)


def events(guest, path, marker):
    """The input_event records (type, code, value) captured in `path` (32-bit
    big-endian: seconds, microseconds, type, code, value)."""
    guest.send("echo %s-BEGIN; hexdump -v -e '16/1 \"%%02x\" \"\\n\"' %s; echo %s-END\n" % (marker, path, marker),
               char_delay=0.01)
    match = guest.expect(r"(?s)\n%s-BEGIN\r?\n(.*?)%s-END\r?\n" % (marker, marker), 120)
    guest.expect(PROMPT, 60)
    records = []
    for line in match.group(1).decode().split():
        assert re.fullmatch(r"[0-9a-f]{32}", line), "unexpected hexdump line %r" % line
        _, _, kind, code, value = struct.unpack(">IIHHi", bytes.fromhex(line))
        records.append((kind, code, value))
    return records


def adb_input():
    work = tempfile.mkdtemp(prefix="tessera-mac99-input-")
    try:
        guest, monitor_path = boot(work, "console=ttyPZ0 tessera.shell")
        try:
            found = sh(guest, "cat /proc/bus/input/devices", r"(?s)ADB keyboard.*?Handlers=[^\n]*?(event\d+)"
                       r".*?ADB mouse.*?Handlers=[^\n]*?(event\d+)")
            keyboard, mouse = found.group(1).decode(), found.group(2).decode()
            print("\nkeyboard /dev/input/%s, mouse /dev/input/%s" % (keyboard, mouse))
            # The shell opens both devices itself before it answers, so the
            # capture has begun when the first key is sent (a background `cat`
            # opening them could still be starting on a loaded host).
            sh(guest, "exec 3</dev/input/%s 4</dev/input/%s; cat <&3 > /tmp/keys & cat <&4 > /tmp/mouse & "
               "exec 3<&- 4<&-; echo capturing=$((0+1))=" % (keyboard, mouse), r"capturing=1=")
            monitor = Monitor(monitor_path)
            for keys in ["a", "shift-b", "ret"]:
                assert monitor.ask("sendkey " + keys) == "OK"
            assert monitor.ask("mouse_move 4096 4096") == "OK"  # the first position: no motion yet
            assert monitor.ask("mouse_move 16384 12288") == "OK"  # right and down
            assert monitor.ask("mouse_button 1") == "OK"
            assert monitor.ask("mouse_button 0") == "OK"
            assert monitor.ask("mouse_move 12288 8192") == "OK"  # left and up
            monitor.close()
            time.sleep(3)
            sh(guest, "sleep 1; kill %1 %2; echo stopped=$((0+1))=", r"stopped=1=")
            keys = [(code, value) for kind, code, value in events(guest, "/tmp/keys", "KEYS") if kind == EV_KEY]
            print("\nkeyboard events: %s" % keys)
            # The typed Return reaches the shell too (an empty line); only the events matter.
            assert keys == [(KEY_A, 1), (KEY_A, 0), (KEY_LEFTSHIFT, 1), (KEY_B, 1), (KEY_B, 0),
                            (KEY_LEFTSHIFT, 0), (KEY_ENTER, 1), (KEY_ENTER, 0)], "unexpected key events %s" % keys
            records = events(guest, "/tmp/mouse", "MOUSE")
            motion = [(code, value) for kind, code, value in records if kind == EV_REL]
            buttons = [(code, value) for kind, code, value in records if kind == EV_KEY]
            print("mouse motion: %s\nmouse buttons: %s" % (motion, buttons))
            # 800x600 screen: +300, +150 pixels, a click, then -100, -75 (at most 63 per ADB
            # report; motion the guest has not polled yet adds up, the click stays between).
            dx = [value for code, value in motion if code == REL_X]
            dy = [value for code, value in motion if code == REL_Y]
            assert sum(v for v in dx if v > 0) == 300 and sum(v for v in dx if v < 0) == -100, dx
            assert sum(v for v in dy if v > 0) == 150 and sum(v for v in dy if v < 0) == -75, dy
            assert dx.index(next(v for v in dx if v < 0)) > dx.index(next(v for v in dx if v > 0)), dx
            assert [b for b in buttons if b[0] == BTN_LEFT] == [(BTN_LEFT, 1), (BTN_LEFT, 0)], buttons
            guest.send("poweroff -f\n", char_delay=0.01)
            status = guest.wait(300)
            assert status == 0, "the emulator exited with status %s" % status
        finally:
            guest.kill()
    finally:
        shutil.rmtree(work, ignore_errors=True)


run_test({"screen": screen, "adb_input": adb_input}[what])
