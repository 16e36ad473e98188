"""Brand integration end to end: `facet serve` syncing the two brand simulators over real HTTP.
See docs/brand-integration.md and protocol/brand-api.openapi.yaml."""

from __future__ import annotations

import json
import subprocess
import time
import uuid

import pytest
import requests

from .brands_support import BRAND_TIMEOUT, SECRETS, SYNC_INTERVAL, sign, world  # noqa: F401  (fixture)
from .schemas import check_rest
from .support import Client

WEBHOOK_DEADLINE = 1.0
# One interval for the next tick, plus the run itself.
SYNC_DEADLINE = SYNC_INTERVAL * 2 + 2


def test_full_import_of_both_brands(world):
    for brand, sim in world.sims.items():
        at_brand = sim.status()["products"]
        page = world.ops.get(f"/api/admin/catalog?brand={brand}&limit=1").json()
        assert page["total"] == at_brand
        health = world.health(brand)
        check_rest("BrandSyncStatus", health)
        assert health["products"] == at_brand
        assert health["lastSuccessAt"] and health["lagSeconds"] is not None
        assert health["errors24h"] == 0

    aurelia = world.product("AUR-R-00013")
    check_rest("CatalogProduct", aurelia)
    assert aurelia["brand"] == "aurelia" and aurelia["category"] == "ring"
    assert aurelia["baseCost"] == {"amount": 56000, "currency": "USD"}
    assert aurelia["priceTiers"][0] == {"minQuantity": 10, "unitCost": 53200}
    assert aurelia["attributes"]["metal"] == "yellow_gold"
    assert aurelia["leadTimes"] == {"readyDays": 5, "madeToOrderDays": 16}
    assert aurelia["source"]["native"]["base_cost_cents"] == 56000  # the true source, for staff

    northbridge = world.product("NB-10003")
    assert northbridge["category"] == "pendant"
    assert northbridge["baseCost"]["amount"] == 1010  # the cheapest variant, "10.10"
    assert northbridge["moq"] == 12
    assert northbridge["attributes"]["metal"] == "two_tone"
    assert northbridge["attributes"]["chainLengthsCm"] == ["40", "50"]
    assert "variants" in northbridge["source"]["native"]

    # Photos are re-served from our content-addressed store, without metadata.
    image = aurelia["images"][0]
    assert image["url"].startswith("/api/images/") and image["url"].endswith(".jpg")
    original = requests.get(image["sourceURL"], headers={"Authorization": "Bearer test-aurelia-key"}, timeout=10).content
    assert b"Exif" in original and b"GPS" in original  # the brand's photo carries camera metadata
    r = requests.get(world.facet.base + image["url"], timeout=10)
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    assert r.content[:3] == b"\xff\xd8\xff" and b"Exif" not in r.content and b"GPS" not in r.content
    assert b"retouched" not in r.content and len(r.content) < len(original)
    assert r.content.endswith(b"\xff\xd9")
    assert image["url"].split("/")[-1].startswith(__import__("hashlib").sha256(r.content).hexdigest())


def test_catalog_api_is_for_staff_only(world):
    anon = Client(world.facet)
    assert anon.get("/api/admin/catalog").status_code == 401
    assert anon.get("/api/admin/sync").status_code == 401
    assert anon.post("/api/admin/brand-orders", json={}).status_code == 401
    r = world.ops.get("/api/admin/catalog?brand=northbridge&category=ring&q=band&limit=5").json()
    assert r["products"] and all(p["brand"] == "northbridge" and p["category"] == "ring" for p in r["products"])


