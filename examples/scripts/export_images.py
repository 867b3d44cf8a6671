#!/usr/bin/env python3
"""Folders of PNG images from the data shipped with dsb4j, for trying `dsb train --data FOLDER` (plain Python).

    python3 examples/scripts/export_images.py OUT_DIR [--digits N] [--garments N] [--offset K]

writes OUT_DIR/digits/ (MNIST digits from bridge/src/main/resources/dsb4j/data/mnist10k) and OUT_DIR/garments/
(Fashion-MNIST images from .../fashion2k): 28x28 8-bit grey PNGs, named <index>-<label>.png, starting at image K.
"""
import argparse
import gzip
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "bridge", "src", "main", "resources", "dsb4j", "data")


def idx(path):
    with gzip.open(path, "rb") as f:
        b = f.read()
    magic, n = struct.unpack(">II", b[:8])
    if magic == 2051:
        rows, cols = struct.unpack(">II", b[8:16])
        return n, rows, cols, b[16:]
    return n, 1, 1, b[8:]


def png(path, w, h, grey):
    """A minimal 8-bit greyscale PNG: IHDR, one IDAT of filter-0 rows, IEND."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + grey[r * w:(r + 1) * w] for r in range(h))
    body = chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + body)


def export(name, out, count, offset):
    n, rows, cols, px = idx(os.path.join(DATA, name, name + "-images-idx3-ubyte.gz"))
    _, _, _, labels = idx(os.path.join(DATA, name, name + "-labels-idx1-ubyte.gz"))
    os.makedirs(out, exist_ok=True)
    size = rows * cols
    end = min(n, offset + count)
    for i in range(offset, end):
        png(os.path.join(out, "%05d-%d.png" % (i, labels[i])), cols, rows, px[i * size:(i + 1) * size])
    return end - offset


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--digits", type=int, default=1000)
    ap.add_argument("--garments", type=int, default=1000)
    ap.add_argument("--offset", type=int, default=0)
    a = ap.parse_args()
    d = export("mnist10k", os.path.join(a.out, "digits"), a.digits, a.offset)
    g = export("fashion2k", os.path.join(a.out, "garments"), a.garments, a.offset)
    print("wrote %d digits to %s and %d garments to %s" % (d, os.path.join(a.out, "digits"), g, os.path.join(a.out, "garments")))


if __name__ == "__main__":
    main()
