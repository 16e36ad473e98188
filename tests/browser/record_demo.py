"""Records a real search for the landing page's demo (web/demo/search-demo.json and its photos).

    FACET_BIN=/tmp/facet-bin/facet .venv/bin/python -m tests.browser.record_demo

Starts `facet demo`, runs one search as the demo buyer, and polls it while it runs, keeping each
change (stage, the sentence it carried, attributes read, the exact match, alternatives) with
the time it was seen. The photos shown are fetched from the server (already white-labelled)
and stored under neutral names; the landing page replays the stages and results from the file."""

from __future__ import annotations

import json
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from .conftest import REPO
from .demo_world import BUYER, running_demo
from .helpers import HttpClient, login

PHOTO = REPO / "seeds" / "images" / "aurelia" / "AUR-R-00013-1.jpg"
CATEGORY = "ring"
OUT = REPO / "web" / "demo"
KEEP = ("title", "category", "source", "price", "priceRange", "moq", "moqUnit", "deliveryDays", "availability",
        "availableQuantity", "similarity", "matches")


def upload(client: HttpClient, photo: Path, category: str) -> str:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"design.jpg\"\r\n"
            f"Content-Type: image/jpeg\r\n\r\n").encode() + photo.read_bytes() + (
        f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\n{category}\r\n--{boundary}--\r\n").encode()
    req = urllib.request.Request(client.base + "/api/searches", data=body, method="POST", headers={
        "Accept": "application/json", "Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": client.base})
    with client.opener.open(req, timeout=30) as resp:
        return json.loads(resp.read())["id"]


def slim(offer: dict, image: str) -> dict:
    out = {k: offer[k] for k in KEEP if k in offer}
    out["image"] = image
    return out


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, running_demo(Path(tmp) / "data") as world:
        client = HttpClient(world.base)
        login(client, *BUYER)
        search_id = upload(client, PHOTO, CATEGORY)
        start = time.monotonic()
        frames, last = [], None
        while True:
            s = client.get(f"/api/searches/{search_id}").json()
            s = s.get("search", s)
            key = (s["stage"], s["status"], s.get("detail"), len(s.get("alternatives") or []), bool(s.get("exactMatch")),
                   len(s.get("attributes") or {}))
            if key != last:
                last = key
                frames.append({"t": int((time.monotonic() - start) * 1000), "search": s})
            if s["status"] != "running" or time.monotonic() - start > 90:
                break
            time.sleep(0.05)

        final = frames[-1]["search"]
        OUT.mkdir(parents=True, exist_ok=True)
        photos: dict[str, str] = {}

        def keep_photo(url: str, name: str) -> str:
            if url in photos:
                return photos[url]
            data = client.get(url).body
            (OUT / f"{name}.jpg").write_bytes(data)
            photos[url] = f"/demo/{name}.jpg"
            return photos[url]

        query = keep_photo(final["image"], "query")
        exact = final.get("exactMatch")
        alternatives = (final.get("alternatives") or [])[:6]
        offers = {}
        if exact:
            offers[exact["id"]] = slim(exact, keep_photo(exact["images"][0], "exact"))
        for i, o in enumerate(alternatives, 1):
            offers[o["id"]] = slim(o, keep_photo(o["images"][0], f"alt-{i}"))
        ids = {oid: f"o{i}" for i, oid in enumerate(offers, 1)}

        steps = []
        for frame in frames:
            s = frame["search"]
            steps.append({
                "t": frame["t"], "stage": s["stage"], "status": s["status"], "detail": s.get("detail") or "",
                "attributes": {k: {"value": v.get("value"), "confidence": v.get("confidence"), "colours": v.get("colours")}
                               for k, v in (s.get("attributes") or {}).items()},
                "exact": ids.get((s.get("exactMatch") or {}).get("id")),
                "alternatives": [ids[o["id"]] for o in (s.get("alternatives") or []) if o["id"] in ids],
            })
        record = {
            "recordedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "category": CATEGORY, "maxPrice": final.get("maxPrice"), "image": query,
            "offers": {ids[k]: v for k, v in offers.items()}, "steps": steps,
        }
        (OUT / "search-demo.json").write_text(json.dumps(record, indent=1) + "\n")
        print(f"recorded {len(steps)} steps over {steps[-1]['t']} ms, {len(offers)} offers, into {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
