"""The buyer's workspace against the real server, brand simulators and marketplace: cart and wishlist
from a real search, live prices after a markup change, ranked results with every filter, saved
searches, "search again", and a watched search told about new stock that a brand webhook brings."""

from __future__ import annotations

import time

import pytest

from .brands_support import sourcing_world  # noqa: F401  (module fixture: brand sims, market sim, facet serve)
from .schemas import check_rest  # noqa: F401
from .support import WS, assert_error, new_buyer, wait_until
from .test_search import catalog_photo, edited, finished, listing_photo, post_search, some_sku, unstocked_listing


@pytest.fixture(scope="module")
def ready(sourcing_world):  # noqa: F811
    world = sourcing_world
    active = world.ops.get("/api/admin/catalog", params={"status": "active", "limit": 1}).json()["total"]
    wait_until(lambda: world.ops.get("/api/admin/search-index").json()["readiness"]["ready"]
               and world.ops.get("/api/admin/search-index").json()["items"] >= active, timeout=600, interval=1,
               message="the catalog is searchable")
    return world


@pytest.fixture(scope="module")
def found(ready):
    """A buyer and a finished search of one of our rings, with an exact match."""
    buyer = new_buyer(ready.facet)
    product = some_sku(ready, "ring")
    sid = post_search(buyer.client, edited(catalog_photo(product["sku"])), "ring").json()["id"]
    result = finished(buyer.client, sid)
    assert result["exactMatch"], "the edited catalog photo finds its product"
    return buyer, product, sid, result


def test_cart_follows_tiers_moq_and_live_prices(ready, found):
    buyer, product, sid, result = found
    exact = result["exactMatch"]
    ws = WS(ready.facet, buyer.cookie)
    ws.subscribe(f"buyer:{buyer.id}")
    r = buyer.client.post("/api/cart/lines", json={"offerId": exact["id"], "quantity": 1, "note": "size 7, rhodium"})
    assert r.status_code == 201, r.text
    line = r.json()["line"]
    assert line["belowMoq"] == (product["moq"] > 1) and line["moq"] == exact["moq"]
    assert line["unitPrice"] == exact["price"] and line["lineTotal"]["amount"] == exact["price"]["amount"]
    event = ws.expect("event")
    assert event["event"] == "cart.changed" and event["data"]["cart"]["lines"] == 1

    # The same offer again: one line, more pieces, the tier price for the new quantity.
    quantity = max(exact["moq"], max([t["minQuantity"] for t in exact["priceTiers"]], default=1))
    r = buyer.client.post("/api/cart/lines", json={"offerId": exact["id"], "quantity": quantity})
    assert r.status_code == 200, r.text
    merged = r.json()["line"]
    assert merged["id"] == line["id"] and merged["quantity"] == quantity + 1
    tiers = [t for t in exact["priceTiers"] if t["minQuantity"] <= quantity + 1]
    expected = tiers[-1]["unitPrice"] if tiers else exact["price"]
    assert merged["unitPrice"] == expected and merged["lineTotal"]["amount"] == expected["amount"] * (quantity + 1)

    # A markup change reprices the cart and marks what changed since the buyer added it.
    before = ready.ops.get("/api/admin/markups").json()["effective"]["ring"]
    try:
        assert ready.ops.put("/api/admin/markups", json={"perCategory": {"ring": before + 1000}}).status_code == 200
        cart = buyer.client.get("/api/cart").json()
        changed = cart["lines"][0]
        assert changed["unitPrice"]["amount"] > merged["unitPrice"]["amount"]
        assert any(c["kind"] == "price" for c in changed["changes"])
        reasons = []
        deadline = time.monotonic() + 10
        while "prices" not in reasons and time.monotonic() < deadline:
            reasons.append(ws.expect("event")["data"]["reason"])
        assert "prices" in reasons, "open tabs are told that prices moved"
    finally:
        ready.ops.put("/api/admin/markups", json={"perCategory": {"ring": None if before == 3000 else before}})
    ws.close()

    # Another buyer can neither see nor touch the line.
    other = new_buyer(ready.facet)
    assert other.client.get("/api/cart").json()["lines"] == []
    assert_error(other.client.patch(f"/api/cart/lines/{line['id']}", json={"quantity": 2}), 404, "not_found")

    # Save for later, then move back at the MOQ.
    r = buyer.client.post(f"/api/cart/lines/{line['id']}/save-for-later")
    assert r.status_code == 200, r.text
    item = r.json()["item"]
    assert buyer.client.get("/api/cart").json()["lines"] == []
    assert [i["id"] for i in buyer.client.get("/api/wishlist").json()["items"]] == [item["id"]]
    r = buyer.client.post(f"/api/wishlist/items/{item['id']}/move-to-cart", json={})
    assert r.status_code == 200 and r.json()["line"]["quantity"] == max(1, exact["moq"])


