"""Peer perceptual hashes for `facet eval`: ImageHash's pHash and dHash and Meta's PDQ.

Reads image paths (one per line) on stdin and prints one JSON object mapping each path to
{"phash": hex, "dhash": hex, "pdq": hex} (64, 64 and 256 bits). Unreadable files map to null.
"""
import json
import sys

import imagehash
import numpy as np
import pdqhash
from PIL import Image


def bits_to_hex(bits):
    value = 0
    for b in bits:
        value = (value << 1) | int(bool(b))
    return format(value, "0%dx" % (len(bits) // 4))


def hashes(path):
    with Image.open(path) as im:
        im.seek(0)
        rgb = im.convert("RGB")
    vector, _quality = pdqhash.compute(np.asarray(rgb))
    return {
        "phash": str(imagehash.phash(rgb)),
        "dhash": str(imagehash.dhash(rgb)),
        "pdq": bits_to_hex(list(vector)),
    }


def main():
    out = {}
    for line in sys.stdin:
        path = line.strip()
        if not path:
            continue
        try:
            out[path] = hashes(path)
        except Exception as exc:  # an unreadable file is reported, not fatal
            print("peer hash failed for %s: %s" % (path, exc), file=sys.stderr)
            out[path] = None
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
