"""Search by image against the real brand simulators: upload, live stages over the WebSocket,
the stored result, prices after markup, the buyer's category and price limit, bad input,
other buyers' searches, and that nothing buyer-facing names a brand or a source."""

from __future__ import annotations

import io
import json
import re
import socket
import struct
import time
import zlib

import pytest
from PIL import Image

from .brands_support import sourcing_world  # noqa: F401  (module fixture: brand sims, market sim, facet serve)
from .conftest import REPO
from .schemas import check_rest
from .support import WS, assert_error, new_buyer

STAGES = ["received", "extracting_attributes", "searching_inventory", "checking_stock", "searching_marketplace",
          "finding_alternatives", "done"]
IMAGES = REPO / "seeds" / "images"


@pytest.fixture(scope="module")
def ready(sourcing_world):  # noqa: F811
    world = sourcing_world
    active = world.ops.get("/api/admin/catalog", params={"status": "active", "limit": 1}).json()["total"]
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        status = world.ops.get("/api/admin/search-index").json()
        if status["loaded"] and status["items"] >= active:
            return world
        time.sleep(0.5)
    pytest.fail("the search index did not load", pytrace=False)


@pytest.fixture(scope="module")
def buyer(ready):
    return new_buyer(ready.facet)


def catalog_photo(sku: str) -> bytes:
    brand = "aurelia" if sku.startswith("AUR") else "northbridge"
    return (IMAGES / brand / f"{sku}-1.jpg").read_bytes()


def unstocked_listing(category: str, offset: int = 0) -> dict:
    """A marketplace listing of a design no brand stocks (from the demo world's own records)."""
    listings = json.loads((REPO / "seeds" / "marketplace" / "listings.json").read_text())["listings"]
    picks = [l for l in listings if l["category"] == category and l["groundTruth"]["relation"] == "unrelated"]
    return picks[offset]


def listing_photo(listing: dict) -> bytes:
    return (REPO / listing["mainImage"]).read_bytes()


def edited(data: bytes, *, scale: float = 0.8, quality: int = 70, crop: int = 6) -> bytes:
    """A buyer's copy of a catalog photo: cropped a little, resized, recompressed."""
    img = Image.open(io.BytesIO(data)).convert("RGB")
    w, h = img.size
    img = img.crop((crop, crop, w - crop, h - crop)).resize((int(w * scale), int(h * scale)))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality)
    return out.getvalue()


def post_search(client, image: bytes | None, category: str | None, max_price: str | None = None, filename="design.jpg"):
    files = {}
    if image is not None:
        files["image"] = (filename, image, "image/jpeg")
    data = {}
    if category is not None:
        data["category"] = category
    if max_price is not None:
        data["maxPrice"] = max_price
    return client.post("/api/searches", files=files or {"_": ("", b"")}, data=data)


