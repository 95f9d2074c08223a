"""Reading the PNG screenshots Tessera writes (8-bit truecolour, filter 0),
for tests that check what a VM shows on its screen."""
import struct
import zlib


def png_rgb(path):
    """Width, height and RGB rows of an 8-bit truecolour PNG (what Tessera writes)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
            assert body[8:10] == b"\x08\x02", "unexpected PNG pixel format"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * 3 + 1
    return width, height, [raw[y * stride + 1:(y + 1) * stride] for y in range(height)]


def count_colour(rows, rgb):
    """How many pixels of the rows have exactly this (r, g, b) colour."""
    pixel = bytes(rgb)
    return sum(row[i:i + 3] == pixel for row in rows for i in range(0, len(row), 3))