def test_sourced_lines_are_ranges_and_totals_stay_apart(ready, found):
    buyer = found[0]
    # A design no brand stocks: sourced from the marketplace.
    sid = post_search(buyer.client, edited(listing_photo(unstocked_listing("ring"))), "ring").json()["id"]
    finished(buyer.client, sid)
    page = buyer.client.get(f"/api/searches/{sid}/results", params={"source": "marketplace", "limit": 48}).json()
    assert page["results"], "an unstocked design is sourced"
    sourced = page["results"][0]
    r = buyer.client.post("/api/cart/lines", json={"offerId": sourced["id"], "quantity": 100})
    assert r.status_code in (200, 201), r.text
    line = r.json()["line"]
    assert line["unitPrice"] is None and line["lineTotal"] is None
    assert line["lineRange"] == {"min": sourced["priceRange"]["min"] * 100, "max": sourced["priceRange"]["max"] * 100,
                                 "currency": sourced["priceRange"]["currency"]}
    summary = buyer.client.get("/api/cart").json()["summary"]
    assert summary["approximateTotal"]["min"] >= line["lineRange"]["min"]
    kinds = {(g["category"], g["source"]) for g in summary["groups"]}
    assert ("ring", "marketplace") in kinds


def test_results_page_with_every_filter(ready, found):
    buyer, _, sid, result = found
    everything = buyer.client.get(f"/api/searches/{sid}/results", params={"limit": 48}).json()
    total = everything["total"]
    assert total >= len(result["alternatives"]) and total <= 48
    assert everything["counts"]["inventory"] + everything["counts"]["marketplace"] == total
    assert [o["id"] for o in everything["results"][:len(result["alternatives"])]] == [o["id"] for o in result["alternatives"]]
    first = buyer.client.get(f"/api/searches/{sid}/results", params={"limit": 5, "offset": 0}).json()["results"]
    second = buyer.client.get(f"/api/searches/{sid}/results", params={"limit": 5, "offset": 5}).json()["results"]
    assert not {o["id"] for o in first} & {o["id"] for o in second}

    prices = sorted(o["price"]["amount"] if o.get("price") else o["priceRange"]["min"] for o in everything["results"])
    limit = prices[len(prices) // 2]
    cheap = buyer.client.get(f"/api/searches/{sid}/results", params={"maxPrice": limit, "limit": 48}).json()
    assert 0 < cheap["total"] < total or limit == prices[-1]
    assert all((o["price"]["amount"] if o.get("price") else o["priceRange"]["min"]) <= limit for o in cheap["results"])
    fast = buyer.client.get(f"/api/searches/{sid}/results", params={"deliveryWithin": 10, "limit": 48}).json()
    assert all(o["deliveryDays"]["max"] <= 10 for o in fast["results"])
    small = buyer.client.get(f"/api/searches/{sid}/results", params={"maxMoq": 5, "limit": 48}).json()
    assert all(o["moq"] <= 5 for o in small["results"])
    ours = buyer.client.get(f"/api/searches/{sid}/results", params={"source": "inventory", "limit": 48}).json()
    assert all(o["source"] == "inventory" for o in ours["results"]) and ours["total"] == everything["counts"]["inventory"]
    by_price = buyer.client.get(f"/api/searches/{sid}/results", params={"sort": "price", "limit": 48}).json()["results"]
    keys = [o["price"]["amount"] if o.get("price") else o["priceRange"]["min"] for o in by_price]
    assert keys == sorted(keys)
    for bad in ({"limit": 0}, {"limit": 49}, {"offset": -1}, {"maxPrice": "cheap"}, {"source": "alibaba"}, {"sort": "colour"}):
        r = buyer.client.get(f"/api/searches/{sid}/results", params=bad)
        assert_error(r, 422, "validation_failed")
        assert r.json()["error"]["field"] == next(iter(bad))
    other = new_buyer(ready.facet)
    assert_error(other.client.get(f"/api/searches/{sid}/results"), 404, "not_found")


def test_saved_search_again_and_watch(ready, found):
    buyer, product, sid, result = found
    r = buyer.client.post("/api/saved-searches", json={"searchId": sid, "name": "Rings like the fair sample", "watch": True,
                                                       "minSimilarity": 90})
    assert r.status_code == 201, r.text
    saved = r.json()["savedSearch"]
    assert saved["watch"] and saved["lastSearchId"] == sid and saved["category"] == "ring"
    assert [s["id"] for s in buyer.client.get("/api/saved-searches").json()["savedSearches"]] == [saved["id"]]
    assert_error(buyer.client.post("/api/saved-searches", json={"searchId": sid, "name": ""}), 422, "validation_failed")
    other = new_buyer(ready.facet)
    assert_error(other.client.post("/api/saved-searches", json={"searchId": sid, "name": "mine"}), 404, "not_found")

    # Search again: the same photo against today's catalog; nothing is new yet.
    r = buyer.client.post(f"/api/searches/{sid}/again")
    assert r.status_code == 202, r.text
    again = finished(buyer.client, r.json()["id"])
    assert again["previousSearchId"] == sid and again["category"] == "ring"
    assert again["exactMatch"]["id"] == result["exactMatch"]["id"] and again["exactMatch"]["isNew"] is False
    listed = buyer.client.get("/api/saved-searches").json()["savedSearches"][0]
    assert listed["lastSearchId"] == again["id"]

    # A brand adds a piece made from the same design: the watch tells the buyer, once.
    ws = WS(ready.facet, buyer.cookie)
    ws.subscribe(f"buyer:{buyer.id}")
    brand = "aurelia" if product["sku"].startswith("AUR") else "northbridge"
    new_sku = product["sku"] + "-W"
    ready.sims[brand].change(action="create", sku=product["sku"], newSku=new_sku)
    deadline = time.monotonic() + 90
    match = None
    while match is None and time.monotonic() < deadline:
        message = ws.expect("event", timeout=max(1, deadline - time.monotonic()))
        if message["event"] == "saved-search.match":
            match = message["data"]
    ws.close()
    assert match and match["savedSearchId"] == saved["id"] and match["similarity"] >= 90
    assert match["offer"]["source"] == "inventory" and new_sku not in str(match)
    listed = buyer.client.get("/api/saved-searches").json()["savedSearches"][0]
    assert listed["newMatches"] == 1


def test_designs_sourced_after_the_budget_reach_the_open_page(ready, found):
    """A slow marketplace: the search is done within its budget, and what sourcing finds afterwards is
    pushed to the open page and stored with the search."""
    buyer = found[0]
    ready.market.control(latencyMinMs=5000, latencyMaxMs=5000)
    try:
        ws = WS(ready.facet, buyer.cookie)
        started = time.monotonic()
        sid = post_search(buyer.client, edited(listing_photo(unstocked_listing("necklace", 2))), "necklace").json()["id"]
        ws.subscribe(f"search:{sid}", since=0)
        done_at, at_done, later = None, None, None
        deadline = time.monotonic() + 90
        while later is None and time.monotonic() < deadline:
            data = ws.expect("event", timeout=max(1, deadline - time.monotonic()))["data"]
            if data["status"] == "done" and done_at is None:
                done_at = time.monotonic() - started
                at_done = {o["id"] for o in data["alternatives"]}
                assert any("still running" in n for n in data["notes"]), data["notes"]
            elif done_at is not None and any(n.endswith("arrived after the search finished.") for n in data["notes"]):
                later = data
        ws.close()
        assert done_at is not None and done_at < 20, f"done after {done_at} s"
        assert later, "the designs sourced after the budget were pushed"
        stored = buyer.client.get(f"/api/searches/{sid}").json()
        assert any(n.endswith("arrived after the search finished.") for n in stored["notes"])
    finally:
        ready.market.control(latencyMinMs=300, latencyMaxMs=800)
