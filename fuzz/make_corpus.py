"""Writes a seed corpus for the decode fuzzer: tiny images in every accepted format and
variant the decoder has a branch for (progressive and CMYK JPEG, palette/16-bit/interlaced/
alpha PNG, WebP, GIF), plus a few truncated ones."""

import io
import sys
from pathlib import Path

from PIL import Image

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
base = Image.new("RGB", (37, 23))
for x in range(37):
    for y in range(23):
        base.putpixel((x, y), (x * 7 % 256, y * 11 % 256, (x * y) % 256))

samples = {}
def save(name, img, fmt, **kw):
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    samples[name] = buf.getvalue()

save("baseline.jpg", base, "JPEG", quality=80)
save("progressive.jpg", base, "JPEG", quality=60, progressive=True)
save("cmyk.jpg", base.convert("CMYK"), "JPEG")
save("grey.jpg", base.convert("L"), "JPEG")
save("rgb.png", base, "PNG")
save("palette.png", base.convert("P"), "PNG")
save("alpha.png", base.convert("RGBA"), "PNG")
save("interlaced.png", base, "PNG", interlace=1)
save("grey16.png", base.convert("I;16"), "PNG")
save("lossy.webp", base, "WEBP", quality=50)
save("lossless.webp", base, "WEBP", lossless=True)
save("first.gif", base.convert("P"), "GIF")
for name, data in list(samples.items()):
    samples["cut-" + name] = data[: len(data) // 2]
for name, data in samples.items():
    (out / name).write_bytes(data)
