#!/usr/bin/env python3
"""Writes the seed inputs in tests/fuzz/virtio/seeds: one or two meaningful
action sequences per device (driver initialisation, then well-formed requests),
encoded as virtio_fuzz_target.cpp reads them, so the fuzzer starts from
requests that reach the device logic instead of the transport's checks.
usage: make_seeds.py [directory]"""
import os
import struct
import sys

# Device picks (byte 0) and actions, in the order of the target's enums.
BLK, BLK_RO, SCSI, SCSI_EMPTY, NET, GPU, KEYBOARD, TABLET, RNG, RAW_CDBS = range(10)
INIT, REG_WRITE, REG_READ, SETUP_QUEUE, DESCRIPTOR, POKE, PUBLISH, AVAIL, NOTIFY, REQUEST, HOST = range(11)
WRITABLE_2K = 210  # a writable-length pick meaning 4 x 512 bytes


def init(size_log2=4):
    return bytes([INIT]) + bytes(8) + bytes([size_log2])


def chain(shape, lengths=WRITABLE_2K):
    # shape: bits 0-1 header pieces, 2-3 writable buffer count, 0x20 indirect, 0x40 no notify
    return bytes([shape, 0]) + bytes([lengths] * (1 + (shape >> 2) % 3))


def blk(type_pick, sector, shape=0x04):
    body = bytes([REQUEST, 0, type_pick, sector])
    if type_pick == 1:  # OUT: one sector of data
        body += bytes([1]) + bytes(range(256)) * 2
    if type_pick in (4, 5):  # DISCARD / WRITE ZEROES: one segment (sector 4, 8 sectors)
        body += bytes([1]) + struct.pack("<HHB", 4, 8, 1 if type_pick == 5 else 0)
    return body + chain(shape)


def scsi(opcode_pick, cdb, shape=0x08):
    return bytes([REQUEST, 2, 0, opcode_pick]) + (bytes(cdb) + bytes(16))[:16] + chain(shape)


def gpu(command_pick, fields, shape=0x04):
    encoded = b""
    for value in fields:
        encoded += bytes([value]) if value < 70 else bytes([128]) + struct.pack("<H", value) if value < 65536 \
            else bytes([200]) + struct.pack("<I", value)
    return bytes([REQUEST, 0, command_pick, 0]) + bytes(16) + bytes([len(fields)]) + encoded + chain(shape)


RAM_BACKING = 0x80020000  # inside the target's data area
SEEDS = {
    "blk-read": bytes([BLK]) + init() + blk(0, 0),
    "blk-write-read": bytes([BLK]) + init() + blk(1, 3) + blk(0, 3, shape=0x24),
    "blk-discard-zeroes-flush": bytes([BLK]) + init() + blk(4, 0) + blk(5, 0) + blk(2, 0),
    "blk-readonly-write": bytes([BLK_RO]) + init() + blk(1, 1),
    # TEST UNIT READY takes the unit attention of the new disc, then READ(10)/READ(12).
    "scsi-read": bytes([SCSI]) + init(5) + scsi(0, [0x00]) + scsi(7, [0x28, 0, 0, 0, 0, 2, 0, 0, 1]) +
                 scsi(16, [0xa8, 0, 0, 0, 0, 3, 0, 0, 0, 1], shape=0x28),
    "scsi-toc-mode-config": bytes([SCSI]) + init(5) + scsi(0, [0x00]) +
                            scsi(11, [0x43, 0, 0, 0, 0, 0, 0, 0x0f, 0xff]) +
                            scsi(14, [0x5a, 0, 0x3f, 0, 0, 0, 0, 0x0f, 0xff]) +
                            scsi(12, [0x46, 2, 0, 0, 0, 0, 0, 0x0f, 0xff]) +
                            scsi(2, [0x12, 0, 0, 0, 0xff]),
    "scsi-eject-change": bytes([SCSI]) + init(5) + scsi(4, [0x1b, 0, 0, 0, 2]) + bytes([HOST, 1, HOST, 0]) +
                         scsi(13, [0x4a, 1, 0, 0, 0x10, 0, 0, 0, 8]),
    "scsi-empty-tur": bytes([SCSI_EMPTY]) + init(5) + scsi(0, [0x00]) + scsi(1, [0x03, 0, 0, 0, 18]),
    # An ARP request for the gateway 10.0.2.2; slirp answers, the host event polls.
    "net-arp": bytes([NET]) + init(4) + bytes([REQUEST, 1]) + bytes(12) + bytes([0, 28]) +
               bytes([0, 1, 8, 0, 6, 4, 0, 1, 0x52, 0x54, 0, 0x12, 0x34, 0x56, 10, 0, 2, 15,
                      0, 0, 0, 0, 0, 0, 10, 0, 2, 2]) + chain(0) + bytes([HOST, 0]),
    # create 64x48, attach backing in RAM, scanout, transfer, flush.
    "gpu-display": bytes([GPU]) + init(4) + gpu(0, []) + gpu(1, [1, 1, 64, 48]) +
                   gpu(6, [1, 1, RAM_BACKING, 0, 64 * 48 * 4, 0]) + gpu(3, [0, 0, 64, 48, 0, 1]) +
                   gpu(5, [0, 0, 64, 48, 0, 0, 1, 0]) + gpu(4, [0, 0, 64, 48, 1, 0]),
    "keyboard-events": bytes([KEYBOARD]) + init(4) + bytes([HOST, 3]) + bytes(24) + bytes([REQUEST, 0, 0]) + chain(0),
    "tablet-events": bytes([TABLET]) + init(4) + bytes([HOST, 2]) + bytes([30, 0, 1, 0x10, 0, 0x20, 0, 1]) * 2 +
                     bytes([REQUEST, 0, 0]) + chain(0),
    "rng": bytes([RNG]) + init(4) + bytes([REQUEST, 0]) + chain(0x04),
    "raw-cdbs": bytes([RAW_CDBS, 1, 0]) + bytes([3, 7]) + bytes([0x28, 0, 0, 0, 0, 0, 0, 0xff, 0xff]) + bytes(7) +
                bytes([15, 11]) + bytes([0x43, 2, 0, 0, 0, 0, 0, 0xff, 0xff]) + bytes(7),
}


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds")
    os.makedirs(directory, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(directory, name), "wb") as f:
            f.write(data)


main()
