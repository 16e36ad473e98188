#!/usr/bin/env python3
"""Contact sheet of the demo world: one row per category, columns from each source.

Usage: python3 seeds/tools/contact-sheet.py [--seeds seeds] [--out docs/contact-sheet.jpg] [--per-source 3]
Picks rendered images deterministically (different design types first) and calls ImageMagick montage.
"""
import argparse
import json
import os
import subprocess

CATEGORIES = ["ring", "necklace", "earring", "bracelet", "pendant", "bangle", "other"]
SOURCES = ["aurelia", "northbridge", "marketplace"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", default="seeds")
    ap.add_argument("--out", default="docs/contact-sheet.jpg")
    ap.add_argument("--per-source", type=int, default=3)
    args = ap.parse_args()

    records = []
    with open(os.path.join(args.seeds, "catalog", "images.jsonl")) as f:
        for line in f:
            r = json.loads(line)
            rel = r["path"][r["path"].index("images/"):]
            r["file"] = os.path.join(args.seeds, rel)
            if os.path.exists(r["file"]):
                records.append(r)

    tiles = []
    for cat in CATEGORIES:
        for src in SOURCES:
            seen_types = set()
            picked = []
            pool = [r for r in records if r["category"] == cat and r["source"] == src]
            # Spread over the list and over design types.
            step = max(1, len(pool) // 40)
            for r in pool[::step]:
                t = r["attributes"]["type"]
                if t in seen_types:
                    continue
                seen_types.add(t)
                picked.append(r)
                if len(picked) == args.per_source:
                    break
            for r in pool:
                if len(picked) >= args.per_source:
                    break
                if r not in picked:
                    picked.append(r)
            for r in picked:
                a = r["attributes"]
                gem = a["gemstones"][0]["type"] if a["gemstones"] else "no stone"
                label = f'{src[:5]} {cat}/{a["type"]}\n{a["metal"]} · {gem}'
                tiles.append((r["file"], label))
            for _ in range(args.per_source - len(picked)):
                tiles.append(("xc:white", ""))

    cmd = ["montage"]
    for path, label in tiles:
        cmd += ["-label", label, path]
    cmd += ["-tile", f"{args.per_source * len(SOURCES)}x{len(CATEGORIES)}", "-geometry", "200x200+3+3",
            "-pointsize", "11", "-background", "white", "-quality", "85", args.out]
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    subprocess.run(cmd, check=True)
    print(f"wrote {args.out} ({len(tiles)} tiles)")


if __name__ == "__main__":
    main()