def finished(client, search_id: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = client.get(f"/api/searches/{search_id}")
        assert r.status_code == 200, r.text
        body = r.json()
        check_rest("Search", body)
        if body["status"] != "running":
            return body
        time.sleep(0.1)
    raise AssertionError(f"search {search_id} did not finish in {timeout}s")


def some_sku(world, category: str, **conditions) -> dict:
    listing = world.ops.get("/api/admin/catalog", params={"category": category, "status": "active", "limit": 200}).json()
    for entry in listing["products"]:
        p = entry["product"] if "product" in entry else entry
        if all(p.get(k) == v for k, v in conditions.items()) and p["sku"].startswith("AUR") and p["stock"] >= p["moq"]:
            return p
    raise AssertionError(f"no {category} product in the catalog")


def check_offer(offer: dict, category: str) -> None:
    assert re.fullmatch(r"of_[A-Za-z0-9]+", offer["id"]), offer["id"]
    assert offer["category"] == category
    assert offer["images"] and all(u.startswith("/api/images/") for u in offer["images"])
    assert ("price" in offer) != ("priceRange" in offer)
    assert offer["moq"] >= 1 and offer["deliveryDays"]["min"] >= 0
    assert offer["source"] in ("inventory", "marketplace")
    assert 0 <= offer["similarity"] <= 100
    assert {"metal", "stones", "style", "setting"} <= set(offer["matches"])
    for m in offer["matches"].values():
        assert m["verdict"] in ("match", "differs", "unknown")


def test_an_edited_catalog_photo_finds_its_product_with_live_stages(ready, buyer):
    product = some_sku(ready, "ring")
    ws = WS(ready.facet, buyer.cookie)
    r = post_search(buyer.client, edited(catalog_photo(product["sku"])), "ring")
    assert r.status_code == 202, r.text
    sid = r.json()["id"]
    assert r.json()["topic"] == f"search:{sid}"
    ws.subscribe(f"search:{sid}", since=0)
    seen, attributes_at = [], None
    while not seen or seen[-1] != "done":
        msg = ws.expect("event", timeout=60)
        assert msg["event"] == "search.stage"
        seen.append(msg["data"]["stage"])
        if attributes_at is None and msg["data"]["attributes"]:
            attributes_at = msg["data"]["stage"]
    assert seen == STAGES
    assert attributes_at == "searching_inventory"
    ws.close()

    result = finished(buyer.client, sid)
    assert result["status"] == "done" and result["category"] == "ring"
    exact = result["exactMatch"]
    assert exact is not None, json.dumps(result)[:2000]
    check_offer(exact, "ring")
    assert exact["source"] == "inventory" and exact["similarity"] >= 95
    markups = ready.ops.get("/api/admin/markups").json()
    bp = markups["effective"]["ring"]
    live = ready.ops.get(f"/api/admin/catalog/{product['sku']}").json()
    base = (live.get("product") or live)["baseCost"]["amount"]
    assert exact["price"] == {"amount": (base * (10000 + bp) + 5000) // 10000, "currency": "USD"}
    assert exact["availability"] in ("ready_stock", "on_order") and exact["availableQuantity"] >= 0
    assert 5 <= len(result["alternatives"]) <= 8
    ids = [o["id"] for o in result["alternatives"]]
    assert len(set(ids)) == len(ids) and exact["id"] not in ids
    for offer in result["alternatives"]:
        check_offer(offer, "ring")
    for key in ("metal", "stones", "style"):
        assert 0 <= result["attributes"][key]["confidence"] <= 1

    # The same state after a reload, and in the buyer's history.
    assert finished(buyer.client, sid) == result
    history = buyer.client.get("/api/searches").json()["searches"]
    assert history[0]["id"] == sid and history[0]["exactMatch"] is True

    detail = buyer.client.get(f"/api/offers/{exact['id']}", params={"search": sid})
    assert detail.status_code == 200, detail.text
    assert detail.json()["offer"]["images"] == exact["images"]
    assert set(detail.json()["comparison"]) >= {"metal", "stones"}


def test_the_buyers_category_is_final(ready, buyer):
    product = some_sku(ready, "ring")
    r = post_search(buyer.client, edited(catalog_photo(product["sku"])), "bangle")
    result = finished(buyer.client, r.json()["id"])
    assert result["category"] == "bangle"
    offers = ([result["exactMatch"]] if result["exactMatch"] else []) + result["alternatives"]
    assert offers and all(o["category"] == "bangle" for o in offers)


def test_the_maximum_price_applies_after_markup(ready, buyer):
    product = some_sku(ready, "necklace")
    r = post_search(buyer.client, edited(catalog_photo(product["sku"])), "necklace", max_price="400")
    result = finished(buyer.client, r.json()["id"])
    assert result["maxPrice"] == {"amount": 40000, "currency": "USD"}
    offers = ([result["exactMatch"]] if result["exactMatch"] else []) + result["alternatives"]
    for o in offers:
        assert (o.get("price") or {"amount": o["priceRange"]["min"]})["amount"] <= 40000


def test_markups_are_staff_only_validated_and_audited(ready, buyer):
    assert_error(buyer.client.get("/api/admin/markups"), 403, "forbidden")
    assert_error(buyer.client.put("/api/admin/markups", json={"global": 1}), 403, "forbidden")
    assert_error(ready.ops.put("/api/admin/markups", json={"global": -1}), 422, "validation_failed")
    assert_error(ready.ops.put("/api/admin/markups", json={"perCategory": {"tiara": 100}}), 422, "validation_failed")
    assert_error(ready.ops.put("/api/admin/markups", json={"global": "ten"}), 422, "validation_failed")
    assert_error(ready.ops.put("/api/admin/markups", data="{", headers={"content-type": "application/json"}), 400, "bad_json")
    before = ready.ops.get("/api/admin/markups").json()
    r = ready.ops.put("/api/admin/markups", json={"perCategory": {"pendant": 4500}})
    assert r.status_code == 200, r.text
    assert r.json()["markups"]["effective"]["pendant"] == 4500
    assert r.json()["markups"]["effective"]["ring"] == before["effective"]["ring"]
    change = ready.ops.get("/api/admin/markups/audit").json()["changes"][0]
    assert change["scope"] == "pendant" and change["oldBasisPoints"] is None and change["newBasisPoints"] == 4500
    assert change["actorEmail"] and change["at"]

    product = some_sku(ready, "pendant")
    result = finished(buyer.client, post_search(buyer.client, edited(catalog_photo(product["sku"])), "pendant").json()["id"])
    assert result["exactMatch"], "an edited pendant photo found no exact match"
    live = ready.ops.get(f"/api/admin/catalog/{product['sku']}").json()
    base = (live.get("product") or live)["baseCost"]["amount"]
    assert result["exactMatch"]["price"]["amount"] == (base * 14500 + 5000) // 10000
    r = ready.ops.put("/api/admin/markups", json={"perCategory": {"pendant": None}})
    assert r.json()["markups"]["effective"]["pendant"] == r.json()["markups"]["global"]


def png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b""))


