"""Many buyers searching at once against a running `facet demo`, end to end.

For --users 100 and 150 (a list), that many signed-in buyers each open the WebSocket, upload
one photo in the same instant and follow their search: printed are upload -> first results
(the first `search.stage` event carrying an exact match or alternatives) and upload -> done,
p50/p95/max, and how many finished within 10 s. Then --big uploads of a 7000 x 7000 PNG
(49 MP, ~150 KB) at once, from buyers 3 at a time (the per-buyer cap), with the server's
resident memory sampled from /api/health: before, peak, and --settle seconds after.

    .build/release/facet demo --port 8300 --data /tmp/demo &        # wait for "searchable"
    .venv/bin/python scripts/bench_load.py --url http://127.0.0.1:8300 --data /tmp/demo --users 100,150

Before the bursts it waits until the background sourcing index has refreshed every category once
(read as the demo's staff account) and prints its coverage; each burst prints how many searches
asked the marketplace live and how many were answered from the index. `facet demo
--sourcing-refresh 0` measures every search asking live.

Buyers are registered once (verified through the demo's outbox) and kept in
<data>/bench-buyers.json for later runs.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import websocket
from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parents[1]
PASSWORD = "Bench-load-2026"


def register(url: str, outbox: Path) -> dict:
    email = f"load-{uuid.uuid4().hex[:10]}@bench.facet.local"
    body = {"companyName": "Bench Jewels", "businessLicense": "BL-BENCH", "contactName": "Load Test", "email": email,
            "password": PASSWORD, "phone": "+1 415 555 0100", "country": "US", "businessType": "retailer",
            "typicalOrderVolume": "10k-50k", "preferredCategories": ["ring"]}
    requests.post(url + "/api/auth/register", json=body, timeout=60).raise_for_status()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for path in outbox.glob("*.eml"):
            text = path.read_text(errors="replace")
            if email in text and "verify.html?token=" in text:
                token = re.search(r"verify\.html\?token=([A-Za-z0-9_\-]+)", text).group(1)
                requests.post(url + "/api/auth/verify", json={"token": token}, timeout=60).raise_for_status()
                return {"email": email, "password": PASSWORD}
        time.sleep(0.2)
    raise RuntimeError(f"no verification mail for {email}")


def buyers(url: str, data: Path, count: int) -> list[requests.Session]:
    store = data / "bench-buyers.json"
    known = json.loads(store.read_text()) if store.exists() else []
    if len(known) < count:
        with ThreadPoolExecutor(8) as pool:
            known += list(pool.map(lambda _: register(url, data / "outbox"), range(count - len(known))))
        store.write_text(json.dumps(known))

    def sign_in(account: dict) -> requests.Session:
        session = requests.Session()
        session.post(url + "/api/auth/login", json=account, timeout=120).raise_for_status()
        return session

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(sign_in, known[:count]))


def demo_photos(count: int) -> list[tuple[bytes, str]]:
    listings = json.loads((REPO / "seeds/marketplace/listings.json").read_text())["listings"]
    photos = []
    for listing in listings[:: max(1, len(listings) // count)][:count]:
        img = Image.open(REPO / listing["mainImage"]).convert("RGB").resize((640, 640))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=85)
        photos.append((buf.getvalue(), listing["category"]))
    while len(photos) < count:
        photos.append(photos[len(photos) % max(1, len(photos))])
    return photos


def follow(url: str, session: requests.Session, photo: bytes, category: str, start: threading.Barrier) -> dict:
    ws = websocket.create_connection(url.replace("http", "ws", 1) + "/ws", timeout=60,
                                     cookie="facet_session=" + session.cookies["facet_session"])
    start.wait()
    began = time.monotonic()
    resp = session.post(url + "/api/searches", files={"image": ("design.jpg", photo, "image/jpeg")},
                        data={"category": category}, timeout=120)
    if resp.status_code != 202:
        ws.close()
        return {"error": f"{resp.status_code} {resp.text[:120]}"}
    sid = resp.json()["id"]
    ws.send(json.dumps({"type": "subscribe", "topic": f"search:{sid}", "since": 0}))
    first = done = tier2 = None
    while done is None:
        message = json.loads(ws.recv())
        if message.get("type") != "event":
            continue
        data = message.get("data", {})
        if tier2 is None and data.get("stage") == "searching_marketplace":
            tier2 = data.get("detail") or ""
        if first is None and (data.get("exactMatch") or data.get("alternatives")):
            first = time.monotonic() - began
        if data.get("stage") == "done":
            done = time.monotonic() - began
            if first is None:
                first = done
    ws.close()
    return {"first": first, "done": done, "tier2": tier2 or ""}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def rss(url: str) -> int:
    return requests.get(url + "/api/health", timeout=30).json()["memory"]["rssBytes"]


def burst(url: str, sessions: list[requests.Session], photos: list[tuple[bytes, str]]) -> None:
    start = threading.Barrier(len(sessions))
    with ThreadPoolExecutor(len(sessions)) as pool:
        results = list(pool.map(lambda i: follow(url, sessions[i], *photos[i], start), range(len(sessions))))
    errors = [r["error"] for r in results if "error" in r]
    ok = [r for r in results if "error" not in r]
    firsts, dones = [r["first"] for r in ok], [r["done"] for r in ok]
    print(f"{len(sessions)} concurrent buyers: {len(ok)} searches done, {len(errors)} refused"
          + (f" (first: {errors[0]})" if errors else ""))
    if ok:
        print(f"  upload -> first results  p50 {statistics.median(firsts):5.2f} s  p95 {pct(firsts, 95):5.2f} s  max {max(firsts):5.2f} s")
        print(f"  upload -> done           p50 {statistics.median(dones):5.2f} s  p95 {pct(dones, 95):5.2f} s  max {max(dones):5.2f} s"
              f"  ({sum(d <= 10 for d in dones)}/{len(dones)} within 10 s)")
        local = sum(r["tier2"].startswith("Chosen from") for r in ok)
        live = sum(r["tier2"].startswith("Looking further") for r in ok)
        print(f"  tier 2: {live} asked the marketplace live, {local} answered from the sourcing index,"
              f" {len(ok) - live - local} skipped it (exact match or sourcing off)")


def big_png() -> bytes:
    img = Image.new("RGB", (7000, 7000), (235, 230, 220))
    draw = ImageDraw.Draw(img)
    draw.ellipse((1500, 1500, 5500, 5500), outline=(200, 160, 40), width=400)
    draw.ellipse((3000, 800, 4000, 1800), fill=(180, 20, 60))
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def big_burst(url: str, sessions: list[requests.Session], count: int, settle: float) -> None:
    photo = big_png()
    before = rss(url)
    peak = [before]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            try:
                peak[0] = max(peak[0], rss(url))
            except requests.RequestException:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    owners = [sessions[i // 3] for i in range(count)]  # three searches in flight per buyer at most
    start = threading.Barrier(count)
    with ThreadPoolExecutor(count) as pool:
        results = list(pool.map(lambda i: follow(url, owners[i], photo, "ring", start), range(count)))
    stop.set()
    sampler.join()
    time.sleep(settle)
    after = rss(url)
    refused = sum("error" in r for r in results)
    print(f"{count} concurrent {len(photo) // 1024} KB 7000x7000 PNG uploads: {count - refused} done, {refused} refused")
    print(f"  server RSS before {before / 2**20:.0f} MB, peak {peak[0] / 2**20:.0f} MB, {settle:.0f} s after {after / 2**20:.0f} MB")


def sourcing_index(url: str, email: str, password: str, wait: float) -> None:
    """Waits (up to `wait` s) until the background sourcing index has refreshed every searched
    category once, and prints its coverage: a burst right after start would otherwise measure
    the index half built."""
    ops = requests.Session()
    r = ops.post(url + "/api/auth/login", json={"email": email, "password": password}, timeout=30)
    if r.status_code != 200:
        print(f"sourcing index: not read (staff sign-in {r.status_code})")
        return
    deadline = time.monotonic() + wait
    while True:
        coverage = ops.get(url + "/api/admin/marketplace/coverage", timeout=30).json()
        rows = [c for c in coverage["categories"] if c["searched"]]
        pending = [c["category"] for c in rows if not c.get("lastRefreshAt")]
        if coverage["refreshMinutes"] == 0 or not pending or time.monotonic() > deadline:
            break
        time.sleep(5)
    if coverage["refreshMinutes"] == 0:
        print("sourcing index: background refresh off (every search asks the marketplace live)")
        return
    print(f"sourcing index: every {coverage['refreshMinutes']} min, live below {coverage['minLocalListings']} fresh listings"
          + (f"; still refreshing {', '.join(pending)}" if pending else ""))
    print("  " + ", ".join(f"{c['category']} {c['fresh']}{' (index)' if c['answersLocally'] else ' (live)'}" for c in rows))


def wait_until_searchable(url: str, limit: float) -> None:
    """Started together with `facet demo`, the server may not listen yet; a search before the
    catalog is indexed would miss designs we stock."""
    deadline = time.monotonic() + limit
    while True:
        try:
            if requests.get(url + "/api/health", timeout=30).json().get("catalog", {}).get("ready"):
                return
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not become searchable within {limit:.0f} s")
        time.sleep(1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:8300")
    ap.add_argument("--data", required=True, type=Path, help="the demo's --data folder (its outbox verifies the buyers)")
    ap.add_argument("--users", default="100,150", help="comma-separated concurrent buyer counts")
    ap.add_argument("--big", type=int, default=20, help="concurrent 49 MP PNG uploads (0 skips)")
    ap.add_argument("--settle", type=float, default=5)
    ap.add_argument("--ops", default="ops@demo.facet.local:Ops-demo-2026", help="staff email:password, to read the sourcing index")
    ap.add_argument("--index-wait", type=float, default=600, help="seconds to wait for the sourcing index's first refresh")
    args = ap.parse_args()
    counts = [int(c) for c in args.users.split(",") if c]
    wait_until_searchable(args.url, args.index_wait)
    sessions = buyers(args.url, args.data, max(counts + [(args.big + 2) // 3]))
    email, _, password = args.ops.partition(":")
    sourcing_index(args.url, email, password, args.index_wait)
    photos = demo_photos(max(counts))
    for count in counts:
        burst(args.url, sessions[:count], photos[:count])
        time.sleep(2)
    if args.big:
        big_burst(args.url, sessions, args.big, args.settle)


if __name__ == "__main__":
    main()
