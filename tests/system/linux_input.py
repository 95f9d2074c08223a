#!/usr/bin/env python3
"""System test: the monitor's input commands reach the stock Linux
virtio-input drivers. `sendkey` presses and releases arrive as EV_KEY events
with the Linux key codes on the Tessera Virtio Keyboard; `mouse_move` arrives
as EV_ABS X/Y events on the Tessera Virtio Tablet, larger coordinates giving
larger values. The guest reads /dev/input/event* with evtest-lite."""
import os
import re
import shutil
import sys
import tempfile

from guest_console import run_test
from linux_guest import Monitor, boot
from linux_shell import PROMPT

cli = sys.argv[1]
EV_KEY, EV_ABS = 1, 3
KEY_LEFTSHIFT, KEY_A, KEY_B, KEY_ENTER = 42, 30, 48, 28
ABS_X, ABS_Y = 0, 1


def body():
    work = tempfile.mkdtemp(prefix="tessera-input-")
    try:
        monitor_path = os.path.join(work, "monitor.sock")
        guest = boot(cli, ["--display", "headless", "--monitor", monitor_path])
        try:
            guest.send("evtest-lite -t 5\n")
            ready = guest.expect(r"evtest-lite ready", 30)
            start = ready.end()
            opened = bytes(guest.output[:start]).decode("utf-8", "replace")
            devices = dict((name, path) for path, name in
                           re.findall(r'evtest-lite device (\S+) name="([^"]*)"', opened))
            keyboard = devices.get("Tessera Virtio Keyboard")
            tablet = devices.get("Tessera Virtio Tablet")
            assert keyboard and tablet, "input devices seen by the guest: %s" % devices
            monitor = Monitor(monitor_path)
            for keys in ["a", "shift-b", "ret"]:
                assert monitor.ask("sendkey " + keys) == "OK"
            assert monitor.ask("mouse_move 100 100") == "OK"
            assert monitor.ask("mouse_move 900 700") == "OK"
            monitor.close()
            guest.expect(PROMPT, 30)  # evtest-lite exits 5 s after the last event
            text = bytes(guest.output[start:]).decode("utf-8", "replace")
            events = [(m.group(1), int(m.group(2)), int(m.group(3)), int(m.group(4))) for m in
                      re.finditer(r"evtest-lite event (\S+) type=(\d+) code=(\d+) value=(-?\d+)", text)]
            keys = [(code, value) for dev, kind, code, value in events if dev == keyboard and kind == EV_KEY]
            print("\nkeyboard events: %s" % keys)
            assert keys == [(KEY_A, 1), (KEY_A, 0),
                            (KEY_LEFTSHIFT, 1), (KEY_B, 1), (KEY_B, 0), (KEY_LEFTSHIFT, 0),
                            (KEY_ENTER, 1), (KEY_ENTER, 0)], "unexpected key events %s" % keys
            absolute = [(code, value) for dev, kind, code, value in events if dev == tablet and kind == EV_ABS]
            print("tablet events: %s" % absolute)
            xs = [value for code, value in absolute if code == ABS_X]
            ys = [value for code, value in absolute if code == ABS_Y]
            assert len(xs) == 2 and len(ys) == 2, "expected two X and two Y events, got %s" % absolute
            assert xs[1] > xs[0] and ys[1] > ys[0], "pointer moved right/down but values %s" % absolute
            # The power button (the app's Shut Down): the guest powers off cleanly, status 0.
            monitor = Monitor(monitor_path)
            assert monitor.ask("system_powerdown") == "OK"
            monitor.close()
            guest.expect(r"TESSERA-GUEST-POWER-BUTTON", 30)
            assert guest.wait(60) == 0, "the guest did not power off after the power button"
        finally:
            guest.kill()
    finally:
        shutil.rmtree(work, ignore_errors=True)


run_test(body)