def test_bad_input_is_refused_clearly_and_stores_nothing(ready):
    b = new_buyer(ready.facet)
    good = edited(catalog_photo(some_sku(ready, "ring")["sku"]))
    assert_error(post_search(b.client, good, None), 422, "validation_failed")
    assert_error(post_search(b.client, good, "tiara"), 422, "validation_failed")
    for bad in ("-5", "abc", "1e3", "0", "12.345"):
        assert_error(post_search(b.client, good, "ring", max_price=bad), 422, "validation_failed")
    assert_error(post_search(b.client, None, "ring"), 422, "validation_failed")
    assert_error(post_search(b.client, good[: len(good) // 3], "ring"), 422, "invalid_image")
    assert_error(post_search(b.client, b"\xff\xd8\xff\xe0garbage" * 10, "ring"), 422, "invalid_image")
    zipped = b"PK\x03\x04" + b"\x00" * 200
    err = assert_error(post_search(b.client, zipped, "ring", filename="design.jpg"), 415, "unsupported_media_type")
    assert "JPEG" in err["message"] and "PNG" in err["message"]
    assert_error(post_search(b.client, png_header(30000, 30000), "ring"), 413, "image_too_large")
    assert_error(b.client.post("/api/searches", json={"category": "ring"}), 415, "unsupported_media_type")
    boundary = "xyz"
    assert_error(b.client.post("/api/searches", data=b"--xyz\r\nbroken", headers={"content-type": f"multipart/form-data; boundary={boundary}"}),
                 400, "bad_multipart")
    assert b.client.get("/api/searches").json()["searches"] == []


def test_a_200_mb_upload_is_refused_before_it_is_read(ready, buyer):
    with socket.create_connection((ready.facet.host, ready.facet.port), timeout=10) as s:
        s.sendall((f"POST /api/searches HTTP/1.1\r\nHost: {ready.facet.host}\r\nCookie: facet_session={buyer.cookie}\r\n"
                   "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 200000000\r\n\r\n").encode() + b"x" * 65536)
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = s.recv(4096)
            if not chunk:
                break
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert ready.facet.proc.poll() is None


def test_other_buyers_cannot_see_or_follow_a_search(ready, buyer):
    sid = post_search(buyer.client, edited(catalog_photo(some_sku(ready, "earring")["sku"])), "earring").json()["id"]
    other = new_buyer(ready.facet)
    assert_error(other.client.get(f"/api/searches/{sid}"), 404, "not_found")
    assert_error(other.client.get("/api/searches/s_doesnotexist"), 404, "not_found")
    ws = WS(ready.facet, other.cookie)
    ws.send({"type": "subscribe", "topic": f"search:{sid}"})
    assert ws.expect("error")["code"] == "forbidden"
    ws.close()
    unverified = new_buyer(ready.facet, verified=False)
    assert_error(post_search(unverified.client, b"x", "ring"), 403, "not_verified")
    assert ready.ops.get(f"/api/searches/{sid}").status_code == 200


def test_nothing_buyer_facing_names_a_brand_sku_supplier_or_foreign_url(ready, buyer):
    """Walks every buyer-facing response of full searches (REST, WebSocket, offer pages)."""
    forbidden = [re.compile(p, re.I) for p in (r"aurelia", r"northbridge", r"\bAUR-[A-Z]-\d", r"\bNB-", r"alibaba", r"1688",
                                                  r"co\.,? ltd", r"supplier", r"https?://")]
    for sim in ready.sims.values():
        forbidden.append(re.compile(re.escape(f"127.0.0.1:{sim.port}")))
    texts = []
    ws = WS(ready.facet, buyer.cookie)
    uploads = [("ring", edited(catalog_photo(some_sku(ready, "ring")["sku"]))),
               ("bracelet", edited(catalog_photo(some_sku(ready, "bracelet")["sku"]))),
               ("pendant", edited(listing_photo(unstocked_listing("pendant", 3))))]
    for category, photo in uploads:
        r = post_search(buyer.client, photo, category)
        texts.append(r.text)
        sid = r.json()["id"]
        ws.subscribe(f"search:{sid}", since=0)
        while True:
            msg = ws.expect("event", timeout=60)
            texts.append(json.dumps(msg))
            if msg["data"]["stage"] == "done":
                break
        result = buyer.client.get(f"/api/searches/{sid}")
        texts.append(result.text)
        for offer in ([result.json()["exactMatch"]] if result.json()["exactMatch"] else []) + result.json()["alternatives"]:
            texts.append(buyer.client.get(f"/api/offers/{offer['id']}", params={"search": sid}).text)
            for url in offer["images"]:
                img = buyer.client.get(url)
                assert img.status_code == 200 and img.headers["content-type"].startswith("image/")
                assert b"Exif" not in img.content[:4096]
    ws.close()
    texts.append(buyer.client.get("/api/searches").text)
    for text in texts:
        for pattern in forbidden:
            assert not pattern.search(text), f"{pattern.pattern} in a buyer-facing payload: {text[:300]}"


def test_a_design_we_do_not_stock_is_sourced_with_an_approximate_range(ready, buyer):
    listing = unstocked_listing("earring")
    ws = WS(ready.facet, buyer.cookie)
    started = time.monotonic()
    r = post_search(buyer.client, edited(listing_photo(listing)), "earring", max_price="900")
    sid = r.json()["id"]
    ws.subscribe(f"search:{sid}", since=0)
    stages, first_sourced, internal_before_marketplace = [], None, None
    while not stages or stages[-1] != "done":
        data = ws.expect("event", timeout=60)["data"]
        stages.append(data["stage"])
        if data["stage"] == "searching_marketplace" and internal_before_marketplace is None:
            internal_before_marketplace = len(data["alternatives"])
        if first_sourced is None and any(o["source"] == "marketplace" for o in data["alternatives"]):
            first_sourced = time.monotonic() - started
    ws.close()
    assert [s for i, s in enumerate(stages) if i == 0 or stages[i - 1] != s] == STAGES
    assert internal_before_marketplace and internal_before_marketplace >= 5, "internal results waited for the marketplace"
    result = finished(buyer.client, sid)
    assert result["exactMatch"] is None, json.dumps(result["exactMatch"])
    sourced = [o for o in result["alternatives"] if o["source"] == "marketplace"]
    assert sourced, json.dumps(result)[:1500]
    assert first_sourced is not None
    for o in sourced:
        check_offer(o, "earring")
        assert "price" not in o and o["availability"] == "sourced_to_order"
        assert o["priceRange"]["min"] < o["priceRange"]["max"] and o["priceRange"]["min"] % 100 == 0
        assert o["priceRange"]["min"] <= 90000
    assert any(o["source"] == "inventory" for o in result["alternatives"])
    # Staff see where a sourced offer really comes from; the buyer does not.
    staff_view = ready.ops.get(f"/api/offers/{sourced[0]['id']}").json()
    assert staff_view["origin"]["kind"] == "marketplace" and staff_view["origin"]["supplier"] and staff_view["origin"]["url"]
    buyer_view = buyer.client.get(f"/api/offers/{sourced[0]['id']}").json()
    assert "origin" not in buyer_view
    # One pricing rule: staff see the same buyer range as the buyer, beside the source's price.
    assert staff_view["offer"]["priceRange"] == buyer_view["offer"]["priceRange"] == sourced[0]["priceRange"]
    assert staff_view["origin"]["buyerPrice"] == sourced[0]["priceRange"]
    assert staff_view["origin"]["listedPrice"]["min"] < sourced[0]["priceRange"]["max"]
    known = ready.ops.get("/api/admin/marketplace/listings", params={"category": "earring", "limit": 1000}).json()["listings"]
    same = [l for l in known if l["offerId"] == staff_view["origin"]["offerId"]]
    assert same and same[0]["buyerPrice"] == sourced[0]["priceRange"]
    # Found once, known afterwards: the listing is in the index for the next search.
    status = ready.ops.get("/api/admin/search-index").json()
    assert status["items"] > ready.ops.get("/api/admin/catalog", params={"status": "active", "limit": 1}).json()["total"]


def test_a_captcha_mid_search_still_delivers_internal_results(ready, buyer):
    ready.market.control(captcha=True)
    try:
        listing = unstocked_listing("bangle", 1)
        sid = post_search(buyer.client, edited(listing_photo(listing)), "bangle").json()["id"]
        result = finished(buyer.client, sid)
        assert result["status"] == "done"
        assert len(result["alternatives"]) >= 5
        assert any("not reachable" in n for n in result["notes"]), result["notes"]
        web = next(s for s in ready.ops.get("/api/admin/marketplace").json()["sources"] if s["name"] == "web")
        assert web.get("pausedUntil")
    finally:
        ready.market.control(captcha=False)
        ready.ops.post("/api/admin/marketplace/sources/web/resume")


def test_a_fresh_sourcing_index_answers_tier_two_without_a_live_query(ready, buyer):
    ops, sim = ready.ops, ready.market
    try:
        r = ops.put("/api/admin/marketplace", json={"refreshMinutes": 600, "refreshPages": 2, "minLocalListings": 10})
        assert r.status_code == 200, r.text
        assert_error(ops.post("/api/admin/marketplace/refresh", json={"category": "tiara"}), 422, "validation_failed")
        assert_error(buyer.client.post("/api/admin/marketplace/refresh", json={"category": "bracelet"}), 403, "forbidden")
        r = ops.post("/api/admin/marketplace/refresh", json={"category": "bracelet"})
        assert r.status_code == 202 and r.json() == {"category": "bracelet", "pages": 2}, r.text
        deadline, row = time.monotonic() + 120, None
        while time.monotonic() < deadline:
            coverage = ops.get("/api/admin/marketplace/coverage").json()
            row = next(c for c in coverage["categories"] if c["category"] == "bracelet")
            if row.get("lastRefreshAt"):
                break
            time.sleep(0.5)
        assert row and row.get("lastRefreshAt"), coverage
        assert coverage["refreshMinutes"] == 600 and len(coverage["categories"]) == 7
        assert row["fresh"] >= 10 and row["listings"] >= row["fresh"] and row["answersLocally"], row
        assert row["lastRefreshListings"] > 0 and "lastRefreshError" not in row and row["nextRefreshAt"] > row["lastRefreshAt"]

        # A search in a covered category takes its sourced designs from the index: no page is fetched.
        asked = sim.status()["counters"]["searchRequests"]
        ws = WS(ready.facet, buyer.cookie)
        sid = post_search(buyer.client, edited(listing_photo(unstocked_listing("bracelet"))), "bracelet").json()["id"]
        ws.subscribe(f"search:{sid}", since=0)
        details = {}
        while True:
            data = ws.expect("event", timeout=60)["data"]
            details.setdefault(data["stage"], data.get("detail"))
            if data["stage"] == "done":
                break
        ws.close()
        result = finished(buyer.client, sid)
        assert details["searching_marketplace"] == "Chosen from the designs our sourcing partners keep ready", details
        assert any(o["source"] == "marketplace" for o in result["alternatives"]), json.dumps(result)[:1500]
        assert sim.status()["counters"]["searchRequests"] == asked
    finally:
        ok = ops.put("/api/admin/marketplace", json={"refreshMinutes": 0, "minLocalListings": 0})
        assert ok.status_code == 200, ok.text