def test_changes_arrive_by_webhook_within_a_second(world):
    aurelia, northbridge = world.sims["aurelia"], world.sims["northbridge"]
    before = world.health("aurelia")["webhooksReceived"]

    aurelia.change(action="price", sku="AUR-R-00014", cost=77777)
    price = world.wait_for("AUR-R-00014", lambda p: p["baseCost"]["amount"] == 77777, timeout=WEBHOOK_DEADLINE)

    northbridge.change(action="stock", sku="NB-10003", stock=3)
    stock = world.wait_for("NB-10003", lambda p: p["stock"] == 3, timeout=WEBHOOK_DEADLINE)

    created = aurelia.change(action="create", sku="AUR-R-00013", title="Webhook Ring")
    new = world.wait_for(created["sku"], lambda p: p["title"] == "Webhook Ring", timeout=WEBHOOK_DEADLINE)

    aurelia.change(action="discontinue", sku="AUR-R-00015" if world.product("AUR-R-00015") else created["sku"])
    gone_sku = "AUR-R-00015" if world.product("AUR-R-00015") else created["sku"]
    gone = world.wait_for(gone_sku, lambda p: p["status"] == "discontinued", timeout=WEBHOOK_DEADLINE)

    print(f"\nwebhook to catalog: price {price*1000:.0f} ms, stock {stock*1000:.0f} ms, "
          f"new {new*1000:.0f} ms, discontinued {gone*1000:.0f} ms")
    assert world.health("aurelia")["webhooksReceived"] >= before + 3


def test_changes_arrive_by_incremental_sync_within_the_interval(world):
    aurelia, northbridge = world.sims["aurelia"], world.sims["northbridge"]
    # No webhooks: only the scheduled incremental sync can carry these.
    northbridge.change(action="price", sku="NB-10003", cost=1234, webhook=False)
    price = world.wait_for("NB-10003", lambda p: p["baseCost"]["amount"] == 1234, timeout=SYNC_DEADLINE)
    aurelia.change(action="stock", sku="AUR-R-00013", stock=11, webhook=False)
    stock = world.wait_for("AUR-R-00013", lambda p: p["stock"] == 11, timeout=SYNC_DEADLINE)
    created = northbridge.change(action="create", sku="NB-10003", webhook=False)
    new = world.wait_for(created["itemId"], lambda p: p["status"] == "active", timeout=SYNC_DEADLINE)
    northbridge.change(action="discontinue", sku=created["itemId"], webhook=False)
    gone = world.wait_for(created["itemId"], lambda p: p["status"] == "discontinued", timeout=SYNC_DEADLINE)
    print(f"\nincremental sync (interval {SYNC_INTERVAL}s): price {price:.2f}s, stock {stock:.2f}s, "
          f"new {new:.2f}s, discontinued {gone:.2f}s")


def test_live_check_answers_live_then_from_cache_when_the_brand_is_down(world):
    sim = world.sims["northbridge"]
    live = world.ops.get("/api/admin/catalog/NB-10004/live")
    if live.status_code == 404:
        sku = world.ops.get("/api/admin/catalog?brand=northbridge&status=active&limit=1").json()["products"][0]["sku"]
    else:
        sku = "NB-10004"
    live = world.ops.get(f"/api/admin/catalog/{sku}/live").json()
    check_rest("LiveCheck", live)
    assert live["live"] is True and live["ageSeconds"] == 0

    try:
        sim.control(down=True)
        started = time.monotonic()
        cached = world.ops.get(f"/api/admin/catalog/{sku}/live").json()
        assert time.monotonic() - started < 1.5 + 0.5
        assert cached["live"] is False
        # Labelled with the time the values were last confirmed by the brand (the live check above).
        assert abs(_instant(cached["asOf"]) - _instant(live["asOf"])) < 0.01 and cached["ageSeconds"] >= 0
        assert cached["stock"] == live["stock"] and cached["baseCost"] == live["baseCost"]

        sim.control(down=False, latencyMs=4000)  # hangs rather than failing
        started = time.monotonic()
        slow = world.ops.get(f"/api/admin/catalog/{sku}/live").json()
        elapsed = time.monotonic() - started
        assert slow["live"] is False and "timed out" in slow["reason"]
        assert 1.3 < elapsed < 2.5, f"the live check took {elapsed:.2f}s"
    finally:
        sim.control(reset=True)


def _instant(text: str) -> float:
    from datetime import datetime
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def _post_webhook(world, brand: str, body: dict, *, timestamp: int | None = None, secret: str | None = None,
                  delivery: str | None = None) -> requests.Response:
    raw = json.dumps(body).encode()
    ts = int(time.time()) if timestamp is None else timestamp
    headers = {"Content-Type": "application/json", "X-Facet-Webhook-Id": delivery or body["id"],
               "X-Facet-Webhook-Timestamp": str(ts),
               "X-Facet-Webhook-Signature": sign(secret or SECRETS[brand], ts, raw)}
    return requests.post(f"{world.facet.base}/api/webhooks/brands/{brand}", data=raw, headers=headers, timeout=10)


