"""The operations console (docs/operations.md) against the real server and both brand
simulators: who may call what, the dashboard's work counts after a scripted history of quote
requests and orders, the analytics reports as JSON and CSV with filters, approvals of a brand
whose new products wait for review, the audit log as sentences, a buyer's page (notes,
verification, suspension), staff accounts managed by an admin, thumbs on search results, and the
`staff.action` events on the admin topic.

The module has its own servers (a fresh store), so every count is exact. Its tests share state
in order (pytest runs them top to bottom)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import time
import urllib.parse
import uuid

import pytest
import websocket

from .brands_support import world  # noqa: F401  (module fixture: brand sims and facet serve)
from .conftest import FACET_BIN, REPO
from .schemas import check_rest, openapi_document, ws_schemas
from .support import (OPS_EMAIL, WS, Client, assert_error, find_mails, login, mail_snapshot, mail_text, new_buyer,
                      wait_until)
from .test_search import catalog_photo, edited, finished, post_search, some_sku

ADMIN_EMAIL = "admin-ops-console@example.com"
ADMIN_PASSWORD = "Adminpass12345"
ORDER_STATUSES = ["confirmed", "payment_verified", "in_production", "quality_check", "shipped", "delivered", "closed"]
REPORTS = ["demand", "match-quality", "sales", "supply"]

STAFF_ROUTES = [
    ("get", "/api/admin/dashboard"), ("get", "/api/admin/analytics/{report}"), ("get", "/api/admin/approvals"),
    ("post", "/api/admin/approvals/{id}/approve"), ("post", "/api/admin/approvals/{id}/reject"),
    ("get", "/api/admin/approval-policies"), ("put", "/api/admin/approval-policies/{brand}"), ("get", "/api/admin/audit"),
    ("get", "/api/admin/buyers/{id}"), ("patch", "/api/admin/buyers/{id}"),
]
ADMIN_ROUTES = [("get", "/api/admin/staff"), ("post", "/api/admin/staff"), ("patch", "/api/admin/staff/{id}")]
BUYER_ROUTES = [("post", "/api/searches/{id}/feedback")]

STORY: dict = {}


# ------------------------------------------------------------------ the documents (no server)

def test_every_console_route_is_documented_with_its_access():
    paths = openapi_document()["paths"]
    for routes, access in ((STAFF_ROUTES, "staff"), (ADMIN_ROUTES, "admin"), (BUYER_ROUTES, "verifiedBuyer")):
        for method, path in routes:
            operation = paths[path][method]
            assert operation["x-access"] == access, (method, path)
            assert operation["security"] == [{"sessionCookie": []}], (method, path)
            assert {"401", "403"} <= set(operation["responses"]), (method, path)
    schemas = openapi_document()["components"]["schemas"]
    for name in ("Work", "Tile", "AnalyticsReport", "Approval", "AuditEntry", "Account", "BuyerDetail"):
        assert name in schemas, name
    assert set(schemas["Work"]["properties"]["ordersByStatus"]["required"]) == set(ORDER_STATUSES)


def test_staff_action_is_a_documented_admin_event():
    defs = ws_schemas()["defs.schema.json"]["$defs"]
    assert set(defs["staffActionData"]["required"]) == {"at", "actor", "kind", "subject", "summary"}
    examples = [e for e in ws_schemas()["event.schema.json"]["examples"] if e["event"] == "staff.action"]
    assert examples and all(e["topic"] == "admin" for e in examples)
    text = (REPO / "protocol" / "websocket.md").read_text(encoding="utf-8")
    assert "`staff.action`" in text and "staffActionData" in text


# ------------------------------------------------------------------ helpers

def body(resp, status: int | tuple = 200, what: str = ""):
    statuses = (status,) if isinstance(status, int) else status
    assert resp.status_code in statuses, \
        f"{what or resp.request.method + ' ' + resp.request.path_url}: expected {status}, got {resp.status_code} {resp.text[:600]}"
    return resp.json()


def iso(at: dt.datetime) -> str:
    return at.astimezone(dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def now_plus(**delta) -> str:
    return iso(dt.datetime.now(dt.timezone.utc) + dt.timedelta(**delta))


def table(report: dict, name: str) -> dict:
    found = [t for t in report["tables"] if t["name"] == name]
    assert found, f"no table {name} in {[t['name'] for t in report['tables']]}"
    return found[0]


def summary(report: dict) -> dict:
    return {row[0]: row[1] for row in table(report, "summary")["rows"]}


def analytics(client: Client, name: str, **params) -> dict:
    report = body(client.get(f"/api/admin/analytics/{name}", params=params))
    check_rest("AnalyticsReport", report)
    assert report["report"] == name
    return report


def dashboard(client: Client) -> dict:
    board = body(client.get("/api/admin/dashboard"))
    check_rest("Dashboard", board)
    return board


def staff_actions(ws: WS, where, timeout: float = 15) -> dict:
    """The data of the first `staff.action` on `admin` matching `where`, already received or arriving."""
    for message in ws.received:
        if message["type"] == "event" and message["event"] == "staff.action" and where(message["data"]):
            return message["data"]
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        recent = [(m.get("event"), (m.get("data") or {}).get("summary")) for m in ws.received[-8:]]
        assert left > 0, f"no matching staff.action on admin; recent: {recent}"
        try:
            message = ws.recv(timeout=left)
        except websocket.WebSocketTimeoutException:
            continue
        if message["type"] == "event" and message["topic"] == "admin" and message["event"] == "staff.action" \
                and where(message["data"]):
            return message["data"]


def invite_link(server, to: str, exclude: set[str], timeout: float = 15) -> str:
    """The reset token of the newest mail to `to` (whatever host the server names itself by)."""
    pattern = re.compile(r"https?://[^\s/]+/reset\.html\?token=([A-Za-z0-9_\-.~%]+)")
    deadline = time.monotonic() + timeout
    while True:
        for _, message in find_mails(server, to, exclude):
            text = mail_text(message)
            match = pattern.search(text)
            if match:
                STORY["invite_mail"] = (str(message.get("Subject", "")), text)
                return urllib.parse.unquote(match.group(1))
        assert time.monotonic() < deadline, f"no invitation mail to {to} in the outbox"
        time.sleep(0.1)


def searchable(world, timeout: float = 600) -> None:
    """The whole active catalog is in the search index."""
    def done():
        status = world.ops.get("/api/admin/search-index").json()
        return status["loaded"] and status["readiness"]["ready"] and status["readiness"]["indexed"] >= status["readiness"]["known"]
    wait_until(done, timeout=timeout, interval=0.5, message="the catalog is searchable")


def another_ring(world, exclude: str) -> str:
    """An active ring of aurelia with stock, other than `exclude`."""
    listing = world.ops.get("/api/admin/catalog", params={"brand": "aurelia", "category": "ring", "status": "active",
                                                          "limit": 200}).json()
    for entry in listing["products"]:
        p = entry["product"] if "product" in entry else entry
        if p["sku"] != exclude and p["sku"].startswith("AUR") and p["stock"] >= p["moq"]:
            return p["sku"]
    raise AssertionError("no second aurelia ring")


def offered(result: dict) -> list[dict]:
    return ([result["exactMatch"]] if result["exactMatch"] else []) + result["alternatives"]


def offered_skus(staff: Client, result: dict) -> list[str | None]:
    """The SKU behind each offer of a search (exact match first), as staff see their origins."""
    skus = []
    for offer in offered(result):
        origin = body(staff.get(f"/api/offers/{offer['id']}"))["origin"]
        skus.append(origin.get("sku"))
    return skus


# ------------------------------------------------------------------ fixtures

@pytest.fixture(scope="module")
def ready(world):  # noqa: F811
    searchable(world)
    return world


@pytest.fixture(scope="module")
def ops(ready) -> Client:
    return ready.ops


@pytest.fixture(scope="module")
def admin(ready) -> Client:
    """An admin account, made the way operators make the first one: `facet admin create`."""
    made = subprocess.run([str(FACET_BIN), "admin", "create", "--data", str(ready.facet.data), "--email", ADMIN_EMAIL,
                           "--password", ADMIN_PASSWORD, "--role", "admin"], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert made.returncode == 0, made.stderr
    client = Client(ready.facet)
    user = body(login(client, ADMIN_EMAIL, ADMIN_PASSWORD))["user"]
    assert user["role"] == "admin"
    return client


@pytest.fixture(scope="module")
def buyer(ready):
    return new_buyer(ready.facet, companyName=f"Lumen Atelier {uuid.uuid4().hex[:6]}", contactName="Maya Chen")


@pytest.fixture(scope="module")
def stranger(ready):
    return new_buyer(ready.facet, companyName=f"Corvo Gioielli {uuid.uuid4().hex[:6]}", contactName="Luca Bassi")


@pytest.fixture(scope="module")
def admin_ws(ready, ops):
    ws = WS(ready.facet, ops.session_cookie)
    ws.subscribe("admin")
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def searches(ready, buyer):
    """A ring search that finds its product exactly, and a necklace search under 400."""
    product = some_sku(ready, "ring")
    ring = finished(buyer.client, post_search(buyer.client, edited(catalog_photo(product["sku"])), "ring").json()["id"])
    assert ring["status"] == "done" and ring["exactMatch"], "the edited catalog photo finds its product"
    necklace_product = some_sku(ready, "necklace")
    necklace = finished(buyer.client, post_search(buyer.client, edited(catalog_photo(necklace_product["sku"])), "necklace",
                                                  max_price="400").json()["id"])
    assert necklace["status"] == "done"
    STORY["searches_run"] = 2
    return {"product": product, "ring": ring, "necklace": necklace}


# ------------------------------------------------------------------ who may call what

def _placeholder(path: str) -> str:
    return (path.replace("{report}", "sales").replace("{id}", "x_000000000000").replace("{brand}", "aurelia"))


CONSOLE_BODIES = {"post": {"reason": "x"}, "put": {"policy": "review"}, "patch": {"note": "x"}}


def test_roles_are_kept(ready, ops, admin, buyer, admin_ws):
    anon = Client(ready.facet)
    for method, path in STAFF_ROUTES + ADMIN_ROUTES:
        url = _placeholder(path)
        kwargs = {"json": CONSOLE_BODIES[method]} if method in CONSOLE_BODIES else {}
        assert_error(anon.request(method, url, **kwargs), 401, "unauthorized")
        assert_error(buyer.client.request(method, url, **kwargs), 403, "forbidden")
    for method, path in ADMIN_ROUTES:
        url = _placeholder(path)
        kwargs = {"json": {"email": unique(), "contactName": "No One", "role": "ops"}} if method == "post" else \
            ({"json": {"role": "admin"}} if method == "patch" else {})
        assert_error(ops.request(method, url, **kwargs), 403, "forbidden")
    listed = body(admin.get("/api/admin/staff"))["staff"]
    for row in listed:
        check_rest("Account", row)
    assert {OPS_EMAIL, ADMIN_EMAIL} <= {row["email"] for row in listed}
    assert all(row["role"] in ("ops", "admin") for row in listed)
    for path in ("/api/admin/dashboard", "/api/admin/approvals", "/api/admin/approval-policies", "/api/admin/audit",
                 "/api/admin/analytics/sales"):
        body(admin.get(path), 200, f"admin GET {path}")
        body(ops.get(path), 200, f"ops GET {path}")
    # Staff are not buyers: thumbs are the buyer's.
    assert_error(ops.post("/api/searches/s_x/feedback", json={"offerId": "of_x", "vote": 1}), 403, "forbidden")
    assert_error(anon.post("/api/searches/s_x/feedback", json={"offerId": "of_x", "vote": 1}), 401, "unauthorized")


def unique() -> str:
    return f"colleague-{uuid.uuid4().hex[:10]}@facet.example"


# ------------------------------------------------------------------ the dashboard after a scripted history

def test_the_dashboard_counts_the_days_work(ready, ops, buyer, searches, admin_ws):
    fresh = dashboard(ops)
    assert fresh["work"] == {"newQuoteRequests": 0, "overdueQuoteRequests": 0, "quotesAwaitingBuyer": 0,
                             "ordersByStatus": {s: 0 for s in ORDER_STATUSES}, "paymentsToVerify": 0, "openIssues": 0,
                             "approvalsPending": 0}
    offer = searches["ring"]["exactMatch"]
    staff_id = body(ops.get("/api/me"))["user"]["id"]

    def request(n: int) -> dict:
        quote = body(buyer.client.post("/api/quotes", json={
            "lines": [{"offerId": offer["id"], "quantity": max(offer["moq"], 10 + n)}], "urgency": "standard", "country": "DE"},
            headers={"Idempotency-Key": str(uuid.uuid4())}), 201)["quote"]
        assert quote["status"] == "submitted"
        return quote

    def send(quote: dict) -> dict:
        body(ops.post(f"/api/admin/quotes/{quote['id']}/assign", json={"staffId": staff_id}))
        return body(ops.post(f"/api/admin/quotes/{quote['id']}/send", json={}), 201)["version"]

    def accept(quote: dict, version: dict) -> dict:
        return body(buyer.client.post(f"/api/quotes/{quote['id']}/accept", json={"version": version["version"]}), 201)["order"]

    quotes = [request(n) for n in range(6)]
    # 0 stays new; 1 is claimed; 2 is quoted and waits on the buyer; 3 and 4 become orders, 4 paid; 5 is declined.
    body(ops.post(f"/api/admin/quotes/{quotes[1]['id']}/assign", json={"staffId": staff_id}))
    versions = {i: send(quotes[i]) for i in (2, 3, 4, 5)}
    orders = [accept(quotes[3], versions[3]), accept(quotes[4], versions[4])]
    deposit = body(buyer.client.get(f"/api/orders/{orders[1]['id']}"))["order"]["payment"]["depositDue"]["amount"]
    paid = body(ops.post(f"/api/admin/orders/{orders[1]['id']}/payments",
                         json={"amount": deposit, "reference": "SEPA deposit", "receivedAt": now_plus(hours=-1)}), 201)
    assert paid["order"]["status"] == "payment_verified"
    body(buyer.client.post(f"/api/quotes/{quotes[5]['id']}/decline", json={"reason": "Found it cheaper"}))

    board = dashboard(ops)
    assert board["work"] == {
        "newQuoteRequests": 1, "overdueQuoteRequests": 0, "quotesAwaitingBuyer": 1,
        "ordersByStatus": {**{s: 0 for s in ORDER_STATUSES}, "confirmed": 1, "payment_verified": 1},
        "paymentsToVerify": 1, "openIssues": 0, "approvalsPending": 0}, board["work"]
    STORY.update(quotes=quotes, orders=orders, versions=versions, offer=offer)


def test_the_dashboard_health_tiles_and_thresholds(ready, ops, admin_ws):
    board = dashboard(ops)
    assert board["thresholds"] == {
        "syncLagAmberSeconds": 900, "syncLagRedSeconds": 3600, "syncErrorsAmber": 1, "syncErrorsRed": 10,
        "searchP95AmberSeconds": 5, "searchP95RedSeconds": 10, "queueAmber": 50, "queueRed": 200,
        "marketplaceSuccessAmber": 0.8, "marketplaceSuccessRed": 0.5, "backupAgeAmberHours": 26, "backupAgeRedHours": 72}
    health = board["health"]
    assert {t["detail"]["brand"] for t in health["brands"]} == {"aurelia", "northbridge"}
    for tile in health["brands"]:
        assert set(tile["detail"]) == {"brand", "lastSuccessAt", "lagSeconds", "errors24h", "products", "activeProducts", "lastError"}
        assert tile["detail"]["products"] > 0 and tile["detail"]["lastSuccessAt"]
    assert set(health["marketplace"]["detail"]) == {"configured", "state", "pausedUntil", "fetchSuccessRate", "lastAlert",
                                                    "knownListings"}
    # This server has no marketplace.
    assert health["marketplace"]["detail"]["configured"] is False and health["marketplace"]["detail"]["state"] == "off"
    assert set(health["search"]["detail"]) == {"searchesLastHour", "p95Seconds", "queueDepth", "indexImages", "indexItems",
                                               "embedder", "embedderWarning"}
    assert health["search"]["detail"]["embedderWarning"] is None
    assert health["search"]["detail"]["searchesLastHour"] == 2
    assert health["realtime"]["detail"]["sessions"] >= 1  # this module's admin socket
    assert set(health["database"]["detail"]) == {"bytes", "lastBackupAt"} and health["database"]["detail"]["bytes"] > 0
    states = [t["state"] for t in health["brands"]] + [health[k]["state"] for k in ("marketplace", "search", "database")]
    rank = {"ok": 0, "amber": 1, "red": 2}
    assert health["state"] == max(states, key=rank.get), "the health state is the worst tile"
    # Each tile is coloured by the documented thresholds.
    limits = board["thresholds"]
    search = health["search"]["detail"]
    assert health["search"]["state"] == worst(rising(search["p95Seconds"] or 0, limits["searchP95AmberSeconds"], limits["searchP95RedSeconds"]),
                                              rising(search["queueDepth"], limits["queueAmber"], limits["queueRed"]))
    for tile in health["brands"]:
        lag = tile["detail"]["lagSeconds"]
        assert tile["state"] == worst(rising(float("inf") if lag is None else lag, limits["syncLagAmberSeconds"], limits["syncLagRedSeconds"]),
                                      rising(tile["detail"]["errors24h"], limits["syncErrorsAmber"], limits["syncErrorsRed"])), tile
    assert health["marketplace"]["state"] == "ok", "no marketplace, nothing to warn about"
    if health["database"]["detail"]["lastBackupAt"]:
        backup = dt.datetime.fromisoformat(health["database"]["detail"]["lastBackupAt"].replace("Z", "+00:00"))
        hours = (dt.datetime.now(dt.timezone.utc) - backup).total_seconds() / 3600
        assert health["database"]["state"] == rising(hours, limits["backupAgeAmberHours"], limits["backupAgeRedHours"])
    else:
        assert health["database"]["state"] == "amber", "never backed up is a warning, not a failure"


RANK = {"ok": 0, "amber": 1, "red": 2}


def rising(value: float, amber: float, red: float) -> str:
    return "red" if value >= red else "amber" if value >= amber else "ok"


def worst(*states: str) -> str:
    return max(states, key=RANK.get)


# ------------------------------------------------------------------ analytics

def test_sales_report_counts_the_history_exactly(ready, ops):
    report = analytics(ops, "sales")
    s = summary(report)
    assert {k: s[k] for k in ("quote_requests", "quoted", "accepted", "lost", "orders")} == \
        {"quote_requests": 6, "quoted": 4, "accepted": 2, "lost": 1, "orders": 2}, s
    assert s["conversion_rate"] == 0.5 and s["versions_per_quote"] == 1 and s["first_quote_on_time_rate"] == 1
    assert 0 <= s["median_hours_to_first_quote"] < 1
    bands = table(report, "won_lost_by_price_band")
    assert bands["columns"] == ["band", "won", "lost"]
    assert sum(r[1] for r in bands["rows"]) == 2 and sum(r[2] for r in bands["rows"]) == 1
    revenue = table(report, "revenue_by_source")
    assert revenue["columns"] == ["source", "revenue", "cost", "margin", "margin_rate"]
    rows = {r[0]: r for r in revenue["rows"]}
    orders = [body(ops.get(f"/api/admin/orders/{o['id']}"))["order"] for o in STORY["orders"]]
    assert set(rows) == {"inventory"}, rows
    expected_revenue = sum(o["total"]["amount"] for o in orders) / 100
    assert rows["inventory"][1] == pytest.approx(expected_revenue)
    sku = next(origin["sku"] for o in orders for origin in o["origins"].values())
    product = ready.product(sku)
    cost = (product.get("product") or product)["baseCost"]["amount"] * sum(l["quantity"] for o in orders for l in o["lines"]) / 100
    assert rows["inventory"][2] == pytest.approx(cost)
    assert rows["inventory"][3] == pytest.approx(expected_revenue - cost)
    STORY["sku"] = sku


def test_sales_report_as_csv(ready, ops):
    resp = ops.get("/api/admin/analytics/sales", params={"format": "csv"})
    assert resp.status_code == 200, resp.text
    assert resp.headers["content-type"].split(";")[0].strip() == "text/csv"
    assert "sales-summary.csv" in resp.headers.get("content-disposition", "")
    rows = list(csv.reader(io.StringIO(resp.content.decode("utf-8"))))
    assert rows[0] == ["measure", "value"]
    values = dict(r for r in rows[1:] if r)
    assert values["quote_requests"] == "6" and values["accepted"] == "2" and values["orders"] == "2"
    assert values["conversion_rate"] in ("0.5", "0.5000")

    bands = ops.get("/api/admin/analytics/sales", params={"format": "csv", "table": "won_lost_by_price_band"})
    assert bands.status_code == 200 and bands.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(bands.text)))
    assert lines[0] == ["band", "won", "lost"] and sum(int(r[1]) for r in lines[1:] if r) == 2
    assert_error(ops.get("/api/admin/analytics/sales", params={"format": "csv", "table": "nope"}), 422, "validation_failed")
    assert_error(ops.get("/api/admin/analytics/sales", params={"format": "xml"}), 422, "validation_failed")


def test_reports_narrow_by_category_and_time(ready, ops, searches):
    assert summary(analytics(ops, "sales", category="ring"))["quote_requests"] == 6
    assert summary(analytics(ops, "sales", category="necklace"))["quote_requests"] == 0
    assert summary(analytics(ops, "sales", **{"from": now_plus(days=-1), "to": now_plus(days=1)}))["quote_requests"] == 6
    assert summary(analytics(ops, "sales", **{"from": now_plus(hours=1)}))["quote_requests"] == 0
    assert summary(analytics(ops, "sales", to=now_plus(days=-1)))["quote_requests"] == 0
    # A bare date: `from` at its start, `to` through its end.
    today = dt.datetime.now(dt.timezone.utc).date()
    assert summary(analytics(ops, "sales", **{"from": today.isoformat(), "to": today.isoformat()}))["quote_requests"] == 6
    assert summary(analytics(ops, "sales", to=(today - dt.timedelta(days=1)).isoformat()))["quote_requests"] == 0
    assert summary(analytics(ops, "sales", **{"from": (today + dt.timedelta(days=1)).isoformat()}))["quote_requests"] == 0
    narrowed = analytics(ops, "sales", category="necklace")
    # Bounds not given are null or absent (the document names them; either reads as "none").
    assert narrowed["category"] == "necklace" and narrowed.get("from") is None and narrowed.get("to") is None

    demand = analytics(ops, "demand")
    assert [t["name"] for t in demand["tables"]] == ["searches_per_day", "categories", "metals", "styles", "stones",
                                                     "stone_colours", "price_limits"]
    assert {r[0]: r[1] for r in table(demand, "categories")["rows"]} == {"ring": 1, "necklace": 1}
    assert sum(r[1] for r in table(demand, "searches_per_day")["rows"]) == 2
    limits = {r[0]: r[1] for r in table(demand, "price_limits")["rows"]}
    assert limits["no limit"] == 1 and limits["250–500"] == 1 and sum(limits.values()) == 2
    # The attribute tables count what was read from the two photos (unknown left out).
    for name, key in (("metals", "metal"), ("styles", "style"), ("stones", "stones")):
        expected: dict = {}
        for result in (searches["ring"], searches["necklace"]):
            value = ((result.get("attributes") or {}).get(key) or {}).get("value")
            if value and value != "unknown":
                expected[value] = expected.get(value, 0) + 1
        assert {r[0]: r[1] for r in table(demand, name)["rows"]} == expected, (name, table(demand, name))
    ring_only = analytics(ops, "demand", category="ring")
    assert {r[0]: r[1] for r in table(ring_only, "categories")["rows"]} == {"ring": 1}
    assert {r[0]: r[1] for r in table(ring_only, "price_limits")["rows"]}["no limit"] == 1
    later = analytics(ops, "demand", **{"from": now_plus(hours=1)})
    assert table(later, "searches_per_day")["rows"] == [] and table(later, "categories")["rows"] == []

    supply = analytics(ops, "supply")
    sources = {r[0]: dict(zip(table(supply, "sources")["columns"], r)) for r in table(supply, "sources")["rows"]}
    brand = "brand " + ("aurelia" if STORY["sku"].startswith("AUR") else "northbridge")
    assert sources[brand]["order_lines"] == 2 and sources[brand]["orders_with_issues"] == 0
    assert all(not name.startswith("supplier") for name in sources)
    assert table(analytics(ops, "supply", category="necklace"), "sources")["rows"] == [] or \
        all(r[1] == 0 for r in table(analytics(ops, "supply", category="necklace"), "sources")["rows"])

    assert_error(ops.get("/api/admin/analytics/nothing"), 404, "not_found")
    assert assert_error(ops.get("/api/admin/analytics/sales", params={"category": "tiara"}), 422,
                        "validation_failed").get("field") == "category"
    assert assert_error(ops.get("/api/admin/analytics/sales", params={"from": "yesterday"}), 422,
                        "validation_failed").get("field") == "from"


# ------------------------------------------------------------------ thumbs on results

def test_thumbs_on_results_count_in_match_quality(ready, ops, buyer, stranger, searches):
    before = summary(analytics(ops, "match-quality"))
    assert before["searches"] == 2 and before["completed"] == 2 and before["thumbs_up"] == 0 and before["thumbs_down"] == 0
    both = (searches["ring"], searches["necklace"])
    assert before["exact_matches"] == sum(1 for s in both if s["exactMatch"])
    assert before["alternatives_per_search"] == pytest.approx(sum(len(s["alternatives"]) for s in both) / 2, abs=1e-4)
    nothing = sum(1 for s in both if not s["exactMatch"] and not any(a["similarity"] >= 60 for a in s["alternatives"]))
    assert before["nothing_relevant"] == nothing
    # Every quote request asked for the ring search's exact match; nothing went into a cart.
    assert (before["searches_with_a_result_quoted"], before["quoted_rate"]) == (1, 0.5)
    assert (before["searches_with_a_result_carted"], before["carted_rate"]) == (0, 0)
    ring = searches["ring"]
    exact, other = ring["exactMatch"], ring["alternatives"][0]
    url = f"/api/searches/{ring['id']}/feedback"
    up = body(buyer.client.post(url, json={"offerId": exact["id"], "vote": 1}))
    assert (up["searchId"], up["offerId"]) == (ring["id"], exact["id"]), up
    body(buyer.client.post(url, json={"offerId": other["id"], "vote": -1}))
    s = summary(analytics(ops, "match-quality"))
    assert (s["thumbs_up"], s["thumbs_down"]) == (1, 1)
    body(buyer.client.post(url, json={"offerId": exact["id"], "vote": 1}))  # the same vote again counts once
    body(buyer.client.post(url, json={"offerId": other["id"], "vote": 0}))  # 0 takes it back
    s = summary(analytics(ops, "match-quality"))
    assert (s["thumbs_up"], s["thumbs_down"]) == (1, 0)
    assert summary(analytics(ops, "match-quality", category="necklace"))["thumbs_up"] == 0
    per_day = table(analytics(ops, "match-quality"), "per_day")
    assert per_day["columns"] == ["day", "searches", "exact_matches", "nothing_relevant"]
    assert sum(r[1] for r in per_day["rows"]) == 2

    assert assert_error(buyer.client.post(url, json={"offerId": exact["id"], "vote": 2}), 422,
                        "validation_failed").get("field") == "vote"
    assert assert_error(buyer.client.post(url, json={"offerId": "of_notaresult", "vote": 1}), 422,
                        "validation_failed").get("field") == "offerId"
    assert_error(stranger.client.post(url, json={"offerId": exact["id"], "vote": 1}), 404, "not_found")
    unverified = new_buyer(ready.facet, verified=False)
    assert_error(unverified.client.post(url, json={"offerId": exact["id"], "vote": 1}), 403, "not_verified")
    assert_error(buyer.client.post("/api/searches/s_nothing/feedback", json={"offerId": exact["id"], "vote": 1}), 404, "not_found")
    # docs/operations.md: the answer is {"searchId","offerId","vote"} with the vote as sent (1|-1|0).
    assert up["vote"] == 1 and isinstance(up["vote"], int), f"the vote is answered as {up['vote']!r}, not the number 1"


# ------------------------------------------------------------------ approvals

def test_a_review_brand_holds_new_products_until_approved(ready, ops, buyer, searches, admin_ws):
    policies = body(ops.get("/api/admin/approval-policies"))["policies"]
    assert [p["brand"] for p in policies] == ["aurelia", "northbridge"] and all(p["policy"] == "publish" for p in policies)
    set_ = body(ops.put("/api/admin/approval-policies/aurelia", json={"policy": "review"}))["policy"]
    assert set_["brand"] == "aurelia" and set_["policy"] == "review" and set_["updatedBy"] == OPS_EMAIL and set_["updatedAt"]
    assert {p["brand"]: p["policy"] for p in body(ops.get("/api/admin/approval-policies"))["policies"]} == \
        {"aurelia": "review", "northbridge": "publish"}
    action = staff_actions(admin_ws, lambda d: d["kind"] == "policy" and d["subject"] == "aurelia")
    assert action["actor"] == OPS_EMAIL and action["summary"] == "New products from aurelia wait for review"
    assert_error(ops.put("/api/admin/approval-policies/aurelia", json={"policy": "sometimes"}), 422, "validation_failed")
    assert_error(ops.put("/api/admin/approval-policies/nobrand", json={"policy": "review"}), 422, "validation_failed")

    # The new product copies a ring's photos; the ring itself leaves the catalog, so that the copy,
    # once offered, is the exact match of that photo (a replica of a shown result is never listed).
    template = another_ring(ready, exclude=searches["product"]["sku"])
    title = f"Held Ring {uuid.uuid4().hex[:6]}"
    created = ready.sims["aurelia"].change(action="create", sku=template, title=title)
    sku = created["sku"]
    ready.sims["aurelia"].change(action="discontinue", sku=template)
    ready.wait_for(sku, lambda p: p["title"] == title, timeout=10)
    ready.wait_for(template, lambda p: p["status"] == "discontinued", timeout=10)
    searchable(ready, timeout=120)

    pending = body(ops.get("/api/admin/approvals", params={"status": "pending"}))["approvals"]
    for approval in pending:
        check_rest("Approval", approval)
    mine = [a for a in pending if a["subject"] == sku]
    assert len(mine) == 1, pending
    approval = mine[0]
    assert approval["kind"] == "brand_product" and approval["status"] == "pending" and approval["title"] == title
    assert approval["category"] == "ring" and approval["source"] == "brand aurelia"
    assert approval["photos"] and all(p.startswith("/api/images/") for p in approval["photos"])
    assert approval.get("decidedAt") is None and approval.get("decidedBy") is None
    assert dashboard(ops)["work"]["approvalsPending"] == 1

    # Not offered to buyers while it waits: its own photo does not find it (buyers see our titles,
    # not the brand's; staff read each offer's origin).
    held = finished(buyer.client, post_search(buyer.client, edited(catalog_photo(template)), "ring").json()["id"])
    STORY["searches_run"] += 1
    assert sku not in offered_skus(ops, held), "a held product is offered to a buyer"
    assert held["exactMatch"] is None, "nothing else is this photo's exact match"
    for offer in offered(held):
        detail = body(buyer.client.get(f"/api/offers/{offer['id']}", params={"search": held["id"]}))
        assert "origin" not in detail and title not in str(detail)

    # Refusals before the decision.
    assert assert_error(ops.post(f"/api/admin/approvals/{approval['id']}/reject", json={}), 422,
                        "validation_failed").get("field") == "reason"
    assert_error(ops.post("/api/admin/approvals/ap_nothing/approve", json={}), 404, "not_found")
    assert_error(ops.get("/api/admin/approvals", params={"status": "maybe"}), 422, "validation_failed")

    decided = body(ops.post(f"/api/admin/approvals/{approval['id']}/approve",
                            json={"corrections": {"metal": "gold"}, "reason": "Photo checked"}))["approval"]
    check_rest("Approval", decided)
    assert decided["status"] == "approved" and decided["corrections"] == {"metal": "gold"}
    assert decided["reason"] == "Photo checked" and decided["decidedBy"] == OPS_EMAIL and decided["decidedAt"]
    assert_error(ops.post(f"/api/admin/approvals/{approval['id']}/approve", json={}), 409, "already_decided")
    action = staff_actions(admin_ws, lambda d: d["kind"] == "approval.approved" and d["subject"] == sku)
    assert action["summary"] == f"Approved product {sku}: Photo checked" and action["actor"] == OPS_EMAIL
    assert dashboard(ops)["work"]["approvalsPending"] == 0
    approved = body(ops.get("/api/admin/approvals", params={"status": "approved"}))["approvals"]
    assert [a["subject"] for a in approved] == [sku]

    # Now it is offered.
    again = finished(buyer.client, post_search(buyer.client, edited(catalog_photo(template)), "ring").json()["id"])
    STORY["searches_run"] += 1
    assert again["exactMatch"] and offered_skus(ops, again)[0] == sku, \
        f"the approved product is not the exact match of its own photo: {offered_skus(ops, again)}"
    assert title not in str(again), "buyers never see the brand's title"
    STORY.update(approved_sku=sku)

    # A second one is rejected with a reason and stays out.
    other = ready.sims["aurelia"].change(action="create", sku=template, title=f"Rejected Ring {uuid.uuid4().hex[:6]}")
    ready.wait_for(other["sku"], lambda p: p["status"] == "active", timeout=10)
    waiting = [a for a in body(ops.get("/api/admin/approvals"))["approvals"] if a["subject"] == other["sku"]]
    assert waiting and waiting[0]["status"] == "pending"
    everything = body(ops.get("/api/admin/approvals"))["approvals"]
    assert everything[0]["status"] == "pending", "pending first"
    rejected = body(ops.post(f"/api/admin/approvals/{waiting[0]['id']}/reject", json={"reason": "Blurred photos"}))["approval"]
    assert rejected["status"] == "rejected" and rejected["reason"] == "Blurred photos"
    staff_actions(admin_ws, lambda d: d["kind"] == "approval.rejected" and d["summary"] ==
                  f"Rejected product {other['sku']}: Blurred photos")
    STORY["rejected_sku"] = other["sku"]

    body(ops.put("/api/admin/approval-policies/aurelia", json={"policy": "publish"}))


# ------------------------------------------------------------------ buyers

def test_a_buyers_page_with_notes_and_verification(ready, ops, buyer, admin_ws):
    detail = body(ops.get(f"/api/admin/buyers/{buyer.id}"))
    check_rest("BuyerDetail", detail)
    account = detail["buyer"]
    assert account["id"] == buyer.id and account["email"] == buyer.email and account["role"] == "buyer"
    assert account["businessVerified"] is False and account["suspended"] is False and account["verified"] is True
    searched = STORY["searches_run"]
    assert (account["searches"], account["quotes"], account["orders"]) == (searched, 6, 2)
    assert len(detail["searches"]) == searched and len(detail["quotes"]) == 6 and len(detail["orders"]) == 2
    assert all(re.fullmatch(r"Q-\d{6}", q["label"]) for q in detail["quotes"])
    assert {o["id"] for o in detail["orders"]} == {o["id"] for o in STORY["orders"]}
    assert {o["status"] for o in detail["orders"]} == {"confirmed", "payment_verified"}
    assert detail["notes"] == [] and detail["phone"] and detail["businessLicense"]

    noted = body(ops.patch(f"/api/admin/buyers/{buyer.id}", json={"note": "Prefers e-mail; ships to Hamburg."}))
    check_rest("BuyerDetail", noted)
    assert noted["notes"][0]["body"] == "Prefers e-mail; ships to Hamburg." and noted["notes"][0]["author"] == OPS_EMAIL
    company = account["companyName"]
    staff_actions(admin_ws, lambda d: d["kind"] == "buyer.note" and d["summary"] == f"Added a note on {company}")
    verified = body(ops.patch(f"/api/admin/buyers/{buyer.id}", json={"businessVerified": True}))
    assert verified["buyer"]["businessVerified"] is True
    staff_actions(admin_ws, lambda d: d["kind"] == "buyer.verification" and d["subject"] == buyer.id
                  and d["summary"] == f"Verified the business {company}")

    assert_error(ops.patch(f"/api/admin/buyers/{buyer.id}", json={}), 422, "validation_failed")
    assert_error(ops.get("/api/admin/buyers/u_nobody0000000000"), 404, "not_found")
    me = body(ops.get("/api/me"))["user"]
    assert_error(ops.get(f"/api/admin/buyers/{me['id']}"), 404, "not_found")  # staff are not buyers


def test_a_suspended_buyer_is_signed_out_and_cannot_sign_in(ready, ops, stranger, admin_ws):
    assert body(stranger.client.get("/api/me"))["user"]["id"] == stranger.id
    suspended = body(ops.patch(f"/api/admin/buyers/{stranger.id}", json={"suspended": True}))
    assert suspended["buyer"]["suspended"] is True
    assert_error(stranger.client.get("/api/me"), 401, "unauthorized")
    assert_error(stranger.client.get("/api/quotes"), 401, "unauthorized")
    assert_error(login(Client(ready.facet), stranger.email, stranger.password), 403, "account_suspended")
    staff_actions(admin_ws, lambda d: d["kind"] == "buyer.suspension" and d["subject"] == stranger.id
                  and d["summary"].startswith("Suspended the account of "))

    restored = body(ops.patch(f"/api/admin/buyers/{stranger.id}", json={"suspended": False}))
    assert restored["buyer"]["suspended"] is False
    again = Client(ready.facet)
    assert body(login(again, stranger.email, stranger.password))["user"]["id"] == stranger.id
    assert body(again.get("/api/me"))["user"]["id"] == stranger.id


# ------------------------------------------------------------------ staff accounts

def test_an_admin_invites_and_manages_a_colleague(ready, admin, ops, admin_ws):
    email = unique()
    before = mail_snapshot(ready.facet)
    invited = body(admin.post("/api/admin/staff", json={"email": email, "contactName": "Ana Ruiz", "role": "ops"}), 201)["staff"]
    check_rest("Account", invited)
    assert invited["email"] == email and invited["role"] == "ops" and invited["contactName"] == "Ana Ruiz"
    assert invited["suspended"] is False
    token = invite_link(ready.facet, email, before)
    subject, text = STORY["invite_mail"]
    assert "invited" in subject.lower() and "Ana Ruiz" in text
    action = staff_actions(admin_ws, lambda d: d["kind"] == "staff.invite" and d["subject"] == invited["id"])
    assert action["actor"] == ADMIN_EMAIL and action["summary"] == f"Invited {email} as ops"
    assert email in [row["email"] for row in body(admin.get("/api/admin/staff"))["staff"]]

    anon = Client(ready.facet)
    body(anon.post("/api/auth/password-reset/confirm", json={"token": token, "password": "Colleague-2027-pw"}))
    colleague = Client(ready.facet)
    assert body(login(colleague, email, "Colleague-2027-pw"))["user"]["role"] == "ops"
    body(colleague.get("/api/admin/dashboard"))
    assert_error(colleague.get("/api/admin/staff"), 403, "forbidden")

    assert_error(admin.post("/api/admin/staff", json={"email": email, "contactName": "Ana", "role": "ops"}), 409, "email_taken")
    assert_error(admin.post("/api/admin/staff", json={"email": unique(), "contactName": "B", "role": "buyer"}), 422,
                 "validation_failed")
    assert_error(admin.post("/api/admin/staff", json={"email": "not-an-address", "contactName": "B", "role": "ops"}), 422,
                 "validation_failed")
    me = body(admin.get("/api/me"))["user"]
    assert_error(admin.patch(f"/api/admin/staff/{me['id']}", json={"role": "ops"}), 409, "own_account")
    assert_error(admin.patch("/api/admin/staff/u_nobody0000000000", json={"role": "ops"}), 404, "not_found")

    promoted = body(admin.patch(f"/api/admin/staff/{invited['id']}", json={"role": "admin"}))["staff"]
    assert promoted["role"] == "admin"
    staff_actions(admin_ws, lambda d: d["kind"] == "staff.role" and d["summary"] == f"Made {email} admin")
    disabled = body(admin.patch(f"/api/admin/staff/{invited['id']}", json={"disabled": True}))["staff"]
    assert disabled["suspended"] is True
    assert_error(colleague.get("/api/admin/dashboard"), 401, "unauthorized")
    assert_error(login(Client(ready.facet), email, "Colleague-2027-pw"), 403, "account_suspended")
    staff_actions(admin_ws, lambda d: d["kind"] == "staff.access" and d["summary"] == f"Disabled the account of {email}")
    STORY["colleague"] = email


# ------------------------------------------------------------------ the audit log

def test_the_audit_log_tells_who_did_what(ready, ops, admin):
    everything = body(ops.get("/api/admin/audit"))["entries"]
    for entry in everything:
        check_rest("AuditEntry", entry)
    times = [e["at"] for e in everything]
    assert times == sorted(times, reverse=True), "newest first"

    by_admin = body(ops.get("/api/admin/audit", params={"actor": ADMIN_EMAIL}))["entries"]
    assert by_admin and all(e["actor"] == ADMIN_EMAIL for e in by_admin)
    assert [e["summary"] for e in by_admin][:3] == [f"Disabled the account of {STORY['colleague']}",
                                                    f"Made {STORY['colleague']} admin", f"Invited {STORY['colleague']} as ops"]

    approvals = body(ops.get("/api/admin/audit", params={"actor": OPS_EMAIL, "kind": "approval"}))["entries"]
    assert [e["summary"] for e in approvals] == [f"Rejected product {STORY['rejected_sku']}: Blurred photos",
                                                 f"Approved product {STORY['approved_sku']}: Photo checked"]
    assert {e["kind"] for e in approvals} == {"approval.approved", "approval.rejected"}
    policy = body(ops.get("/api/admin/audit", params={"kind": "policy"}))["entries"]
    assert [e["summary"] for e in policy] == ["New products from aurelia publish at once", "New products from aurelia wait for review"]
    quotes = body(ops.get("/api/admin/audit", params={"kind": "quote"}))["entries"]
    assert quotes and all(e["kind"].startswith("quote.") and e["actor"] == OPS_EMAIL for e in quotes)
    assert all(re.match(r"Quote Q-\d{6}: ", e["summary"]) for e in quotes)
    orders = body(ops.get("/api/admin/audit", params={"kind": "order"}))["entries"]
    assert any(e["kind"] == "order.payment_verified" for e in orders), orders
    buyers = body(ops.get("/api/admin/audit", params={"kind": "buyer.note"}))["entries"]
    assert len(buyers) == 1 and buyers[0]["summary"].startswith("Added a note on ")

    assert len(body(ops.get("/api/admin/audit", params={"limit": 1}))["entries"]) == 1
    assert body(ops.get("/api/admin/audit", params={"from": now_plus(hours=1)}))["entries"] == []
    assert body(ops.get("/api/admin/audit", params={"to": now_plus(days=-1)}))["entries"] == []
    assert body(ops.get("/api/admin/audit", params={"actor": "nobody@example.com"}))["entries"] == []
    assert_error(ops.get("/api/admin/audit", params={"limit": 0}), 422, "validation_failed")
    assert_error(ops.get("/api/admin/audit", params={"from": "soon"}), 422, "validation_failed")


def test_every_staff_action_event_is_a_sentence(admin_ws):
    actions = [m for m in admin_ws.received if m["type"] == "event" and m["event"] == "staff.action"]
    assert len(actions) >= 10
    for message in actions:
        data = message["data"]
        assert message["topic"] == "admin"
        assert data["actor"] in (OPS_EMAIL, ADMIN_EMAIL) and data["summary"] and data["summary"][0].isupper()
