"""Time to results in the live search, end to end, against a running `facet demo`:
for marketplace-only designs of the demo world (uploaded as 640 px JPEGs), the seconds from
the upload until the first `search.stage` event carrying internal alternatives, until the first
one carrying a marketplace-sourced offer, and until `done`.

    .build/release/facet demo --port 8300 --data /tmp/demo &
    .venv/bin/python scripts/bench_live_search.py --url http://127.0.0.1:8300 --searches 12
"""

import argparse
import io
import json
import time
from pathlib import Path

import requests
import websocket
from PIL import Image

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--searches", type=int, default=12)
    ap.add_argument("--buyer", default="buyer@demo.facet.local:Buyer-demo-2026")
    ap.add_argument("--ops", default="ops@demo.facet.local:Ops-demo-2026")
    args = ap.parse_args()

    ops = requests.Session()
    email, password = args.ops.split(":", 1)
    ops.post(args.url + "/api/auth/login", json={"email": email, "password": password}).raise_for_status()
    while True:  # the index follows the initial import
        status = ops.get(args.url + "/api/admin/search-index").json()
        total = ops.get(args.url + "/api/admin/catalog", params={"status": "active", "limit": 1}).json()["total"]
        if status["loaded"] and status["items"] >= total:
            break
        time.sleep(1)

    buyer = requests.Session()
    email, password = args.buyer.split(":", 1)
    buyer.post(args.url + "/api/auth/login", json={"email": email, "password": password}).raise_for_status()
    listings = json.loads((REPO / "seeds/marketplace/listings.json").read_text())["listings"]
    picks = [l for l in listings if l["groundTruth"]["relation"] == "unrelated"][::37][: args.searches]
    firsts, internals, dones = [], [], []
    for listing in picks:
        img = Image.open(REPO / listing["mainImage"]).convert("RGB").resize((640, 640))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=85)
        ws = websocket.create_connection(args.url.replace("http", "ws", 1) + "/ws",
                                         cookie="facet_session=" + buyer.cookies["facet_session"])
        started = time.monotonic()
        r = buyer.post(args.url + "/api/searches", files={"image": ("design.jpg", buf.getvalue(), "image/jpeg")},
                       data={"category": listing["category"]})
        r.raise_for_status()
        sid = r.json()["id"]
        ws.send(json.dumps({"type": "subscribe", "topic": f"search:{sid}", "since": 0}))
        first = internal = None
        while True:
            message = json.loads(ws.recv())
            if message.get("type") != "event":
                continue
            data = message["data"]
            now = time.monotonic() - started
            if internal is None and data["alternatives"]:
                internal = now
            if first is None and any(o["source"] == "marketplace" for o in data["alternatives"]) \
                    and "Found" in (data.get("detail") or ""):
                first = now
            if data["stage"] == "done":
                break
        done = time.monotonic() - started
        ws.close()
        internals.append(internal or done)
        dones.append(done)
        if first is not None:
            firsts.append(first)
        print(f"{listing['category']:9} internal results {internals[-1]:.2f} s   first marketplace "
              f"{'-' if first is None else f'{first:.2f} s'}   done {done:.2f} s"
              f"{'   (exact match in stock: marketplace skipped)' if data['exactMatch'] else ''}")

    def p(values, q):
        values = sorted(values)
        return values[min(len(values) - 1, round((len(values) - 1) * q))] if values else float("nan")

    print(f"\ninternal results      p50 {p(internals, .5):.2f} s  p95 {p(internals, .95):.2f} s  ({len(internals)} searches)")
    print(f"first marketplace     p50 {p(firsts, .5):.2f} s  p95 {p(firsts, .95):.2f} s  ({len(firsts)} searches)")
    print(f"done                  p50 {p(dones, .5):.2f} s  p95 {p(dones, .95):.2f} s")


if __name__ == "__main__":
    main()