def test_forged_and_replayed_webhooks_are_rejected(world):
    sku = "AUR-R-00016" if world.product("AUR-R-00016") else "AUR-R-00013"
    stock_before = world.product(sku)["stock"]
    event = {"id": "wh_test_" + uuid.uuid4().hex, "type": "stock.changed", "created_at": "2026-11-25T00:00:00Z",
             "data": {"items": [{"sku": sku, "stock_qty": stock_before + 500}]}}

    forged = _post_webhook(world, "aurelia", event, secret="not-the-secret")
    assert forged.status_code == 401 and forged.json()["error"]["code"] == "bad_signature"
    stale = _post_webhook(world, "aurelia", event, timestamp=int(time.time()) - 3600)
    assert stale.status_code == 401 and "window" in stale.json()["error"]["message"]
    future = _post_webhook(world, "aurelia", event, timestamp=int(time.time()) + 3600)
    assert future.status_code == 401
    no_signature = requests.post(f"{world.facet.base}/api/webhooks/brands/aurelia", json=event, timeout=10)
    assert no_signature.status_code == 401
    assert world.product(sku)["stock"] == stock_before

    first = _post_webhook(world, "aurelia", event)
    assert first.status_code == 200 and first.json()["duplicate"] is False
    assert world.product(sku)["stock"] == stock_before + 500
    # The same delivery again (a replay inside the window, or a redelivery) is not applied twice.
    event["data"]["items"][0]["stock_qty"] = stock_before + 900
    replay = _post_webhook(world, "aurelia", event)
    assert replay.status_code == 200 and replay.json()["duplicate"] is True
    assert world.product(sku)["stock"] == stock_before + 500
    assert _post_webhook(world, "nobody", event, secret="x").status_code == 404

    # A brand whose signing is wrong: its webhooks bounce and are counted, the catalog is untouched.
    sim = world.sims["northbridge"]
    errors = world.health("northbridge")["errors24h"]
    try:
        sim.control(wrongSignature=True)
        sim.change(action="stock", sku="NB-10003", stock=42)
        deadline = time.monotonic() + 5
        while world.health("northbridge")["errors24h"] == errors and time.monotonic() < deadline:
            time.sleep(0.05)
        assert world.health("northbridge")["errors24h"] > errors
    finally:
        sim.control(reset=True)


def test_order_notification_retried_after_a_timeout_creates_one_order(world):
    sim = world.sims["aurelia"]
    facet_order = "F-" + uuid.uuid4().hex[:10]
    sku = world.ops.get("/api/admin/catalog?brand=aurelia&status=active&limit=3").json()["products"][2]["sku"]
    # The brand creates the order but answers after Facet has given up; Facet retries with the same key.
    sim.control(slowOrders=1, timeoutMs=int(BRAND_TIMEOUT * 1000) + 1500)
    try:
        r = world.ops.post("/api/admin/brand-orders", json={
            "facetOrderId": facet_order, "lines": [{"sku": sku, "quantity": 3}]})
    finally:
        sim.control(reset=True)
    assert r.status_code == 201, r.text
    sent = r.json()
    check_rest("BrandOrder", sent)
    assert sent["status"] == "sent" and sent["brand"] == "aurelia" and sent["brandOrderId"]
    mine = [o for o in sim.orders() if o["idempotencyKey"] == sent["idempotencyKey"]]
    assert len(mine) == 1

    # Notifying again (staff retry, or a crash before the answer was stored) still makes one order.
    again = world.ops.post("/api/admin/brand-orders", json={
        "facetOrderId": facet_order, "lines": [{"sku": sku, "quantity": 3}]})
    assert again.status_code == 201 and again.json()["brandOrderId"] == sent["brandOrderId"]
    assert len([o for o in sim.orders() if o["idempotencyKey"] == sent["idempotencyKey"]]) == 1
    listed = world.ops.get("/api/admin/brand-orders").json()["orders"]
    assert any(o["facetOrderId"] == facet_order for o in listed)


def test_sync_survives_5xx_429_and_malformed_pages(world):
    sim = world.sims["northbridge"]
    errors = world.health("northbridge")["errors24h"]
    sim.control(malformedPages=1)
    # Behaviour, not speed: on a loaded machine a sync run (photos of earlier changes included) can
    # run long and the malformed page waits for the next one; the loop ends as soon as it is seen.
    deadline = time.monotonic() + 60
    while world.health("northbridge")["errors24h"] == errors and time.monotonic() < deadline:
        time.sleep(0.1)
    health = world.health("northbridge")
    # The whole health (is a run still going, when did one last succeed) says where a miss came from.
    assert health["errors24h"] > errors, f"no sync run met the malformed page within 60 s: {health}"
    # 5xx and 429 bursts shorter than the retry budget are absorbed by backoff.
    sim.control(fail5xx=1, rateLimit=1, retryAfter=1)
    sim.change(action="price", sku="NB-10005" if world.product("NB-10005") else "NB-10003", cost=4321, webhook=False)
    world.wait_for("NB-10005" if world.product("NB-10005") else "NB-10003",
                   lambda p: p["baseCost"]["amount"] == 4321, timeout=SYNC_DEADLINE + 8)
    deadline = time.monotonic() + SYNC_DEADLINE
    while time.monotonic() < deadline:
        health = world.health("northbridge")
        if health["lastError"] is None and health["healthy"] is True:
            break
        time.sleep(0.1)
    assert health["lastError"] is None and health["healthy"] is True, health


def test_catalog_changes_and_sync_health_are_pushed_on_the_admin_topic(world):
    from .support import WS

    ws = WS(world.facet, world.ops.session_cookie)
    try:
        ws.subscribe("admin")
        sku = world.ops.get("/api/admin/catalog?brand=aurelia&status=active&limit=5").json()["products"][4]["sku"]
        world.sims["aurelia"].change(action="price", sku=sku, cost=88888)
        seen = {}
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not ("catalog.changed" in seen and "sync.status" in seen):
            message = ws.recv(timeout=max(0.1, deadline - time.monotonic()))
            if message["type"] != "event":
                continue
            if message["event"] == "catalog.changed" and any(c["sku"] == sku for c in message["data"]["changes"]):
                seen["catalog.changed"] = next(c for c in message["data"]["changes"] if c["sku"] == sku)
            if message["event"] == "sync.status" and message["data"]["brand"] == "aurelia":
                seen["sync.status"] = message["data"]
        change = seen["catalog.changed"]
        assert change["kind"] == "updated" and "baseCost" in change["fields"] and change["baseCost"]["amount"] == 88888
        status = seen["sync.status"]
        for key in ("brand", "lastSuccessAt", "lagSeconds", "itemsSynced", "errors24h", "webhooksReceived"):
            assert key in status
    finally:
        ws.close()


def test_a_fault_belongs_to_the_request_that_arrived_after_it_was_set(tmp_path):
    """The simulator decides a request's fault when it arrives: a listing request still sleeping out
    an earlier latency (its client long gone) must not take the malformed page set after it came in —
    that is how the sync test above once waited a minute for a page Facet never got."""
    import threading
    from .brands_support import KEYS, Sim, _stop, _wait_http
    from .conftest import FACET_BIN, REPO, _free_port

    port = _free_port()
    log = tmp_path / "sim.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(FACET_BIN), "brand-sim", "--brand", "northbridge", "--port", str(port),
                                 "--data", str(tmp_path / "sims"), "--api-key", KEYS["northbridge"], "--seeds", str(REPO / "seeds")],
                                cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
    sim = Sim("northbridge", port, proc, log)
    try:
        _wait_http(sim.base + "/health", proc, log, "brand-sim northbridge")
        listing = sim.base + "/api/catalog/items?pageSize=5"
        headers = {"X-API-Key": KEYS["northbridge"]}
        sim.control(latencyMs=1500)

        def abandoned():
            try:
                requests.get(listing, headers=headers, timeout=0.3)
            except requests.RequestException:
                pass

        early = threading.Thread(target=abandoned)
        early.start()
        early.join()
        sim.control(latencyMs=0, malformedPages=1)
        time.sleep(2)  # the early request wakes and is answered to nobody
        page = requests.get(listing, headers=headers, timeout=5)
        assert page.status_code == 200
        with pytest.raises(ValueError):
            json.loads(page.content)
        assert requests.get(listing, headers=headers, timeout=5).json()
    finally:
        _stop(proc)
